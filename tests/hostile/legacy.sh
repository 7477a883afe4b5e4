#!/bin/sh
# tests/hostile/legacy.sh — what older deployed signatures need (DigiDoc and DSS samples,
# issue #9), read without opening a hole:
#   - a SHA-1 digest in SigningCertificate names the signer (a finding), MD5 does not, and a
#     SHA-1 digest of another certificate finds no signer;
#   - a certificate signed with SHA-1 counts with proof of existence (a timestamp) before
#     the end of 2016, not after;
#   - an OCSP responder trusted directly (an anchor with id-kp-OCSPSigning) that the
#     response does not carry is found by its ResponderID, only while it was valid; an
#     anchor without OCSPSigning, or an untrusted responder, is not believed.
# Every attack must never end in "VALID"; the controls show the checks can pass.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile legacy: $*"; }
fail() { echo "FAIL: hostile legacy: $*"; }
. "$TESTS/tools/trust_checks.sh"
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
cd "$T"

q accord keys ca --name "Legacy CA" --out ca --passphrase-file pass
q accord keys ca --name "Other CA" --out other --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass
q accord tsa init --dir tsa --name "Legacy TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
openssl pkey -in alice.key -passin file:pass -out alice-plain.pem 2>/dev/null
openssl pkey -in other.key -passin file:pass -out other-plain.pem 2>/dev/null
printf 'The agreement.\n' >doc.txt
q accord pack -o p.asice doc.txt
expect "set-up: CA, alice, bob, TSA and the package exist" [ -s ca.crt -a -s alice.crt -a -s bob.crt -a -s tsa/tsa.crt -a -s p.asice -a -s alice-plain.pem ]

# ---- SigningCertificate digests (xmlsec1 signs; CERTDIG picks the digest of the reference) ----
if command -v xmlsec1 >/dev/null 2>&1; then
	CERTDIG=sha1 xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p.asice" "$T/sha1ref.asice" XS1
	valid "control: a SHA-1 SigningCertificate digest names the signer (xmlsec1 signature)" \
		accord verify sha1ref.asice --trust ca.crt
	output_has "the SHA-1 SigningCertificate digest is reported as a finding" "SHA-1 in SigningCertificate" \
		accord verify sha1ref.asice --trust ca.crt
	CERTDIG=md5 xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p.asice" "$T/md5ref.asice" XM5
	not_valid "an MD5 SigningCertificate digest is refused" "weak digest|CRYPTO_CONSTRAINTS" \
		accord verify md5ref.asice --trust ca.crt
	CERTDIG=sha1 CERTDIG_OF="$T/bob.crt" xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p.asice" "$T/sha1bob.asice" XSB
	not_valid "a SHA-1 SigningCertificate digest of another certificate finds no signer" "NO_SIGNING_CERTIFICATE_FOUND" \
		accord verify sha1bob.asice --trust ca.crt
else
	skip "hostile legacy: SigningCertificate digests: xmlsec1 is not installed"
fi

# ---- certificates signed with SHA-1: a root and alice's certificate made by openssl in 2016 ----
if command -v cc >/dev/null 2>&1 && cc -shared -fPIC -o faketime.so "$TESTS/tools/faketime.c" -ldl 2>/dev/null; then
	FT2016="faketime_run 1464739200"   # 2016-06-01
	$FT2016 openssl req -x509 -newkey rsa:2048 -sha1 -nodes -keyout oca.pem -out oca.crt -days 7300 \
		-subj "/CN=SHA1 Root" -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1
	$FT2016 openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout old.pem -out old.csr -subj "/CN=old alice" >/dev/null 2>&1
	printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >old.ext
	$FT2016 openssl x509 -req -in old.csr -CA oca.crt -CAkey oca.pem -CAcreateserial -sha1 -days 7000 -extfile old.ext -out old.crt >/dev/null 2>&1
	openssl pkcs8 -topk8 -in old.pem -v2 aes-256-cbc -passout file:pass -out old.key 2>/dev/null
	q $FT2016 "$ACCORD_BIN" keys ca --name "TSA CA 2016" --out tca --passphrase-file pass
	q $FT2016 "$ACCORD_BIN" tsa init --dir tsa16 --name "TSA 2016" --ca-key tca.key --ca-cert tca.crt --ca-passphrase-file pass --passphrase-file pass
	expect "set-up: alice's 2016 certificate is signed with SHA-1" sh -c "openssl x509 -in old.crt -noout -text | grep -q sha1WithRSAEncryption"
	cp p.asice old16.asice; cp p.asice oldnow.asice; cp p.asice oldb.asice
	# an hour later: each process's fake clock starts at ACCORD_FAKE_TIME, so certificates
	# made by slow earlier steps must not start after the token's genTime
	q faketime_run 1464742800 "$ACCORD_BIN" sign old16.asice --key old.key --cert old.crt --passphrase-file pass --tsa-dir tsa16 --tsa-passphrase-file pass
	q accord sign oldnow.asice --key old.key --cert old.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
	q accord sign oldb.asice --key old.key --cert old.crt --passphrase-file pass
	valid "control: a certificate signed with SHA-1, timestamped in 2016, is acceptable" \
		accord verify old16.asice --trust oca.crt --trust tca.crt
	not_valid "a certificate signed with SHA-1, timestamped now, is not" "SHA1.*2016|CRYPTO_CONSTRAINTS_FAILURE_NO_POE" \
		accord verify oldnow.asice --trust oca.crt --trust ca.crt
	not_valid "a certificate signed with SHA-1, with no timestamp, is not" "SHA1.*2016|CRYPTO_CONSTRAINTS_FAILURE_NO_POE" \
		accord verify oldb.asice --trust oca.crt
	not_valid "a claimed 2016 signing time is no proof of existence" "SHA1.*2016|CRYPTO_CONSTRAINTS_FAILURE_NO_POE" \
		accord verify oldb.asice --trust oca.crt --at 2016-07-01T00:00:00Z
	valid "control: --allow-sha1 accepts it" accord verify oldnow.asice --trust oca.crt --trust ca.crt --allow-sha1
else
	skip "hostile legacy: SHA-1 certificates: no C compiler for tests/tools/faketime.c"
fi

# ---- OCSP responders trusted directly, not carried in the response ----
# A responder certificate issued by the other CA (so not delegated by alice's issuer) with
# id-kp-OCSPSigning; its responses carry no certificates (openssl -resp_no_certs).
cp p.asice a.asice
q accord sign a.asice --key alice.key --cert alice.crt --passphrase-file pass
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout resp.pem -out resp.csr -subj "/CN=Direct Responder" >/dev/null 2>&1
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n' >resp.ext
openssl x509 -req -in resp.csr -CA other.crt -CAkey other-plain.pem -CAcreateserial -days 30 -extfile resp.ext -out resp.crt >/dev/null 2>&1
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\n' >noeku.ext
openssl x509 -req -in resp.csr -CA other.crt -CAkey other-plain.pem -CAcreateserial -days 30 -extfile noeku.ext -out resp-noeku.crt >/dev/null 2>&1
if [ -s faketime.so ]; then   # valid for January 2020 only
	faketime_run 1577836800 openssl x509 -req -in resp.csr -CA other.crt \
		-CAkey other-plain.pem -CAcreateserial -days 30 -extfile resp.ext -out resp-old.crt >/dev/null 2>&1
fi
AS=$(serial alice.crt)
FUTURE=$(date -u -d '+1 year' +%y%m%d%H%M%SZ)
printf 'R\t%s\t%s\t%s\tunknown\t/CN=alice\n' "$FUTURE" "$(date -u -d '-1 day' +%y%m%d%H%M%SZ),keyCompromise" "$AS" >idx-revoked
printf 'V\t%s\t\t%s\tunknown\t/CN=alice\n' "$FUTURE" "$AS" >idx-good
openssl ocsp -issuer ca.crt -cert alice.crt -reqout req.der -no_nonce >/dev/null 2>&1
for s in good revoked; do
	openssl ocsp -index idx-$s -CA ca.crt -rsigner resp.crt -rkey resp.pem -resp_no_certs -reqin req.der \
		-respout resp-$s.der -ndays 1 >/dev/null 2>&1
done
openssl ocsp -index idx-good -CA ca.crt -rsigner other.crt -rkey other-plain.pem -resp_no_certs -reqin req.der \
	-respout resp-by-ca.der -ndays 1 >/dev/null 2>&1
expect "set-up: responses without certificates exist" sh -c \
	"[ -s resp-good.der ] && [ -s resp-revoked.der ] && [ -s resp-by-ca.der ] && ! openssl ocsp -respin resp-good.der -resp_text -noverify 2>/dev/null | grep -q 'BEGIN CERT'"
output_has "control: a trusted responder's good response, without certificates, is used" "good by OCSP from 'Direct Responder'" \
	accord verify a.asice --trust ca.crt --trust resp.crt --ocsp resp-good.der
not_valid "a trusted responder's 'revoked' response, without certificates, revokes" "revoked" \
	accord verify a.asice --trust ca.crt --trust resp.crt --ocsp resp-revoked.der
not_valid "an untrusted responder named only by its ResponderID is not believed" "authori[sz]ed responder|REVOCATION" \
	accord verify a.asice --trust ca.crt --ocsp resp-good.der
not_valid "a trusted copy without id-kp-OCSPSigning does not make a responder" "authori[sz]ed responder|REVOCATION" \
	accord verify a.asice --trust ca.crt --trust resp-noeku.crt --ocsp resp-good.der
if [ -s resp-old.crt ]; then
	not_valid "a trusted responder certificate not valid when the response was produced is not used" "authori[sz]ed responder|REVOCATION" \
		accord verify a.asice --trust ca.crt --trust resp-old.crt --ocsp resp-good.der
else
	skip "hostile legacy: a responder certificate of 2020: no faketime shim"
fi
not_valid "a trusted CA (no id-kp-OCSPSigning) answering for another CA's certificate is not believed" "authori[sz]ed responder|REVOCATION" \
	accord verify a.asice --trust ca.crt --trust other.crt --ocsp resp-by-ca.der

# ---- the manifest's media type against the signed MimeType (DataObjectFormat) ----
# The manifest is unsigned: a viewer that believes it would show the signed bytes as
# something else (a polyglot file). A contradiction makes the package INVALID.
mkdir mf && (cd mf && unzip -q ../a.asice META-INF/manifest.xml)
sed 's|media-type="text/plain"|media-type="application/pdf"|' mf/META-INF/manifest.xml >mf-pdf.xml
sed 's|media-type="text/plain"|media-type="Text/Plain; charset=utf-8"|' mf/META-INF/manifest.xml >mf-param.xml
$ZIPEDIT a.asice mf-pdf.asice --set META-INF/manifest.xml mf-pdf.xml
$ZIPEDIT a.asice mf-param.asice --set META-INF/manifest.xml mf-param.xml
expect "set-up: the manifests differ only in doc.txt's media type" sh -c "grep -q application/pdf mf-pdf.xml && grep -q charset mf-param.xml"
not_valid "a manifest that gives a signed document another media type" "manifest but 'text/plain'" \
	accord verify mf-pdf.asice --trust ca.crt
valid "control: case and parameters of the media type do not matter" accord verify mf-param.asice --trust ca.crt

# ---- revocation data a certificate asks for (DigiDoc, DSS; the Latvian T sample) ----
# carol's certificate names a CRL distribution point: without a CRL or OCSP response for
# it, its signature cannot be confirmed (TRY_LATER); with the CA's CRL it is valid.
openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout carol.pem -out carol.csr -subj "/CN=carol" >/dev/null 2>&1
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\ncrlDistributionPoints=URI:http://crl.example.invalid/ca.crl\n' >carol.ext
openssl x509 -req -in carol.csr -CA ca.crt -CAkey ca-plain.pem -CAcreateserial -days 30 -extfile carol.ext -out carol.crt >/dev/null 2>&1
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityInfoAccess=OCSP;URI:http://ocsp.example.invalid\n' >dave.ext
openssl x509 -req -in carol.csr -CA ca.crt -CAkey ca-plain.pem -CAcreateserial -days 30 -extfile dave.ext -out dave.crt >/dev/null 2>&1
openssl pkcs8 -topk8 -in carol.pem -v2 aes-256-cbc -passout file:pass -out carol.key 2>/dev/null
cp p.asice c.asice; cp p.asice d.asice
q accord sign c.asice --key carol.key --cert carol.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
q accord sign d.asice --key carol.key --cert dave.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
q accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out ca.crl bob.crt
expect "set-up: carol's certificate names a CRL, dave's an OCSP responder; the CA's CRL exists" sh -c \
	"openssl x509 -in carol.crt -noout -text | grep -q 'CRL Distribution' && openssl x509 -in dave.crt -noout -text | grep -q 'OCSP - URI' && [ -s ca.crl ]"
not_valid "a certificate naming a CRL distribution point, with no CRL given" "TRY_LATER" \
	accord verify c.asice --trust ca.crt
not_valid "a certificate naming an OCSP responder, with no response given" "TRY_LATER" \
	accord verify d.asice --trust ca.crt
valid "control: with the CA's CRL it is valid" accord verify c.asice --trust ca.crt --crl ca.crl
valid "control: a certificate that names no status source is judged on the evidence given" \
	accord verify a.asice --trust ca.crt

# ---- embedded validation data that cannot be read (DSS Signature-A-EE_AS-19) ----
# Skipped with a finding (unsigned: deleting it would do the same); where nothing else
# decides the signer's status it blocks VALID.
XEDIT="python3 $TESTS/tools/xadesedit.py"
mkdir -p g && (cd g && unzip -q -o ../a.asice META-INF/signatures0.xml)
printf 'not an OCSP response' >junk.der
$XEDIT g/META-INF/signatures0.xml g-junk.xml ocsp-add junk.der
$ZIPEDIT a.asice junk.asice --set META-INF/signatures0.xml g-junk.xml
expect "set-up: the signature carries an unreadable OCSP value" sh -c "[ -s junk.asice ] && grep -q EncapsulatedOCSPValue g-junk.xml"
not_valid "an unreadable embedded OCSP value, nothing else deciding the status" "embedded revocation data cannot be read" \
	accord verify junk.asice --trust ca.crt
valid "control: with the CA's CRL deciding, the unreadable value is only a finding" \
	accord verify junk.asice --trust ca.crt --crl ca.crl
output_has "the unreadable value is reported" "embedded validation value cannot be read" \
	accord verify junk.asice --trust ca.crt --crl ca.crl

# ---- a signature over another signature file, in a bare ds:Signature root (DSS .sce) ----
if command -v xmlsec1 >/dev/null 2>&1; then
	mkdir -p ss/META-INF && (cd ss && unzip -q -o ../a.asice doc.txt META-INF/signatures0.xml)
	certb64=$(openssl x509 -in alice.crt -outform DER | openssl base64 -A)
	certdig=$(openssl x509 -in alice.crt -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)
	cat >ss/tmpl.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Id="SS"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="$ECDSA_SHA256"/><ds:Reference Id="SS-r0" URI="doc.txt"><ds:DigestMethod Algorithm="$DIG_SHA256"/><ds:DigestValue></ds:DigestValue></ds:Reference><ds:Reference Id="SS-r1" URI="META-INF/signatures0.xml"><ds:DigestMethod Algorithm="$DIG_SHA256"/><ds:DigestValue></ds:DigestValue></ds:Reference><ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#SS-SP"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="$DIG_SHA256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue Id="SS-SIG"></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>$certb64</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties Target="#SS"><xades:SignedProperties Id="SS-SP"><xades:SignedSignatureProperties><xades:SigningTime>$(date -u +%Y-%m-%dT%H:%M:%SZ)</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="$DIG_SHA256"/><ds:DigestValue>$certdig</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>
XML
	(cd ss && xmlsec1 --sign --privkey-pem "$T/alice-plain.pem,$T/alice.crt" --enabled-reference-uris empty,same-doc,local,remote \
		--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties --output signed.xml tmpl.xml) >ss/xs.out 2>&1
	$ZIPEDIT a.asice ss.asice --add META-INF/signatures1.xml ss/signed.xml
	expect "set-up: xmlsec1 signed doc.txt and META-INF/signatures0.xml in a bare ds:Signature" sh -c \
		"[ -s ss.asice ] && grep -q 'URI=\"META-INF/signatures0.xml\"' ss/signed.xml"
	output_has "control: a signature over a signature file in a bare ds:Signature verifies and is reported as such" \
		"signs META-INF/signatures0.xml \\(a signature file" accord verify ss.asice --trust ca.crt
	valid "control: the package with both signatures is valid" accord verify ss.asice --trust ca.crt
	output_has "the bare ds:Signature root is a finding" "root is ds:Signature" accord verify ss.asice --trust ca.crt
	# The signature file it covers changed in its unsigned part: the first signature stays
	# valid, the one over its file does not.
	(cd ss && unzip -q -o ../ss.asice META-INF/signatures0.xml && sed 's|</xades:UnsignedSignatureProperties>| </xades:UnsignedSignatureProperties>|; s|</ds:Signature>|</ds:Signature> |' META-INF/signatures0.xml >changed0.xml)
	$ZIPEDIT ss.asice ss-changed.asice --set META-INF/signatures0.xml ss/changed0.xml
	not_valid "a changed signature file fails the signature over it" "'META-INF/signatures0.xml' does not match" \
		accord verify ss-changed.asice --trust ca.crt
	AID=$(unzip -p ss.asice META-INF/signatures0.xml | sed -n 's/.*<ds:Signature Id="\([^"]*\)".*/\1/p' | head -1)
	cp ss.asice ss.before
	refuses "remove refuses a signature whose file another signature signs" 1 "signature SS signs META-INF/signatures0.xml" \
		accord remove ss.asice --signature "$AID"
	expect "the refused removal left the package unchanged" cmp -s ss.asice ss.before
else
	skip "hostile legacy: signature over a signature file: xmlsec1 is not installed"
fi
