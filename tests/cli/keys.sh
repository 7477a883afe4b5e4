#!/bin/sh
# tests/cli/keys.sh — the `accord keys` story: a party makes a key, a small CA issues
# party and TSA certificates, the trust store, a CRL, and the refusals; every result
# is cross-checked with openssl and certtool.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

# --- help -------------------------------------------------------------------------
output_has "keys --help prints usage" 'generate.*--name' accord keys --help
output_has "keys generate --help prints usage" 'usage: accord keys' accord keys generate --help
refuses "keys without a verb is a usage error" 3 'usage' accord keys
refuses "unknown sub-verb" 3 'unknown verb' accord keys frobnicate

# --- alice generates her key --------------------------------------------------------
output_has "alice generates a key" 'SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}' \
	accord keys generate --name "Alice Example" --org "Acme GmbH" --country DE \
	--email alice@example.org --out alice --passphrase-file "$T/pass"
expect "alice.key and alice.crt exist" test -s alice.key -a -s alice.crt
expect "the key file is PKCS#8 encrypted" grep -q 'BEGIN ENCRYPTED PRIVATE KEY' alice.key
expect "the key file has mode 0600" test "$(stat -c %a alice.key)" = 600
ok "openssl opens the key with the passphrase" \
	openssl pkey -in alice.key -passin "file:$T/pass" -noout
refuses "openssl refuses the key with another passphrase" 1 '.' \
	openssl pkey -in alice.key -passin pass:wrong -noout
output_has "certtool sees PBES2 AES-256" 'PBES2-AES256' \
	certtool --key-info --load-privkey alice.key --password "correct horse battery staple"
openssl x509 -in alice.crt -noout -text >alice.txt 2>&1
expect "openssl: subject has CN, O and C" grep -Eq 'Subject: C ?= ?DE, O ?= ?Acme GmbH, CN ?= ?Alice Example' alice.txt
expect "openssl: e-mail in subjectAltName" grep -q 'email:alice@example.org' alice.txt
expect "openssl: key usage critical, digitalSignature + nonRepudiation" \
	sh -c "grep -A1 'Key Usage: critical' alice.txt | grep -q 'Digital Signature, Non Repudiation'"
expect "openssl: ECDSA P-256 by default" grep -q 'NIST CURVE: P-256' alice.txt
expect "openssl: subject and authority key ids" \
	sh -c "grep -q 'Subject Key Identifier' alice.txt && grep -q 'Authority Key Identifier' alice.txt"
fp_openssl=$(openssl x509 -in alice.crt -noout -fingerprint -sha256 | sed 's/.*=//')
output_has "keys show prints the same fingerprint as openssl" "SHA-256: +$fp_openssl" accord keys show alice.crt
output_has "keys show prints the validity in UTC" 'Valid until: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z' accord keys show alice.crt
output_has "keys show prints algorithm and usage" 'Key usage: +digitalSignature, nonRepudiation' accord keys show alice.crt
output_has "keys show --json" '"algorithm": "ECDSA P-256".*"ca": false' accord keys show --json alice.crt
ok "keys check opens the key" accord keys check --key alice.key --cert alice.crt --passphrase-file "$T/pass"
ok "passphrase from ACCORD_PASSPHRASE" env ACCORD_PASSPHRASE='correct horse battery staple' \
	"$ACCORD_BIN" keys check --key alice.key --cert alice.crt

# --- other algorithms -----------------------------------------------------------------
output_has "an Ed25519 key, with a warning that DigiDoc cannot verify it" "warning: DigiDoc .*cannot verify Ed25519" \
	accord keys generate --name Bob --out bob --algo ed25519 --passphrase-file "$T/pass"
output_has "openssl: Ed25519" 'ED25519' openssl x509 -in bob.crt -noout -text
ok "an RSA-3072 key" accord keys generate --name Carol --out carol --algo rsa3072 --passphrase-file "$T/pass" --days 30
output_has "openssl: RSA 3072" 'Public-Key: \(3072 bit\)' openssl x509 -in carol.crt -noout -text
ok "openssl opens the RSA key" openssl pkey -in carol.key -passin "file:$T/pass" -noout
refuses "an unknown algorithm" 3 'unknown --algo' \
	accord keys generate --name X --out x --algo dsa --passphrase-file "$T/pass"

# --- a small CA -------------------------------------------------------------------
passfile "$T/capass" 'the ca passphrase'
ok "the CA is created" accord keys ca --name "Acme Test CA" --org "Acme GmbH" --country DE \
	--out ca --passphrase-file "$T/capass"
openssl x509 -in ca.crt -noout -text >ca.txt 2>&1
expect "openssl: CA:TRUE critical" sh -c "grep -A1 'Basic Constraints: critical' ca.txt | grep -q 'CA:TRUE'"
expect "openssl: keyCertSign + cRLSign" grep -q 'Certificate Sign, CRL Sign' ca.txt
ok "the CA issues dave's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file "$T/capass" --name Dave --org "Acme GmbH" --country DE \
	--email dave@example.org --out dave --passphrase-file "$T/pass"
ok "openssl verify: dave's certificate chains to the CA" openssl verify -CAfile ca.crt dave.crt
refuses "openssl verify: alice is not from the CA" 2 'error' openssl verify -CAfile ca.crt alice.crt
ok "the CA issues a TSA certificate (CA passphrase from env)" \
	env ACCORD_CA_PASSPHRASE='the ca passphrase' "$ACCORD_BIN" keys issue --ca-key ca.key --ca-cert ca.crt --name "Acme TSA" --out tsa --tsa \
	--passphrase-file "$T/pass"
openssl x509 -in tsa.crt -noout -text >tsa.txt 2>&1
expect "openssl: TSA has critical Extended Key Usage Time Stamping" \
	sh -c "grep -A1 'Extended Key Usage: critical' tsa.txt | grep -q 'Time Stamping'"
ok "openssl verify: TSA certificate chains to the CA" openssl verify -CAfile ca.crt tsa.crt
output_has "keys show: TSA flag" 'TSA: +yes' accord keys show tsa.crt
output_has "keys show: CA flag" 'CA: +yes' accord keys show ca.crt
refuses "issuing with a wrong CA passphrase" 1 'wrong passphrase' \
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file "$T/pass" \
	--name Eve --out eve --passphrase-file "$T/pass"
expect "nothing written for eve" test ! -e eve.key -a ! -e eve.crt
refuses "a party certificate cannot issue" 3 'not a CA' \
	accord keys issue --ca-key alice.key --ca-cert alice.crt --ca-passphrase-file "$T/pass" \
	--name Eve --out eve --passphrase-file "$T/pass"

# --- CRL --------------------------------------------------------------------------
ok "the CA revokes dave" accord keys revoke --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file "$T/capass" --out crl.pem dave.crt
dave_serial=$(openssl x509 -in dave.crt -noout -serial | sed 's/.*=//')
output_has "openssl: the CRL lists dave's serial" "Serial Number: $dave_serial" openssl crl -in crl.pem -noout -text
output_has "openssl: the CRL verifies with the CA" 'verify OK' openssl crl -in crl.pem -CAfile ca.crt -noout
refuses "openssl verify -crl_check: dave is revoked" 2 'revoked' \
	openssl verify -crl_check -CAfile ca.crt -CRLfile crl.pem dave.crt
ok "openssl verify -crl_check: the TSA is not revoked" \
	openssl verify -crl_check -CAfile ca.crt -CRLfile crl.pem tsa.crt
refuses "revoking a certificate of another issuer" 3 'not issued by' \
	accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file "$T/capass" \
	--out crl2.pem alice.crt

# --- trust store ------------------------------------------------------------------
output_has "trust the CA" 'trusted .*Acme Test CA' accord keys trust ca.crt
ca_hex=$(openssl x509 -in ca.crt -outform DER | sha256sum | cut -c1-64)
expect "the store file is named by the SHA-256 fingerprint" test -f "$ACCORD_TRUST_DIR/$ca_hex.pem"
ok "trust alice (pinned party)" accord keys trust --leaf alice.crt
output_has "list shows both" 'Alice Example' accord keys list
expect "list has two lines" test "$(accord keys list | wc -l)" = 2
refuses "trust refuses a key file" 1 'no readable certificate' accord keys trust alice.key
fp_colon=$(openssl x509 -in alice.crt -noout -fingerprint -sha256 | sed 's/.*=//' | cut -c1-11)
ok "untrust alice by an 8-digit prefix with colons" accord keys untrust "$fp_colon"
expect "list has one line" test "$(accord keys list | wc -l)" = 1
refuses "untrust with too short a prefix" 3 'at least 8' accord keys untrust ab
refuses "untrust an unknown fingerprint" 3 'no such certificate' accord keys untrust 0000000000
ok "trust into --store" accord keys trust --leaf --store "$T/other" dave.crt
output_has "list --store" 'Dave' accord keys list --store "$T/other"

# --- refusals ---------------------------------------------------------------------
refuses "wrong passphrase" 1 'wrong passphrase for .*alice.key' \
	env ACCORD_PASSPHRASE=nope "$ACCORD_BIN" keys check --key alice.key --cert alice.crt
cp -p alice.key open.key
chmod 644 open.key
refuses "world-readable key refused" 1 'group or others' \
	accord keys check --key open.key --cert alice.crt --passphrase-file "$T/pass"
head -c 200 alice.key >trunc.key
chmod 600 trunc.key
refuses "truncated key file refused" 1 'not a readable private key' \
	accord keys check --key trunc.key --cert alice.crt --passphrase-file "$T/pass"
refuses "key that does not match the certificate" 1 'does not match' \
	accord keys check --key alice.key --cert dave.crt --passphrase-file "$T/pass"
cp alice.key alice.key.before
cp alice.crt alice.crt.before
refuses "existing output not overwritten" 3 'exists' \
	accord keys generate --name Other --out alice --passphrase-file "$T/pass"
expect "alice's files unchanged" sh -c "cmp -s alice.key alice.key.before && cmp -s alice.crt alice.crt.before"
passfile "$T/empty" ''
refuses "an empty passphrase is refused" 3 'empty passphrase' \
	accord keys generate --name Nobody --out nobody --passphrase-file "$T/empty"
expect "nothing written for the empty passphrase" test ! -e nobody.key
refuses "generate without --name" 3 'name' accord keys generate --out x --passphrase-file "$T/pass"
refuses "a bad country code" 3 'two upper-case letters' \
	accord keys generate --name X --country Germany --out x --passphrase-file "$T/pass"
refuses "show a file that is not a certificate" 1 'certificate' accord keys show "$T/pass"
