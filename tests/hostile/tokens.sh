#!/bin/sh
# tests/hostile/tokens.sh — hostile timestamp tokens and replies: each case named for the
# attack, with the exit code and words accord must give; never a crash (exit >= 124).
. "$(dirname "$0")/../lib.sh"
cd "$T"
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }
hcase() { # NAME EXIT WORDS CMD...
	n=$1; want=$2; words=$3; shift 3
	timeout 30 "$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" -lt 124 ] && [ "$got" = "$want" ] && grep -Eqi -- "$words" "$T/.out"; then
		pass "hostile token: $n"
	else
		fail "hostile token: $n (exit $got, wanted $want and /$words/)"; sed 's/^/    /' "$T/.out" | head -8
	fi
}

accord keys ca --name "Token CA" --out ca --passphrase-file pass >/dev/null 2>&1
accord keys ca --name "Other CA" --out other --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice --out alice --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob --out bob --passphrase-file pass >/dev/null 2>&1
accord tsa init --dir tsa --name "Token TSA" --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --passphrase-file pass >/dev/null 2>&1
printf 'the data\n' >data.txt
printf 'other data\n' >other.txt
openssl ts -query -data data.txt -sha256 -cert -out q.tsq 2>/dev/null
accord tsa stamp --dir tsa --request q.tsq --out r.tsr --passphrase-file pass >/dev/null 2>&1
hcase "control: a good reply verifies" 0 "valid|ok" "$ACCORD_BIN" tsa verify --reply r.tsr --data data.txt --trust ca.crt
hcase "wrong imprint (token for other data)" 1 "HASH_FAILURE" "$ACCORD_BIN" tsa verify --reply r.tsr --data other.txt --trust ca.crt
hcase "untrusted TSA" 1 "NO_CERTIFICATE_CHAIN_FOUND" "$ACCORD_BIN" tsa verify --reply r.tsr --data data.txt --trust other.crt
head -c 200 r.tsr >trunc.tsr
hcase "truncated reply" 1 "malformed|format|DER|truncat" "$ACCORD_BIN" tsa verify --reply trunc.tsr --data data.txt --trust ca.crt
python3 -c "
b=bytearray(open('r.tsr','rb').read()); b[len(b)-20]^=0xff; open('flip.tsr','wb').write(b)"
hcase "one byte of the signature flipped" 1 "SIG_CRYPTO_FAILURE|FORMAT_FAILURE" "$ACCORD_BIN" tsa verify --reply flip.tsr --data data.txt --trust ca.crt
: >empty.tsr
hcase "empty reply" 1 "empty|malformed|format|DER" "$ACCORD_BIN" tsa verify --reply empty.tsr --data data.txt --trust ca.crt
# Found by fuzzing (tests/fuzz): a TSA certificate with an unknown key algorithm made
# GnuTLS leak inside gnutls_pkcs7_verify_direct; now refused before that call.
hcase "fuzz regression: unknown public-key algorithm in the TSA certificate" 1 "FAILURE|format" \
	"$ACCORD_BIN" tsa verify --reply "$TESTS/fuzz/crashes/tsr-gnutls-pubkey-leak.der" --data data.txt --trust ca.crt

# In signatures: a token replayed from another signature, and a token from another TSA.
printf 'Agreement.\n' >a.txt
accord pack -o p.asice --party alice.crt --party bob.crt a.txt >/dev/null
accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass >/dev/null
accord sign p.asice --key bob.key --cert bob.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass >/dev/null
hcase "control: both timestamped signatures verify" 0 "VALID and COMPLETE" "$ACCORD_BIN" verify p.asice --trust ca.crt
mkdir x && (cd x && unzip -q ../p.asice)
python3 - <<'PY'
import re
a=open('x/META-INF/signatures0.xml').read(); b=open('x/META-INF/signatures1.xml').read()
tok=re.search(r'<xades:EncapsulatedTimeStamp>[^<]*<',a).group(0)
open('replay.xml','w').write(re.sub(r'<xades:EncapsulatedTimeStamp>[^<]*<',tok,b))
open('garbage.xml','w').write(re.sub(r'<xades:EncapsulatedTimeStamp>[^<]*<','<xades:EncapsulatedTimeStamp>AAAA<',b))
open('notb64.xml','w').write(re.sub(r'<xades:EncapsulatedTimeStamp>[^<]*<','<xades:EncapsulatedTimeStamp>!!!<',b))
PY
$ZIPEDIT p.asice replay.asice --set META-INF/signatures1.xml replay.xml
hcase "token replayed from another signature" 1 "HASH_FAILURE" "$ACCORD_BIN" verify replay.asice --trust ca.crt
$ZIPEDIT p.asice garbage.asice --set META-INF/signatures1.xml garbage.xml
hcase "garbage token in a signature" 1 "timestamp|FORMAT_FAILURE" "$ACCORD_BIN" verify garbage.asice --trust ca.crt
$ZIPEDIT p.asice notb64.asice --set META-INF/signatures1.xml notb64.xml
hcase "token that is not base64" 1 "base64|FORMAT_FAILURE" "$ACCORD_BIN" verify notb64.asice --trust ca.crt
hcase "timestamps judged with only the other CA trusted" 2 "NO_CERTIFICATE_CHAIN_FOUND" \
	"$ACCORD_BIN" verify p.asice --trust other.crt --no-trust-store

# BER (RFC 5652 allows it for the ContentInfo wrapper; SK's TSA and DSS write indefinite
# lengths there): read. What the signature covers must stay DER, and nothing may follow.
python3 - <<'PY'
import base64, re
b = open('x/META-INF/signatures1.xml').read()
m = re.search(r'<xades:EncapsulatedTimeStamp>([^<]*)<', b)
tok = base64.b64decode(m.group(1))
def tlv(d, i):  # (header length, content length) of the DER TLV at i
    l = d[i + 1]
    if l < 0x80:
        return 2, l
    n = l & 0x7f
    return 2 + n, int.from_bytes(d[i + 2:i + 2 + n], 'big')
h, n = tlv(tok, 0)
body = tok[h:h + n]                      # OID, [0] { SignedData }
oh, on = tlv(body, 0)
oid = body[:oh + on]
eh, en = tlv(body, oh + on)
sd = body[oh + on + eh:oh + on + eh + en]
outer = b'\x30\x80' + oid + b'\xa0\x80' + sd + b'\x00\x00\x00\x00'
sh, sn = tlv(sd, 0)
inner = b'\x30\x80' + oid + b'\xa0\x80' + b'\x30\x80' + sd[sh:] + b'\x00\x00' + b'\x00\x00\x00\x00'
def put(name, t):
    open(name, 'w').write(b.replace(m.group(1), base64.b64encode(t).decode()))
put('ber-outer.xml', outer)
put('ber-inner.xml', inner)
put('ber-trailing.xml', outer + b'\x05\x00')
PY
$ZIPEDIT p.asice ber-outer.asice --set META-INF/signatures1.xml ber-outer.xml
hcase "control: a token whose ContentInfo wrapper is BER (indefinite lengths) is read" 0 "VALID and COMPLETE" \
	"$ACCORD_BIN" verify ber-outer.asice --trust ca.crt
$ZIPEDIT p.asice ber-inner.asice --set META-INF/signatures1.xml ber-inner.xml
hcase "BER inside the SignedData (what the signature covers must be DER)" 1 "timestamp.*(DER|format)|FORMAT_FAILURE" \
	"$ACCORD_BIN" verify ber-inner.asice --trust ca.crt
$ZIPEDIT p.asice ber-trailing.asice --set META-INF/signatures1.xml ber-trailing.xml
hcase "bytes after a BER token's end-of-contents" 1 "garbage|FORMAT_FAILURE" \
	"$ACCORD_BIN" verify ber-trailing.asice --trust ca.crt
