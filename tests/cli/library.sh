#!/bin/sh
# tests/cli/library.sh — libaccord as others embed it (issue #13): `make install` into a
# stage (DESTDIR, PREFIX=/usr), the shared library exporting the public API only, the
# installed headers standing alone, examples/verify.c built with `pkg-config --cflags
# --libs accord` alone (and with libaccord.a) and judging a valid, a
# tampered and an unsigned package, then `make uninstall` leaving nothing behind.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$TESTS/.." && pwd)
cd "$T"
ZIPEDIT="python3 $TESTS/tools/zipedit.py"

# The stage is made from the regular build (build/); the sanitizer build (make asan)
# tests the library through its CLI.
if [ ! "$ACCORD_BIN" -ef "$ROOT/accord" ] && [ ! "$ACCORD_BIN" -ef "$ROOT/build/accord" ]; then
	skip "library: the staged install is tested with the regular build (ACCORD_BIN=$ROOT/accord)"
	exit 0
fi
command -v pkg-config >/dev/null 2>&1 || { skip "library: pkg-config is not installed"; exit 0; }
CC=${CC:-cc}
# A make started by make (make check) must not join its jobserver.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$ROOT" "$@"; }

stage=$T/stage
setup "make install into a stage" mk install DESTDIR="$stage" PREFIX=/usr
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || $CC -print-multiarch)
lib=$stage/usr/lib${ma:+/$ma}
version=$(cat "$ROOT/VERSION")
major=${version%%.*}

expect "the CLI is installed in PREFIX/bin" [ -x "$stage/usr/bin/accord" ]
expect "the shared library is installed in the multiarch folder as libaccord.so.$version" \
	[ -f "$lib/libaccord.so.$version" ]
expect "libaccord.so.$major (the soname) and libaccord.so (for linking) are links to it" \
	sh -c '[ "$(readlink "$1/libaccord.so.$3")" = "libaccord.so.$2" ] &&
		[ "$(readlink "$1/libaccord.so")" = "libaccord.so.$3" ]' sh "$lib" "$version" "$major"
expect "the static library is installed" [ -f "$lib/libaccord.a" ]
expect "accord.pc is installed" [ -f "$lib/pkgconfig/accord.pc" ]
expect "the public headers are installed" \
	[ -f "$stage/usr/include/accord.h" -a -f "$stage/usr/include/accord/verify.h" ]
expect "the man pages are installed (accord.1 and one per verb)" \
	sh -c '[ -f "$1/usr/share/man/man1/accord.1" ] && [ "$(ls "$1/usr/share/man/man1" | wc -l)" = "$(ls "$2"/man/*.1 | wc -l)" ]' \
	sh "$stage" "$ROOT"
expect "the bash completion is installed" [ -f "$stage/usr/share/bash-completion/completions/accord" ]
expect "the soname is libaccord.so.$major" \
	sh -c 'readelf -d "$1" | grep -q "SONAME.*\[libaccord.so.$2\]"' sh "$lib/libaccord.so.$version" "$major"
expect "the shared library is built with RELRO and BIND_NOW" \
	sh -c 'readelf -lW "$1" | grep -q GNU_RELRO && readelf -d "$1" | grep -q "FLAGS.*NOW"' sh "$lib/libaccord.so.$version"
expect "the CLI is a PIE with RELRO and BIND_NOW" \
	sh -c 'readelf -h "$1" | grep -q "Type:.*DYN" && readelf -lW "$1" | grep -q GNU_RELRO &&
		readelf -d "$1" | grep -q "FLAGS_1.*NOW.*PIE\|FLAGS_1.*PIE.*NOW"' sh "$stage/usr/bin/accord"
expect "the CLI is built with the stack protector" \
	sh -c 'nm -D "$1" | grep -q __stack_chk_fail' sh "$stage/usr/bin/accord"

# One version: VERSION, accord --version, accord.pc, the soname.
export PKG_CONFIG_SYSROOT_DIR="$stage"
export PKG_CONFIG_PATH="$lib/pkgconfig"
expect "accord --version, accord.pc and VERSION say the same version ($version)" \
	sh -c '[ "$("$1" --version)" = "accord $2" ] && [ "$(pkg-config --modversion accord)" = "$2" ]' \
	sh "$stage/usr/bin/accord" "$version"

# Exports: exactly the functions the installed headers declare.
$CC -E -P -I"$stage/usr/include" "$stage/usr/include/accord.h" 2>/dev/null |
	grep -o '\baccord_[a-z0-9_]*[[:space:]]*(' | sed 's/[[:space:]]*($//' | sort -u >declared
nm -D --defined-only "$lib/libaccord.so.$version" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' |
	sed 's/@.*//' | grep -v '^ACCORD_' | sort -u >exported
expect "the headers declare the public functions" [ "$(wc -l <declared)" -gt 50 ]
if cmp -s declared exported; then
	pass "the shared library exports exactly the $(wc -l <declared) functions the public headers declare"
else
	fail "the shared library's exports differ from the public headers' functions (< declared, > exported)"
	diff declared exported | head -20 | sed 's/^/    /'
fi
expect "internal functions are not visible (accord_err, accord_json_text, accord_c14n_*)" \
	sh -c '! nm -D "$1" | grep -Eq " (accord_err|accord_json_text|accord_c14n_[a-z_]*)(@|$)"' \
	sh "$lib/libaccord.so.$version"

# The installed headers stand alone and name no internal file.
bad=""
for h in "$stage/usr/include/accord.h" "$stage/usr/include/accord"/*.h; do
	rel=${h#"$stage/usr/include/"}
	printf '#include <%s>\nint main(void) { return 0; }\n' "$rel" >hdr.c
	$CC -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only $(pkg-config --cflags accord) hdr.c \
		>hdr.out 2>&1 || bad="$bad $rel"
done
expect "each installed header compiles alone (C99, -pedantic) with pkg-config's flags${bad:+ (not:$bad)}" [ -z "$bad" ]
expect "no installed header names an internal file (util/, formats/, keys/keys.h, ...)" \
	sh -c '! grep -En "(util|formats|keys|sign|verify|tsa|ocsp)/[a-z_]+\.h" "$1"/accord.h "$1"/accord/*.h' \
	sh "$stage/usr/include"

# cli/ is compiled like any program using the library: without ACCORD_INTERNAL, with
# which every internal header refuses to be included.
open=""
for h in "$ROOT"/util/*.h "$ROOT"/keys/*.h "$ROOT"/formats/*.h "$ROOT"/sign/*.h "$ROOT"/verify/*.h \
	"$ROOT"/tsa/*.h "$ROOT"/ocsp/*.h; do
	[ -f "$h" ] || continue
	printf '#include "%s"\n' "${h#"$ROOT/"}" >internal.c
	$CC -fsyntax-only -I"$ROOT" -I"$ROOT/include" $(pkg-config --cflags gnutls libxml-2.0 libtasn1) \
		internal.c >/dev/null 2>&1 && open="$open ${h#"$ROOT/"}"
done
expect "no internal header can be included without ACCORD_INTERNAL (as cli/ is built)${open:+ (open:$open)}" [ -z "$open" ]
mk -n -B build/cli/main.o >cli-cc.txt 2>&1
expect "cli/ is compiled without ACCORD_INTERNAL" \
	sh -c 'grep -q "cli/main\.c" cli-cc.txt && ! grep -q ACCORD_INTERNAL cli-cc.txt'


# examples/verify.c with pkg-config alone.
cp "$ROOT/examples/verify.c" .
ok "examples/verify.c builds with \`pkg-config --cflags --libs accord\` alone" \
	sh -c "$CC -Wall -Wextra -Werror -o verify verify.c \$(pkg-config --cflags --libs accord)"
expect "it is linked with the shared library libaccord.so.$major" \
	sh -c 'readelf -d verify | grep -q "NEEDED.*\[libaccord.so.$1\]"' sh "$major"
# libaccord.a with the system's shared libraries: the libraries accord.pc requires
# privately, as pkg-config lists them (a fully static link would also need every static
# library of GnuTLS's own dependencies).
ok "it builds with libaccord.a and the libraries accord.pc requires privately" \
	sh -c "$CC -Wall -Wextra -Werror -o verify-static verify.c \$(pkg-config --cflags accord) \
		\$(pkg-config --libs accord | sed 's/-laccord\\b/-l:libaccord.a/') \
		\$(pkg-config --libs \$(pkg-config --print-requires-private accord)) -lpthread"
expect "the static build does not need libaccord.so" sh -c '! readelf -d verify-static | grep -q "NEEDED.*libaccord"'

# A real package: a CA, a party, a signature; then a tampered copy and an unsigned one.
setup "a CA" accord keys ca --name "Library CA" --out ca --passphrase-file pass
setup "alice's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --name alice --out alice --passphrase-file pass
printf 'Agreement text.\n' >text.txt
setup "a package for alice" accord pack -o p.asice --party alice.crt text.txt
cp p.asice unsigned.asice
setup "alice signs" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
setup "a tampered copy" $ZIPEDIT p.asice tampered.asice --flip text.txt 3

run_verify() { # BINARY PACKAGE: exit status and output in $T/v.out
	LD_LIBRARY_PATH="$lib" "./$1" "$2" ca.crt >v.out 2>&1
}
for bin in verify verify-static; do
	run_verify $bin p.asice; rc=$?
	expect "$bin: the signed package is valid (exit 0, TOTAL-PASSED)" \
		sh -c '[ "$1" = 0 ] && head -1 v.out | grep -qx valid && grep -q "TOTAL-PASSED.*alice" v.out' sh "$rc"
	run_verify $bin tampered.asice; rc=$?
	expect "$bin: the tampered package is invalid (exit 1, TOTAL-FAILED HASH_FAILURE)" \
		sh -c '[ "$1" = 1 ] && head -1 v.out | grep -qx invalid && grep -q "TOTAL-FAILED HASH_FAILURE" v.out' sh "$rc"
done
run_verify verify unsigned.asice; rc=$?
expect "the unsigned package is incomplete (exit 2)" sh -c '[ "$1" = 2 ] && head -1 v.out | grep -qx incomplete' sh "$rc"
run_verify verify missing.asice; rc=$?
expect "a package that cannot be read is an error naming it (exit 3)" \
	sh -c '[ "$1" = 3 ] && grep -q "missing.asice" v.out' sh "$rc"
expect "the shared build loaded the staged libaccord.so.$major" \
	sh -c 'LD_LIBRARY_PATH="$1" ldd ./verify | grep -q "libaccord.so.$2 => $1/"' sh "$lib" "$major"

# The README's program is examples/verify.c (tabs shown as four spaces).
sed -n '/^#include <stdio.h>/,$p' "$ROOT/examples/verify.c" | expand -t 4 >example.core
sed -n '/^    #include <stdio.h>/,/^    }$/p' "$ROOT/README.md" | sed 's/^    //' >readme.core
expect "README's \"The library\" shows examples/verify.c as it is" \
	sh -c '[ -s readme.core ] && cmp -s example.core readme.core'

# Thread-safety as accord.h states it: verifications of packages in several threads at
# once give each the verdict it gets alone.
cat >threads.c <<'EOF_C'
#include <pthread.h>
#include <stdio.h>
#include <accord.h>
static const char *pkgs[] = {"p.asice", "tampered.asice", "unsigned.asice"};
static const accord_package_status want[] = {ACCORD_PACKAGE_VALID, ACCORD_PACKAGE_INVALID,
					     ACCORD_PACKAGE_INCOMPLETE};
static void *run(void *arg)
{
	size_t k = (size_t)arg, bad = 0;
	const char *trust[] = {"ca.crt"};
	accord_verify_options opt = {.trust = trust, .n_trust = 1, .no_trust_store = 1};
	for (int i = 0; i < 6; i++) {
		accord_report *r = NULL;
		accord_error err;
		size_t p = (k + (size_t)i) % 3;
		if (accord_verify(pkgs[p], &opt, &r, &err) != ACCORD_OK || r->status != want[p])
			bad++;
		accord_report_free(r);
	}
	return (void *)bad;
}
int main(void)
{
	pthread_t t[6];
	accord_error err;
	size_t bad = 0;
	if (accord_init(&err) != ACCORD_OK)
		return 2;
	for (size_t k = 0; k < 6; k++)
		pthread_create(&t[k], NULL, run, (void *)k);
	for (size_t k = 0; k < 6; k++) {
		void *b;
		pthread_join(t[k], &b);
		bad += (size_t)b;
	}
	accord_deinit();
	printf("%zu wrong\n", bad);
	return bad != 0;
}
EOF_C
if $CC -Wall -Wextra -Werror -pthread -o threads threads.c $(pkg-config --cflags --libs accord) >threads.out 2>&1 &&
	LD_LIBRARY_PATH="$lib" ./threads >>threads.out 2>&1; then
	pass "36 verifications in 6 threads at once each give the verdict of the package (valid, invalid, incomplete)"
else
	fail "verifications in several threads at once"
	sed 's/^/    /' threads.out | head -10
fi

# Uninstall takes back everything install put there.
setup "make uninstall" mk uninstall DESTDIR="$stage" PREFIX=/usr
left=$(find "$stage" ! -type d | sed "s|^$stage||")
expect "make uninstall removes every installed file${left:+ (left:$(echo $left))}" [ -z "$left" ]
