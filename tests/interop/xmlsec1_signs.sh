#!/bin/sh
# tests/interop/xmlsec1_signs.sh — a signature made by another implementation: xmlsec1
# signs a hand-written XAdES template over a document of an accord container, and
# accord verifies it (and rejects it once the document is changed).
. "$(dirname "$0")/../lib.sh"
cd "$T"
command -v xmlsec1 >/dev/null || { skip "xmlsec1 is not installed"; exit 0; }
ZIPEDIT="python3 $TESTS/tools/zipedit.py"

accord keys ca --name "Interop CA" --out ca --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name erin \
	--org "Other Vendor" --country NL --out erin --passphrase-file pass >/dev/null 2>&1
openssl pkey -in erin.key -passin file:pass -out erin-plain.pem 2>/dev/null
chmod 600 erin-plain.pem
printf 'Incident report 2026-044: phishing wave.\n' >report.txt
ok "a package is packed" accord pack -o ir.asice --kind incident-report --title "IR 2026-044" report.txt

certb64=$(openssl x509 -in erin.crt -outform DER | openssl base64 -A)
certdig=$(openssl x509 -in erin.crt -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)
docdig=$(openssl dgst -sha256 -binary report.txt | openssl base64 -A)
unzip -q -o ir.asice accord-package.xml
descdig=$(openssl dgst -sha256 -binary accord-package.xml | openssl base64 -A)
cat >tmpl.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"><ds:Signature Id="X1"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><ds:Reference Id="X1-r0" URI="report.txt"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>$docdig</ds:DigestValue></ds:Reference><ds:Reference Id="X1-r1" URI="accord-package.xml"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>$descdig</ds:DigestValue></ds:Reference><ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#X1-SP"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2006/12/xml-c14n11"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue Id="X1-SV"></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>$certb64</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties Target="#X1"><xades:SignedProperties Id="X1-SP"><xades:SignedSignatureProperties><xades:SigningTime>$(date -u +%Y-%m-%dT%H:%M:%SZ)</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>$certdig</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties><xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#X1-r0"><xades:MimeType>text/plain</xades:MimeType></xades:DataObjectFormat><xades:DataObjectFormat ObjectReference="#X1-r1"><xades:MimeType>application/vnd.accord.package+xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></asic:XAdESSignatures>
XML
# xmlsec1 recomputes every digest; the data references resolve relative to this folder.
unzip -q -o ir.asice report.txt
xmlsec1 --sign --privkey-pem erin-plain.pem,erin.crt --enabled-reference-uris empty,same-doc,local,remote \
	--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties --output signed.xml tmpl.xml >xs.out 2>&1
expect "xmlsec1 signs the template" [ -s signed.xml ]
$ZIPEDIT ir.asice ir-signed.asice --add META-INF/signatures0.xml signed.xml
output_has "accord verifies the xmlsec1 signature (C14N 1.1)" "signature X1 +TOTAL-PASSED" \
	accord verify ir-signed.asice --trust ca.crt
$ZIPEDIT ir-signed.asice ir-bad.asice --flip report.txt 3
refuses "accord rejects it once the document changed" 1 "HASH_FAILURE" accord verify ir-bad.asice --trust ca.crt

# The same with SHA-512 reference digests: accord computes SHA-384/512 of the documents
# in a second pass only when a signature asks for them.
sed -e 's|xmlenc#sha256"/><ds:DigestValue>[^<]*</ds:DigestValue></ds:Reference><ds:Reference Id="X1-r1"|xmlenc#sha512"/><ds:DigestValue></ds:DigestValue></ds:Reference><ds:Reference Id="X1-r1"|' \
	-e 's|Id="X1"|Id="X5"|; s|Target="#X1"|Target="#X5"|' tmpl.xml >tmpl512.xml
xmlsec1 --sign --privkey-pem erin-plain.pem,erin.crt --enabled-reference-uris empty,same-doc,local,remote \
	--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties --output signed512.xml tmpl512.xml >xs.out 2>&1
expect "xmlsec1 signs the SHA-512 template" grep -q 'xmlenc#sha512' signed512.xml
$ZIPEDIT ir.asice ir512.asice --add META-INF/signatures0.xml signed512.xml
output_has "accord verifies a SHA-512 document reference" "signature X5 +TOTAL-PASSED" \
	accord verify ir512.asice --trust ca.crt
$ZIPEDIT ir512.asice ir512-bad.asice --flip report.txt 1
refuses "and detects a change under SHA-512" 1 "HASH_FAILURE" accord verify ir512-bad.asice --trust ca.crt
