#!/bin/sh
# tests/cli/layout.sh — tolerant reading, strict judging: a package accord signed is
# rewritten (python3 zipfile, tests/tools/relayout.py) in each container layout DigiDoc
# and the EU DSS write or accept. verify reads each one, still finds the signature valid
# and names the ETSI EN 319 162-1 rule broken as a warning (exit 0, "VALID and COMPLETE
# ... with N warnings"); --strict makes the warning fail (exit 1); list shows it; the
# writers (sign, countersign, extend, timestamp attach) refuse to write into it.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || { skip "layout: python3 is not installed"; exit 0; }
relayout="$TESTS/tools/relayout.py"
cd "$T" || exit 1

ok "layout: the CA is created" accord keys ca --name "Layout CA" --out ca --passphrase-file pass
for who in alice bob; do
	ok "layout: $who's certificate is issued" accord keys issue --ca-key ca.key --ca-cert ca.crt \
		--ca-passphrase-file pass --name "$who" --out "$who" --passphrase-file pass
done
printf 'Draft agreement.\n' >draft.txt
ok "layout: a package is packed" accord pack -o p.asice --kind agreement --title "Layout" \
	--party alice.crt draft.txt
ok "layout: alice signs" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
output_has "layout: the conformant package is valid with no warning" \
	"^result: VALID and COMPLETE: 1 valid signature, quorum of declared parties met\$" \
	accord verify p.asice --trust ca.crt --no-trust-store

# shape | the rule named | the message (lib.sh's helpers use $words: not these names)
while IFS='|' read -r shape rule msg; do
	[ -n "$shape" ] || continue
	python3 "$relayout" p.asice "$shape.asice" $shape >"$T/.py" 2>&1 ||
		{ fail "layout: $shape: relayout.py"; sed 's/^/    /' "$T/.py"; continue; }
	accord verify "$shape.asice" --trust ca.crt --no-trust-store >"$shape.out" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q "^result: VALID and COMPLETE: .*, with 1 warning\$" "$shape.out" &&
		grep -Fq -- "$rule" "$shape.out" && grep -Fq -- "$msg" "$shape.out"; then
		pass "layout: $shape: verify exit 0, VALID and COMPLETE with 1 warning naming the rule"
	else
		fail "layout: $shape: verify (exit $rc, wanted 0, 1 warning, '$rule' and '$msg')"
		sed 's/^/    /' "$shape.out" | head -30
	fi
	refuses "layout: $shape: verify --strict fails on the warning" 1 \
		"^result: INVALID under --strict: 1 warning" \
		accord verify --strict "$shape.asice" --trust ca.crt --no-trust-store
	expect "layout: $shape: --json has warnings 1, strict false, status valid" python3 -c "
import json, subprocess, sys
r = json.loads(subprocess.run([sys.argv[1], 'verify', '--json', sys.argv[2], '--trust', 'ca.crt',
                               '--no-trust-store'], capture_output=True).stdout)
assert r['status'] == 'valid' and r['exit_code'] == 0 and r['warnings'] == 1, r
assert r['strict'] is False and r['summary'].startswith('VALID and COMPLETE'), r
assert r['findings'][0]['rule'].startswith('ETSI EN 319 162-1'), r['findings']
" "$ACCORD_BIN" "$shape.asice"
	accord verify --json "$shape.asice" --trust ca.crt --no-trust-store >"$shape.json"
	json_valid "layout: $shape: verify --json validates against the schema" verify "$shape.json"
	output_has "layout: $shape: list shows the warning" "$msg" accord list "$shape.asice"
	accord list --json "$shape.asice" >"$shape.list.json"
	json_valid "layout: $shape: list --json validates against the schema" list "$shape.list.json"
	expect "layout: $shape: list --json has the warning" grep -Fq -- "$msg" "$shape.list.json"
	cp "$shape.asice" "$shape.before"
	refuses "layout: $shape: sign refuses to write into it" 1 "mimetype|comment|manifest" \
		accord sign "$shape.asice" --key bob.key --cert bob.crt --passphrase-file pass
	expect "layout: $shape: the refused sign left the file unchanged" cmp -s "$shape.asice" "$shape.before"
done <<'SHAPES'
mimetype-compressed|rule: ETSI EN 319 162-1 A.1: mimetype is stored|mimetype is compressed
mimetype-not-first|rule: ETSI EN 319 162-1 A.1: mimetype is the first entry|not the first entry
mimetype-extra|rule: ETSI EN 319 162-1 A.1: mimetype has no extra field|mimetype has an extra field
mimetype-missing|rule: ETSI EN 319 162-1 4.4.1: a mimetype entry is present|no mimetype entry
mimetype-newline|rule: ETSI EN 319 162-1 4.4.1: mimetype holds exactly|followed by 1 whitespace byte
manifest-ghost|rule: ETSI EN 319 162-1 4.4.2: META-INF/manifest.xml lists only files present|lists 'added.txt', which is not a data file
mimetype-bdoc10|rule: ETSI EN 319 162-1 4.4.1: mimetype holds exactly|BDOC 1.0's 'application/vnd.bdoc-1.0'
manifest-unqualified|rule: ETSI EN 319 162-1 4.4.2 (ODF 1.2 manifest): full-path and media-type are manifest: attributes|without the manifest: namespace
SHAPES

# extract reads tolerantly too: the documents come out, each deviation a warning.
output_has "layout: extract writes the documents of a package whose mimetype is not first, with a warning" \
	"warning: mimetype: .*not the first entry" accord extract -o ex-nf mimetype-not-first.asice
expect "layout: the extracted document is the signed one" cmp -s ex-nf/draft.txt draft.txt

# Another container type in mimetype is still not an ASiC-E container.
python3 "$relayout" p.asice mimetype-other.asice mimetype-other
refuses "layout: a mimetype naming ASiC-S is refused" 1 "another container type" \
	accord verify mimetype-other.asice --trust ca.crt --no-trust-store

# The other writers open strictly too.
sid=$(accord list p.asice | sed -n 's/^  \(S-[0-9a-f]*\) .*/\1/p' | head -1)
refuses "layout: countersign refuses a compressed mimetype" 1 "mimetype must be stored" \
	accord countersign mimetype-compressed.asice --signature "$sid" --key bob.key --cert bob.crt \
	--passphrase-file pass
refuses "layout: extend refuses a mimetype that is not first" 1 "mimetype must be the first entry" \
	accord extend mimetype-not-first.asice --level LT --trust ca.crt
refuses "layout: timestamp request refuses a missing mimetype" 1 "mimetype must be the first entry" \
	accord timestamp request mimetype-missing.asice --out s.tsq

# A zip comment (DigiDoc4j writes "LIB DigiDoc4j/..."): ASiC allows one and only says
# what it should hold, so it is a warning when reading. The writers do not refuse it:
# libzip's rewrite drops the archive comment, so the package they write is conformant.
python3 "$relayout" p.asice comment.asice comment
refuses "layout: comment: verify --strict fails on the zip comment" 1 \
	"^result: INVALID under --strict: 1 warning" \
	accord verify --strict comment.asice --trust ca.crt --no-trust-store
output_has "layout: comment: verify is VALID and COMPLETE with 1 warning naming the rule" \
	"rule: ETSI EN 319 162-1 4.4.1: a zip comment is" accord verify comment.asice --trust ca.crt --no-trust-store
ok "layout: comment: bob signs the package with a zip comment" \
	accord sign comment.asice --key bob.key --cert bob.crt --passphrase-file pass
output_has "layout: comment: the rewritten package has no comment and no warning, both signatures valid" \
	"^result: VALID and COMPLETE: 2 valid signatures, quorum of declared parties met\$" \
	accord verify --strict comment.asice --trust ca.crt --no-trust-store
expect "layout: comment: python3 zipfile sees no comment after the rewrite" python3 -c "
import sys, zipfile
sys.exit(1 if zipfile.ZipFile('comment.asice').comment else 0)"
