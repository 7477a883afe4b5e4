#!/bin/sh
# tests/hostile/legacy_review.sh — outside review of the DigiDoc/DSS relaxations of
# `accord verify` (64b918e, 25fb03d: BER timestamp wrappers, SHA-1 SigningCertificate,
# trusted OCSP responders named by ResponderID, unreadable LTV values, status sources,
# manifest media types, unprefixed manifest attributes, bare ds:Signature roots,
# signatures over signature files and the manifest). Each attack must never end in
# "VALID" nor take unbounded time; positive controls show a check cannot pass by verify
# refusing everything.
#   HOLE-n   an attack that succeeds on the code reviewed (25fb03d): left failing for the
#            lead to fix; the root cause is named above each.
#   GUARD-n  an attack refused today: kept to catch regressions.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile legacy review: $*"; }
fail() { echo "FAIL: hostile legacy review: $*"; }
. "$TESTS/tools/trust_checks.sh"
cd "$T"
V() { timeout 30 "$ACCORD_BIN" "$@"; }

# ---- set-up: a CA, alice and bob, a TSA; a package with alice as the declared party ----
q accord keys ca --name "LR CA" --out ca --passphrase-file pass
q accord keys ca --name "LR Other CA" --out other --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass
q accord tsa init --dir tsa --name "LR TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass
for k in alice bob ca other; do openssl pkey -in $k.key -passin file:pass -out $k-plain.pem 2>/dev/null; done
chmod 600 ./*-plain.pem
printf 'The agreement.\n' >doc.txt
q accord pack -o p.asice --party alice.crt doc.txt
q accord pack -o p0.asice doc.txt
cp p.asice a.asice; q accord sign a.asice --key alice.key --cert alice.crt --passphrase-file pass
cp p.asice t.asice
q accord sign t.asice --key alice.key --cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass
unzip -p a.asice META-INF/signatures0.xml >a.xml
unzip -p t.asice META-INF/signatures0.xml >t.xml
unzip -p a.asice META-INF/manifest.xml >m.xml
expect "set-up: keys, TSA, a signed and a timestamped package exist" \
	[ -s ca.crt -a -s alice.crt -a -s bob.crt -a -s tsa/tsa.crt -a -s a.xml -a -s t.xml -a -s m.xml -a -s alice-plain.pem ]
valid "control: alice's plain signature is VALID" V verify a.asice --trust ca.crt
valid "control: alice's timestamped signature is VALID" V verify t.asice --trust ca.crt

# ==== 1. BER ContentInfo wrappers on timestamp tokens (formats/tst_parse.c) ====
# The token is re-wrapped (unsigned: the SignatureTimeStamp is outside SignedInfo).
# "forged" is the token's SignedData with the genTime year changed to 2015 (its CMS
# signature no longer verifies). The attacker wants libtasn1 (accord's TSTInfo) and
# GnuTLS's pkcs7 import (the signature check) to read different SignedData, or a second
# token to hide behind the first.
cat >ber.py <<'PY'
import base64, re, sys
def tlv(b, i):
    t, l, j = b[i], b[i + 1], i + 2
    if l == 0x80:
        return t, None, j
    if l & 0x80:
        n = l & 0x7f
        l, j = int.from_bytes(b[j:j + n], "big"), j + n
    return t, l, j
def enc_len(n):
    if n < 128:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(s)]) + s
src, dst, mode = sys.argv[1:4]
x = open(src).read()
m = re.search(r"<xades:EncapsulatedTimeStamp[^>]*>(.*?)</xades:EncapsulatedTimeStamp>", x, re.S)
tok = base64.b64decode(m.group(1))
t, l, j = tlv(tok, 0)
t2, l2, k = tlv(tok, j)
oid = tok[j:k + l2]
t3, l3, s = tlv(tok, k + l2)
sd = tok[s:s + l3]
i = sd.find(b"\x18\x0f20")
bad = bytearray(sd); bad[i + 2:i + 6] = b"2015"; bad = bytes(bad)
W = {
    "ber": b"\x30\x80" + oid + b"\xa0\x80" + sd + b"\0\0\0\0",
    "long-form": (lambda inner: b"\x30\x84" + len(inner).to_bytes(4, "big") + inner)(oid + b"\xa0\x84" + len(sd).to_bytes(4, "big") + sd),
    "forged": b"\x30\x80" + oid + b"\xa0\x80" + bad + b"\0\0\0\0",
    "two-forged-first": b"\x30\x80" + oid + b"\xa0\x80" + bad + sd + b"\0\0\0\0",
    "two-genuine-first": b"\x30\x80" + oid + b"\xa0\x80" + sd + bad + b"\0\0\0\0",
    "second-content": b"\x30\x80" + oid + b"\xa0\x80" + sd + b"\0\0" + b"\xa0\x80" + bad + b"\0\0\0\0",
    "explicit-long": b"\x30\x80" + oid + b"\xa0" + enc_len(len(bad) + len(sd)) + bad + sd + b"\0\0",
    "explicit-short": b"\x30\x80" + oid + b"\xa0" + enc_len(len(sd)) + sd + bad + b"\0\0",
    "trailing-token": b"\x30\x80" + oid + b"\xa0\x80" + sd + b"\0\0\0\0" + b"\x30\x80" + oid + b"\xa0\x80" + bad + b"\0\0\0\0",
}
open(dst, "w").write(x.replace(m.group(1), base64.b64encode(W[mode]).decode(), 1))
PY
for m in ber long-form forged two-forged-first two-genuine-first second-content explicit-long explicit-short trailing-token; do
	python3 ber.py t.xml "ber-$m.xml" "$m" && $ZIPEDIT t.asice "ber-$m.asice" --set META-INF/signatures0.xml "ber-$m.xml"
done
expect "set-up: nine re-wrapped tokens" sh -c 'for f in ber-*.asice; do [ -s "$f" ] || exit 1; done; [ "$(ls ber-*.asice | wc -l)" = 9 ]'
valid "GUARD-1 control: the genuine token in an indefinite-length BER wrapper is read" V verify ber-ber.asice --trust ca.crt
valid "GUARD-1 control: the genuine token with long-form (non-minimal) BER lengths is read" V verify ber-long-form.asice --trust ca.crt
not_valid "GUARD-1a: a BER wrapper around a token with a changed genTime" "does not verify|timestamp" \
	V verify ber-forged.asice --trust ca.crt
not_valid "GUARD-1b: a forged SignedData then the genuine one inside one BER [0]" "timestamp|DER" \
	V verify ber-two-forged-first.asice --trust ca.crt
not_valid "GUARD-1c: the genuine SignedData then a forged one inside one BER [0]" "timestamp|DER" \
	V verify ber-two-genuine-first.asice --trust ca.crt
not_valid "GUARD-1d: a second [0] content in the indefinite ContentInfo" "timestamp|DER" \
	V verify ber-second-content.asice --trust ca.crt
not_valid "GUARD-1e: a definite [0] whose length covers two SignedData" "timestamp|DER" \
	V verify ber-explicit-long.asice --trust ca.crt
not_valid "GUARD-1f: a definite [0] covering only the genuine SignedData, a forged one after it" "timestamp|DER" \
	V verify ber-explicit-short.asice --trust ca.crt
not_valid "GUARD-1g: a second (forged) token after the BER wrapper's end" "timestamp|DER|garbage" \
	V verify ber-trailing-token.asice --trust ca.crt

# ==== 2. manifest media types and unprefixed attributes (verify/package.c, formats/manifest.c) ====
# mf NAME ENTRY: the manifest with doc.txt's file-entry replaced by ENTRY.
mf() {
	python3 - "$1" "$2" <<'PY'
import sys
m = open("m.xml").read()
old = '<manifest:file-entry manifest:full-path="doc.txt" manifest:media-type="text/plain"/>'
assert old in m
open("mf-%s.xml" % sys.argv[1], "w").write(m.replace(old, sys.argv[2]))
PY
	$ZIPEDIT a.asice "mf-$1.asice" --set META-INF/manifest.xml "mf-$1.xml"
}
mf both '<manifest:file-entry manifest:full-path="doc.txt" manifest:media-type="text/plain" media-type="text/html"/>'
mf both-rev '<manifest:file-entry media-type="text/html" full-path="doc.txt" manifest:full-path="doc.txt" manifest:media-type="text/plain"/>'
mf unq-html '<manifest:file-entry full-path="doc.txt" media-type="text/html"/>'
mf unq-plain '<manifest:file-entry full-path="doc.txt" media-type="text/plain"/>'
mf dup-unq '<manifest:file-entry manifest:full-path="doc.txt" manifest:media-type="text/plain"/><manifest:file-entry full-path="doc.txt" media-type="text/html"/>'
mf other-ns '<manifest:file-entry xmlns:o="urn:example:other" manifest:full-path="doc.txt" o:media-type="text/html"/>'
mf octet '<manifest:file-entry manifest:full-path="doc.txt" manifest:media-type="application/octet-stream"/>'
mf list '<manifest:file-entry manifest:full-path="doc.txt" manifest:media-type="text/plain, text/html"/>'
expect "set-up: eight edited manifests" sh -c '[ "$(ls mf-*.asice | wc -l)" = 8 ]'
valid "GUARD-2 control: unprefixed attributes agreeing with the signed MimeType are read" V verify mf-unq-plain.asice --trust ca.crt
not_valid "GUARD-2a: an unprefixed media-type contradicting the signed MimeType is INVALID" "manifest but 'text/plain'" \
	V verify mf-unq-html.asice --trust ca.crt
not_valid "GUARD-2b: a second, unprefixed file-entry for the same document is refused" "twice" \
	V verify mf-dup-unq.asice --trust ca.crt
not_valid "GUARD-2c: media-type in a foreign namespace is not a media type" "without full-path or media-type" \
	V verify mf-other-ns.asice --trust ca.crt
not_valid "GUARD-2d: a list of media types is not the signed one" "manifest but 'text/plain'" \
	V verify mf-list.asice --trust ca.crt
output_has "GUARD-2e: application/octet-stream in the manifest (the documented exception) is at least reported" \
	"gives 'application/octet-stream', signature '[^']*' signed 'text/plain'" V verify mf-octet.asice --trust ca.crt
# ---- HOLE-1: a file-entry with both the prefixed and the unprefixed media-type ----
# manifest:media-type="text/plain" (what alice signed) and media-type="text/html" on the
# same element: accord reads the prefixed one, says VALID and reports nothing, while a
# reader that takes the unprefixed attribute (DSS writes them so; a naive getAttribute
# or local-name reader) shows the signed bytes as HTML: the polyglot the media-type rule
# was added against. Root cause: formats/manifest.c:manifest_attr takes the unprefixed
# attribute only when the prefixed one is absent and never looks at both, so two
# contradicting values on one element are not noticed. Fix: in the tolerant reading,
# refuse (or at least judge both values against the signed MimeType in
# verify/package.c:verify_tree) an element whose prefixed and unprefixed full-path or
# media-type differ.
not_valid "HOLE-1a: manifest:media-type text/plain and media-type text/html on one file-entry" "media.type|ambigu|manifest" \
	V verify mf-both.asice --trust ca.crt
not_valid "HOLE-1b: the same with the unprefixed attributes first" "media.type|ambigu|manifest" \
	V verify mf-both-rev.asice --trust ca.crt

# ==== 3. signature file roots, signatures over signature files and the manifest ====
python3 - <<'PY'
import re
x = open("a.xml").read()
m = re.search(r"(<asic:XAdESSignatures [^>]*>)(.*)</asic:XAdESSignatures>", x, re.S)
decl = " ".join(re.findall(r'xmlns:\w+="[^"]*"', m.group(1)))
sig = m.group(2)
bare = sig.replace("<ds:Signature ", "<ds:Signature %s " % decl, 1)
inner = sig.replace('Id="S-', 'Id="W-')
open("bare.xml", "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' + bare)
i = bare.rindex("</ds:Signature>")
open("bare-obj.xml", "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' + bare[:i] + "<ds:Object>" + inner + "</ds:Object></ds:Signature>")
j = bare.index("</xades:SignedProperties>") + len("</xades:SignedProperties>")
open("bare-usp.xml", "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' + bare[:j] + "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>" + inner + "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>" + bare[j:])
open("bare-two.xml", "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' + bare + inner.replace("<ds:Signature ", "<ds:Signature %s " % decl, 1))
PY
for b in bare bare-obj bare-usp bare-two; do $ZIPEDIT a.asice "$b.asice" --set META-INF/signatures0.xml "$b.xml"; done
valid "GUARD-3 control: alice's signature moved to a bare ds:Signature root is read" V verify bare.asice --trust ca.crt
not_valid "GUARD-3a: a bare ds:Signature root holding a second signature in an extra ds:Object" "unexpected element|FORMAT" \
	V verify bare-obj.asice --trust ca.crt
not_valid "GUARD-3b: a bare ds:Signature root holding a second signature among its unsigned properties" "unexpected|FORMAT" \
	V verify bare-usp.asice --trust ca.crt
not_valid "GUARD-3c: two ds:Signature roots one after the other" "XML|FORMAT|not well|Extra content" \
	V verify bare-two.asice --trust ca.crt

# xrefs KEY CERT IN OUT ID URI...: xmlsec1 signs a XAdES signature (as its own signature
# file META-INF/signatures1.xml, added to IN) over the given container paths and its
# SignedProperties; the paths are read from a copy of IN unpacked beside the template.
xrefs() {
	key=$1 crt=$2 in=$3 out=$4 id=$5; shift 5
	d=$T/xr.$id; rm -rf "$d"; mkdir -p "$d"
	(cd "$d" && unzip -q -o "$in") || return 1
	certb64=$(openssl x509 -in "$crt" -outform DER | openssl base64 -A)
	certdig=$(openssl x509 -in "$crt" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A)
	refs=""; k=0
	for u in "$@"; do
		refs="$refs<ds:Reference Id=\"$id-r$k\" URI=\"$u\"><ds:DigestMethod Algorithm=\"$DIG_SHA256\"/><ds:DigestValue></ds:DigestValue></ds:Reference>"
		k=$((k + 1))
	done
	cat >"$d/tmpl.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"><ds:Signature Id="$id"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="$ECDSA_SHA256"/>$refs<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#$id-SP"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="$DIG_SHA256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue Id="$id-SIG"></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>$certb64</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties Target="#$id"><xades:SignedProperties Id="$id-SP"><xades:SignedSignatureProperties><xades:SigningTime>$(date -u +%Y-%m-%dT%H:%M:%SZ)</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="$DIG_SHA256"/><ds:DigestValue>$certdig</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></asic:XAdESSignatures>
XML
	(cd "$d" && xmlsec1 --sign --privkey-pem "$key,$crt" --enabled-reference-uris empty,same-doc,local,remote \
		--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties --output signed.xml tmpl.xml) >"$d/xs.out" 2>&1 &&
		[ -s "$d/signed.xml" ] && $ZIPEDIT "$in" "$out" --add META-INF/signatures1.xml "$d/signed.xml"
}
if command -v xmlsec1 >/dev/null 2>&1; then
	# A package that needs alice and bob (quorum 2); alice signs it.
	q accord pack -o ab.asice --party alice.crt --party bob.crt doc.txt
	q accord sign ab.asice --key alice.key --cert alice.crt --passphrase-file pass
	xrefs "$T/bob-plain.pem" "$T/bob.crt" "$T/ab.asice" "$T/ab-bob-sf.asice" BSF META-INF/signatures0.xml
	xrefs "$T/bob-plain.pem" "$T/bob.crt" "$T/ab.asice" "$T/ab-bob-mf.asice" BMF META-INF/manifest.xml
	xrefs "$T/bob-plain.pem" "$T/bob.crt" "$T/ab.asice" "$T/ab-bob-all.asice" BAL doc.txt accord-package.xml META-INF/signatures0.xml
	# A package without a descriptor: a signature over the manifest alone.
	xrefs "$T/bob-plain.pem" "$T/bob.crt" "$T/p0.asice" "$T/p0-bob-mf.asice" PMF META-INF/manifest.xml
	expect "set-up: xmlsec1 made bob's signatures over the signature file, the manifest, and everything" \
		[ -s ab-bob-sf.asice -a -s ab-bob-mf.asice -a -s ab-bob-all.asice -a -s p0-bob-mf.asice ]
	not_valid "GUARD-4 control: alice alone does not meet the quorum of 2" "1 of 2" V verify ab.asice --trust ca.crt
	valid "GUARD-4 control: bob's signature over the documents and alice's signature file meets it" \
		V verify ab-bob-all.asice --trust ca.crt
	not_valid "GUARD-4a: bob signing only alice's signature file is not bob's signature of the package" "1 of 2" \
		V verify ab-bob-sf.asice --trust ca.crt
	not_valid "GUARD-4b: bob signing only the manifest is not bob's signature of the package" "1 of 2" \
		V verify ab-bob-mf.asice --trust ca.crt
	not_valid "GUARD-4c: a signature over the manifest alone covers no document" "not covered" \
		V verify p0-bob-mf.asice --trust ca.crt
	# The manifest bob signed is then changed (a media type): his signature fails.
	unzip -p ab-bob-mf.asice META-INF/manifest.xml | sed 's|"text/plain"|"text/plain; charset=utf-8"|' >ab-mf2.xml
	$ZIPEDIT ab-bob-mf.asice ab-bob-mf2.asice --set META-INF/manifest.xml ab-mf2.xml
	not_valid "GUARD-4d: a signed manifest changed afterwards fails the signature over it" "'META-INF/manifest.xml' does not match" \
		V verify ab-bob-mf2.asice --trust ca.crt
	# A reference spelled with another case names no file (exact names only).
	sed 's|URI="META-INF/signatures0.xml"|URI="meta-inf/signatures0.xml"|' xr.BSF/signed.xml >bsf-case.xml
	$ZIPEDIT ab.asice ab-bob-case.asice --add META-INF/signatures1.xml bsf-case.xml
	not_valid "GUARD-4e: a reference to meta-inf/signatures0.xml (other case) finds nothing" "not in the package|SIGNED_DATA_NOT_FOUND|does not verify" \
		V verify ab-bob-case.asice --trust ca.crt
else
	skip "hostile legacy review: signatures over signature files: xmlsec1 is not installed"
fi

# ---- HOLE-2: every reference to a signature file or the manifest hashes it again ----
# A 15 MB manifest (whitespace between its elements, ~25 KB compressed) and signature
# files of 64 signatures each (alice's, re-Id'd), every one with a correct reference to
# META-INF/manifest.xml: check_references hashes the whole manifest once per signature,
# before the signature value is checked, so the signatures need not be valid. 512
# signatures: ~8 GB of SHA-256 (4-9 s here); the entry limit (10000 files of 64
# signatures) allows ~10 PB (a hang) from a container of a few MB. Data documents are
# hashed once per run; these are not. Root cause: verify/signature.c:check_references
# (the signature_file branch) runs gnutls_hash_fast over sf->data for every reference.
# Fix: digest each META-INF file once per algorithm (like the data files' single pass,
# cached in the container or the report) and compare against that.
cat >sfbomb.py <<'PY'
import base64, hashlib, re, sys, zipfile
src, dst, nsig, nfiles, pad = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
z = zipfile.ZipFile(src)
items = [(i.filename, z.read(i.filename), i.compress_type) for i in z.infolist()]
d = dict((n, b) for n, b, _ in items)
man = d["META-INF/manifest.xml"]
blank = bytearray(b" " * pad)
for k in range(0, pad, 997):
    blank[k] = 10
man = man.replace(b"<manifest:file-entry", bytes(blank) + b"<manifest:file-entry", 1)
x = d["META-INF/signatures0.xml"].decode()
sig = re.search(r"<ds:Signature .*</ds:Signature>", x, re.S).group(0)
sid = re.search(r'Id="(S-[0-9a-f]+)"', sig).group(1)
dig = base64.b64encode(hashlib.sha256(man).digest()).decode()
s = re.sub(r'URI="doc.txt"><ds:DigestMethod Algorithm="([^"]*)"/><ds:DigestValue>[^<]*',
           'URI="META-INF/manifest.xml"><ds:DigestMethod Algorithm="\\1"/><ds:DigestValue>%s' % dig, sig, 1)
head = x[:x.index("<ds:Signature ")]
with zipfile.ZipFile(dst, "w") as zo:
    for n, b, ct in items:
        zi = zipfile.ZipInfo(n, (2026, 1, 1, 0, 0, 0)); zi.compress_type = ct
        zo.writestr(zi, man if n == "META-INF/manifest.xml" else b)
    for f in range(nfiles):
        sigs = "".join(s.replace(sid, "%s-%d-%d" % (sid, f, k)) for k in range(nsig))
        zi = zipfile.ZipInfo("META-INF/signatures%d.xml" % (f + 1), (2026, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zo.writestr(zi, head + sigs + "</asic:XAdESSignatures>")
PY
python3 sfbomb.py a.asice sfb-small.asice 64 8 0
python3 sfbomb.py a.asice sfb-one.asice 1 1 15000000
python3 sfbomb.py a.asice sfb.asice 64 8 15000000
expect "HOLE-2 setup: 512 signatures over a 15 MB manifest in a container under 100 KB" sh -c \
	'[ -s sfb.asice ] && [ "$(stat -c %s sfb.asice)" -lt 100000 ] && [ "$(unzip -p sfb.asice META-INF/signatures8.xml | grep -o "URI=\"META-INF/manifest.xml\"" | wc -l)" = 64 ]'
# ms EXIT FILE: verify FILE (timeout 30 s); prints "MS RC". The bound is a ratio to the
# controls measured in the same run (a fixed number of ms would not hold under ASan).
ms() {
	start=$(date +%s%N)
	timeout 30 "$ACCORD_BIN" verify "$2" --trust ca.crt >"$T/.timed" 2>&1; rc=$?
	echo "$(( ($(date +%s%N) - start) / 1000000 )) $rc"
}
set -- $(ms 1 sfb-small.asice); t_small=$1 rc_small=$2
set -- $(ms 1 sfb-one.asice); t_one=$1 rc_one=$2
set -- $(ms 1 sfb.asice); t_big=$1 rc_big=$2
expect "HOLE-2 control: 512 such signatures over the small manifest are refused (exit $rc_small, $t_small ms)" [ "$rc_small" = 1 ]
expect "HOLE-2 control: one signature over the 15 MB manifest is refused (exit $rc_one, $t_one ms)" [ "$rc_one" = 1 ]
lim=$(( 4 * (t_small + t_one) + 300 ))
expect "HOLE-2: 512 signatures over one 15 MB manifest: refused, in less than 4x the controls ($t_big ms, limit $lim ms, exit $rc_big)" \
	[ "$rc_big" = 1 -a "$t_big" -lt "$lim" ]

# ==== 4. unreadable embedded validation values (verify/ltv.c) ====
# ltvjunk N OUT: N unreadable OCSP values (4 base64 bytes each) in alice's RevocationValues.
ltvjunk() {
	python3 - "$1" <<'PY' >"$2.xml"
import sys
x = open("a.xml").read()
junk = "<xades:EncapsulatedOCSPValue>AAAA</xades:EncapsulatedOCSPValue>" * int(sys.argv[1])
frag = "<xades:RevocationValues><xades:OCSPValues>" + junk + "</xades:OCSPValues></xades:RevocationValues>"
end = x.index("</xades:SignedProperties>") + len("</xades:SignedProperties>")
sys.stdout.write(x[:end] + "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>" + frag +
                 "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>" + x[end:])
PY
	$ZIPEDIT a.asice "$2" --set META-INF/signatures0.xml "$2.xml"
}
ltvjunk 40000 ltv-many.asice
q accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out ca-alice.crl alice.crt
q accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --out ca-bob.crl bob.crt
expect "set-up: 40000 unreadable OCSP values; CRLs revoking alice and bob" sh -c \
	'[ -s ltv-many.asice ] && [ -s ca-alice.crl ] && [ -s ca-bob.crl ] && [ "$(grep -o EncapsulatedOCSPValue ltv-many.asice.xml | wc -l)" = 80000 ]'
timed "GUARD-5a: 40000 unreadable OCSP values get an answer (not VALID) in under 5 s" "2" 5000 ltv-many.asice
valid "GUARD-5 control: with a CRL deciding (bob revoked, alice not) the values are only findings" \
	V verify ltv-many.asice --trust ca.crt --crl ca-bob.crl
not_valid "GUARD-5b: unreadable values do not hide a given CRL revoking alice" "revoked" \
	V verify ltv-many.asice --trust ca.crt --crl ca-alice.crl

# ==== 5. status sources named by the signer's certificate (verify/trust.c) ====
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout erin.pem -out erin.csr -subj "/CN=erin" >/dev/null 2>&1
openssl pkcs8 -topk8 -in erin.pem -v2 aes-256-cbc -passout file:pass -out erin.key 2>/dev/null
aia=""; for i in $(seq 1 16); do aia="${aia}caIssuers;URI:http://ca.example.invalid/$i.crt,"; done
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityInfoAccess=caIssuers;URI:http://ca.example.invalid/1.crt,OCSP;URI:http://ocsp.example.invalid\n' >erin2.ext
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityInfoAccess=%sOCSP;URI:http://ocsp.example.invalid\n' "$aia" >erin17.ext
openssl x509 -req -in erin.csr -CA ca.crt -CAkey ca-plain.pem -CAcreateserial -days 30 -extfile erin2.ext -out erin2.crt >/dev/null 2>&1
openssl x509 -req -in erin.csr -CA ca.crt -CAkey ca-plain.pem -CAcreateserial -days 30 -extfile erin17.ext -out erin17.crt >/dev/null 2>&1
cp p0.asice e2.asice; q accord sign e2.asice --key erin.key --cert erin2.crt --passphrase-file pass
cp p0.asice e17.asice; q accord sign e17.asice --key erin.key --cert erin17.crt --passphrase-file pass
expect "set-up: erin's certificates name an OCSP responder as the 2nd and the 17th access description" sh -c \
	"openssl x509 -in erin17.crt -noout -text | grep -c 'CA Issuers' | grep -qx 16 && openssl x509 -in erin17.crt -noout -text | grep -q 'OCSP - URI' &&
	 openssl x509 -in erin2.crt -noout -text | grep -q 'OCSP - URI' && [ -s e2.asice ] && [ -s e17.asice ]"
not_valid "GUARD-6: a certificate naming an OCSP responder (2nd access description), no status given" "TRY_LATER" \
	V verify e2.asice --trust ca.crt
valid "GUARD-6 control: with the CA's CRL the same signature is VALID" V verify e2.asice --trust ca.crt --crl ca-bob.crl
# ---- HOLE-3: the OCSP responder named after 16 other access descriptions ----
# erin17.crt names an OCSP responder as its 17th authorityInfoAccess entry (after 16
# caIssuers): accord treats it as naming no status source and says VALID with "no
# revocation data". Root cause: verify/trust.c:names_status_source looks at AIA entries
# 0..15 only (`seq < 16`) and a non-OCSP entry (GNUTLS_E_UNKNOWN_ALGORITHM) just moves
# on; past the bound it answers "names nothing" (fail open). Fix: loop until
# GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE (the extension is bounded by the certificate),
# or treat "bound reached" as naming a source.
not_valid "HOLE-3: a certificate naming an OCSP responder as its 17th access description, no status given" "TRY_LATER" \
	V verify e17.asice --trust ca.crt

# ==== 6. OCSP responders trusted directly, named by ResponderID (verify/revocation.c) ====
# resp.crt: "LR Responder" (OCSPSigning) under the other CA, trusted directly. imp.crt: a
# self-made certificate with the same name and OCSPSigning but another key.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout resp.pem -out resp.csr -subj "/CN=LR Responder" >/dev/null 2>&1
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\nsubjectKeyIdentifier=hash\n' >resp.ext
openssl x509 -req -in resp.csr -CA other.crt -CAkey other-plain.pem -CAcreateserial -days 30 -extfile resp.ext -out resp.crt >/dev/null 2>&1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout imp.pem -out imp.crt -days 30 -subj "/CN=LR Responder" \
	-addext keyUsage=critical,digitalSignature -addext extendedKeyUsage=OCSPSigning >/dev/null 2>&1
AS=$(serial alice.crt)
FUTURE=$(date -u -d '+1 year' +%y%m%d%H%M%SZ)
printf 'V\t%s\t\t%s\tunknown\t/CN=alice\n' "$FUTURE" "$AS" >idx-good
printf 'R\t%s\t%s\t%s\tunknown\t/CN=alice\n' "$FUTURE" "$(date -u -d '-1 day' +%y%m%d%H%M%SZ),keyCompromise" "$AS" >idx-rev
openssl ocsp -issuer ca.crt -cert alice.crt -reqout req.der -no_nonce >/dev/null 2>&1
openssl ocsp -index idx-good -CA ca.crt -rsigner resp.crt -rkey resp.pem -resp_no_certs -reqin req.der -respout good-name.der -ndays 1 >/dev/null 2>&1
openssl ocsp -index idx-good -CA ca.crt -rsigner resp.crt -rkey resp.pem -resp_no_certs -resp_key_id -reqin req.der -respout good-key.der -ndays 1 >/dev/null 2>&1
openssl ocsp -index idx-good -CA ca.crt -rsigner imp.crt -rkey imp.pem -resp_no_certs -reqin req.der -respout imp-name.der -ndays 1 >/dev/null 2>&1
openssl ocsp -index idx-good -CA ca.crt -rsigner imp.crt -rkey imp.pem -resp_no_certs -resp_key_id -reqin req.der -respout imp-key.der -ndays 1 >/dev/null 2>&1
openssl ocsp -index idx-rev -CA ca.crt -rsigner resp.crt -rkey resp.pem -resp_no_certs -reqin req.der -respout rev-name.der -ndays 1 >/dev/null 2>&1
expect "set-up: responses by the trusted responder and by a same-name impostor, without certificates" sh -c \
	"[ -s good-name.der -a -s good-key.der -a -s imp-name.der -a -s imp-key.der -a -s rev-name.der ] &&
	 ! openssl ocsp -respin imp-name.der -resp_text -noverify 2>/dev/null | grep -q 'BEGIN CERT'"
output_has "GUARD-7 control: the trusted responder's response, named by its DN, is used" "good by OCSP from 'LR Responder'" \
	V verify a.asice --trust ca.crt --trust resp.crt --ocsp good-name.der
output_has "GUARD-7 control: the trusted responder's response, named by its key, is used" "good by OCSP from 'LR Responder'" \
	V verify a.asice --trust ca.crt --trust resp.crt --ocsp good-key.der
not_valid "GUARD-7a: a same-name impostor's response (ResponderID byName) is not the trusted responder's" "authori[sz]ed responder|acceptable revocation|REVOCATION" \
	V verify a.asice --trust ca.crt --trust resp.crt --ocsp imp-name.der
not_valid "GUARD-7b: an impostor's response named by its own key is not believed" "authori[sz]ed responder|acceptable revocation|REVOCATION" \
	V verify a.asice --trust ca.crt --trust resp.crt --ocsp imp-key.der
not_valid "GUARD-7c: the trusted responder's 'good' for erin does not stand in for erin's own status" "TRY_LATER|authori[sz]ed responder|acceptable revocation" \
	V verify e2.asice --trust ca.crt --trust resp.crt --ocsp good-name.der
not_valid "GUARD-7d: the trusted responder's 'revoked' outweighs its own 'good' given with it" "revoked" \
	V verify a.asice --trust ca.crt --trust resp.crt --ocsp good-name.der --ocsp rev-name.der

# ==== 7. a token's imprint is checked before its signer (formats/tst_verify.c) ====
# alice's token moved onto bob's signature: refused for the data, whoever signed it.
cp p.asice tb.asice; q accord sign tb.asice --key bob.key --cert bob.crt --passphrase-file pass
unzip -p tb.asice META-INF/signatures0.xml >tb.xml
python3 - <<'PY'
import re
a = open("t.xml").read(); b = open("tb.xml").read()
ts = re.search(r"<xades:UnsignedProperties>.*</xades:UnsignedProperties>", a, re.S).group(0)
end = b.index("</xades:SignedProperties>") + len("</xades:SignedProperties>")
open("tb-moved.xml", "w").write(b[:end] + ts + b[end:])
PY
$ZIPEDIT tb.asice tb-moved.asice --set META-INF/signatures0.xml tb-moved.xml
python3 ber.py tb-moved.xml tb-moved-ber.xml forged
$ZIPEDIT tb.asice tb-moved-ber.asice --set META-INF/signatures0.xml tb-moved-ber.xml
not_valid "GUARD-8a: alice's token on bob's signature covers other data" "messageImprint|HASH_FAILURE" \
	V verify tb-moved.asice --trust ca.crt
not_valid "GUARD-8b: the same, BER-wrapped and with its genTime changed" "messageImprint|HASH_FAILURE|does not verify" \
	V verify tb-moved-ber.asice --trust ca.crt

# ==== 8. a SHA-1 SigningCertificate digest (verify/signature.c) ====
# It names alice, bob's key made the signature: naming is not signing.
if command -v xmlsec1 >/dev/null 2>&1; then
	CERTDIG=sha1 CERTDIG_OF="$T/alice.crt" xsign "$T/bob-plain.pem" "$T/bob.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/s1b.asice" XS1B
	CERTDIG=sha1 xsign "$T/bob-plain.pem" "$T/bob.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/s1ok.asice" XS1O
	mkdir -p s1 && (cd s1 && unzip -q -o ../s1b.asice META-INF/signatures0.xml)
	$XEDIT s1/META-INF/signatures0.xml s1-alice.xml keyinfo-add alice.crt
	$ZIPEDIT s1b.asice s1b-alice.asice --set META-INF/signatures0.xml s1-alice.xml
	expect "set-up: bob's signatures naming alice (and himself) by SHA-1" [ -s s1b.asice -a -s s1ok.asice -a -s s1b-alice.asice ]
	valid "GUARD-9 control: bob named by a SHA-1 digest of his own certificate: VALID" V verify s1ok.asice --trust ca.crt
	not_valid "GUARD-9a: a SHA-1 digest of alice's certificate, bob's certificate in KeyInfo" "NO_SIGNING_CERTIFICATE_FOUND" \
		V verify s1b.asice --trust ca.crt
	not_valid "GUARD-9b: the same with alice's certificate added to KeyInfo: her key did not sign" "SIG_CRYPTO_FAILURE|does not verify" \
		V verify s1b-alice.asice --trust ca.crt
else
	skip "hostile legacy review: SHA-1 SigningCertificate: xmlsec1 is not installed"
fi
