#!/bin/sh
# tests/hostile/timemark.sh — BDOC 2.1 time-marks (verify/revocation.c accord_ocsp_time_mark):
# under SK's BDOC policy an OCSP response whose nonce is the DigestInfo of the
# SignatureValue proves when the signature existed, as a timestamp would. A package signed
# by an independent signer (xmlsec1) with such a response embedded passes after the signer's
# certificate expired; every way of faking the mark must leave the signature unproven.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile time-mark: $*"; }
fail() { echo "FAIL: hostile time-mark: $*"; }
. "$TESTS/tools/trust_checks.sh"
cd "$T"
cc -shared -fPIC -o faketime.so "$TESTS/tools/faketime.c" -ldl 2>/dev/null
expect "set-up: the clock shim builds" [ -s faketime.so ]
TM=1.3.6.1.4.1.10015.1000.3.2.1
LATER=$(( $(date +%s) + 40 * 86400 ))   # the signer's certificate (2 days) has expired
V() { faketime_run "$LATER" timeout 30 "$ACCORD_BIN" "$@"; }

q accord keys ca --name "TM CA" --out ca --passphrase-file pass
q accord keys ca --name "TM Other CA" --out other --passphrase-file pass
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass --days 2
q accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass
for k in alice ca other; do openssl pkey -in $k.key -passin file:pass -out $k-plain.pem 2>/dev/null; done
chmod 600 ./*-plain.pem
printf 'The incident report.\n' >doc.txt
q accord pack -o p0.asice doc.txt
XPOLICY=$TM xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/tm.asice" S-tm
unzip -p tm.asice META-INF/signatures0.xml >tm.xml
xsign "$T/alice-plain.pem" "$T/alice.crt" "$ECDSA_SHA256" "$DIG_SHA256" "$T/p0.asice" "$T/np.asice" S-np
unzip -p np.asice META-INF/signatures0.xml >np.xml
expect "set-up: keys and two signatures by an independent signer (BDOC TM policy, none)" \
	[ -s tm.xml -a -s np.xml -a -s alice-plain.pem -a -s bob.crt ]

# mark.py XML OUT MODE: embeds an OCSP response about alice (CA-signed unless MODE says
# otherwise) in the signature's UnsignedSignatureProperties; its nonce per MODE.
cat >mark.py <<'PY'
import base64, datetime, hashlib, re, sys
from cryptography import x509
from cryptography.x509 import ocsp
from cryptography.x509.oid import ObjectIdentifier
from cryptography.hazmat.primitives import hashes, serialization
xml, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(xml).read()
sv = base64.b64decode(re.search(r"SignatureValue[^>]*>([^<]+)<", s).group(1))
load = lambda f: x509.load_pem_x509_certificate(open(f, "rb").read())
key = lambda f: serialization.load_pem_private_key(open(f, "rb").read(), None)
alice, ca, bob = load("alice.crt"), load("ca.crt"), load("bob.crt")
SHA256_DI = bytes.fromhex("3031300d060960864801650304020105000420")
SHA1_DI = bytes.fromhex("3021300906052b0e03021a05000414")
value = sv if mode != "other-value" else sv + b"x"
nonce = SHA256_DI + hashlib.sha256(value).digest()
if mode == "sha1":
    nonce = SHA1_DI + hashlib.sha1(sv).digest()
if mode == "bare-digest":
    nonce = hashlib.sha256(sv).digest()
subject, signer, signer_key = alice, ca, key("ca-plain.pem")
if mode == "self":      # alice vouches for her own signature
    signer, signer_key = alice, key("alice-plain.pem")
if mode == "other-ca":  # a CA that did not issue alice's certificate
    signer, signer_key = load("other.crt"), key("other-plain.pem")
if mode == "bob":       # a genuine response, about another certificate
    subject = bob
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
status = ocsp.OCSPCertStatus.REVOKED if mode == "revoked" else ocsp.OCSPCertStatus.GOOD
b = ocsp.OCSPResponseBuilder().add_response(
    cert=subject, issuer=ca, algorithm=hashes.SHA1(), cert_status=status, this_update=now,
    next_update=None, revocation_time=now if mode == "revoked" else None, revocation_reason=None,
).responder_id(ocsp.OCSPResponderEncoding.HASH, signer)
if mode == "wrapped":   # RFC 6960 4.4.1: the DigestInfo inside an OCTET STRING
    b = b.add_extension(x509.OCSPNonce(nonce), critical=False)
else:
    b = b.add_extension(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.5.5.7.48.1.2"), nonce), critical=False)
der = b.sign(signer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
unsigned = ("<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:RevocationValues>"
            "<xades:OCSPValues><xades:EncapsulatedOCSPValue>%s</xades:EncapsulatedOCSPValue></xades:OCSPValues>"
            "</xades:RevocationValues></xades:UnsignedSignatureProperties></xades:UnsignedProperties>"
            % base64.b64encode(der).decode())
s = s.replace("</xades:SignedProperties>", "</xades:SignedProperties>" + unsigned, 1)
open(out, "w").write(s)
PY
mark() { # MODE [XML]: the unsigned package with the marked signature, tm-MODE.asice
	python3 mark.py "${2:-tm.xml}" "m-$1.xml" "$1" >"m-$1.err" 2>&1 &&
		$ZIPEDIT "$T/p0.asice" "$T/tm-$1.asice" --add META-INF/signatures0.xml "m-$1.xml"
}
for m in good wrapped other-value sha1 bare-digest self other-ca bob revoked; do mark $m; done
mark nopolicy np.xml
expect "set-up: ten time-marked packages" [ -s tm-good.asice -a -s tm-revoked.asice -a -s tm-nopolicy.asice ]

# Controls: the mark is what makes the difference.
output_has "control: an honest time-mark passes after the signer's certificate expired" \
	'certificate checked at: .*\(time-mark\)' V verify tm-good.asice --trust ca.crt
valid "control: ... and the package is VALID" V verify tm-good.asice --trust ca.crt
valid "the RFC 6960 nonce form (the DigestInfo in an OCTET STRING) is read too" V verify tm-wrapped.asice --trust ca.crt
not_valid "without a time-mark the expired signer stays unproven" 'OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm.asice --trust ca.crt

# Attacks: each must leave the signature without proof of existence.
not_valid "a nonce over other bytes than the SignatureValue proves nothing" 'OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-other-value.asice --trust ca.crt
not_valid "a SHA-1 nonce is refused by the crypto policy" 'OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-sha1.asice --trust ca.crt
not_valid "a bare digest (no DigestInfo) is no time-mark" 'OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-bare-digest.asice --trust ca.crt
not_valid "the signer's own 'OCSP response' is no time-mark" 'OUT_OF_BOUNDS_NO_POE|expired|authori' \
	V verify tm-self.asice --trust ca.crt
not_valid "a response from a CA that did not issue the signer's certificate is no time-mark" \
	'OUT_OF_BOUNDS_NO_POE|expired|authori' V verify tm-other-ca.asice --trust ca.crt --trust other.crt
not_valid "a genuine response about another certificate is no time-mark" 'OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-bob.asice --trust ca.crt
not_valid "a response saying revoked is no time-mark" 'REVOKED|OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-revoked.asice --trust ca.crt
not_valid "without the BDOC policy an OCSP nonce is not a time-mark" 'OUT_OF_BOUNDS_NO_POE|expired' \
	V verify tm-nopolicy.asice --trust ca.crt
