#!/bin/sh
# tests/cli/long_term.sh — XAdES B-LT and B-LTA offline: embedded certificate paths and
# CRLs decide without outside data; archive timestamps cover the whole signature and can
# be repeated; changing anything they cover is detected.
. "$(dirname "$0")/../lib.sh"
cd "$T"
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }
ZIPEDIT="python3 $TESTS/tools/zipedit.py"

accord keys ca --name "LT CA" --out ca --passphrase-file pass >/dev/null 2>&1
for who in alice bob spare; do
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name $who --out $who --passphrase-file pass >/dev/null 2>&1
done
accord tsa init --dir tsa --name "LT TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass >/dev/null 2>&1
accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out spare.crl spare.crt >/dev/null 2>&1
printf 'Agreement text.\n' >a.txt
printf 'Annex.\n' >"b c.txt"
accord pack -o p.asice --party alice.crt --party bob.crt a.txt "b c.txt" >/dev/null

ok "alice signs with a timestamp and embedded validation data" accord sign p.asice --key alice.key \
	--cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass \
	--embed-validation-data --trust ca.crt --crl spare.crl
expect "the signature holds CertificateValues and RevocationValues" sh -c \
	"unzip -p p.asice META-INF/signatures0.xml | grep -q CertificateValues && unzip -p p.asice META-INF/signatures0.xml | grep -q EncapsulatedCRLValue"
accord sign p.asice --key bob.key --cert bob.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass >sb.out
B=$(sigid sb.out)
ok "extend --level LT adds the paths to bob's signature" accord extend p.asice --level LT --trust ca.crt --signature "$B"
output_has "LT signatures verify, the report says the data is embedded" "long-term validation data: embedded" \
	accord verify p.asice --trust ca.crt

# The embedded CRL is used offline: a CRL revoking bob before his timestamp, embedded.
accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out bob-early.crl \
	--at 2001-01-01T00:00:00Z bob.crt >/dev/null 2>&1
cp p.asice q.asice
ok "a package whose LT data was made with a CRL revoking bob" sh -c "
	\"$ACCORD_BIN\" pack -o r.asice --party bob.crt a.txt >/dev/null &&
	\"$ACCORD_BIN\" sign r.asice --key bob.key --cert bob.crt --passphrase-file pass --tsa-dir tsa \
		--tsa-passphrase-file pass --embed-validation-data --trust ca.crt --crl bob-early.crl >/dev/null"
refuses "the embedded CRL alone shows bob revoked before the timestamp" 2 "REVOKED" \
	accord verify r.asice --trust ca.crt

# A forged CRL (same issuer name, listing alice, signed by another key) is ignored.
accord keys ca --name "LT CA" --out fake --passphrase-file pass >/dev/null 2>&1
openssl pkey -in fake.key -passin file:pass -out fake-plain.pem 2>/dev/null
printf 'crl_next_update = 30\ncrl_number = 7\ncrl_revocation_date = "2001-01-01 00:00:00"\n' >crl.tmpl
certtool --generate-crl --load-ca-privkey fake-plain.pem --load-ca-certificate fake.crt \
	--load-certificate alice.crt --template crl.tmpl --outfile forged.crl >/dev/null 2>&1
expect "the forged CRL names the CA and lists alice" sh -c \
	"openssl crl -in forged.crl -noout -text | grep -q 'Issuer: CN = LT CA' &&
	 openssl crl -in forged.crl -noout -text | grep -qi \"\$(openssl x509 -in alice.crt -noout -serial | cut -d= -f2)\""
output_has "a CRL with a forged signature does not revoke alice" "VALID and COMPLETE" \
	accord verify p.asice --trust ca.crt --crl forged.crl
printf 'crl_next_update = 30\ncrl_number = 8\ncrl_revocation_date = "2001-01-01 00:00:00"\n' >crl.tmpl
openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null
certtool --generate-crl --load-ca-privkey ca-plain.pem --load-ca-certificate ca.crt \
	--load-certificate alice.crt --template crl.tmpl --outfile real.crl >/dev/null 2>&1
refuses "the same CRL signed by the real CA revokes alice" 2 "REVOKED" \
	accord verify p.asice --trust ca.crt --crl real.crl

# B-LTA: an archive timestamp over everything; repeatable.
ok "extend --level LTA adds an archive timestamp" accord extend p.asice --level LTA --trust ca.crt \
	--tsa-dir tsa --tsa-passphrase-file pass
output_has "the archive timestamp is verified and reported" "archive timestamp: " \
	accord verify p.asice --trust ca.crt
output_has "LTA package is valid and complete" "VALID and COMPLETE" accord verify p.asice --trust ca.crt
ok "a second archive timestamp covers the first" accord extend p.asice --level LTA --trust ca.crt \
	--tsa-dir tsa --tsa-passphrase-file pass
expect "two ArchiveTimeStamps in alice's signature" sh -c \
	"[ \$(unzip -p p.asice META-INF/signatures0.xml | grep -o '<xadesv141:ArchiveTimeStamp' | wc -l) = 2 ]"
output_has "both archive timestamps verify" "VALID and COMPLETE" accord verify p.asice --trust ca.crt
refuses "LTA without a TSA is a usage error" 3 "needs a TSA" accord extend p.asice --level LTA --trust ca.crt

# Extending again never writes a second RevocationValues (DigiDoc refuses one), never
# embeds a CRL twice, and never changes what an archive timestamp covers: a new CRL after
# an ArchiveTimeStamp goes into a TimeStampValidationData after it.
cp p.asice twice.asice
accord extend twice.asice --level LT --trust ca.crt --crl spare.crl >/dev/null 2>&1
accord extend twice.asice --level LT --trust ca.crt --crl spare.crl >/dev/null 2>&1
expect "extend LT twice with the same CRL: one RevocationValues, the CRL once" sh -c \
	"x=\$(unzip -p twice.asice META-INF/signatures0.xml); [ \$(printf '%s' \"\$x\" | grep -o '<xades:RevocationValues' | wc -l) = 1 ] &&
	 [ \$(printf '%s' \"\$x\" | grep -o '<xades:EncapsulatedCRLValue' | wc -l) = 1 ]"
accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out later.crl \
	--at 2002-01-01T00:00:00Z spare.crt >/dev/null 2>&1
ok "extend LT after the archive timestamps adds the new CRL" accord extend twice.asice --level LT --trust ca.crt --crl later.crl
expect "the new CRL sits in a TimeStampValidationData after the last ArchiveTimeStamp (one RevocationValues there, one before)" sh -c \
	"x=\$(unzip -p twice.asice META-INF/signatures0.xml | tr -d '\n'); [ \$(printf '%s' \"\$x\" | grep -o '<xades:RevocationValues' | wc -l) = 2 ] &&
	 printf '%s' \"\$x\" | grep -q 'ArchiveTimeStamp.*ArchiveTimeStamp.*<xadesv141:TimeStampValidationData' &&
	 ! printf '%s' \"\$x\" | grep -q 'TimeStampValidationData.*ArchiveTimeStamp'"
output_has "the archive timestamps still verify after the new validation data" "VALID and COMPLETE" \
	accord verify twice.asice --trust ca.crt

# Anything the archive timestamp covers, changed: detected.
unzip -p p.asice META-INF/signatures0.xml | python3 -c "
import sys,re
x=sys.stdin.read()
# drop the embedded CRL: covered by the archive timestamps
x=re.sub(r'<xades:RevocationValues>.*?</xades:RevocationValues>','',x,flags=re.S)
open('nocrl.xml','w').write(x)"
$ZIPEDIT p.asice t1.asice --set META-INF/signatures0.xml nocrl.xml
refuses "removing covered validation data breaks the archive timestamp" 1 "archive timestamp" \
	accord verify t1.asice --trust ca.crt
$ZIPEDIT p.asice t2.asice --flip "b c.txt" 2
refuses "a changed document is still detected" 1 "HASH_FAILURE" accord verify t2.asice --trust ca.crt

# ---- B-LT with OCSP (what DigiDoc reads): accord's own responder, one step and by extension ----
setup "an OCSP responder for the CA" accord ocsp init --dir oc --name "LT OCSP" --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --passphrase-file pass
setup "dave, a signer nobody revoked" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--name dave --out dave --passphrase-file pass
OC="--ocsp-dir oc --ocsp-passphrase-file pass"
TS="--tsa-dir tsa --tsa-passphrase-file pass"
accord pack -o o.asice --party alice.crt --party dave.crt a.txt >/dev/null
ok "alice signs B-LT in one step (TSA, then OCSP from the local responder)" \
	accord sign o.asice --key alice.key --cert alice.crt --passphrase-file pass $TS $OC
sig0() { unzip -p "$1" META-INF/signatures0.xml | tr -d '\n'; }
expect "one RevocationValues with OCSPValues/EncapsulatedOCSPValue; CA, TSA and responder in CertificateValues" sh -c \
	"x=\$(unzip -p o.asice META-INF/signatures0.xml | tr -d '\n'); [ \$(printf '%s' \"\$x\" | grep -o '<xades:RevocationValues' | wc -l) = 1 ] &&
	 printf '%s' \"\$x\" | grep -q '<xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>' &&
	 [ \$(printf '%s' \"\$x\" | grep -o '<xades:EncapsulatedX509Certificate>' | wc -l) = 3 ]"
sig0 o.asice | sed 's/.*<xades:EncapsulatedOCSPValue>\([^<]*\)<.*/\1/' | base64 -d >emb.der 2>/dev/null
output_has "openssl verifies the embedded response (the CA's delegated responder, alice good)" "Response verify OK" \
	sh -c 'openssl ocsp -respin emb.der -CAfile ca.crt -issuer ca.crt -cert alice.crt -no_nonce 2>&1'
refuses "verify says good by OCSP from the responder (dave has not signed yet)" 2 "revocation: good by OCSP from 'LT OCSP'" \
	accord verify o.asice --trust ca.crt
accord sign o.asice --key dave.key --cert dave.crt --passphrase-file pass $TS >/dev/null
ok "extend --level LT --ocsp-dir adds OCSP to dave's B-T signature" accord extend o.asice --level LT $OC
refuses "extending again asks nothing and adds nothing (a good response is embedded)" 3 "nothing to add" \
	accord extend o.asice --level LT $OC
expect "still one response per signature" sh -c \
	"[ \$(unzip -p o.asice META-INF/signatures1.xml | grep -o '<xades:EncapsulatedOCSPValue>' | wc -l) = 1 ]"
accord pack -o nots.asice --party alice.crt a.txt >/dev/null
refuses "sign --ocsp without a TSA is a usage error (OCSP must follow the timestamp)" 3 "need --tsa" \
	accord sign nots.asice --key alice.key --cert alice.crt --passphrase-file pass $OC
accord sign nots.asice --key alice.key --cert alice.crt --passphrase-file pass >/dev/null
refuses "extend --ocsp-dir refuses a signature without a timestamp" 3 "no timestamp" accord extend nots.asice --level LT $OC
cp p.asice before.asice
refuses "a revoked signer: the OCSP answer is refused, nothing is written" 1 "'spare' is revoked by OCSP" \
	sh -c "\"$ACCORD_BIN\" pack -o sp.asice --party spare.crt a.txt >/dev/null && cp sp.asice sp0.asice &&
	\"$ACCORD_BIN\" sign sp.asice --key spare.key --cert spare.crt --passphrase-file pass $TS $OC"
expect "the package the revoked signer tried to sign is unchanged" cmp -s sp.asice sp0.asice

# the air gap: request here, respond on the responder's machine, attach here
accord pack -o g.asice --party alice.crt a.txt >/dev/null
accord sign g.asice --key alice.key --cert alice.crt --passphrase-file pass $TS >/dev/null
ok "ocsp request writes the request for the signer of the newest timestamped signature" \
	accord ocsp request g.asice --out g.req --trust ca.crt
ok "ocsp respond answers it on the other side" accord ocsp respond --dir oc --request g.req --out g.resp --passphrase-file pass
ok "ocsp attach embeds the checked response" accord ocsp attach g.asice --response g.resp --trust ca.crt
refuses "the same response is not attached twice" 3 "embedded already" accord ocsp attach g.asice --response g.resp --trust ca.crt
refuses "a response about another signer is refused" 3 "speaks of no signer" \
	accord ocsp attach nots.asice --response g.resp --trust ca.crt
output_has "the attached response decides alice's status" "good by OCSP from 'LT OCSP'" accord verify g.asice --trust ca.crt

# after an archive timestamp, OCSP goes into a TimeStampValidationData, never a second RevocationValues
accord pack -o a2.asice --party dave.crt a.txt >/dev/null
accord sign a2.asice --key dave.key --cert dave.crt --passphrase-file pass $TS --embed-validation-data --trust ca.crt >/dev/null
accord extend a2.asice --level LTA $TS >/dev/null 2>&1
ok "extend LT --ocsp-dir after an archive timestamp" accord extend a2.asice --level LT $OC
expect "the OCSP value sits in a TimeStampValidationData after the ArchiveTimeStamp, with the responder's certificate" sh -c \
	"x=\$(unzip -p a2.asice META-INF/signatures0.xml | tr -d '\n'); printf '%s' \"\$x\" | grep -q 'ArchiveTimeStamp.*<xadesv141:TimeStampValidationData[^>]*><xades:CertificateValues>.*<xades:EncapsulatedOCSPValue>' &&
	 ! printf '%s' \"\$x\" | grep -q 'TimeStampValidationData.*<xades:ArchiveTimeStamp'"
output_has "the archive timestamp still verifies and OCSP decides" "good by OCSP from 'LT OCSP'" accord verify a2.asice --trust ca.crt
