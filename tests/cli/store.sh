#!/bin/sh
# tests/cli/store.sh — the trust store and passphrase files. A CA issues dave's
# certificate and dave signs; the store decides whether verify trusts him, so every
# file someone plants in it, links into it or makes writable is a way to be trusted
# that must fail. Then passphrase files: used whole, never cut, private, long enough.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

setup "the CA" accord keys ca --name "Store CA" --out ca --passphrase-file pass
setup "dave's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --name Dave --out dave --passphrase-file pass
setup "a second CA (mallory's)" accord keys ca --name "Mallory CA" --out mca --passphrase-file pass
printf 'the contract\n' >doc.txt
setup "a package" accord pack -o p.asice doc.txt
setup "dave signs" accord sign p.asice --key dave.key --cert dave.crt --passphrase-file pass
setup "a TSA" accord tsa init --dir tsa --name "Store TSA" --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --passphrase-file pass
setup "a timestamp request (openssl)" openssl ts -query -data doc.txt -sha256 -cert -out q.tsq
setup "the TSA answers it" accord tsa stamp --dir tsa --request q.tsq --out r.tsr --passphrase-file pass
ca_hex=$(openssl x509 -in ca.crt -outform DER | sha256sum | cut -c1-64)
ca_fp=$(openssl x509 -in ca.crt -noout -fingerprint -sha256 | sed 's/.*=//')

# --- where the store is ---------------------------------------------------------------
refuses "a named store (ACCORD_TRUST_DIR) that does not exist is an error" 3 \
	'trust/typo: the trust store folder does not exist' \
	env ACCORD_TRUST_DIR="$T/trust/typo" "$ACCORD_BIN" verify p.asice
refuses "list of a --store that does not exist is an error" 3 'does not exist' \
	accord keys list --store "$T/nostore"
refuses "untrust in a --store that does not exist is an error" 3 'does not exist' \
	accord keys untrust --store "$T/nostore" "$ca_hex"
mkdir -p fresh
output_has "the default store not made yet has no anchors (not an error)" 'has no anchors' \
	env -u ACCORD_TRUST_DIR HOME="$T/fresh" XDG_CONFIG_HOME= "$ACCORD_BIN" keys list
refuses "verify with the default store not made yet: no anchor, no error" 2 'no trust anchor' \
	env -u ACCORD_TRUST_DIR HOME="$T/fresh" XDG_CONFIG_HOME= "$ACCORD_BIN" verify p.asice
output_has "keys trust makes the named store, and says so" 'created the trust store' \
	accord keys trust --store "$T/made" ca.crt
expect "the store it makes has mode 0700" test "$(stat -c %a "$T/made")" = 700

# --- what keys trust accepts ----------------------------------------------------------
refuses "trusting a party certificate asks for --leaf" 3 'not a CA certificate.*--leaf' \
	accord keys trust dave.crt
expect "nothing was trusted" test -z "$(ls "$ACCORD_TRUST_DIR")"
output_has "trust --leaf pins the party" 'trusted CN=Dave \(a pinned party' \
	accord keys trust --store "$T/pinned" --leaf dave.crt
refuses "trust --fingerprint of another certificate is refused" 1 'fingerprint is .*not the one given' \
	accord keys trust --fingerprint "$ca_fp" mca.crt
refuses "trust --fingerprint wants the whole fingerprint" 3 '64 hex digits' \
	accord keys trust --fingerprint "$(echo "$ca_hex" | cut -c1-16)" ca.crt
lower_colons=$(echo "$ca_fp" | tr 'A-F' 'a-f')
ok "trust --fingerprint as openssl prints it (colons, upper case)" \
	accord keys trust --store "$T/fp1" --fingerprint "$ca_fp" ca.crt
ok "trust --fingerprint in lower case with colons" \
	accord keys trust --store "$T/fp2" --fingerprint "$lower_colons" ca.crt
ok "trust --fingerprint as plain hex (sha256sum)" \
	accord keys trust --store "$T/fp3" --fingerprint "$ca_hex" ca.crt

# --- one set of anchors for every verb ------------------------------------------------
cp ca.crt "$ACCORD_TRUST_DIR/evil.crt"
refuses "hostile: a planted evil.crt is not trusted by verify" 2 'no trust anchor' \
	accord verify p.asice
output_has "hostile: verify names the planted file as ignored" 'evil\.crt: ignored, not trusted' \
	sh -c '"$ACCORD_BIN" verify p.asice 2>&1; true'
output_has "hostile: keys list shows the planted file too" 'evil\.crt: ignored, not trusted' \
	accord keys list
refuses "hostile: extend does not trust it either" 3 'no issuer certificate' \
	accord extend p.asice --level LT
refuses "hostile: nor does tsa verify" 1 'NO_CERTIFICATE_CHAIN_FOUND' \
	accord tsa verify --reply r.tsr --data doc.txt
rm -f "$ACCORD_TRUST_DIR/evil.crt"
ln -s "$T/ca.crt" "$ACCORD_TRUST_DIR/$ca_hex.pem"
refuses "hostile: a symlinked anchor is not followed" 2 'no trust anchor' accord verify p.asice
output_has "hostile: the symlink is named as ignored" 'symbolic link: not followed' \
	sh -c '"$ACCORD_BIN" keys list 2>&1'
rm -f "$ACCORD_TRUST_DIR/$ca_hex.pem"
cp mca.crt "$ACCORD_TRUST_DIR/$ca_hex.pem"
refuses "hostile: a certificate under another's fingerprint is no anchor" 2 'no trust anchor' \
	accord verify p.asice
output_has "hostile: the misnamed file is told" 'fingerprint is .* not its name' \
	sh -c '"$ACCORD_BIN" keys list 2>&1'
rm -f "$ACCORD_TRUST_DIR/$ca_hex.pem"
mkfifo "$ACCORD_TRUST_DIR/$ca_hex.pem"
refuses "hostile: a FIFO under an anchor's name is ignored, never blocks" 2 'not a regular file' \
	timeout 20 "$ACCORD_BIN" verify p.asice
rm -f "$ACCORD_TRUST_DIR/$ca_hex.pem"

ok "trust the CA" accord keys trust ca.crt
ok "verify trusts what keys trust wrote" accord verify p.asice
ok "so does tsa verify" accord tsa verify --reply r.tsr --data doc.txt
expect "list shows the one anchor" test "$(accord keys list 2>/dev/null | wc -l)" = 1
chmod 770 "$ACCORD_TRUST_DIR"
refuses "hostile: a group-writable store is refused, saying how to fix it" 1 \
	'trust store folder is writable by group or others \(mode 0770\).*chmod 700' accord verify p.asice
refuses "hostile: keys list refuses it too" 1 'chmod 700' accord keys list
refuses "hostile: keys trust refuses to add to it" 1 'chmod 700' accord keys trust mca.crt
chmod 700 "$ACCORD_TRUST_DIR"
chmod 666 "$ACCORD_TRUST_DIR/$ca_hex.pem"
refuses "hostile: a world-writable anchor is refused, naming the file" 1 \
	"$ca_hex\\.pem: the trust store file is writable by group or others \\(mode 0666\\).*chmod 644" \
	accord verify p.asice
chmod 644 "$ACCORD_TRUST_DIR/$ca_hex.pem"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown nobody "$ACCORD_TRUST_DIR/$ca_hex.pem"
	refuses "hostile: an anchor owned by another user is refused" 1 'owned by uid .*chown' \
		accord verify p.asice
	chown 0 "$ACCORD_TRUST_DIR/$ca_hex.pem"
	chown nobody "$ACCORD_TRUST_DIR"
	refuses "hostile: a store owned by another user is refused" 1 'folder is owned by uid .*chown' \
		accord keys list
	chown 0 "$ACCORD_TRUST_DIR"
else
	skip "hostile: files owned by another user (needs root to make them)"
fi
ok "untrust removes the anchor" accord keys untrust "$ca_hex"
refuses "and verify no longer trusts the CA" 2 'no trust anchor' accord verify p.asice

# --- passphrase files -----------------------------------------------------------------
# unusable WHAT FILE WORDS: a passphrase file that cannot be used whole is refused when a
# key is made (nothing written) and when one is opened, never cut to something usable.
unusable() {
	refuses "$1 is refused at generate" 1 "$3" \
		accord keys generate --name X --out unusable --passphrase-file "$2"
	expect "nothing written for $1" test ! -e unusable.key
	refuses "$1 is refused at open" 1 "$3" \
		accord keys check --key dave.key --cert dave.crt --passphrase-file "$2"
}
# A passphrase longer than the old 1,023-byte cut: used whole at the limit, refused above.
head -c 1024 /dev/zero | tr '\0' 'x' >long1024; chmod 600 long1024
head -c 1023 /dev/zero | tr '\0' 'x' >long1023; chmod 600 long1023
head -c 2000 /dev/zero | tr '\0' 'x' >long2000; chmod 600 long2000
ok "a 1,024-byte passphrase file makes a key" \
	accord keys generate --name Long --out long --passphrase-file long1024
refuses "its first 1,023 bytes do not open it (nothing is cut)" 1 'wrong passphrase' \
	accord keys check --key long.key --cert long.crt --passphrase-file long1023
ok "the whole file opens it" accord keys check --key long.key --cert long.crt --passphrase-file long1024
unusable "a passphrase file over 1,024 bytes" long2000 'longer than 1024 bytes'
# A NUL ended the passphrase: 'abc\0...' made a key that opened with 'abc'.
printf 'abcdefgh\000ijklmnop\n' >nul; chmod 600 nul
unusable "a passphrase file holding a NUL" nul 'NUL byte'
# The whole file: only one final "\n" or "\r\n" is cut. A second line was dropped; now
# the file is refused (a key password cannot hold a line break).
(umask 077 && printf 'first line\nsecond line\n' >twolines)
unusable "a two-line passphrase file (not cut at the first line)" twolines 'control character'
(umask 077 && printf 'correct horse battery staple \n' >trailing)
refuses "a trailing space is part of the passphrase" 1 'wrong passphrase' \
	accord keys check --key dave.key --cert dave.crt --passphrase-file trailing
(umask 077 && printf 'correct horse battery staple\r\n' >crlf)
ok "a passphrase file ending in CRLF is the same passphrase" \
	accord keys check --key dave.key --cert dave.crt --passphrase-file crlf
(umask 077 && printf 'correct horse battery staple' >nonl)
ok "so is one without a final newline" \
	accord keys check --key dave.key --cert dave.crt --passphrase-file nonl

# Readable by others: refused like a key file, by every verb that reads one.
cp pass open; chmod 644 open
refuses "a passphrase file others can read is refused at generate" 1 \
	'open: passphrase file is accessible by group or others \(mode 0644\); run chmod 600' \
	accord keys generate --name Open --out open --passphrase-file open
refuses "... by keys check" 1 'chmod 600' accord keys check --key dave.key --cert dave.crt --passphrase-file open
refuses "... by sign" 1 'chmod 600' accord sign p.asice --key dave.key --cert dave.crt --passphrase-file open
refuses "... as --ca-passphrase-file" 1 'chmod 600' accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file open --name Eve --out eve --passphrase-file pass
refuses "... by keys revoke" 1 'chmod 600' accord keys revoke --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file open --out crl.pem dave.crt
refuses "... as --tsa-passphrase-file" 1 'chmod 600' accord sign p.asice --key dave.key --cert dave.crt \
	--passphrase-file pass --tsa-dir tsa --tsa-passphrase-file open
refuses "... by tsa stamp" 1 'chmod 600' accord tsa stamp --dir tsa --request q.tsq --out x.tsr \
	--passphrase-file open
refuses "... by tsl make" 1 'chmod 600' accord tsl make --out tl.xml --key dave.key --cert dave.crt \
	--passphrase-file open --ca ca.crt
chmod 640 open
refuses "group-readable is refused too" 1 'mode 0640' \
	accord keys check --key dave.key --cert dave.crt --passphrase-file open

# A new key's passphrase has at least 8 characters.
passfile short 'seven c'
refuses "generate refuses a passphrase under 8 characters" 3 'shorter than 8 characters.*--weak-passphrase' \
	accord keys generate --name Short --out short --passphrase-file short
expect "nothing written for it" test ! -e short.key
refuses "so does keys ca" 3 'shorter than 8' accord keys ca --name S --out sca --passphrase-file short
refuses "and keys issue, for the new key" 3 'shorter than 8' accord keys issue --ca-key ca.key \
	--ca-cert ca.crt --ca-passphrase-file pass --name S --out sis --passphrase-file short
refuses "and tsa init" 3 'shorter than 8' accord tsa init --dir tsa2 --name T --passphrase-file short
refuses "and ocsp init" 3 'shorter than 8' accord ocsp init --dir oc --name O --ca-key ca.key \
	--ca-cert ca.crt --ca-passphrase-file pass --passphrase-file short
ok "--weak-passphrase allows it" accord keys generate --name Short --out short --passphrase-file short \
	--weak-passphrase
ok "a short passphrase still opens an existing key" \
	accord keys check --key short.key --cert short.crt --passphrase-file short
passfile abcdefgh abcdefgh
ok "8 characters are enough" accord keys generate --name Eight --out eight --passphrase-file abcdefgh
passfile umlauts 'äöüß'
refuses "characters, not bytes, are counted (4 characters in 8 bytes)" 3 'shorter than 8' \
	accord keys generate --name U --out u --passphrase-file umlauts
