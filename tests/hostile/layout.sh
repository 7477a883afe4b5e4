#!/bin/sh
# tests/hostile/layout.sh — the tolerant reading must never turn into a false "valid": a
# package accord signed gets an unsigned file added (tests/tools/relayout.py), listed in
# the manifest or not, alone or with a tolerated layout problem; each must show the file
# NOT COVERED and exit 2 (incomplete), --strict included, never VALID.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || { skip "hostile layout: python3 is not installed"; exit 0; }
relayout="$TESTS/tools/relayout.py"
cd "$T" || exit 1
SETUP_PREFIX="hostile layout: "
setup "CA" accord keys ca --name "Layout CA" --out ca --passphrase-file pass
setup "alice" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--name alice --out alice --passphrase-file pass
printf 'Draft agreement.\n' >draft.txt
setup "pack" accord pack -o p.asice --kind agreement --title "Layout" --party alice.crt draft.txt
setup "sign" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass

not_covered() { # NAME FILE [FLAGS]: exit 2, the added file NOT COVERED, never VALID
	n=$1; f=$2; shift 2
	accord verify "$@" "$f" --trust ca.crt --no-trust-store >"$T/.out" 2>&1
	got=$?
	if [ $got = 2 ] && grep -Eq "^  added\.txt +NOT COVERED by a valid signature" "$T/.out" &&
		grep -q "^result: INCOMPLETE: 'added.txt' is not covered" "$T/.out" &&
		! grep -q "VALID and COMPLETE" "$T/.out"; then
		pass "hostile layout: $n"
	else
		fail "hostile layout: $n (exit $got, wanted 2, added.txt NOT COVERED, never VALID)"
		sed 's/^/    /' "$T/.out" | tail -15
	fi
}

setup "extra-unlisted" python3 "$relayout" p.asice unlisted.asice extra-unlisted
not_covered "an unsigned file the manifest does not list is NOT COVERED (exit 2)" unlisted.asice
not_covered "the same under --strict is still incomplete (exit 2)" unlisted.asice --strict
refuses "hostile layout: the unlisted file is also a warning naming the manifest rule" 2 \
	"rule: ETSI EN 319 162-1 4.4.2: META-INF/manifest.xml lists every data file" \
	accord verify unlisted.asice --trust ca.crt --no-trust-store
setup "extra-listed" python3 "$relayout" p.asice listed.asice extra-listed
not_covered "an unsigned file listed in the manifest is NOT COVERED (exit 2)" listed.asice
setup "compressed + extra" python3 "$relayout" unlisted.asice both.asice mimetype-compressed
not_covered "an unsigned file beside a compressed mimetype is NOT COVERED (exit 2)" both.asice
# The added file named like a signed one but for case: refused as a collision, never read.
setup "extra DRAFT.txt" python3 "$relayout" p.asice case.asice extra-unlisted DRAFT.txt
refuses "hostile layout: an added file colliding by case with a signed one is refused" 1 \
	"duplicate entry name" accord verify case.asice --trust ca.crt --no-trust-store
# The added file is a fake signature file: it fails, and the package is INVALID.
setup "extra signature file" python3 "$relayout" p.asice fakesig.asice extra-unlisted \
	META-INF/signatures9.xml
refuses "hostile layout: an added signature file that is not XAdES makes the package INVALID" 1 \
	"TOTAL-FAILED" accord verify fakesig.asice --trust ca.crt --no-trust-store
