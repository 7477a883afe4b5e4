# tests/tools/trust_checks.sh — helpers of the hostile TRUST scripts (trust.sh,
# trust_review.sh, trust_review2.sh), sourced after tests/lib.sh and after each script
# has named its cases with pass()/fail().
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
XEDIT="python3 $TESTS/tools/xadesedit.py"
q() { "$@" >/dev/null 2>&1; }
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }

# not_valid NAME WORDS CMD...: exit 1 or 2 (not VALID, not a usage error) and WORDS
# (grep -Ei) in stdout+stderr.
not_valid() {
	n=$1; words=$2; shift 2
	"$@" >"$T/.out" 2>&1; got=$?
	if { [ "$got" = 1 ] || [ "$got" = 2 ]; } && grep -Eqi -- "$words" "$T/.out"; then
		pass "$n"; grep -m1 -E 'problem:' "$T/.out" | sed 's/^ */    why: /'
	else
		if [ "$got" = 0 ]; then why="verify said VALID"; else why="exit $got"; fi
		fail "$n ($why; wanted exit 1|2 and /$words/)"
		sed 's/^/    /' "$T/.out" | grep -Ei 'result|problem|error|refus|revocation|path:|timestamp:|signed|missing' | head -8
	fi
}
# valid NAME CMD...: exit 0 and "VALID and COMPLETE" (a positive control).
valid() {
	n=$1; shift
	"$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" = 0 ] && grep -q "VALID and COMPLETE" "$T/.out"; then pass "$n"
	else fail "$n (exit $got, wanted 0 and VALID and COMPLETE)"; sed 's/^/    /' "$T/.out" | grep -Ei 'result|problem|error' | head -6; fi
}
# fails_with NAME WORDS CMD...: any non-zero exit and WORDS.
fails_with() {
	n=$1; words=$2; shift 2
	"$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" != 0 ] && grep -Eqi -- "$words" "$T/.out"; then pass "$n"
	else fail "$n (exit $got, wanted non-zero and /$words/)"; sed 's/^/    /' "$T/.out" | head -6; fi
}
# xsign KEY.pem CERT METHOD_URI DOC_DIGEST_URI IN.asice OUT.asice ID: an independent signer
# (xmlsec1) signs a XAdES template over doc.txt and the descriptor of IN, the reference to
# doc.txt with DOC_DIGEST_URI (the reference to doc.txt with DOC_DIGEST_URI).
xsign() {
	key=$1 crt=$2 meth=$3 ddig=$4 in=$5 out=$6 id=$7
	d=$T/xs.$id; mkdir -p "$d"
	(cd "$d" && unzip -q -o "$in" doc.txt accord-package.xml) || return 1
	certb64=$(openssl x509 -in "$crt" -outform DER | openssl base64 -A)
	# CERTDIG (sha256 by default, sha1, md5): the SigningCertificate digest algorithm;
	# CERTDIG_OF: the certificate it is a digest of (the signer's by default).
	cd_alg=${CERTDIG:-sha256}
	case $cd_alg in
	sha1) cd_uri=http://www.w3.org/2000/09/xmldsig#sha1 ;;
	md5) cd_uri=http://www.w3.org/2001/04/xmldsig-more#md5 ;;
	*) cd_uri=http://www.w3.org/2001/04/xmlenc#sha256 ;;
	esac
	certdig=$(openssl x509 -in "${CERTDIG_OF:-$crt}" -outform DER | openssl dgst -"$cd_alg" -binary | openssl base64 -A)
	# XPOLICY: an OID written as the SignaturePolicyIdentifier (none by default).
	pol=
	[ -n "${XPOLICY:-}" ] && pol="<xades:SignaturePolicyIdentifier><xades:SignaturePolicyId><xades:SigPolicyId><xades:Identifier Qualifier=\"OIDAsURN\">urn:oid:$XPOLICY</xades:Identifier></xades:SigPolicyId><xades:SigPolicyHash><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>$(printf policy | openssl dgst -sha256 -binary | openssl base64 -A)</ds:DigestValue></xades:SigPolicyHash></xades:SignaturePolicyId></xades:SignaturePolicyIdentifier>"
	cat >"$d/tmpl.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"><ds:Signature Id="$id"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="$meth"/><ds:Reference Id="$id-r0" URI="doc.txt"><ds:DigestMethod Algorithm="$ddig"/><ds:DigestValue></ds:DigestValue></ds:Reference><ds:Reference Id="$id-r1" URI="accord-package.xml"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference><ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#$id-SP"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue Id="$id-SIG"></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>$certb64</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties Target="#$id"><xades:SignedProperties Id="$id-SP"><xades:SignedSignatureProperties><xades:SigningTime>$(date -u +%Y-%m-%dT%H:%M:%SZ)</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="$cd_uri"/><ds:DigestValue>$certdig</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>$pol</xades:SignedSignatureProperties><xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#$id-r0"><xades:MimeType>text/plain</xades:MimeType></xades:DataObjectFormat><xades:DataObjectFormat ObjectReference="#$id-r1"><xades:MimeType>application/vnd.accord.package+xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></asic:XAdESSignatures>
XML
	(cd "$d" && xmlsec1 --sign --privkey-pem "$key,$crt" --enabled-reference-uris empty,same-doc,local,remote \
		--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties --output signed.xml tmpl.xml) >"$d/xs.out" 2>&1 &&
		[ -s "$d/signed.xml" ] && $ZIPEDIT "$in" "$out" --add META-INF/signatures0.xml "$d/signed.xml"
}
RSA_SHA256=http://www.w3.org/2001/04/xmldsig-more#rsa-sha256
ECDSA_SHA256=http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256
DIG_SHA256=http://www.w3.org/2001/04/xmlenc#sha256
DIG_SHA1=http://www.w3.org/2000/09/xmldsig#sha1
