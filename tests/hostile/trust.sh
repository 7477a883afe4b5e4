#!/bin/sh
# tests/hostile/trust.sh — hostile TRUST inputs: attacks on `accord verify` that must never end in "VALID":
# an unsigned manifest that changes the verdict, party identity through certificates
# nobody verified, a revoked TSA, embedded OCSP responses, --at against a trusted
# timestamp, weak keys, CRLs checked against the wrong certificate or only partly read,
# weak algorithms inside timestamp tokens, signers whose key usage is not for signing.
# Every attack check: verify exits 1 or 2 (never 0, never a usage error) and says why;
# each attack has a positive control (the same construction without the attack verifies),
# so the checks cannot pass by verify refusing everything.
# The numbers are the hole numbers of the issue.
. "$(dirname "$0")/../lib.sh"
# Each check is a case of the hostile corpus (the README counts them).
pass() { echo "PASS: hostile trust: $*"; }
fail() { echo "FAIL: hostile trust: $*"; }
. "$TESTS/tools/trust_checks.sh"
cd "$T"

sig0() { unzip -p "$1" META-INF/signatures0.xml; }
fp256() { openssl x509 -in "$1" -outform DER | openssl dgst -sha256 -r | cut -c1-64; }
# descriptor_ca PKG OUT NAME CA.crt: PKG (packed with one --party) re-declared before
# anyone signs: party NAME by its CA's fingerprint (<name> + <ca-fingerprint>).
descriptor_ca() {
	unzip -p "$1" accord-package.xml | sed -e "s|<name>[^<]*</name>|<name>$3</name>|" \
		-e "s|<fingerprint>[0-9a-f]*</fingerprint>|<ca-fingerprint>$(fp256 "$4")</ca-fingerprint>|" >"$2.desc.xml"
	$ZIPEDIT "$1" "$2" --set accord-package.xml "$2.desc.xml"
}

# ---- common set-up: a CA, alice, bob, a spare, a TSA issued by the CA ----
q accord keys ca --name "NFV CA" --out ca --passphrase-file pass
for who in alice bob carol; do
	q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name $who --out $who --passphrase-file pass
done
q accord tsa init --dir tsa --name "NFV TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null
chmod 600 ca-plain.pem
printf 'The agreement.\n' >doc.txt
CAOPT="--ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass"
TSAOPT="--tsa-dir tsa --tsa-passphrase-file pass"
expect "set-up: CA, parties and TSA exist" [ -s ca.crt -a -s alice.crt -a -s bob.crt -a -s tsa/tsa.crt ]
q accord keys revoke $CAOPT --out carol.crl carol.crt               # revokes neither alice nor bob
q accord keys revoke $CAOPT --out bob-2001.crl --at 2001-01-01T00:00:00Z bob.crt

# ---- 1. the unsigned META-INF/manifest.xml changes the verdict ----
q accord pack -o m.asice --party alice.crt --party bob.crt doc.txt
q accord sign m.asice --key alice.key --cert alice.crt --passphrase-file pass $TSAOPT
refuses "1 control: one of two parties signed: INCOMPLETE" 2 "INCOMPLETE" accord verify m.asice --trust ca.crt
cp m.asice m2.asice
q accord sign m2.asice --key bob.key --cert bob.crt --passphrase-file pass $TSAOPT
valid "1 control: both parties signed: VALID" accord verify m2.asice --trust ca.crt
unzip -p m.asice META-INF/manifest.xml | sed 's|\(full-path="accord-package.xml" manifest:media-type="\)[^"]*"|\1text/plain"|' >manifest-edit.xml
$ZIPEDIT m.asice m1.asice --set META-INF/manifest.xml manifest-edit.xml
expect "1 setup: the manifest now calls the descriptor text/plain, the zip is sound" sh -c \
	"unzip -p m1.asice META-INF/manifest.xml | grep -q 'accord-package.xml\" manifest:media-type=\"text/plain\"' && unzip -tq m1.asice >/dev/null && [ \"\$(unzip -Z1 m1.asice | head -1)\" = mimetype ] && unzip -v m1.asice | grep -E ' mimetype\$' | grep -q Stored"
not_valid "1: a manifest re-typing the descriptor does not drop the parties (now: INVALID, it contradicts the signed type)" "INCOMPLETE|1 of 2|in the manifest but" \
	accord verify m1.asice --trust ca.crt
not_valid "1: the report names the manifest disagreement" "manifest" accord verify m1.asice --trust ca.crt

# ---- 2. party identity through certificates nobody verified ----
# (a) CA-A and CA-B both trusted; the descriptor declares "alice" of CA-A; a stranger
# with CN=alice from CA-B appends a forged link (CA-B's subject and key, "issued" by
# CA-A's name, signed by another key) and CA-A's real certificate to the unsigned KeyInfo.
q accord keys ca --name "Org A CA" --out caa --passphrase-file pass
q accord keys ca --name "Org B CA" --out cab --passphrase-file pass
q accord keys ca --name "Org A CA" --out fakea --passphrase-file pass
q accord keys issue --ca-key caa.key --ca-cert caa.crt --ca-passphrase-file pass --name alice --out alice-a --passphrase-file pass
q accord keys issue --ca-key cab.key --ca-cert cab.crt --ca-passphrase-file pass --name alice --out stranger --passphrase-file pass
q accord pack -o d0.asice --party alice-a.crt doc.txt
descriptor_ca d0.asice d.asice alice caa.crt
expect "2 setup: the descriptor declares alice by CA-A's fingerprint" sh -c \
	"unzip -p d.asice accord-package.xml | grep -q '<ca-fingerprint>$(fp256 caa.crt)</ca-fingerprint>'"
cp d.asice d-real.asice
q accord sign d-real.asice --key alice-a.key --cert alice-a.crt --passphrase-file pass
valid "2 control: the real alice of CA-A: VALID" accord verify d-real.asice --trust caa.crt --trust cab.crt
cp d.asice d-str.asice
q accord sign d-str.asice --key stranger.key --cert stranger.crt --passphrase-file pass
openssl pkey -in cab.key -passin file:pass -out cab-plain.pem 2>/dev/null
openssl pkey -in fakea.key -passin file:pass -out fakea-plain.pem 2>/dev/null
openssl x509 -x509toreq -in cab.crt -signkey cab-plain.pem -out cab.csr 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=%s\nauthorityKeyIdentifier=none\n' \
	"$(openssl x509 -in cab.crt -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')" >link.ext
openssl x509 -req -in cab.csr -CA fakea.crt -CAkey fakea-plain.pem -set_serial 77 -days 365 \
	-extfile link.ext -out link.crt 2>/dev/null
expect "2 setup: the link has CA-B's subject and key, CA-A's name as issuer, and does not verify" sh -c \
	"[ \"\$(openssl x509 -in link.crt -noout -subject)\" = \"\$(openssl x509 -in cab.crt -noout -subject)\" ] &&
	 [ \"\$(openssl x509 -in link.crt -noout -pubkey)\" = \"\$(openssl x509 -in cab.crt -noout -pubkey)\" ] &&
	 [ \"\$(openssl x509 -in link.crt -noout -issuer)\" = \"\$(openssl x509 -in caa.crt -noout -issuer)\" ] &&
	 ! openssl verify -CAfile caa.crt link.crt >/dev/null 2>&1"
sig0 d-str.asice >str.xml
$XEDIT str.xml str-link.xml keyinfo-add link.crt caa.crt
$ZIPEDIT d-str.asice d-link.asice --set META-INF/signatures0.xml str-link.xml
not_valid "2a: a stranger with a forged link to CA-A is not alice" "MISSING +alice" \
	accord verify d-link.asice --trust caa.crt --trust cab.crt
# (GnuTLS checks the link's signature, so the path itself fails; the check is that the
# stranger never counts as alice, whatever verify says about the path.)
# (b) the same with two trusted CAs of one name: the stranger's CA-B issues without an
# authority key identifier, and CA-A's real certificate rides along in KeyInfo.
q accord keys ca --name "Shared CA" --out sa --passphrase-file pass
q accord keys ca --name "Shared CA" --out sb --passphrase-file pass
q accord keys issue --ca-key sa.key --ca-cert sa.crt --ca-passphrase-file pass --name alice --out alice-sa --passphrase-file pass
openssl pkey -in sb.key -passin file:pass -out sb-plain.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out stranger2.pem 2>/dev/null
chmod 600 stranger2.pem sb-plain.pem cab-plain.pem fakea-plain.pem
openssl req -new -key stranger2.pem -subj /CN=alice -out stranger2.csr 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=none\n' >ee.ext
openssl x509 -req -in stranger2.csr -CA sb.crt -CAkey sb-plain.pem -set_serial 99 -days 30 -extfile ee.ext -out stranger2.crt 2>/dev/null
expect "2b setup: the stranger's certificate verifies under CA-B, not CA-A" sh -c \
	"openssl verify -CAfile sb.crt stranger2.crt >/dev/null 2>&1 && ! openssl verify -CAfile sa.crt stranger2.crt >/dev/null 2>&1"
q accord pack -o e0.asice --party alice-sa.crt doc.txt
descriptor_ca e0.asice e.asice alice sa.crt
cp e.asice e-real.asice
q accord sign e-real.asice --key alice-sa.key --cert alice-sa.crt --passphrase-file pass
valid "2b control: the real alice of the first 'Shared CA': VALID" accord verify e-real.asice --trust sa.crt --trust sb.crt
cp e.asice e-str.asice
q accord sign e-str.asice --key stranger2.pem --cert stranger2.crt --passphrase-file pass
sig0 e-str.asice >e-str.xml
$XEDIT e-str.xml e-str2.xml keyinfo-add sa.crt
$ZIPEDIT e-str.asice e-str2.asice --set META-INF/signatures0.xml e-str2.xml
not_valid "2b: a stranger of the other 'Shared CA' is not alice (issuer by name)" "MISSING +alice" \
	accord verify e-str2.asice --trust sa.crt --trust sb.crt

# ---- 3. a revoked TSA ----
q accord pack -o t.asice --party alice.crt doc.txt
q accord sign t.asice --key alice.key --cert alice.crt --passphrase-file pass $TSAOPT
q accord keys revoke $CAOPT --out tsa-2001.crl --at 2001-01-01T00:00:00Z tsa/tsa.crt
valid "3 control: a CRL revoking neither signer nor TSA: VALID" accord verify t.asice --trust ca.crt --crl carol.crl
not_valid "3: a timestamp from a TSA revoked in 2001 is not accepted" "revoked" \
	accord verify t.asice --trust ca.crt --crl tsa-2001.crl

# ---- 4. embedded OCSP responses ----
# Responses for bob from the CA (openssl ocsp, CA-signed), made before and after bob's
# B-T signature, embedded as XAdES RevocationValues/OCSPValues (unsigned properties).
printf 'V\t%s\t\t%s\tunknown\t%s\n' "$(date -u -d '+1 year' +%y%m%d%H%M%SZ)" \
	"$(openssl x509 -in bob.crt -noout -serial | cut -d= -f2)" "$(openssl x509 -in bob.crt -noout -subject -nameopt compat | sed 's/^subject=//')" >index-good.txt
printf 'R\t%s\t010101000000Z\t%s\tunknown\t%s\n' "$(date -u -d '+1 year' +%y%m%d%H%M%SZ)" \
	"$(openssl x509 -in bob.crt -noout -serial | cut -d= -f2)" "$(openssl x509 -in bob.crt -noout -subject -nameopt compat | sed 's/^subject=//')" >index-revoked.txt
openssl ocsp -issuer ca.crt -cert bob.crt -reqout ocsp-req.der -no_nonce >/dev/null 2>&1
ocsp_resp() { # INDEX SIGNER_CERT SIGNER_KEY OUT
	openssl ocsp -index "$1" -CA ca.crt -rsigner "$2" -rkey "$3" -reqin ocsp-req.der -respout "$4" -ndays 1 >/dev/null 2>&1
}
ocsp_resp index-good.txt ca.crt ca-plain.pem ocsp-good-early.der
sleep 2
q accord pack -o o.asice --party bob.crt doc.txt
q accord sign o.asice --key bob.key --cert bob.crt --passphrase-file pass $TSAOPT
sleep 1
ocsp_resp index-good.txt ca.crt ca-plain.pem ocsp-good.der
ocsp_resp index-revoked.txt ca.crt ca-plain.pem ocsp-revoked.der
q accord keys ca --name "NFV CA" --out impostor --passphrase-file pass
openssl pkey -in impostor.key -passin file:pass -out impostor-plain.pem 2>/dev/null
chmod 600 impostor-plain.pem
ocsp_resp index-good.txt impostor.crt impostor-plain.pem ocsp-forged-good.der
expect "4 setup: the 'good' responses say good, the 'revoked' one revoked (openssl ocsp -resp_text)" sh -c \
	"for r in good good-early forged-good; do openssl ocsp -respin ocsp-\$r.der -resp_text -noverify 2>/dev/null | grep -q 'Cert Status: good' || exit 1; done;
	 openssl ocsp -respin ocsp-revoked.der -resp_text -noverify 2>/dev/null | grep -q 'Cert Status: revoked'"
expect "4 setup: the real responses verify with the CA, the forged one does not" sh -c \
	"openssl ocsp -respin ocsp-good.der -CAfile ca.crt -issuer ca.crt -cert bob.crt -no_nonce 2>&1 | grep -q ': good' &&
	 ! openssl ocsp -respin ocsp-forged-good.der -CAfile ca.crt -issuer ca.crt -cert bob.crt -no_nonce 2>&1 | grep -q 'Response verify OK'"
valid "4 control: bob's B-T signature without OCSP: VALID" accord verify o.asice --trust ca.crt
embed() { # PKG OP RESP OUT
	sig0 "$1" >"$4.xml"
	$XEDIT "$4.xml" "$4.new.xml" "$2" "$3"
	$ZIPEDIT "$1" "$4" --set META-INF/signatures0.xml "$4.new.xml"
}
embed o.asice ocsp-add ocsp-revoked.der o-revoked.asice
embed o.asice ocsp-add ocsp-good.der o-good.asice
embed o.asice ocsp-add ocsp-good-early.der o-early.asice
embed o.asice ocsp-add ocsp-forged-good.der o-forged.asice
embed o.asice tsvd-ocsp-add ocsp-revoked.der o-tsvd.asice
expect "4 setup: the response sits in UnsignedSignatureProperties after the SignatureTimeStamp" sh -c \
	"sig0() { unzip -p \"\$1\" META-INF/signatures0.xml; }; sig0 o-revoked.asice | grep -q '</xades:SignatureTimeStamp><xades:RevocationValues><xades:OCSPValues><xades:EncapsulatedOCSPValue>' &&
	 sig0 o-tsvd.asice | grep -q '</xades:SignatureTimeStamp><xadesv141:TimeStampValidationData'"
not_valid "4a: an embedded OCSP response saying revoked (2001) is not ignored" "revoked" \
	accord verify o-revoked.asice --trust ca.crt
valid "4b control: a good OCSP response produced after the timestamp: VALID" accord verify o-good.asice --trust ca.crt
output_has "4b: the report mentions the OCSP response" "OCSP" accord verify o-good.asice --trust ca.crt
not_valid "4c: a good OCSP response produced before the timestamp does not count" "produced" \
	accord verify o-early.asice --trust ca.crt
not_valid "4d: a forged good OCSP response (same CA name, other key) does not override a CRL" "revoked" \
	accord verify o-forged.asice --trust ca.crt --crl bob-2001.crl
not_valid "4e: a revoked OCSP response in TimeStampValidationData is not ignored" "revoked" \
	accord verify o-tsvd.asice --trust ca.crt

# ---- 5. --at does not override a trusted timestamp ----
# As specified: bob (certificate issued now) revoked at 2020-01-01, timestamped now.
q accord keys revoke $CAOPT --out bob-2020.crl --at 2020-01-01T00:00:00Z bob.crt
q accord pack -o at.asice --party bob.crt doc.txt
q accord sign at.asice --key bob.key --cert bob.crt --passphrase-file pass $TSAOPT
not_valid "5: revoked in 2020, timestamped now: --at 2019 does not hide it" "revoked" \
	accord verify at.asice --trust ca.crt --crl bob-2020.crl --at 2019-01-01T00:00:00Z
# The same with a CA and a signer whose certificates are valid since 2018, so that --at
# 2019 is inside their validity and only the revocation can decide.
certtool --generate-privkey --key-type ecdsa --no-text --outfile old-ca.pem >/dev/null 2>&1
certtool --generate-privkey --key-type ecdsa --no-text --outfile old-bob.pem >/dev/null 2>&1
chmod 600 old-ca.pem old-bob.pem
until=$(date -u -d '+1 year' '+%Y-%m-%d %H:%M:%S')
printf 'cn = "Old CA"\nca\ncert_signing_key\ncrl_signing_key\nactivation_date = "2018-01-01 00:00:00"\nexpiration_date = "%s"\n' "$until" >old-ca.tmpl
printf 'cn = "bob"\nsigning_key\nactivation_date = "2018-01-01 00:00:00"\nexpiration_date = "%s"\n' "$until" >old-bob.tmpl
TZ=UTC certtool --generate-self-signed --load-privkey old-ca.pem --template old-ca.tmpl --outfile old-ca.crt >/dev/null 2>&1
TZ=UTC certtool --generate-certificate --load-privkey old-bob.pem --load-ca-certificate old-ca.crt \
	--load-ca-privkey old-ca.pem --template old-bob.tmpl --outfile old-bob.crt >/dev/null 2>&1
printf 'crl_next_update = 30\ncrl_number = 5\ncrl_revocation_date = "2020-01-01 00:00:00"\n' >old.crl.tmpl
TZ=UTC certtool --generate-crl --load-ca-privkey old-ca.pem --load-ca-certificate old-ca.crt \
	--load-certificate old-bob.crt --template old.crl.tmpl --outfile old-bob-2020.crl >/dev/null 2>&1
expect "5 setup: bob's certificate is valid since 2018, the CRL revokes it in 2020" sh -c \
	"openssl x509 -in old-bob.crt -noout -startdate | grep -q 'Jan  1 00:00:00 2018' &&
	 openssl crl -in old-bob-2020.crl -noout -text | grep -q 'Revocation Date: Jan  1 00:00:00 2020'"
q accord pack -o at2.asice --party old-bob.crt doc.txt
q accord sign at2.asice --key old-bob.pem --cert old-bob.crt --passphrase-file pass $TSAOPT
valid "5 control: --at 2019 without the CRL: VALID" accord verify at2.asice --trust old-ca.crt --trust ca.crt --at 2019-01-01T00:00:00Z
refuses "5 control: without --at the CRL decides: REVOKED" 2 "revoked" accord verify at2.asice --trust old-ca.crt --trust ca.crt --crl old-bob-2020.crl
not_valid "5: valid since 2018, revoked in 2020, timestamped now: --at 2019 does not hide it" "revoked" \
	accord verify at2.asice --trust old-ca.crt --trust ca.crt --crl old-bob-2020.crl --at 2019-01-01T00:00:00Z

# ---- 6. cryptographic constraints on keys: RSA-512 ----
openssl genrsa -out w512.pem 512 2>/dev/null
openssl req -new -key w512.pem -subj /CN=weakling -out w512.csr 2>/dev/null
openssl x509 -req -in w512.csr -CA ca.crt -CAkey ca-plain.pem -set_serial 512 -days 30 -extfile ee.ext -out w512.crt 2>/dev/null
chmod 600 w512.pem
expect "6 setup: a 512-bit RSA certificate issued by the CA" sh -c \
	"openssl x509 -in w512.crt -noout -text | grep -q 'Public-Key: (512 bit)' && openssl verify -CAfile ca.crt w512.crt >/dev/null 2>&1"
q accord pack -o w.asice --party w512.crt doc.txt
cp w.asice w-accord.asice
fails_with "6a: accord sign refuses an RSA-512 key" "RSA|512|too (weak|small)|crypto" \
	accord sign w-accord.asice --key w512.pem --cert w512.crt --passphrase-file pass
q accord keys issue $CAOPT --name strong --algo rsa3072 --out strong --passphrase-file pass
openssl pkey -in strong.key -passin file:pass -out strong-plain.pem 2>/dev/null
chmod 600 strong-plain.pem
q accord pack -o s3072.asice --party strong.crt doc.txt
cp s3072.asice s3072-accord.asice
q accord sign s3072-accord.asice --key strong.key --cert strong.crt --passphrase-file pass
valid "6 control: RSA-3072 signed by accord: VALID" accord verify s3072-accord.asice --trust ca.crt
ok "6 control: xmlsec1 signs with the RSA-3072 key" xsign "$T/strong-plain.pem" "$T/strong.crt" "$RSA_SHA256" "$DIG_SHA256" "$T/s3072.asice" "$T/s3072-x.asice" X3072
valid "6 control: RSA-3072 signed by xmlsec1: VALID" accord verify s3072-x.asice --trust ca.crt
ok "6b setup: xmlsec1 signs with the RSA-512 key" xsign "$T/w512.pem" "$T/w512.crt" "$RSA_SHA256" "$DIG_SHA256" "$T/w.asice" "$T/w-x.asice" X512
not_valid "6b: a signature by an RSA-512 key is not valid" "CRYPTO_CONSTRAINTS" accord verify w-x.asice --trust ca.crt

# ---- 8. CRLs checked against the right certificate ----
q accord pack -o b.asice --party bob.crt doc.txt
q accord sign b.asice --key bob.key --cert bob.crt --passphrase-file pass $TSAOPT
valid "8 control: bob with a CRL that does not list him: VALID" accord verify b.asice --trust ca.crt --crl carol.crl
refuses "8 control: bob with the CA's CRL listing him: REVOKED" 2 "revoked" accord verify b.asice --trust ca.crt --crl bob-2001.crl
# (a) a self-signed impostor with the CA's name in bob's KeyInfo
sig0 b.asice >b.xml
$XEDIT b.xml b-imp.xml keyinfo-add impostor.crt
$ZIPEDIT b.asice b-imp.asice --set META-INF/signatures0.xml b-imp.xml
not_valid "8a: an impostor CA certificate in KeyInfo does not hide the revocation" "revoked" \
	accord verify b-imp.asice --trust ca.crt --crl bob-2001.crl
# (b) two anchors with one name (a key rollover): bob issued by the second
q accord keys ca --name "Same CA" --out r1 --passphrase-file pass
q accord keys ca --name "Same CA" --out r2 --passphrase-file pass
q accord keys issue --ca-key r2.key --ca-cert r2.crt --ca-passphrase-file pass --name bob --out bob-r2 --passphrase-file pass
q accord keys revoke --ca-key r2.key --ca-cert r2.crt --ca-passphrase-file pass --out r2.crl --at 2001-01-01T00:00:00Z bob-r2.crt
q accord pack -o r.asice --party bob-r2.crt doc.txt
q accord sign r.asice --key bob-r2.key --cert bob-r2.crt --passphrase-file pass
valid "8b control: bob of the second 'Same CA', no CRL: VALID" accord verify r.asice --trust r1.crt --trust r2.crt
not_valid "8b: the second 'Same CA' revoked bob: revoked, whatever the anchor order" "revoked" \
	accord verify r.asice --trust r1.crt --trust r2.crt --crl r2.crl
not_valid "8b: the same with the anchors the other way round" "revoked" \
	accord verify r.asice --trust r2.crt --trust r1.crt --crl r2.crl
# (c) a CRL whose signature fails (the impostor's key, the CA's name, listing bob)
printf 'crl_next_update = 30\ncrl_number = 7\ncrl_revocation_date = "2001-01-01 00:00:00"\n' >crl.tmpl
certtool --generate-crl --load-ca-privkey impostor-plain.pem --load-ca-certificate impostor.crt \
	--load-certificate bob.crt --template crl.tmpl --outfile forged.crl >/dev/null 2>&1
expect "8c setup: the forged CRL names the CA, lists bob, and does not verify with the CA" sh -c \
	"openssl crl -in forged.crl -noout -text | grep -q 'Issuer: CN = NFV CA' &&
	 openssl crl -in forged.crl -noout -text | grep -qi \"\$(openssl x509 -in bob.crt -noout -serial | cut -d= -f2)\" &&
	 openssl crl -in forged.crl -noout -CAfile ca.crt 2>&1 | grep -q 'verify failure'"
accord verify b.asice --trust ca.crt --crl forged.crl >forged.out 2>&1
expect "8c: a forged CRL does not revoke bob" sh -c "! grep -Eqi 'revoked' forged.out"
expect "8c: a CRL failing its signature check is reported" sh -c "grep -Eqi 'CRL.*signature|signature.*CRL' forged.out"

# ---- 9. every CRL of a file is read ----
q accord keys ca --name "Other CA" --out other --passphrase-file pass
q accord keys issue --ca-key other.key --ca-cert other.crt --ca-passphrase-file pass --name dave --out dave --passphrase-file pass
q accord keys revoke --ca-key other.key --ca-cert other.crt --ca-passphrase-file pass --out other.crl dave.crt
cat other.crl bob-2001.crl >crl-bundle.pem
expect "9 setup: the bundle holds two CRLs" [ "$(grep -c 'BEGIN X509 CRL' crl-bundle.pem)" = 2 ]
not_valid "9: the second CRL of a --crl file revokes bob" "revoked" accord verify b.asice --trust ca.crt --crl crl-bundle.pem
cat ca.crt bob-2001.crl >trust-bundle.pem
valid "9 control: a --trust file holding the CA and a CRL of carol: VALID" sh -c \
	"cat ca.crt carol.crl >trust-carol.pem && \"$ACCORD_BIN\" verify b.asice --trust trust-carol.pem"
not_valid "9: a CRL inside a --trust file is not ignored" "revoked" accord verify b.asice --trust trust-bundle.pem

# ---- 10. weak algorithms inside timestamp tokens (openssl as the TSA) ----
sh "$TESTS/interop/openssl-tsa.sh" "$T/otsa" >/dev/null 2>&1
sed 's/^digests = .*/digests = md5, sha1, sha256, sha384, sha512/' otsa/tsa.cnf >otsa/weak.cnf
sed 's/^signer_digest = .*/signer_digest = sha1/' otsa/tsa.cnf >otsa/sha1.cnf
oreply() { (cd "$T/otsa" && openssl ts -reply -config "$1" -queryfile "$2" -out "$3" 2>/dev/null); }
q accord pack -o g.asice --party alice.crt doc.txt
q accord sign g.asice --key alice.key --cert alice.crt --passphrase-file pass
for v in ok md5 sha1; do cp g.asice g-$v.asice; done
q accord timestamp request g.asice --out g.tsq
# The imprint is over the exclusive C14N of ds:SignatureValue: recomputed here.
sig0 g.asice | python3 -c "
import re,sys
x=sys.stdin.read()
m=re.search(r'<ds:SignatureValue Id=\"([^\"]*)\">([^<]*)</ds:SignatureValue>',x)
sys.stdout.write('<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"%s\">%s</ds:SignatureValue>'%(m.group(1),m.group(2)))" >sv.c14n
expect "10 setup: the recomputed SHA-256 imprint is accord's" sh -c \
	"[ \"\$(openssl ts -query -in g.tsq -text 2>/dev/null | sed -n 's/^ *00[0-9a-f]0 - //p' | cut -c1-48 | tr -d ' \n-')\" = \"\$(openssl dgst -sha256 -r sv.c14n | cut -c1-64)\" ]"
openssl ts -query -digest "$(openssl dgst -sha256 -r sv.c14n | cut -c1-64)" -sha256 -cert -out g-own.tsq 2>/dev/null
oreply tsa.cnf "$T/g-own.tsq" "$T/g-ok.tsr"
ok "10 control: the SHA-256 token from the openssl TSA is attached" accord timestamp attach g-ok.asice --reply g-ok.tsr
valid "10 control: with it the signature is VALID" accord verify g-ok.asice --trust ca.crt --trust otsa/ca.crt
weak_ts() { # NAME PKG REPLY
	if accord timestamp attach "$2" --reply "$3" >"$T/.att" 2>&1; then
		not_valid "$1" "CRYPTO_CONSTRAINTS|MD5|SHA1|SHA-1|weak" accord verify "$2" --trust ca.crt --trust otsa/ca.crt
	elif grep -Eqi "CRYPTO_CONSTRAINTS|MD5|SHA1|SHA-1|weak" "$T/.att"; then pass "$1 (attach refuses it)"
	else fail "$1 (attach failed without naming the weak algorithm)"; sed 's/^/    /' "$T/.att" | head -4; fi
}
openssl ts -query -digest "$(openssl dgst -md5 -r sv.c14n | cut -c1-32)" -md5 -cert -out g-md5.tsq 2>/dev/null
oreply weak.cnf "$T/g-md5.tsq" "$T/g-md5.tsr"
expect "10a setup: the openssl TSA answered with an MD5 imprint" sh -c \
	"openssl ts -reply -in g-md5.tsr -text 2>/dev/null | grep -q 'Status: Granted' && openssl ts -reply -in g-md5.tsr -text 2>/dev/null | grep -qi 'Hash Algorithm: md5'"
weak_ts "10a: a signature timestamp with an MD5 imprint is not accepted" g-md5.asice g-md5.tsr
# The MD5 token put into the signature directly (a hand-made file need not pass attach).
openssl ts -reply -in g-md5.tsr -token_out -out g-md5.tok 2>/dev/null
sig0 g-ok.asice | python3 -c "
import base64,re,sys
x=sys.stdin.read()
tok=base64.b64encode(open('g-md5.tok','rb').read()).decode()
sys.stdout.write(re.sub(r'<xades:EncapsulatedTimeStamp>[^<]*<','<xades:EncapsulatedTimeStamp>'+tok+'<',x))" >g-md5-direct.xml
$ZIPEDIT g-ok.asice g-md5-direct.asice --set META-INF/signatures0.xml g-md5-direct.xml
not_valid "10a: an MD5-imprint token placed in the signature directly is not accepted" \
	"CRYPTO_CONSTRAINTS|MD5|SHA1|SHA-1|weak" accord verify g-md5-direct.asice --trust ca.crt --trust otsa/ca.crt
oreply sha1.cnf "$T/g-own.tsq" "$T/g-sha1.tsr"
expect "10b setup: the token is signed with ecdsa-with-SHA1" sh -c \
	"openssl ts -reply -in g-sha1.tsr -token_out -out g-sha1.tok 2>/dev/null && openssl cms -cmsout -inform DER -in g-sha1.tok -print -noout 2>/dev/null | grep -q 'ecdsa-with-SHA1'"
weak_ts "10b: a signature timestamp signed with ecdsa-with-SHA1 is not accepted" g-sha1.asice g-sha1.tsr

# ---- 11. key usage of signers ----
q accord pack -o k.asice doc.txt
cp k.asice k-alice.asice
q accord sign k-alice.asice --key alice.key --cert alice.crt --passphrase-file pass
valid "11 control: alice (digitalSignature,nonRepudiation) signing the same package: VALID" accord verify k-alice.asice --trust ca.crt
cp k.asice k-tsa.asice
if accord sign k-tsa.asice --key tsa/tsa.key --cert tsa/tsa.crt --passphrase-file pass >/dev/null 2>&1; then
	not_valid "11a: the TSA's key and certificate (EKU timeStamping) signing a package: not VALID" \
		"key usage|extended key usage|not for signing" accord verify k-tsa.asice --trust ca.crt
else
	openssl pkey -in tsa/tsa.key -passin file:pass -out tsa-plain.pem 2>/dev/null; chmod 600 tsa-plain.pem
	xsign "$T/tsa-plain.pem" "$T/tsa/tsa.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/k.asice" "$T/k-tsa.asice" XTSA
	not_valid "11a: the TSA's key and certificate (EKU timeStamping) signing a package: not VALID" \
		"key usage|extended key usage|not for signing" accord verify k-tsa.asice --trust ca.crt
fi
openssl ecparam -name prime256v1 -genkey -noout -out kcs.pem 2>/dev/null; chmod 600 kcs.pem
openssl req -new -key kcs.pem -subj /CN=certsigner -out kcs.csr 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyCertSign,cRLSign\n' >kcs.ext
openssl x509 -req -in kcs.csr -CA ca.crt -CAkey ca-plain.pem -set_serial 4242 -days 30 -extfile kcs.ext -out kcs.crt 2>/dev/null
ok "11b setup: xmlsec1 signs with a keyCertSign,cRLSign-only certificate" xsign "$T/kcs.pem" "$T/kcs.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/k.asice" "$T/k-kcs.asice" XKCS
not_valid "11b: a keyCertSign,cRLSign-only certificate signing: not VALID" \
	"key usage|extended key usage|not for signing" accord verify k-kcs.asice --trust ca.crt
