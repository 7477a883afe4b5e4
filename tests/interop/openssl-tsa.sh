#!/bin/sh
# tests/interop/openssl-tsa.sh — an independent RFC 3161 TSA made with openssl (from
# /work/shared/interop/openssl-tsa.sh, its configuration inlined below).
#   sh openssl-tsa.sh DIR   makes a CA (ca.crt) and a TSA certificate (critical EKU
#                           timeStamping) with tsa.cnf in DIR; then, inside DIR:
#                           openssl ts -reply -config tsa.cnf -queryfile Q -out R
#   sh openssl-tsa.sh       (run by tests/run.sh) the interop test: replies of the openssl
#                           TSA verified by `accord tsa verify`.
set -e
make_tsa() {
	d=$1; mkdir -p "$d"; cd "$d"
	cat >tsa.cnf <<'CNF'
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = .
serial = ./serial
crypto_device = builtin
signer_cert = ./tsa.crt
certs = ./ca.crt
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ v3_tsa ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
	cat /etc/ssl/openssl.cnf tsa.cnf >ca-req.cnf
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
		-subj "/CN=Independent Root CA" -days 3650 -extensions v3_ca -config ca-req.cnf 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tsa.key -out tsa.csr \
		-subj "/CN=Independent TSA" 2>/dev/null
	openssl x509 -req -in tsa.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tsa.crt -days 365 \
		-extfile tsa.cnf -extensions v3_tsa 2>/dev/null
	echo 01 >serial
}

if [ $# -ge 1 ]; then
	make_tsa "$1"
	exit 0
fi

# ---- the interop test: openssl is the TSA, accord the verifier ----
set +e
. "$(dirname "$0")/../lib.sh"
O=$T/otsa
(make_tsa "$O") || { fail "openssl TSA set-up"; exit 1; }
reply() { (cd "$O" && openssl ts -reply -config tsa.cnf -queryfile "$1" -out "$2" 2>/dev/null); }
printf 'the treaty text\n' >"$T/doc.txt"
printf 'a forged treaty\n' >"$T/forged.txt"

openssl ts -query -data "$T/doc.txt" -sha256 -cert -out "$T/q.tsq" 2>/dev/null
reply "$T/q.tsq" "$T/r.tsr"
output_has "openssl reply verifies with accord" "^valid: .*Independent TSA" \
	accord tsa verify --reply "$T/r.tsr" --data "$T/doc.txt" --trust "$O/ca.crt"
output_has "policy and serial of the openssl token are shown" "serial [0-9a-f]+, policy 1.3.6.1.4.1.99999.1," \
	accord tsa verify --reply "$T/r.tsr" --data "$T/doc.txt" --trust "$O/ca.crt"
openssl ts -reply -in "$T/r.tsr" -token_out -out "$T/token.der" 2>/dev/null
output_has "a bare openssl token verifies" "^valid:" \
	accord tsa verify --reply "$T/token.der" --data "$T/doc.txt" --trust "$O/ca.crt"
refuses "other data is a HASH_FAILURE" 1 "HASH_FAILURE" \
	accord tsa verify --reply "$T/r.tsr" --data "$T/forged.txt" --trust "$O/ca.crt"
accord keys ca --name "Stranger CA" --out "$T/stranger" --passphrase-file "$T/pass" >/dev/null 2>&1
refuses "an unrelated anchor gives NO_CERTIFICATE_CHAIN_FOUND" 1 "NO_CERTIFICATE_CHAIN_FOUND" \
	accord tsa verify --reply "$T/r.tsr" --data "$T/doc.txt" --trust "$T/stranger.crt"

# without -cert the token carries no certificate: the TSA certificate comes from outside
openssl ts -query -data "$T/doc.txt" -sha384 -out "$T/q2.tsq" 2>/dev/null
reply "$T/q2.tsq" "$T/r2.tsr"
refuses "no certificate in the token and none given" 1 "NO_SIGNING_CERTIFICATE_FOUND" \
	accord tsa verify --reply "$T/r2.tsr" --data "$T/doc.txt" --trust "$O/ca.crt"
output_has "the TSA certificate given with --untrusted (SHA-384 imprint)" "imprint SHA384" \
	accord tsa verify --reply "$T/r2.tsr" --data "$T/doc.txt" --trust "$O/ca.crt" \
	--untrusted "$O/tsa.crt"

# ESS signingCertificate version 1 (SHA-1 ESSCertID)
sed 's/^ess_cert_id_alg = sha256/ess_cert_id_alg = sha1/' "$O/tsa.cnf" >"$O/tsa-v1.cnf"
(cd "$O" && openssl ts -reply -config tsa-v1.cnf -queryfile "$T/q.tsq" -out "$T/r3.tsr" 2>/dev/null)
output_has "an ESS signingCertificate (v1) token verifies" "^valid:" \
	accord tsa verify --reply "$T/r3.tsr" --data "$T/doc.txt" --trust "$O/ca.crt"

# an openssl rejection (SHA-1 is not in its digests) is reported, not verified
openssl ts -query -data "$T/doc.txt" -sha1 -out "$T/q4.tsq" 2>/dev/null
reply "$T/q4.tsq" "$T/r4.tsr"
refuses "an openssl rejection is reported as such" 1 "rejection" \
	accord tsa verify --reply "$T/r4.tsr" --data "$T/doc.txt" --trust "$O/ca.crt"

# End to end: the openssl TSA timestamps an accord signature across an air gap.
accord keys ca --name "Party CA" --out "$T/pca" --passphrase-file "$T/pass" >/dev/null 2>&1
accord keys issue --ca-key "$T/pca.key" --ca-cert "$T/pca.crt" --ca-passphrase-file "$T/pass" \
	--name alice --out "$T/alice" --passphrase-file "$T/pass" >/dev/null 2>&1
accord pack -o "$T/p.asice" --party "$T/alice.crt" "$T/doc.txt" >/dev/null
accord sign "$T/p.asice" --key "$T/alice.key" --cert "$T/alice.crt" --passphrase-file "$T/pass" >/dev/null
ok "accord writes a request for the signature" accord timestamp request "$T/p.asice" --out "$T/sig.tsq"
reply "$T/sig.tsq" "$T/sig.tsr"
ok "the openssl TSA's reply is attached" accord timestamp attach "$T/p.asice" --reply "$T/sig.tsr"
output_has "the signature verifies with the openssl TSA's trusted time" "timestamp: .* by Independent TSA" \
	accord verify "$T/p.asice" --trust "$T/pca.crt" --trust "$O/ca.crt"
refuses "without the openssl TSA's CA the timestamp is not trusted" 2 "NO_CERTIFICATE_CHAIN_FOUND" \
	accord verify "$T/p.asice" --trust "$T/pca.crt" --no-trust-store
