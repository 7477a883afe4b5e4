#!/bin/sh
# tests/cli/regressions.sh — defects found by review, each replayed: a nested
# countersignature once read freed memory; a plain signature passed off as a
# countersignature; a CRL ignored among many anchors; a second timestamp broke its file;
# extend dropped CRLs on LT signatures; repeated properties leaked; limits unchecked;
# control characters forged report lines.
. "$(dirname "$0")/../lib.sh"
cd "$T"
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }

accord keys ca --name "Reg CA" --out ca --passphrase-file pass >/dev/null 2>&1
for who in alice bob notary witness; do
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name $who --out $who --passphrase-file pass >/dev/null 2>&1
done
accord tsa init --dir tsa --name "Reg TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass >/dev/null 2>&1
printf 'text\n' >a.txt
accord pack -o p.asice --party alice.crt a.txt >/dev/null
accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass >sa.out
A=$(sigid sa.out)
accord countersign p.asice --signature "$A" --key notary.key --cert notary.crt --passphrase-file pass >/dev/null
accord countersign p.asice --signature "$A" --key witness.key --cert witness.crt --passphrase-file pass >/dev/null
output_has "two countersignatures verify" "VALID and COMPLETE" accord verify p.asice --trust ca.crt

# 1. A countersignature nested inside the first one, with a second one after it.
unzip -p p.asice META-INF/signatures0.xml >s0.xml
python3 - <<'PY'
import re
x=open('s0.xml').read()
cs=re.findall(r'<xades:CounterSignature>(.*?)</xades:CounterSignature>',x,re.S)
inner=re.sub(r'(Id|URI|Target|ObjectReference)="(#?)(CS-)',r'\1="\2N\3',cs[1])
first=cs[0]
nested=first.replace('</xades:SignedProperties>','</xades:SignedProperties><xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:CounterSignature>'+inner+'</xades:CounterSignature></xades:UnsignedSignatureProperties></xades:UnsignedProperties>',1)
open('nested.xml','w').write(x.replace(first,nested,1))
PY
$ZIPEDIT p.asice nested.asice --set META-INF/signatures0.xml nested.xml
refuses "a nested countersignature pointing past its holder is refused, without a crash" 1 \
	"countersignature reference .* is not the SignatureValue" accord verify nested.asice --trust ca.crt

# 2. An ordinary signature moved under another one's CounterSignature.
accord pack -o q.asice --party alice.crt a.txt >/dev/null
accord sign q.asice --key alice.key --cert alice.crt --passphrase-file pass >/dev/null
accord sign q.asice --key bob.key --cert bob.crt --passphrase-file pass >/dev/null
unzip -p q.asice META-INF/signatures0.xml >q0.xml
unzip -p q.asice META-INF/signatures1.xml >q1.xml
python3 - <<'PY'
import re
a=open('q0.xml').read(); b=open('q1.xml').read()
bob=re.search(r'<ds:Signature .*</ds:Signature>',b,re.S).group(0)
a=a.replace('</xades:SignedProperties>','</xades:SignedProperties><xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:CounterSignature>'+bob+'</xades:CounterSignature></xades:UnsignedSignatureProperties></xades:UnsignedProperties>',1)
open('moved.xml','w').write(a)
PY
$ZIPEDIT q.asice moved.asice --set META-INF/signatures0.xml moved.xml --delete META-INF/signatures1.xml
refuses "a signature that does not cover its master is no countersignature" 1 \
	"exactly one CountersignedSignature reference" accord verify moved.asice --trust ca.crt

# 3. A CRL whose issuer comes after 48 other anchors still counts.
i=0
while [ $i -lt 48 ]; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
		-subj "/CN=Filler CA $i" -days 30 2>/dev/null
	i=$((i + 1))
done >bundle.pem
cat ca.crt >>bundle.pem
expect "the bundle holds 49 anchors" [ "$(grep -c 'BEGIN CERTIFICATE' bundle.pem)" = 49 ]
accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out alice.crl alice.crt >/dev/null 2>&1
refuses "a revoked signer is caught among 49 anchors" 2 "REVOKED" \
	accord verify q.asice --trust bundle.pem --crl alice.crl --no-trust-store

# 4. Two timestamps on one signature.
accord pack -o t.asice --party alice.crt a.txt >/dev/null
accord sign t.asice --key alice.key --cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass >t.out
TS=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' t.out)
accord timestamp request t.asice --signature "$TS" --out t.tsq >/dev/null
accord tsa stamp --dir tsa --request t.tsq --out t.tsr --passphrase-file pass >/dev/null
ok "a second timestamp is attached" accord timestamp attach t.asice --reply t.tsr --signature "$TS"
expect "the signature now holds two SignatureTimeStamps" sh -c \
	"[ \$(unzip -p t.asice META-INF/signatures0.xml | grep -o '<xades:SignatureTimeStamp ' | wc -l) = 2 ]"
output_has "and still verifies" "VALID and COMPLETE" accord verify t.asice --trust ca.crt

# 5. extend --crl on a signature that is already LT.
ok "extend to LT" accord extend t.asice --level LT --trust ca.crt
refuses "extend LT again with nothing new says so" 3 "already carry LT data" accord extend t.asice --level LT --trust ca.crt
ok "extend LT again with a CRL adds it" accord extend t.asice --level LT --trust ca.crt --crl alice.crl
expect "the CRL is embedded" sh -c "unzip -p t.asice META-INF/signatures0.xml | grep -q EncapsulatedCRLValue"

# 6. Repeated signed properties are refused (they used to leak).
python3 - <<'PY'
x=open('q0.xml').read()
import re
role='<xades:SignerRoleV2><xades:ClaimedRoles><xades:ClaimedRole>A</xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRoleV2>'
x=x.replace('</xades:SigningCertificateV2>','</xades:SigningCertificateV2>'+role+role,1)
open('roles.xml','w').write(x)
PY
$ZIPEDIT q.asice roles.asice --set META-INF/signatures0.xml roles.xml
refuses "a repeated SignerRole is refused" 1 "repeated SignerRole" accord verify roles.asice --trust ca.crt

# 10. Limits on the command line are checked.
refuses "a limit that is not a number is a usage error" 3 "not a positive number" \
	accord verify q.asice --max-entries lots
refuses "a zero limit is a usage error" 3 "not a positive number" accord verify q.asice --max-ratio 0

# 11. Control characters in a title cannot forge report lines.
accord pack -o f.asice --title "$(printf 'x\nresult: VALID and COMPLETE')" a.txt >/dev/null
accord verify f.asice --trust ca.crt >f.out 2>&1
expect "the report has exactly one result line" [ "$(grep -c '^result:' f.out)" = 1 ]
expect "the newline is shown escaped" grep -q 'x\\x0aresult' f.out
