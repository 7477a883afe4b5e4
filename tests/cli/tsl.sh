#!/bin/sh
# tests/cli/tsl.sh — trusted lists (ETSI TS 119 612): an organisation makes a list of its
# CA, TSA and OCSP responder with `accord tsl make`; the list is valid against the ETSI
# schema, its signature verifies with xmlsec1, a partner verifies a package through the
# list alone, and DigiDoc loads it. Then the hostile cases: lists that must not give
# trust (changed, signed by another, services of another type or withdrawn, wrapped,
# huge, deep, with a DTD). Each hostile attack has a positive control beside it.
. "$(dirname "$0")/../lib.sh"
cd "$T"
EDIT="python3 $TESTS/tools/tsledit.py"
SCHEMA="$TESTS/data/tsl-schema/ts_119612v020201_201601xsd.xsd"
hpass() { echo "PASS: hostile tsl: $*"; }
hfail() { echo "FAIL: hostile tsl: $*"; }
# hostile NAME EXIT WORDS CMD...: as refuses, counted as a hostile case.
hostile() {
	n=$1; want=$2; words=$3; shift 3
	"$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" = "$want" ] && grep -Eqi -- "$words" "$T/.out"; then hpass "$n"
	else hfail "$n (exit $got, wanted $want and /$words/)"; sed 's/^/    /' "$T/.out" | head -20; fi
}
# resign IN OUT: the edited list IN signed again by the list's own signer, with xmlsec1.
resign() {
	$EDIT template "$1" "$1.tmpl" &&
		xmlsec1 --sign --privkey-pem tls-plain.pem,tls.crt --enabled-reference-uris empty,same-doc \
			--id-attr:Id "http://uri.etsi.org/02231/v2#:TrustServiceStatusList" --output "$2" "$1.tmpl" 2>/dev/null
}
# verify through lists only (lib.sh's ACCORD_TRUST_DIR is empty; --no-trust-store too)
vtsl() { pkg=$1; shift; accord verify "$pkg" --no-trust-store "$@"; }

# ---- the organisation: a CA, alice, a TSA, an OCSP responder, the list's signer ----
setup "the CA" accord keys ca --name "Org CA" --out ca --passphrase-file pass
setup "alice" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass
setup "the TSA" accord tsa init --dir tsa --name "Org TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
setup "the list signer" accord keys generate --name "Org TL signer" --org Org --country EE --email tl@example.org --out tls --passphrase-file pass
setup "plain keys for openssl and xmlsec1" sh -c 'openssl pkey -in ca.key -passin file:pass -out ca-plain.pem && openssl pkey -in tls.key -passin file:pass -out tls-plain.pem'
# The OCSP responder: issued by the CA for OCSPSigning (there is no `accord ocsp` yet).
printf 'extendedKeyUsage=critical,OCSPSigning\nkeyUsage=critical,digitalSignature\n' >ocsp.ext
setup "the OCSP responder" sh -c 'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ocsp.key -subj "/CN=Org OCSP" -out ocsp.csr &&
	openssl x509 -req -in ocsp.csr -CA ca.crt -CAkey ca-plain.pem -set_serial 77 -days 365 -extfile ocsp.ext -out ocsp.crt'
printf 'The agreement.\n' >doc.txt
setup "a package alice signs with a timestamp" sh -c "\"$ACCORD_BIN\" pack -o p.asice --party alice.crt doc.txt &&
	\"$ACCORD_BIN\" sign p.asice --key alice.key --cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass"

# ---- make the list ----
ok "accord tsl make writes a qualified list of the CA, TSA and OCSP responder" \
	accord tsl make --out TL.xml --key tls.key --cert tls.crt --passphrase-file pass \
	--ca ca.crt --tsa tsa/tsa.crt --ocsp ocsp.crt --qualified --territory EE --operator "Org" --next-update 30
expect "the list has one service per certificate: CA/QC, TSA/QTST, Certstatus/OCSP/QC" sh -c \
	"grep -c '<tsl:TSPService>' TL.xml | grep -qx 3 && grep -q 'Svctype/CA/QC<' TL.xml && grep -q 'Svctype/TSA/QTST<' TL.xml && grep -q 'Svctype/Certstatus/OCSP/QC<' TL.xml"
expect "the CA service carries the QCStatement and QCWithQSCD qualifiers" sh -c \
	"grep -q 'SvcInfoExt/QCStatement' TL.xml && grep -q 'SvcInfoExt/QCWithQSCD' TL.xml && grep -q 'CriteriaList assert=\"all\"' TL.xml"
expect "TSLType EUgeneric, granted, the territory and operator given" sh -c \
	"grep -q 'TSLType/EUgeneric<' TL.xml && grep -q 'Svcstatus/granted<' TL.xml && grep -q '<tsl:SchemeTerritory>EE<' TL.xml && grep -q '>Org<' TL.xml"
ok "the list is valid against the ETSI TS 119 612 schema (xmllint)" xmllint --noout --schema "$SCHEMA" TL.xml
ok "xmlsec1 verifies the list's enveloped signature" \
	xmlsec1 --verify --enabled-reference-uris empty,same-doc --trusted-pem tls.crt TL.xml
ok "a second run replaces the list" accord tsl make --out TL2.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt
ok "and again" accord tsl make --out TL2.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt
expect "the sequence number follows the list it replaces; no temporary file is left" sh -c \
	"grep -q '<tsl:TSLSequenceNumber>2<' TL2.xml && [ -z \"\$(ls -A | grep accord-tmp)\" ]"
expect "without --qualified the types are CA/PKC and no qualifiers" sh -c \
	"grep -q 'Svctype/CA/PKC<' TL2.xml && ! grep -q Qualifications TL2.xml"
refuses "tsl make without certificates is a usage error" 3 "at least one" \
	accord tsl make --out TL3.xml --key tls.key --cert tls.crt --passphrase-file pass
refuses "a bad territory is refused" 3 "two capital letters" \
	accord tsl make --out TL3.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt --territory Estonia

# ---- a partner verifies through the list alone ----
refuses "without the list the package's signer is not trusted" 2 "NO_CERTIFICATE_CHAIN_FOUND" vtsl p.asice
output_has "through the list only: VALID and COMPLETE" "VALID and COMPLETE" vtsl p.asice --tsl TL.xml --tsl-cert tls.crt
output_has "the report names the list, its signer and the anchor's service" \
	"trusted list TL.xml: CA/QC" vtsl p.asice --tsl TL.xml --tsl-cert tls.crt
output_has "the report lists the trusted list used" "TL.xml: Org \\(EE\\), sequence 1.*" vtsl p.asice --tsl TL.xml --tsl-cert tls.crt
output_has "JSON names the trusted lists" '"trusted_lists":\[\{"file":"TL.xml","operator":"Org"' \
	vtsl p.asice --tsl TL.xml --tsl-cert tls.crt --json
vtsl p.asice --tsl TL.xml --tsl-cert tls.crt --json >tl.json
json_valid "verify --json with a trusted list validates against the schema" verify tl.json
expect "JSON gives the list's signer in the one fingerprint form, with its O, C and issuer" python3 - \
	"$(openssl x509 -in tls.crt -outform DER | sha256sum | cut -d' ' -f1)" <<'PY'
import json, sys
r = json.load(open("tl.json"))
l = r["trusted_lists"][0]
assert l["signer_fingerprint"] == sys.argv[1], (l, sys.argv[1])
assert all(k in l for k in ("signer_org", "signer_country", "signer_issuer")), l
assert r["trust_anchors"]["trusted_lists"] >= 1 and r["trust_anchors"]["store_folder"] is None, r["trust_anchors"]
PY
refuses "--tsl without --tsl-cert is a usage error" 3 "tsl-cert" vtsl p.asice --tsl TL.xml
output_has "two lists (pairs in order): the second adds nothing, both are reported" "TL2.xml" \
	vtsl p.asice --tsl TL.xml --tsl-cert tls.crt --tsl TL2.xml --tsl-cert tls.crt

# OCSP: a "good" response from the responder the list names (RFC 6960 4.2.2.2, local
# configuration): a self-signed responder nobody certified, trusted only through the list.
printf 'extendedKeyUsage=critical,OCSPSigning\nkeyUsage=critical,digitalSignature\n' >xo.ext
setup "an outside OCSP responder" openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout xo.key -subj "/CN=Outside OCSP" -days 365 -addext "extendedKeyUsage=critical,OCSPSigning" -out xo.crt
printf 'V\t391231235959Z\t\t%s\tunknown\t/CN=alice\n' "$(openssl x509 -in alice.crt -noout -serial | cut -d= -f2)" >index.txt
setup "its good response for alice" sh -c 'openssl ocsp -issuer ca.crt -cert alice.crt -reqout req.der -no_nonce &&
	openssl ocsp -index index.txt -rsigner xo.crt -rkey xo.key -CA ca.crt -reqin req.der -respout xo.der'
setup "a list naming it as Certstatus/OCSP" accord tsl make --out TLo.xml --key tls.key --cert tls.crt \
	--passphrase-file pass --ca ca.crt --tsa tsa/tsa.crt --ocsp xo.crt
output_has "a response from the listed OCSP responder decides revocation" "good by OCSP from 'Outside OCSP'" \
	vtsl p.asice --tsl TLo.xml --tsl-cert tls.crt --ocsp xo.der

# DigiDoc (libdigidocpp) loads the list: without OCSP in the package (B-T) it says the
# package lacks RevocationValues, which is expected; what matters is that it does not
# complain about the list.
. "$TESTS/tools/digidoc.sh"
if digidoc_find "$T/dd"; then
	"$DD/judge.sh" p.asice TL.xml tls.crt >judge.out 2>&1
	echo "    DigiDoc says: $(grep -E 'Loaded|Exception|^[A-Z].*missing|Container is' judge.out | tr '\n' ' ' | head -c 300)"
	expect "DigiDoc loads the list's certificates and only misses the revocation data" sh -c \
		"grep -q 'Loaded 3 certificates into TSL certificate store' judge.out && grep -q 'RevocationValues object is missing' judge.out && ! grep -qi 'TSL.*\\(fail\\|invalid\\|error\\)' judge.out"
else
	skip "DigiDoc judge: $DD_WHY"
fi

# ---- hostile lists: none of them may give trust ----
SCHANGE="changed after it was signed"
sed 's/Svctype\/TSA\/QTST</Svctype\/CA\/QC</' TL.xml >changed.xml
hostile "a service type changed after signing: the list is refused" 1 "$SCHANGE" vtsl p.asice --tsl changed.xml --tsl-cert tls.crt
sed 's/<ds:SignatureValue>\(....\)/<ds:SignatureValue>AAAA/' TL.xml >badsig.xml
hostile "a signature value that does not verify: the list is refused" 1 "signature.*does not verify|wrong size" \
	vtsl p.asice --tsl badsig.xml --tsl-cert tls.crt
setup "another signer" accord keys generate --name "Someone else" --org X --country EE --email x@example.org --out other --passphrase-file pass
setup "a list signed by the other signer" accord tsl make --out other.xml --key other.key --cert other.crt --passphrase-file pass --ca ca.crt
hostile "a list signed by another certificate than --tsl-cert is refused" 1 "not signed with the given --tsl-cert" \
	vtsl p.asice --tsl other.xml --tsl-cert tls.crt
sed "s|<ds:X509Certificate>[^<]*<|<ds:X509Certificate>$(openssl x509 -in tls.crt -outform DER | base64 -w0)<|" other.xml >rekeyed.xml
hostile "another signer's list with KeyInfo swapped for the expected certificate is refused" 1 "signature.*does not verify" \
	vtsl p.asice --tsl rekeyed.xml --tsl-cert tls.crt
setup "a list naming the CA as a TSA" accord tsl make --out tsaonly.xml --key tls.key --cert tls.crt --passphrase-file pass --tsa ca.crt --tsa tsa/tsa.crt
hostile "a TSA service cannot act as the signer's CA" 2 "not trusted for signing" vtsl p.asice --tsl tsaonly.xml --tsl-cert tls.crt
setup "a list naming the CA as an OCSP responder" accord tsl make --out ocsponly.xml --key tls.key --cert tls.crt --passphrase-file pass --ocsp ca.crt --tsa tsa/tsa.crt
hostile "an OCSP service cannot act as the signer's CA" 2 "not trusted for signing" vtsl p.asice --tsl ocsponly.xml --tsl-cert tls.crt
setup "a list without the TSA" accord tsl make --out nots.xml --key tls.key --cert tls.crt --passphrase-file pass --ca ca.crt
hostile "a CA service does not make its TSA trusted for timestamps" 2 "TSA 'Org TSA'.*not trusted for timestamping" \
	vtsl p.asice --tsl nots.xml --tsl-cert tls.crt
if command -v xmlsec1 >/dev/null; then
	$EDIT status TL.xml later.xml 0 withdrawn 2099-01-01T00:00:00Z granted 2020-01-01T00:00:00Z && resign later.xml later.signed
	output_has "control: a CA withdrawn only after the signing time still vouches for it" "VALID and COMPLETE" \
		vtsl p.asice --tsl later.signed --tsl-cert tls.crt
	$EDIT status TL.xml wd.xml 0 withdrawn 2021-01-01T00:00:00Z granted 2020-01-01T00:00:00Z && resign wd.xml wd.signed
	hostile "a CA service withdrawn before the signing time gives no trust" 2 "not trusted for signing at" \
		vtsl p.asice --tsl wd.signed --tsl-cert tls.crt
	$EDIT status TL.xml tsawd.xml 1 withdrawn 2021-01-01T00:00:00Z granted 2020-01-01T00:00:00Z && resign tsawd.xml tsawd.signed
	hostile "a TSA service withdrawn before genTime: the timestamp is not trusted" 2 "not trusted for timestamping" \
		vtsl p.asice --tsl tsawd.signed --tsl-cert tls.crt
	$EDIT status TL.xml future.xml 0 granted 2099-01-01T00:00:00Z && resign future.xml future.signed
	hostile "a CA service granted only from a later date gives no trust now" 2 "not trusted for signing at" \
		vtsl p.asice --tsl future.signed --tsl-cert tls.crt
	$EDIT retype TL.xml rt.xml 0 RA && resign rt.xml rt.signed
	hostile "a service of a type accord does not use (RA) gives no trust" 2 "NO_CERTIFICATE_CHAIN_FOUND" \
		vtsl p.asice --tsl rt.signed --tsl-cert tls.crt
	$EDIT ski TL.xml ski.xml 0 && resign ski.xml ski.signed
	hostile "an X509SKI-only service is ignored with a finding" 2 "identified without a certificate" \
		vtsl p.asice --tsl ski.signed --tsl-cert tls.crt
	$EDIT next-update TL.xml old.xml 2021-01-01T00:00:00Z && resign old.xml old.signed
	output_has "a passed NextUpdate is a warning: the list is still used" "VALID and COMPLETE.*with 1 warning" \
		vtsl p.asice --tsl old.signed --tsl-cert tls.crt
	hostile "a passed NextUpdate fails under --strict" 1 "NextUpdate" vtsl p.asice --tsl old.signed --tsl-cert tls.crt --strict
	$EDIT uri-id TL.xml byid.xml && resign byid.xml byid.signed
	output_has "control: the member-state shape (the reference names the root's Id) is read" "VALID and COMPLETE" \
		vtsl p.asice --tsl byid.signed --tsl-cert tls.crt
else
	skip "lists re-signed with xmlsec1: xmlsec1 is not installed"
fi
setup "an outsider's CA" accord keys ca --name "Evil CA" --out evil --passphrase-file pass
$EDIT object TL.xml object.xml "$(openssl x509 -in evil.crt -outform DER | base64 -w0)"
hostile "wrapping: the signed list moved into ds:Object under a forged root is refused" 1 "neither the whole list" \
	vtsl p.asice --tsl object.xml --tsl-cert tls.crt
$EDIT wrap TL.xml wrapped.xml
hostile "wrapping: the signed list inside another root element is refused" 1 "not tsl:TrustServiceStatusList" \
	vtsl p.asice --tsl wrapped.xml --tsl-cert tls.crt
sed 's|</tsl:TrustServiceProviderList>|</tsl:TrustServiceProviderList><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>|' TL.xml >twosig.xml
hostile "a second ds:Signature in the list is refused" 1 "exactly one ds:Signature" vtsl p.asice --tsl twosig.xml --tsl-cert tls.crt
sed 's|<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>|<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>|' TL.xml >xpath.xml
hostile "a reference with an XPath transform is refused" 1 "unexpected transform" vtsl p.asice --tsl xpath.xml --tsl-cert tls.crt
$EDIT doctype TL.xml dtd.xml
hostile "a list with a DTD and an entity is refused" 1 "DOCTYPE" vtsl p.asice --tsl dtd.xml --tsl-cert tls.crt
$EDIT deep TL.xml deep.xml 200
hostile "a list nested 200 deep is refused" 1 "deeper than" vtsl p.asice --tsl deep.xml --tsl-cert tls.crt
$EDIT many TL.xml many.xml 4100
hostile "a list of over 4096 services is refused" 1 "more than 4096 services" vtsl p.asice --tsl many.xml --tsl-cert tls.crt
python3 -c "
import sys
x = open('TL.xml').read()
open('huge.xml', 'w').write(x.replace('</tsl:SchemeInformation>', '<!--' + 'x' * (33 << 20) + '--></tsl:SchemeInformation>'))"
hostile "a list over 32 MiB is refused before it is parsed" 1 "bytes is refused|too large" vtsl p.asice --tsl huge.xml --tsl-cert tls.crt
printf 'not xml at all' >junk.xml
hostile "a file that is not XML is refused" 1 "not well-formed" vtsl p.asice --tsl junk.xml --tsl-cert tls.crt
