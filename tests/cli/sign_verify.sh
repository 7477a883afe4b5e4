#!/bin/sh
# tests/cli/sign_verify.sh — the heart of accord: alice signs, bob signs, the notary
# countersigns alice's signature, verify says who signed; then tampering, a removed
# signature file, untrusted and expired certificates, and refusals that change nothing.
. "$(dirname "$0")/../lib.sh"
cd "$T"
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
sha() { sha256sum "$1" | cut -d' ' -f1; }
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }

# An organisational CA issues the parties' certificates.
ok "the CA is created" accord keys ca --name "Joint CSIRT CA" --org "Joint CSIRT" --country EU \
	--out ca --passphrase-file pass
for who in alice bob notary; do
	ok "$who's certificate is issued" accord keys issue --ca-key ca.key --ca-cert ca.crt \
		--ca-passphrase-file pass --name "$who" --org "Ministry of $who" --country FR \
		--email "$who@example.org" --out "$who" --passphrase-file pass
done
ok "rsa signer's certificate is issued" accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --name carol --org "CERT Carol" --country DE --algo rsa3072 \
	--out carol --passphrase-file pass
ok "ed25519 signer's certificate is issued" accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --name dave --org "CERT Dave" --country IT --algo ed25519 \
	--out dave --passphrase-file pass

printf 'Draft agreement on incident information sharing.\nArticle 1: The parties share.\n' >draft.txt
printf 'Annex: contact points\n' >"annex one.txt"
ok "a package with two declared parties is packed" accord pack -o treaty.asice --kind agreement \
	--title "Cooperation agreement" --ref "2026/17" --party alice.crt --party bob.crt \
	draft.txt "annex one.txt"

refuses "an unsigned package is incomplete" 2 "MISSING +alice" accord verify treaty.asice --trust ca.crt

accord sign treaty.asice --key alice.key --cert alice.crt --passphrase-file pass \
	--role "Head of CSIRT" --place "Paris,FR" --commitment approval >sa.out 2>&1
expect "alice signs" [ $? -eq 0 ]
A=$(sigid sa.out)
expect "sign prints the new signature Id" [ -n "$A" ]
refuses "after alice only, bob is missing (exit 2)" 2 "MISSING +bob" accord verify treaty.asice --trust ca.crt
output_has "alice's signature shows her role, place and commitment" "role: Head of CSIRT" \
	sh -c "\"$ACCORD_BIN\" verify treaty.asice --trust ca.crt; true"
output_has "the place is reported" "place: Paris, FR" sh -c "\"$ACCORD_BIN\" verify treaty.asice --trust ca.crt; true"

accord sign treaty.asice --key bob.key --cert bob.crt --passphrase-file pass >sb.out 2>&1
expect "bob signs" [ $? -eq 0 ]
B=$(sigid sb.out)
output_has "both parties signed: valid and complete (exit 0)" "VALID and COMPLETE" \
	accord verify treaty.asice --trust ca.crt
expect "the signatures are in two files" [ "$(unzip -Z1 treaty.asice | grep -c 'META-INF/signatures[0-9]*.xml')" = 2 ]
expect "unzip -t accepts the signed container" unzip -tq treaty.asice

output_has "the notary countersigns alice's signature (warned that DigiDoc cannot open it)" \
	"warning: DigiDoc .*cannot open a package with a countersignature" \
	accord countersign treaty.asice --signature "$A" \
	--key notary.key --cert notary.crt --passphrase-file pass --role Notary
output_has "the countersignature is shown under alice's signature" "    countersignature CS-[0-9a-f]+  TOTAL-PASSED" \
	accord verify treaty.asice --trust ca.crt
accord verify treaty.asice --trust ca.crt --json >v.json
json_valid "verify --json validates against docs/accord-verify-1.schema.json" verify v.json
expect "--json is valid JSON with the countersignature" python3 -c "
import json,sys
r=json.load(open('v.json'))
assert r['status']=='valid' and r['quorum_met'] is True
cs=[s for s in r['signatures'] if s.get('countersigns')]
assert len(cs)==1 and cs[0]['countersigns']=='$A' and cs[0]['indication']=='TOTAL-PASSED'
assert sorted(p['name'] for p in r['parties'] if p['signed'])==['alice','bob']
assert any('annex one.txt' in s['covers'] for s in r['signatures'])
assert [s['party'] for s in r['signatures'] if s['id']=='$A']==['alice'] and cs[0]['party'] is None
"
accord list treaty.asice --json >l.json
json_valid "list --json validates against docs/accord-list-1.schema.json" list l.json
refuses "countersigning an unknown Id is refused" 3 "no signature with this Id" \
	accord countersign treaty.asice --signature S-nothere --key notary.key --cert notary.crt --passphrase-file pass

# xmlsec1, an independent XML-DSig implementation, verifies what accord signed.
mkdir x && (cd x && unzip -q ../treaty.asice)
for f in x/META-INF/signatures*.xml; do
	(cd x && xmlsec1 --verify --trusted-pem ../ca.crt --enabled-reference-uris empty,same-doc,local,remote \
		--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties "${f#x/}") >xs.out 2>&1
	if grep -q CounterSignature "$f"; then
		# xmlsec1 checks the first ds:Signature of the file: the master's
		expect "xmlsec1 verifies $(basename "$f") (with a countersignature inside)" grep -q '^OK' xs.out
	else
		expect "xmlsec1 verifies $(basename "$f")" grep -q '^OK' xs.out
	fi
done

# RSA (PKCS#1 v1.5 and PSS) and Ed25519 signers.
cp treaty.asice multi.asice
ok "carol signs with RSA" accord sign multi.asice --key carol.key --cert carol.crt --passphrase-file pass
ok "carol signs again with RSA-PSS (--force: the same signer twice)" accord sign multi.asice --key carol.key --cert carol.crt --passphrase-file pass --rsa-pss --force
ok "dave signs with Ed25519" accord sign multi.asice --key dave.key --cert dave.crt --passphrase-file pass
accord verify multi.asice --trust ca.crt --json >m.json
json_valid "verify --json of RSA, RSA-PSS and Ed25519 signatures validates" verify m.json
expect "RSA, RSA-PSS and Ed25519 signatures verify" python3 -c "
import json
r=json.load(open('m.json'))
m=sorted(s['signature_method'].split('#')[1] for s in r['signatures'] if s['indication']=='TOTAL-PASSED')
assert m==['ecdsa-sha256','ecdsa-sha256','ecdsa-sha256','eddsa-ed25519','rsa-sha256','sha256-rsa-MGF1'], m
"
expect "undeclared signers are reported as such" grep -q "not a declared party" \
	"$(accord verify multi.asice --trust ca.crt >m.txt; echo m.txt)"
mkdir y && (cd y && unzip -q ../multi.asice)
f=$(grep -l 'rsa-sha256' y/META-INF/signatures*.xml | head -1)
(cd y && xmlsec1 --verify --trusted-pem ../ca.crt --enabled-reference-uris empty,same-doc,local,remote \
	--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties "${f#y/}") >xs.out 2>&1
expect "xmlsec1 verifies carol's RSA signature" grep -q '^OK' xs.out

# Tampering: one flipped byte in a document.
$ZIPEDIT treaty.asice tampered.asice --flip draft.txt 5
refuses "a flipped byte fails verification naming the document (exit 1)" 1 \
	"HASH_FAILURE.*|document 'draft.txt' does not match" accord verify tampered.asice --trust ca.crt
accord verify tampered.asice --trust ca.crt --json >t.json
json_valid "verify --json of the tampered package validates" verify t.json
mkdir z && (cd z && unzip -q ../tampered.asice)
(cd z && xmlsec1 --verify --trusted-pem ../ca.crt --enabled-reference-uris empty,same-doc,local,remote \
	--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties META-INF/signatures0.xml) >xs.out 2>&1
# Positively: xmlsec1 ran and said FAIL (a missing xmlsec1 must not pass as a rejection).
expect "xmlsec1 also rejects the tampered document" sh -c 'grep -q "^FAIL" xs.out && ! grep -q "^OK" xs.out'

# A signature file removed: bob shows up as missing, not as silence.
bobfile=$(cd x && grep -l "$B" META-INF/signatures*.xml)
$ZIPEDIT treaty.asice nobob.asice --delete "$bobfile"
refuses "a removed signature file shows the party as missing (exit 2)" 2 "MISSING +bob" \
	accord verify nobob.asice --trust ca.crt

# Trust and time.
refuses "without trust anchors the signatures are indeterminate" 2 "NO_CERTIFICATE_CHAIN_FOUND" \
	accord verify treaty.asice --no-trust-store
refuses "checked as of a time after expiry, the certificate is out of bounds" 2 "OUT_OF_BOUNDS_NO_POE" \
	accord verify treaty.asice --trust ca.crt --at 2099-01-01T00:00:00Z
refuses "checked before the certificate existed, it is not yet valid" 2 "NOT_YET_VALID" \
	accord verify treaty.asice --trust ca.crt --at 2001-01-01T00:00:00Z

# Failed signing changes nothing.
before=$(sha treaty.asice)
passfile wrong wrong
refuses "a wrong passphrase is refused" 1 "passphrase" accord sign treaty.asice --key alice.key --cert alice.crt --passphrase-file wrong
refuses "a key that does not match the certificate is refused" 1 "match" accord sign treaty.asice --key alice.key --cert bob.crt --passphrase-file pass
expect "the package is byte-identical after failed signing" [ "$(sha treaty.asice)" = "$before" ]
expect "no temporary file is left behind" [ -z "$(ls -A . | grep accord-tmp)" ]

# accord list shows who signed what, with the Ids countersign takes.
output_has "list shows alice's signature Id and signer" "$A +by alice at" accord list treaty.asice
output_has "list shows the countersignature under it" "countersigns $A +by notary" accord list treaty.asice

# A quorum: three declared parties, two of whom must sign.
accord pack -o q.asice --kind agreement --party alice.crt --party bob.crt --party carol.crt \
	--quorum 2 draft.txt >/dev/null
accord sign q.asice --key alice.key --cert alice.crt --passphrase-file pass >/dev/null
refuses "quorum 2 of 3: one signature is not enough" 2 "1 of 2 required declared parties" \
	accord verify q.asice --trust ca.crt
accord sign q.asice --key carol.key --cert carol.crt --passphrase-file pass >/dev/null
output_has "quorum 2 of 3: two parties make the package complete, bob still listed as missing" \
	"MISSING +bob" accord verify q.asice --trust ca.crt
output_has "and the result is valid and complete" "VALID and COMPLETE" accord verify q.asice --trust ca.crt
refuses "a quorum larger than the parties is refused at pack time" 3 "quorum" \
	accord pack -o q2.asice --party alice.crt --quorum 3 draft.txt

# A countersignature can itself be endorsed (found by the same Id search as signatures).
CS=$(accord list treaty.asice | sed -n "s/^ *\(CS-[0-9a-f]*\) *countersigns $A .*/\1/p" | head -1)
ok "carol endorses the notary's countersignature $CS" accord countersign treaty.asice --signature "$CS" \
	--key carol.key --cert carol.crt --passphrase-file pass
output_has "the endorsement is shown under the countersignature it covers" \
	"        countersignature CS-[0-9a-f]+  TOTAL-PASSED" accord verify treaty.asice --trust ca.crt
output_has "list says which countersignature it endorses" "countersigns $CS +by carol" accord list treaty.asice

# A certificate that may not sign is refused when signing and when packing (issue #11):
# the CA's own (keyCertSign only), a TSA's (timestamping only), and a CA certificate that
# also allows digitalSignature (basicConstraints CA:TRUE).
openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null
openssl req -x509 -new -key ca-plain.pem -sha256 -days 30 -subj "/CN=Signing CA" \
	-addext basicConstraints=critical,CA:true -addext keyUsage=critical,digitalSignature,keyCertSign \
	-out ca-ds.crt >/dev/null 2>&1
cp draft.txt unfit.txt
accord pack -o unfit.asice unfit.txt >/dev/null
cp unfit.asice unfit.before
refuses "sign refuses the CA's certificate (no digitalSignature or nonRepudiation)" 1 "not for signing" \
	accord sign unfit.asice --key ca.key --cert ca.crt --passphrase-file pass
refuses "sign refuses a CA certificate that also allows digitalSignature" 1 "CA certificate" \
	accord sign unfit.asice --key ca.key --cert ca-ds.crt --passphrase-file pass
refuses "countersign refuses the CA's certificate" 1 "not for signing" \
	accord countersign treaty.asice --signature "$A" --key ca.key --cert ca.crt --passphrase-file pass
expect "the refused signatures left the package unchanged" cmp -s unfit.asice unfit.before
refuses "pack refuses the CA's certificate as a party" 1 "not for signing" \
	accord pack -o unfit2.asice --party ca.crt unfit.txt
refuses "pack refuses a CA certificate that allows digitalSignature as a party" 1 "CA certificate" \
	accord pack -o unfit3.asice --party ca-ds.crt unfit.txt
expect "no package was written by the refused packs" [ ! -e unfit2.asice -a ! -e unfit3.asice ]

# Signing must not make things worse (issue #11): sign and countersign check the
# signatures already there first and refuse, naming the failing one, unless --force.
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
accord pack -o worse.asice draft.txt >/dev/null
accord sign worse.asice --key alice.key --cert alice.crt --passphrase-file pass >worse.out
WA=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' worse.out)
printf 'Changed after signing.\n' >changed.txt
$ZIPEDIT worse.asice worse-changed.asice --set draft.txt changed.txt
cp worse-changed.asice worse-changed.before
refuses "sign refuses a package whose signature fails, naming it" 1 "signature $WA .*fails.*HASH_FAILURE" \
	accord sign worse-changed.asice --key bob.key --cert bob.crt --passphrase-file pass
refuses "countersign refuses it too" 1 "signature $WA .*fails" \
	accord countersign worse-changed.asice --signature "$WA" --key bob.key --cert bob.crt --passphrase-file pass
expect "the refused writes left the package unchanged" cmp -s worse-changed.asice worse-changed.before
ok "sign --force signs anyway" accord sign worse-changed.asice --key bob.key --cert bob.crt --passphrase-file pass --force
refuses "and verify still says INVALID for alice's signature" 1 "INVALID" accord verify worse-changed.asice --trust ca.crt
ok "control: a sound package is signed without --force" accord sign worse.asice --key bob.key --cert bob.crt --passphrase-file pass

# The report tells the truth plainly (issue #11): with the CA missing, a declared party's
# signature is "signed, not confirmed", not MISSING; its documents are covered by a
# signature that could not be confirmed; signatures and countersignatures are counted
# apart; a signer shows O, C, issuer and a short fingerprint.
accord pack -o plain.asice --party alice.crt --party bob.crt draft.txt >/dev/null
accord sign plain.asice --key alice.key --cert alice.crt --passphrase-file pass >pa.out
PA=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' pa.out)
accord countersign plain.asice --signature "$PA" --key bob.key --cert bob.crt --passphrase-file pass >/dev/null 2>&1
accord verify plain.asice --no-trust-store >plain.out 2>&1
expect "without the CA, alice is 'signed, not confirmed' with her signature and the reason" \
	grep -Eq "signed, not confirmed +alice +\\($PA, INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND" plain.out
expect "bob, who only countersigned, is MISSING" grep -Eq "MISSING +bob" plain.out
expect "the document is covered by a signature that could not be confirmed" \
	grep -Eq "draft.txt +covered by a signature that could not be confirmed" plain.out
expect "one signature and one countersignature are counted apart" \
	grep -q "^result: INDETERMINATE: 1 signature and 1 countersignature could not be confirmed" plain.out
expect "the signer line names O, C, the issuer and a fingerprint" \
	grep -Eq "Ministry of alice, FR, issued by Joint CSIRT CA, SHA-256 [0-9a-f]{16}" plain.out
accord pack -o plain2.asice draft.txt >/dev/null
accord sign plain2.asice --key alice.key --cert alice.crt --passphrase-file pass >pb.out
PB=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' pb.out)
accord countersign plain2.asice --signature "$PB" --key bob.key --cert bob.crt --passphrase-file pass >/dev/null 2>&1
output_has "with the CA: 1 valid signature and 1 valid countersignature" \
	"^result: VALID and COMPLETE: 1 valid signature and 1 valid countersignature" accord verify plain2.asice --trust ca.crt
# A missing anchor is named, with how to trust it (not GnuTLS's raw text).
accord keys ca --name "Unrelated CA" --out unrelated --passphrase-file pass >/dev/null 2>&1
output_has "a missing issuer is named, with how to add it" \
	"no trust anchor or verifiable issuer for '.*Joint CSIRT CA.*'.*accord keys trust" \
	sh -c "\"$ACCORD_BIN\" verify plain2.asice --trust unrelated.crt --no-trust-store; true"
output_has "verify says which trust anchors it used" \
	"^trust anchors: 1 given \\(--trust\\), 0 from the trust store \\(not read\\), 0 from trusted lists" \
	accord verify plain2.asice --trust ca.crt --no-trust-store

# The key is decrypted on a second thread while the package is hashed (issue #12): a
# wrong passphrase or a key that is not the certificate's still fails before anything is
# written, and before what is wrong with the package.
passfile wrongpass 'not the passphrase'
accord pack -o bg.asice draft.txt >/dev/null
cp bg.asice bg.before
refuses "sign: a wrong passphrase fails (decrypted while hashing)" 1 "wrong passphrase" \
	accord sign bg.asice --key alice.key --cert alice.crt --passphrase-file wrongpass
refuses "sign: a key that is not the certificate's fails" 1 "does not match" \
	accord sign bg.asice --key alice.key --cert bob.crt --passphrase-file pass
expect "refused signatures wrote nothing (the package as it was, no temporary left)" sh -c \
	"cmp -s bg.asice bg.before && ! ls -a | grep -q 'accord-tmp'"
refuses "sign: the wrong passphrase is reported before a missing package" 1 "wrong passphrase" \
	accord sign missing.asice --key alice.key --cert alice.crt --passphrase-file wrongpass
refuses "countersign: a wrong passphrase fails" 1 "wrong passphrase" \
	accord countersign plain2.asice --signature "$PB" --key bob.key --cert bob.crt --passphrase-file wrongpass
ok "sign with the key decrypted while hashing" accord sign bg.asice --key alice.key --cert alice.crt --passphrase-file pass
output_has "that signature verifies" "VALID" accord verify bg.asice --trust ca.crt
