#!/bin/sh
# tests/interop/dss_countersignature.sh — a countersignature in the shape the EU DSS writes
# (XAdES counter-signature service, EN 319 132-1 5.2.7): a ds:Signature with DSS's Ids
# (id-..., r-id-..., value-id-..., xades-id-...) inside the master's
# UnsignedSignatureProperties/CounterSignature, whose reference (Type
# http://uri.etsi.org/01903#CountersignedSignature) covers the master's SignatureValue
# through an exclusive C14N transform, plus the SignedProperties reference. It is written by
# an independent implementation (xmlsec1) over a package accord signed; accord must read it,
# verify it, and report it as a countersignature of the master.
. "$(dirname "$0")/../lib.sh"
. "$TESTS/tools/trust_checks.sh"
cd "$T"
if ! command -v xmlsec1 >/dev/null 2>&1; then skip "DSS-shaped countersignature: xmlsec1 is not installed"; exit 0; fi
q accord keys ca --name "DSS CA" --out ca --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name notary --out notary --passphrase-file pass
openssl pkey -in notary.key -passin file:pass -out notary-plain.pem 2>/dev/null
printf 'The agreement.\n' >doc.txt
q accord pack -o p.asice doc.txt
q accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
unzip -p p.asice META-INF/signatures0.xml >master.xml
expect "set-up: alice signed with accord; the notary's key for xmlsec1" [ -s master.xml -a -s notary-plain.pem ]

# cs.py MASTER OUT TARGET: the template, DSS's shape, countersigning #TARGET.
cat >cs.py <<'PY'
import base64, hashlib, re, subprocess, sys, time
master, out, target = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(master).read()
der = subprocess.run(["openssl", "x509", "-in", "notary.crt", "-outform", "DER"], capture_output=True, check=True).stdout
h = "e1b1e5d4c0a3f2b7"
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
cs = (
 '<xades:CounterSignature><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="id-%(h)s">'
 '<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="%(exc)s"/>'
 '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>'
 '<ds:Reference Id="r-id-%(h)s-1" Type="http://uri.etsi.org/01903#CountersignedSignature" URI="#%(t)s">'
 '<ds:Transforms><ds:Transform Algorithm="%(exc)s"/></ds:Transforms>'
 '<ds:DigestMethod Algorithm="%(sha)s"/><ds:DigestValue></ds:DigestValue></ds:Reference>'
 '<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#xades-id-%(h)s">'
 '<ds:Transforms><ds:Transform Algorithm="%(exc)s"/></ds:Transforms>'
 '<ds:DigestMethod Algorithm="%(sha)s"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>'
 '<ds:SignatureValue Id="value-id-%(h)s"></ds:SignatureValue>'
 '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>%(cert)s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>'
 '<ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#id-%(h)s">'
 '<xades:SignedProperties Id="xades-id-%(h)s"><xades:SignedSignatureProperties>'
 '<xades:SigningTime>%(now)s</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest>'
 '<ds:DigestMethod Algorithm="%(sha)s"/><ds:DigestValue>%(cd)s</ds:DigestValue></xades:CertDigest></xades:Cert>'
 '</xades:SigningCertificateV2></xades:SignedSignatureProperties></xades:SignedProperties>'
 '</xades:QualifyingProperties></ds:Object></ds:Signature></xades:CounterSignature>'
) % dict(h=h, exc=EXC, sha=SHA256, t=target, cert=base64.b64encode(der).decode(), now=now,
         cd=base64.b64encode(hashlib.sha256(der).digest()).decode())
usp = "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>%s</xades:UnsignedSignatureProperties></xades:UnsignedProperties>" % cs
s = s.replace("</xades:SignedProperties>", "</xades:SignedProperties>" + usp, 1)
open(out, "w").write(s)
PY
sigval=$(grep -o '<ds:SignatureValue Id="[^"]*"' master.xml | head -1 | sed 's/.*Id="//; s/"$//')
dss_cs() { # TARGET OUT.asice: the notary countersigns #TARGET with xmlsec1, as DSS would
	python3 cs.py master.xml "tmpl-$2.xml" "$1" &&
		xmlsec1 --sign --node-id id-e1b1e5d4c0a3f2b7 --privkey-pem notary-plain.pem,notary.crt \
			--id-attr:Id http://www.w3.org/2000/09/xmldsig#:SignatureValue --id-attr:Id http://www.w3.org/2000/09/xmldsig#:Signature \
			--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties \
			--output "signed-$2.xml" "tmpl-$2.xml" >"xs-$2.out" 2>&1 &&
		$ZIPEDIT "$T/p.asice" "$T/$2" --set META-INF/signatures0.xml "signed-$2.xml"
}
dss_cs "$sigval" cs.asice
expect "set-up: xmlsec1 wrote the DSS-shaped countersignature over $sigval" [ -s cs.asice ]
xmlsec1 --verify --node-id id-e1b1e5d4c0a3f2b7 --trusted-pem ca.crt \
	--id-attr:Id http://www.w3.org/2000/09/xmldsig#:SignatureValue --id-attr:Id http://www.w3.org/2000/09/xmldsig#:Signature \
	--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties signed-cs.asice.xml >xv.out 2>&1
expect "xmlsec1 verifies the countersignature it wrote" grep -q '^OK' xv.out
accord verify --json cs.asice --trust ca.crt >cs.json 2>cs.err; rc=$?
expect "accord verify: exit 0 (master and countersignature valid)" [ "$rc" = 0 ]
json_valid "the report validates against the schema" verify cs.json
expect "the report shows id-e1b1e5d4c0a3f2b7 as a TOTAL-PASSED countersignature of alice's signature" python3 - cs.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sig = {s["id"]: s for s in d["signatures"]}
cs = sig.get("id-e1b1e5d4c0a3f2b7")
master = [s for s in d["signatures"] if s["id"] != "id-e1b1e5d4c0a3f2b7"]
sys.exit(not (cs and cs["indication"] == "TOTAL-PASSED" and len(master) == 1 and
              cs["countersigns"] == master[0]["id"] and master[0]["indication"] == "TOTAL-PASSED" and
              cs["signer"] == "notary"))
PY
output_has "the text report says countersignature" 'countersign' accord verify cs.asice --trust ca.crt

# The same shape pointed at something else than the master's SignatureValue is refused.
dss_cs "$(grep -o 'SignedProperties" URI="#[^"]*"' master.xml | head -1 | sed 's/.*#//; s/"$//')" wrong.asice
if [ -s wrong.asice ]; then
	accord verify wrong.asice --trust ca.crt >w.out 2>&1; rc=$?
	expect "a CountersignedSignature reference to the master's SignedProperties is not a countersignature (exit $rc)" \
		[ "$rc" = 1 -o "$rc" = 2 ]
else
	pass "a CountersignedSignature reference to the master's SignedProperties cannot even be signed by xmlsec1"
fi
