# accord — Makefile
#
# Settings (override on the command line, e.g. `make CC=clang PREFIX=/opt/accord`):
#   CC        C compiler                         (default: cc)
#   CFLAGS    extra compiler flags               (default: -O2 -g)
#   PREFIX    install prefix                     (default: /usr/local)
#   DESTDIR   staging root for packagers         (default: empty)
#   FUZZ_SECONDS  seconds per fuzz target         (default: 60)
#
# Targets: all (libaccord.a + accord), check, demo, asan, valgrind, fuzz, bench, install,
# clean, deps.
# `make check` and `make demo` first run tools/deps.sh, which installs missing Debian
# packages with apt-get (only when pkg-config or a test tool cannot be found).

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
CFLAGS   ?= -O2 -g
FUZZ_SECONDS ?= 60
BUILD    ?= build

PKGS := gnutls libxml-2.0 libgcrypt libarchive libzip libtasn1 libmicrohttpd libcurl zlib jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
override CFLAGS += -std=gnu11 $(WARN) -I. -Iinclude -DACCORD_INTERNAL $(PKG_CFLAGS)
LDLIBS := $(PKG_LIBS) -lpthread

LIB_SRC := $(sort $(wildcard util/*.c keys/*.c formats/*.c sign/*.c verify/*.c tsa/*.c ocsp/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check demo asan valgrind fuzz bench stress install clean deps unit
all: $(BUILD)/libaccord.a $(BUILD)/accord accord

$(BUILD)/%.o: %.c $(wildcard include/*.h include/accord/*.h */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libaccord.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

libaccord.a: $(BUILD)/libaccord.a
	cp $< $@

$(BUILD)/accord: $(CLI_OBJ) $(BUILD)/libaccord.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libaccord.a $(LDFLAGS) $(LDLIBS)

accord: $(BUILD)/accord
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libaccord.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(BUILD)/libaccord.a $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS)

unit: $(UNIT_BIN)

# The IODEF schema is compiled into formats/iodef.o (.incbin): rebuild it when it changes.
$(BUILD)/formats/iodef.o: formats/iodef-2.0-required.xsd

deps:
	@sh tools/deps.sh

# check: the whole suite (unit tests with Check, CLI scenarios, hostile corpus, interop,
# crash tests, and a short run of every fuzz target: FUZZ_CHECK_SECONDS, default 20).
check: deps
	@$(MAKE) --no-print-directory all unit
	@ACCORD_BIN=$(CURDIR)/accord UNIT_DIR=$(CURDIR)/$(BUILD)/tests sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@ACCORD_BIN=$(CURDIR)/accord sh tools/demo.sh

# asan: the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
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

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/accord
	install -m 0755 accord $(DESTDIR)$(PREFIX)/bin/accord
	install -m 0644 $(BUILD)/libaccord.a $(DESTDIR)$(PREFIX)/lib/libaccord.a
	install -m 0644 include/accord.h $(DESTDIR)$(PREFIX)/include/accord.h
	install -m 0644 include/accord/*.h $(DESTDIR)$(PREFIX)/include/accord/

clean:
	rm -rf build build-asan build-fuzz accord libaccord.a

# Manual pages (man/*.1, hand-written roff) and bash completion (issue #13): installed
# with the rest by `make install`, removed by `make uninstall`.
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
.PHONY: install-doc uninstall-doc uninstall
install: install-doc
uninstall: uninstall-doc
install-doc:
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 completion/accord.bash $(DESTDIR)$(BASHCOMPDIR)/accord
uninstall-doc:
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/accord
