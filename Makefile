# accord — Makefile
#
# Settings (override on the command line, e.g. `make CC=clang PREFIX=/opt/accord`):
#   CC        C compiler                         (default: cc)
#   CFLAGS    compiler flags                     (default: -O2 -g)
#   CPPFLAGS, LDFLAGS  extra preprocessor/linker flags (Debian: dpkg-buildflags)
#   WERROR    warnings as errors                 (default: -Werror; packagers may say WERROR=)
#   HARDEN_CFLAGS, HARDEN_LDFLAGS  hardening     (stack protector, _FORTIFY_SOURCE=2 when
#             optimising and not set already, RELRO and BIND_NOW; empty them to take your
#             own; the CLI is always a PIE, the library's objects -fPIC)
#   PREFIX    install prefix                     (default: /usr/local)
#   LIBDIR    library folder                     (default: PREFIX/lib/<Debian multiarch>)
#   DESTDIR   staging root for packagers         (default: empty)
#   FUZZ_SECONDS  seconds per fuzz target         (default: 60)
#
# Targets: all (libaccord.a, libaccord.so.N and accord), check, demo, asan, valgrind, fuzz,
# bench, install, uninstall, clean, deps.
# `make check` and `make demo` first run tools/deps.sh, which installs missing Debian
# packages with apt-get (only when pkg-config or a test tool cannot be found).

# ------------------------------------------------------------------ version (one place)
# VERSION holds the release ("MAJOR.MINOR.PATCH"); the soname follows MAJOR, accord.pc
# and `accord --version` (accord_version()) say the whole of it.
VERSION   := $(shell cat VERSION)
SOVERSION := $(firstword $(subst ., ,$(VERSION)))

# ------------------------------------------------------------------ settings
CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
CFLAGS   ?= -O2 -g
FUZZ_SECONDS ?= 60
BUILD    ?= build
MULTIARCH := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || $(CC) -print-multiarch 2>/dev/null)
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DATADIR  ?= $(PREFIX)/share
MANDIR   ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
INSTALL  ?= install

# ------------------------------------------------------------------ dependencies
# Every pkg-config package the build needs; a missing one stops the build, naming it.
PKGS := gnutls libxml-2.0 libgcrypt libarchive libzip libtasn1 libmicrohttpd libcurl zlib jansson
# (Not for goals that need no compiler, nor for those that first run tools/deps.sh, which
# installs what is missing: their inner make checks.)
NO_PKG_CHECK_GOALS := clean uninstall deps check demo asan valgrind fuzz bench
ifneq ($(filter-out $(NO_PKG_CHECK_GOALS),$(MAKECMDGOALS))$(if $(MAKECMDGOALS),,all),)
PKGS_MISSING := $(strip $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) 2>/dev/null && echo y),,$(p))))
ifneq ($(PKGS_MISSING),)
$(error missing pkg-config package(s): $(PKGS_MISSING) (run `sh tools/deps.sh` as root, or install their -dev packages))
endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

# ------------------------------------------------------------------ flags
WERROR ?= -Werror
WARN := -Wall -Wextra $(WERROR) -Wshadow -Wformat=2 -Wno-format-nonliteral
# _FORTIFY_SOURCE needs optimisation (glibc warns without it): only when CFLAGS has -O1+,
# and not over a level the packager's CPPFLAGS or CFLAGS chose (dpkg-buildflags).
FORTIFY := $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,$(if $(filter-out -O0,$(filter -O%,$(CFLAGS))),-D_FORTIFY_SOURCE=2))
HARDEN_CFLAGS  ?= -fstack-protector-strong $(FORTIFY)
HARDEN_LDFLAGS ?= -Wl,-z,relro,-z,now
# -MMD -MP: each object's header dependencies, written by the compiler (BUILD/**/*.d).
override CFLAGS += -std=gnu11 $(WARN) $(HARDEN_CFLAGS) -I. -Iinclude -MMD -MP $(PKG_CFLAGS)
LDLIBS := $(PKG_LIBS) -lpthread

# The library's own sources alone see its internal headers (util/internal.h refuses to be
# included without ACCORD_INTERNAL); they are position-independent (static and shared
# library from the same objects). The CLI uses the public API only and is a PIE.
LIB_CFLAGS := -fPIC -DACCORD_INTERNAL
CLI_CFLAGS := -fPIE
# Unit tests look inside the library (white-box): internal headers, static library.
UNIT_CFLAGS := -DACCORD_INTERNAL

# ------------------------------------------------------------------ sources
LIB_SRC := $(sort $(wildcard util/*.c keys/*.c formats/*.c sign/*.c verify/*.c tsa/*.c ocsp/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

SHLIB_REAL := libaccord.so.$(VERSION)
SHLIB_SONAME := libaccord.so.$(SOVERSION)

.PHONY: all check demo asan valgrind fuzz bench stress install uninstall clean deps unit \
	install-bin install-lib install-headers install-pc install-extra \
	uninstall-extra
all: $(BUILD)/libaccord.a $(BUILD)/$(SHLIB_REAL) $(BUILD)/accord accord $(BUILD)/accord-shared

# ------------------------------------------------------------------ objects
$(LIB_OBJ): EXTRA_CFLAGS := $(LIB_CFLAGS)
$(CLI_OBJ): EXTRA_CFLAGS := $(CLI_CFLAGS)
# An object without its .d (built before -MMD, or the .d removed) is rebuilt: its header
# dependencies are unknown. The touch keeps the object newer than the .d just written.
$(BUILD)/%.o: %.c $(BUILD)/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<
	@touch $@
$(BUILD)/%.d: ;
.PRECIOUS: $(BUILD)/%.d

# accord_version() says VERSION.
$(BUILD)/util/init.o: VERSION
$(BUILD)/util/init.o: EXTRA_CFLAGS += -DACCORD_VERSION='"$(VERSION)"'

# The IODEF schema is compiled into formats/iodef.o (.incbin): rebuild it when it changes.
$(BUILD)/formats/iodef.o: formats/iodef-2.0-required.xsd

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(join $(dir $(UNIT_BIN)),$(patsubst %,.%.d,$(notdir $(UNIT_BIN))))

# formats/tst_asn1_tab.c is generated from formats/tst.asn (libtasn1-bin's asn1Parser) and
# committed; it is regenerated only when tst.asn is newer.
formats/tst_asn1_tab.c: formats/tst.asn
	@if command -v asn1Parser >/dev/null 2>&1; then \
		echo "asn1Parser -o $@ -n accord_tst_asn1_tab $<"; \
		asn1Parser -o $@.tmp -n accord_tst_asn1_tab $< >/dev/null && \
		{ printf '%s\n' \
		  '/* formats/tst_asn1_tab.c — GENERATED from formats/tst.asn by libtasn1-bin; do not edit.' \
		  ' * Regenerated by `make` when formats/tst.asn is newer (Debian: apt-get install libtasn1-bin):' \
		  ' *   asn1Parser -o formats/tst_asn1_tab.c -n accord_tst_asn1_tab formats/tst.asn */'; \
		  cat $@.tmp; } >$@ && rm -f $@.tmp; \
	else \
		echo "warning: formats/tst.asn is newer than $@ but asn1Parser is missing (apt-get install libtasn1-bin): the committed file is used" >&2; \
		touch $@; \
	fi

# ------------------------------------------------------------------ libraries
$(BUILD)/libaccord.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

libaccord.a: $(BUILD)/libaccord.a
	cp $< $@

# The shared library exports the public API only: the version script lists the functions
# the public headers declare (tools/libaccord-map.sh); tests/cli/library.sh checks the
# exports.
PUBLIC_H := include/accord.h $(wildcard include/accord/*.h)
$(BUILD)/libaccord.map: $(PUBLIC_H) VERSION tools/libaccord-map.sh
	@mkdir -p $(dir $@)
	sh tools/libaccord-map.sh "$(CC)" >$@.tmp && mv $@.tmp $@

$(BUILD)/$(SHLIB_REAL): $(LIB_OBJ) $(BUILD)/libaccord.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SHLIB_SONAME) -Wl,--version-script=$(BUILD)/libaccord.map \
	  -Wl,--no-undefined $(HARDEN_LDFLAGS) -o $@ $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)
	ln -sf $(SHLIB_REAL) $(BUILD)/$(SHLIB_SONAME)
	ln -sf $(SHLIB_SONAME) $(BUILD)/libaccord.so

# accord.pc is written at install time (it names the folders of that install); folders
# under PREFIX are written relative to ${prefix}.
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|g' \
  -e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|g' \
  -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|g' \
  -e 's|@VERSION@|$(VERSION)|g' -e 's|@REQUIRES_PRIVATE@|$(PKGS)|g'

# ------------------------------------------------------------------ the CLI
# Linked with the static library (one file to install and to run from the tree).
$(BUILD)/accord: $(CLI_OBJ) $(BUILD)/libaccord.a
	$(CC) $(CFLAGS) -pie $(HARDEN_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libaccord.a $(LDFLAGS) $(LDLIBS)

accord: $(BUILD)/accord
	cp $< $@

# The same CLI linked with the shared library: proves it needs nothing but the exported
# API (a link error names the internal function it used). Not installed.
$(BUILD)/accord-shared: $(CLI_OBJ) $(BUILD)/$(SHLIB_REAL)
	$(CC) $(CFLAGS) -pie $(HARDEN_LDFLAGS) -o $@ $(CLI_OBJ) -L$(BUILD) -l:$(SHLIB_SONAME) \
	  -Wl,-rpath,'$$ORIGIN' $(LDFLAGS) $(LDLIBS)

# ------------------------------------------------------------------ tests
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libaccord.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(UNIT_CFLAGS) -MF $(dir $@).$(notdir $@).d $(CHECK_CFLAGS) -o $@ $< $(BUILD)/libaccord.a \
	  $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS)

unit: $(UNIT_BIN)

# The IODEF schema is compiled into formats/iodef.o (.incbin): rebuild it when it changes.
$(BUILD)/formats/iodef.o: formats/iodef-2.0-required.xsd

deps:
	@sh tools/deps.sh

# check: the whole suite (unit tests with Check, CLI scenarios, hostile corpus, interop,
# crash tests, the installed library (tests/cli/library.sh: make install into a stage,
# examples/verify.c built with pkg-config alone), and a short run of every fuzz target:
# FUZZ_CHECK_SECONDS, default 20).
# The project's own builds keep -Werror whatever WERROR says.
check: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all unit
	@ACCORD_BIN=$(CURDIR)/accord UNIT_DIR=$(CURDIR)/$(BUILD)/tests sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@ACCORD_BIN=$(CURDIR)/accord sh tools/demo.sh

# asan: the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan WERROR=-Werror \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/accord unit
	@FUZZ_CHECK_SECONDS=0 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ACCORD_BIN=$(CURDIR)/build-asan/accord UNIT_DIR=$(CURDIR)/build-asan/tests sh tests/run.sh

# valgrind: the CLI scenario scripts with every accord process under valgrind memcheck.
valgrind: deps
	@$(MAKE) --no-print-directory all
	@ACCORD_BIN=$(CURDIR)/accord sh tests/tools/valgrind.sh

fuzz: deps
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory all
	@ACCORD_BIN=$(CURDIR)/accord sh tests/bench/run.sh

# stress: the limits at full size (100,000 entries packed, signed, verified, extracted);
# minutes, so not part of check.
stress: deps
	@$(MAKE) --no-print-directory all
	@for t in tests/stress/*.sh; do ACCORD_BIN=$(CURDIR)/accord sh "$$t"; done

# ------------------------------------------------------------------ install
# make install [DESTDIR=stage] [PREFIX=/usr]: the CLI, the shared library with its soname
# and development links, the static library, the public headers and accord.pc.
# install-extra / uninstall-extra: the other installed files (man pages, bash completion),
# in MANDIR and BASHCOMPDIR.
install: install-bin install-lib install-headers install-pc install-extra

install-bin: $(BUILD)/accord
	$(INSTALL) -d $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 0755 $(BUILD)/accord $(DESTDIR)$(BINDIR)/accord

install-lib: $(BUILD)/libaccord.a $(BUILD)/$(SHLIB_REAL)
	$(INSTALL) -d $(DESTDIR)$(LIBDIR)
	$(INSTALL) -m 0644 $(BUILD)/libaccord.a $(DESTDIR)$(LIBDIR)/libaccord.a
	$(INSTALL) -m 0644 $(BUILD)/$(SHLIB_REAL) $(DESTDIR)$(LIBDIR)/$(SHLIB_REAL)
	ln -sf $(SHLIB_REAL) $(DESTDIR)$(LIBDIR)/$(SHLIB_SONAME)
	ln -sf $(SHLIB_SONAME) $(DESTDIR)$(LIBDIR)/libaccord.so

install-headers: $(PUBLIC_H)
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/accord
	$(INSTALL) -m 0644 include/accord.h $(DESTDIR)$(INCLUDEDIR)/accord.h
	$(INSTALL) -m 0644 include/accord/*.h $(DESTDIR)$(INCLUDEDIR)/accord/

install-pc: accord.pc.in VERSION
	$(INSTALL) -d $(DESTDIR)$(PKGCONFIGDIR)
	$(PC_SED) accord.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/accord.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/accord.pc

# Manual pages (man/*.1, hand-written roff) and bash completion.
install-extra:
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 completion/accord.bash $(DESTDIR)$(BASHCOMPDIR)/accord

uninstall: uninstall-extra
	rm -f $(DESTDIR)$(BINDIR)/accord
	rm -f $(DESTDIR)$(LIBDIR)/libaccord.a $(DESTDIR)$(LIBDIR)/$(SHLIB_REAL) \
	  $(DESTDIR)$(LIBDIR)/$(SHLIB_SONAME) $(DESTDIR)$(LIBDIR)/libaccord.so
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(patsubst include/%,%,$(PUBLIC_H)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/accord 2>/dev/null
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/accord.pc

uninstall-extra:
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/accord

clean:
	rm -rf build build-asan build-fuzz accord libaccord.a

