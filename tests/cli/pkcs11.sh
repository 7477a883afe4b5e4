#!/bin/sh
# tests/cli/pkcs11.sh — a key on a PKCS#11 token (SoftHSM2): `accord keys check` opens
# it by its pkcs11: URL with the passphrase as PIN and matches it to its certificate.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

MOD=/usr/lib/softhsm/libsofthsm2.so
if ! command -v softhsm2-util >/dev/null 2>&1 || [ ! -f "$MOD" ] || ! command -v p11tool >/dev/null 2>&1; then
	skip "pkcs11: softhsm2 or p11tool not installed"
	exit 0
fi

# A private token folder: nothing touches the user's or the system's tokens.
mkdir -p "$T/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$T/tokens" >"$T/softhsm2.conf"
export SOFTHSM2_CONF="$T/softhsm2.conf"
PIN=246810
passfile "$T/pin" "$PIN"
ok "softhsm2: a token is initialised" \
	softhsm2-util --init-token --free --label accord --pin "$PIN" --so-pin 13579111

# Alice's key is made by accord, then imported into the token (plain PEM only in $T).
ok "alice generates a key" accord keys generate --name Alice --out alice --passphrase-file "$T/pass"
ok "bob generates a key" accord keys generate --name Bob --out bob --passphrase-file "$T/pass"
openssl pkey -in alice.key -passin "file:$T/pass" -out plain.pem 2>/dev/null
ok "p11tool imports alice's key into the token" \
	env GNUTLS_PIN="$PIN" p11tool --provider "$MOD" --login --write --load-privkey plain.pem \
	--label alice "pkcs11:token=accord"
rm -f plain.pem
# A second key generated on the token itself (it never leaves it).
ok "p11tool generates a key on the token" \
	env GNUTLS_PIN="$PIN" p11tool --provider "$MOD" --login --generate-privkey ecdsa \
	--curve secp256r1 --label ontoken "pkcs11:token=accord"

URL='pkcs11:token=accord;object=alice'
export ACCORD_PKCS11_MODULE="$MOD"
output_has "keys check opens the token key by URL (PIN from file)" 'matches CN=Alice' \
	accord keys check --key "$URL" --cert alice.crt --passphrase-file "$T/pin"
output_has "keys check with the PIN from ACCORD_PASSPHRASE" 'matches CN=Alice' \
	env ACCORD_PASSPHRASE="$PIN" "$ACCORD_BIN" keys check --key "$URL" --cert alice.crt
output_has "the type=private attribute in the URL is accepted" 'matches' \
	accord keys check --key "$URL;type=private" --cert alice.crt --passphrase-file "$T/pin"
refuses "a wrong PIN is refused" 1 'wrong PIN' \
	env ACCORD_PASSPHRASE=000000 "$ACCORD_BIN" keys check --key "$URL" --cert alice.crt
refuses "the token key does not match bob's certificate" 1 'does not match' \
	accord keys check --key "$URL" --cert bob.crt --passphrase-file "$T/pin"
refuses "the key generated on the token is not alice's" 1 'does not match' \
	accord keys check --key 'pkcs11:token=accord;object=ontoken' --cert alice.crt --passphrase-file "$T/pin"
refuses "an object that is not on the token" 3 'cannot open the PKCS#11 key' \
	accord keys check --key 'pkcs11:token=accord;object=nobody' --cert alice.crt --passphrase-file "$T/pin"
refuses "a PKCS#11 module that does not exist" 3 'cannot load PKCS#11 module' \
	env ACCORD_PKCS11_MODULE="$T/nope.so" "$ACCORD_BIN" keys check --key "$URL" --cert alice.crt \
	--passphrase-file "$T/pin"
# Without ACCORD_PKCS11_MODULE, p11-kit's configured modules are used (Debian registers
# SoftHSM2 in /usr/share/p11-kit/modules).
if [ -f /usr/share/p11-kit/modules/softhsm2.module ]; then
	output_has "p11-kit default modules find the token" 'matches CN=Alice' \
		env -u ACCORD_PKCS11_MODULE "$ACCORD_BIN" keys check --key "$URL" --cert alice.crt \
		--passphrase-file "$T/pin"
else
	skip "p11-kit default modules: softhsm2 not registered with p11-kit"
fi

# Signing with the key on the token: accord sign --key 'pkcs11:...'.
printf 'Incident report signed with a smart card key.\n' >ir.txt
ok "a package is packed for the token signer" accord pack -o ir.asice --kind incident-report --party alice.crt ir.txt
output_has "alice signs with the token key" 'signed ir.asice: signature S-' \
	accord sign ir.asice --key "$URL" --cert alice.crt --passphrase-file "$T/pin"
output_has "the token signature verifies, alice (pinned) counted as the declared party" 'VALID and COMPLETE' \
	accord verify ir.asice --trust alice.crt
refuses "signing with a wrong PIN changes nothing" 1 'wrong PIN' \
	env ACCORD_PASSPHRASE=000000 "$ACCORD_BIN" sign ir.asice --key "$URL" --cert alice.crt
expect "still one signature after the refused attempt" [ "$(unzip -Z1 ir.asice | grep -c signatures)" = 1 ]
