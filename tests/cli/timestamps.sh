#!/bin/sh
# tests/cli/timestamps.sh — XAdES B-T: signatures timestamped by accord's own TSA (local
# folder and HTTP), verify reports the trusted time; a replayed token, an untrusted TSA,
# revocation before and after the timestamp.
. "$(dirname "$0")/../lib.sh"
cd "$T"
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }
ZIPEDIT="python3 $TESTS/tools/zipedit.py"

accord keys ca --name "TS CA" --out ca --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass >/dev/null 2>&1
ok "a TSA issued by the CA is set up" accord tsa init --dir tsa --name "Closed-network TSA" \
	--ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
accord keys ca --name "Other CA" --out other --passphrase-file pass >/dev/null 2>&1
ok "an untrusted TSA is set up" accord tsa init --dir rogue --name "Rogue TSA" --passphrase-file pass

printf 'Incident report: outage of 2026-11-20.\n' >ir.txt
accord pack -o ir.asice --kind incident-report --party alice.crt --party bob.crt ir.txt >/dev/null
accord sign ir.asice --key alice.key --cert alice.crt --passphrase-file pass \
	--tsa-dir tsa --tsa-passphrase-file pass >sa.out 2>&1
expect "alice signs with a timestamp from the local TSA" [ $? -eq 0 ]
SA=$(sigid sa.out)
expect "the signature file holds a SignatureTimeStamp" sh -c "unzip -p ir.asice META-INF/signatures0.xml | grep -q 'SignatureTimeStamp'"
output_has "verify reports the trusted time and its source" "certificate checked at: .* \\(timestamped\\)" \
	sh -c "\"$ACCORD_BIN\" verify ir.asice --trust ca.crt; true"
output_has "verify names the timestamp authority" "timestamp: .* by Closed-network TSA" \
	sh -c "\"$ACCORD_BIN\" verify ir.asice --trust ca.crt; true"

# The token itself is a valid RFC 3161 token for openssl.
unzip -p ir.asice META-INF/signatures0.xml | python3 -c "
import sys,re,base64
x=sys.stdin.read()
open('token.der','wb').write(base64.b64decode(re.search(r'EncapsulatedTimeStamp>([^<]*)<',x).group(1)))"
expect "openssl cms parses the embedded token" sh -c "openssl cms -cmsout -inform DER -in token.der -print -noout 2>/dev/null | grep -q 'id-smime-ct-TSTInfo'"

# HTTP: accord tsa serve on a free loopback port, started and stopped here.
"$ACCORD_BIN" tsa serve --dir tsa --listen 127.0.0.1:0 --passphrase-file pass >/dev/null 2>serve.err &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ $i -lt 120 ] && ! grep -q 'listening on' serve.err; do sleep 0.25; i=$((i + 1)); done
ADDR=$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' serve.err | head -1)
expect "the TSA server is listening" [ -n "$ADDR" ]
ok "bob signs with a timestamp over HTTP" accord sign ir.asice --key bob.key --cert bob.crt \
	--passphrase-file pass --tsa "http://$ADDR/"
kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null
output_has "both timestamped signatures verify: valid and complete" "VALID and COMPLETE" \
	accord verify ir.asice --trust ca.crt
refuses "a TSA that does not answer gives a clear error" 3 "127.0.0.1" \
	accord sign ir.asice --key bob.key --cert bob.crt --passphrase-file pass --force --tsa "http://$ADDR/"

# A token from an untrusted TSA.
accord pack -o r.asice --party alice.crt ir.txt >/dev/null
ok "alice signs with the rogue TSA" accord sign r.asice --key alice.key --cert alice.crt \
	--passphrase-file pass --tsa-dir rogue --tsa-passphrase-file pass
refuses "a token from an untrusted TSA is not accepted" 2 "NO_CERTIFICATE_CHAIN_FOUND" \
	accord verify r.asice --trust ca.crt

# A token replayed from another signature: alice's token pasted into bob's signature.
mkdir x && (cd x && unzip -q ../ir.asice)
python3 - <<'PY'
import re
a=open('x/META-INF/signatures0.xml').read()
b=open('x/META-INF/signatures1.xml').read()
ta=re.search(r'<xades:EncapsulatedTimeStamp>[^<]*<',a).group(0)
b=re.sub(r'<xades:EncapsulatedTimeStamp>[^<]*<',ta,b)
open('replayed.xml','w').write(b)
PY
$ZIPEDIT ir.asice replay.asice --set META-INF/signatures1.xml replayed.xml
refuses "a token replayed from another signature fails (HASH_FAILURE)" 1 "HASH_FAILURE" \
	accord verify replay.asice --trust ca.crt

# Revocation is judged as of the trusted time.
ok "a CRL revoking alice long after the timestamp" accord keys revoke --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --out late.crl --at 2099-01-01T00:00:00Z alice.crt
output_has "revoked after the timestamp: still valid" "VALID and COMPLETE" \
	accord verify ir.asice --trust ca.crt --crl late.crl
ok "a CRL revoking alice before the timestamp" accord keys revoke --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --out early.crl --at 2001-01-01T00:00:00Z alice.crt
refuses "revoked before the timestamp: not valid" 2 "REVOKED" \
	accord verify ir.asice --trust ca.crt --crl early.crl

# Air gap: request a timestamp for an existing B-B signature, stamp it elsewhere, attach.
accord pack -o gap.asice --party alice.crt ir.txt >/dev/null
accord sign gap.asice --key alice.key --cert alice.crt --passphrase-file pass >sg.out 2>&1
G=$(sigid sg.out)
unzip -p gap.asice META-INF/signatures0.xml | python3 -c "
import sys,re; x=sys.stdin.read(); print(re.search(r'<xades:SignedProperties.*</xades:SignedProperties>',x,re.S).group(0))" >signed-before.txt
output_has "timestamp request names the newest signature" "request for signature $G" \
	accord timestamp request gap.asice --out gap.tsq
expect "openssl reads the request" sh -c "openssl ts -query -in gap.tsq -text 2>/dev/null | grep -q 'Hash Algorithm: sha256'"
ok "the TSA answers the request file" accord tsa stamp --dir tsa --request gap.tsq --out gap.tsr --passphrase-file pass
refuses "a reply for other data is refused" 1 "does not timestamp" \
	accord timestamp attach ir.asice --reply gap.tsr --signature "$SA"
ok "the reply is attached" accord timestamp attach gap.asice --reply gap.tsr --signature "$G"
unzip -p gap.asice META-INF/signatures0.xml | python3 -c "
import sys,re; x=sys.stdin.read(); print(re.search(r'<xades:SignedProperties.*</xades:SignedProperties>',x,re.S).group(0))" >signed-after.txt
expect "the signed part of the signature is unchanged" cmp -s signed-before.txt signed-after.txt
output_has "the upgraded signature verifies with a trusted time" "certificate checked at: .* \\(timestamped\\)" \
	accord verify gap.asice --trust ca.crt
refuses "timestamp request for an unknown Id" 3 "no signature with this Id" \
	accord timestamp request gap.asice --signature S-none --out x.tsq

# Countersignatures can be timestamped the same way.
ok "the notary's countersignature is timestamped by the local TSA" accord countersign gap.asice \
	--signature "$G" --key bob.key --cert bob.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
output_has "the countersignature shows its timestamp" "    countersignature CS-.*TOTAL-PASSED" \
	accord verify gap.asice --trust ca.crt
expect "the countersignature carries its own SignatureTimeStamp" sh -c \
	"[ \$(unzip -p gap.asice META-INF/signatures0.xml | grep -o 'SignatureTimeStamp Id' | wc -l) = 2 ]"

# A certificate that expires after the timestamp: still valid, judged at genTime; the same
# certificate without a timestamp is judged now and is out of bounds.
openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null
certtool --generate-privkey --key-type ecdsa --no-text --outfile short.pem >/dev/null 2>&1
chmod 600 short.pem ca-plain.pem
t0=$(date -u +%s)
printf 'cn = "short"\nactivation_date = "%s"\nexpiration_date = "%s"\nsigning_key\n' \
	"$(date -u -d @$((t0 - 60)) '+%Y-%m-%d %H:%M:%S')" "$(date -u -d @$((t0 + 15)) '+%Y-%m-%d %H:%M:%S')" >short.tmpl
TZ=UTC certtool --generate-certificate --load-privkey short.pem --load-ca-certificate ca.crt \
	--load-ca-privkey ca-plain.pem --template short.tmpl --outfile short.crt >/dev/null 2>&1
accord pack -o exp.asice ir.txt >/dev/null
ok "a signer whose certificate expires in 15 seconds signs with a timestamp" accord sign exp.asice \
	--key short.pem --cert short.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
accord pack -o expbb.asice ir.txt >/dev/null
ok "and signs another package without one" accord sign expbb.asice --key short.pem --cert short.crt --passphrase-file pass
while [ "$(date -u +%s)" -le $((t0 + 16)) ]; do sleep 1; done
expect "the certificate has expired now" sh -c "! openssl x509 -in short.crt -noout -checkend 0 >/dev/null"
output_has "expired after the trusted timestamp: the signature still verifies" "VALID and COMPLETE" \
	accord verify exp.asice --trust ca.crt
refuses "without a timestamp the expired certificate is out of bounds" 2 "OUT_OF_BOUNDS_NO_POE" \
	accord verify expbb.asice --trust ca.crt
