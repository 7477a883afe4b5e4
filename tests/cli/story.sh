#!/bin/sh
# tests/cli/story.sh — README.md's story, run verbatim (issue #11): every ```sh block
# between <!-- story:begin --> and <!-- story:end --> in order, in an empty folder, with
# `accord` on PATH ($ACCORD_BIN) and `set -e -o pipefail`, so any README line that fails
# fails here; then what the story claims: three offices, three trust stores, each
# trusting the others' CAs by fingerprint; a party certificate checked before packing;
# two declared parties signed and timestamped, a countersignature; verify valid at
# each office; the output the README shows is what the commands print; and what the
# README says goes wrong does (a swapped CA, a forged party certificate, a flipped byte,
# a verifier without the notary's CA).
. "$(dirname "$0")/../lib.sh"
README="$TESTS/../README.md"
STORY="python3 $TESTS/tools/readme_story.py"
mkdir -p "$T/bin" "$T/run"
ln -s "$ACCORD_BIN" "$T/bin/accord"
unset ACCORD_TRUST_DIR # the story sets its own stores

if ! $STORY script "$README" >"$T/story.sh" 2>"$T/story.err"; then
	fail "the README has a story to run"
	sed 's/^/    /' "$T/story.err"
	exit 0
fi
# set -e does not stop at a failing command before && or ||: the story has none, but one
# deliberate `accord verify ... || echo` (it exits 2 before bob signs; checked below).
expect "every story line is checked by set -e (no && and no other ||)" \
	[ "$(grep -v '^#' "$T/story.sh" | grep -c '&&\|||')" -eq 1 ]
start=$(date +%s)
(cd "$T/run" && PATH="$T/bin:$PATH" bash -e -o pipefail "$T/story.sh") >"$T/story.log" 2>&1
rc=$?
expect "the README story runs as typed, from the first line to the last verify (exit $rc, $(($(date +%s) - start)) s)" \
	[ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/    /' "$T/story.log" | tail -20
if $STORY expect "$README" "$T/story.log" >"$T/expect.out" 2>&1; then
	pass "the output the README shows is what the story's commands print"
else
	fail "the output the README shows is what the story's commands print"
	sed 's/^/    /' "$T/expect.out" | head -20
fi
[ "$rc" -eq 0 ] || exit 0

W="$T/run/treaty"
PKG="$W/post/treaty.asice"
store() { ACCORD_TRUST_DIR="$W/$1/trust"; export ACCORD_TRUST_DIR; }
fp() { accord keys show "$1" | sed -n 's/^SHA-256: *//p'; }

# Each office's store holds exactly the three CAs, under the fingerprints of the real ones.
for office in ministry-a ministry-b notary; do
	store "$office"
	accord keys list >"$T/list" 2>&1
	ok3=1
	for ca in ministry-a ministry-b notary; do
		grep -q "^$(fp "$W/$ca/ca.crt")  .*\[CA\]" "$T/list" || ok3=0
	done
	expect "$office trusts the three CAs, by their fingerprints, and nothing else" \
		[ "$ok3" -eq 1 -a "$(wc -l <"$T/list")" -eq 3 ]
done
expect "the story checked six CA certificates by fingerprint" \
	[ "$(grep -c -- '--fingerprint "\$FP_[ABN]"' "$T/story.sh")" -eq 6 ]

# The final package: verify exits 0 at every office, with its own store alone.
for office in ministry-a ministry-b notary; do
	store "$office"
	ok "verify at $office (its own trust store) exits 0" accord verify "$PKG"
done
store ministry-b
accord verify --json "$PKG" >"$T/final.json" 2>/dev/null
json_valid "the final report is a valid accord-verify/1 document" verify "$T/final.json"
expect "three parties signed: alice and bob (declared, TOTAL-PASSED, timestamped by the notary's TSA) and the notary's countersignature" \
	python3 - "$T/final.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sigs = r["signatures"]
by = {s["signer"]: s for s in sigs}
main = sorted(s["signer"] for s in sigs if s["countersigns"] is None)
cs = [s for s in sigs if s["countersigns"] is not None]
parties = {p["name"]: p for p in r["parties"]}
ok = (r["status"] == "valid" and r["exit_code"] == 0 and len(sigs) == 3
      and sorted(by) == ["alice", "bob", "notary"]
      and all(s["indication"] == "TOTAL-PASSED" for s in sigs)
      and all(s["timestamp_authority"] == "Notary TSA" for s in sigs)
      and main == ["alice", "bob"]
      and len(cs) == 1 and cs[0]["signer"] == "notary"
      and cs[0]["countersigns"] == by["alice"]["id"]
      and sorted(parties) == ["alice", "bob"]
      and all(parties[n]["status"] == "signed" and parties[n]["signature"] == by[n]["id"]
              for n in parties))
sys.exit(0 if ok else 1)
PY
expect "before bob signed, verify at Ministry B said incomplete (exit 2)" \
	grep -q '^verify: exit 2$' "$T/story.log"

# What the README says goes wrong.
mkdir -m 700 "$T/mallory"
(cd "$T/mallory" && passfile pass 'mallory passphrase' &&
	accord keys ca --name "Ministry B CA" --org "Ministry B" --country DE --out ca --passphrase-file pass &&
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name bob \
		--org "Ministry B" --country DE --out bob --passphrase-file pass) >"$T/mallory.log" 2>&1 ||
	{ fail "setup: a forger's CA and bob"; sed 's/^/    /' "$T/mallory.log"; }
store ministry-a
refuses "a swapped Ministry B CA is refused under the fingerprint Ministry B read out" 1 \
	"fingerprint is .*not the one given" accord keys trust "$T/mallory/ca.crt" --fingerprint "$(fp "$W/ministry-b/ca.crt")"
expect "... and nothing was trusted" [ "$(accord keys list 2>/dev/null | wc -l)" -eq 3 ]
refuses "a forged bob.crt is not trusted to sign at Ministry A (keys verify, exit 2)" 2 \
	"NOT trusted to sign.*|NO_CERTIFICATE_CHAIN_FOUND" accord keys verify "$T/mallory/bob.crt"
refuses "a CA certificate is not trusted to sign (keys verify)" 2 "not for signing" \
	accord keys verify "$W/post/ministry-b-ca.crt"
ok "bob's real certificate is trusted to sign at Ministry A" accord keys verify "$W/post/bob.crt"
store notary
refuses "bob's certificate is not trusted with --no-trust-store and no --trust" 2 \
	"no trust anchors" accord keys verify --no-trust-store "$W/post/bob.crt"
ok "... and is with --trust naming Ministry B's CA" \
	accord keys verify --no-trust-store --trust "$W/post/ministry-b-ca.crt" "$W/post/bob.crt"
refuses "keys verify at a time before bob's certificate was valid: not confirmed" 2 \
	"NOT trusted to sign" accord keys verify --at 2000-01-01T00:00:00Z "$W/post/bob.crt"
(cd "$W/ministry-b" && accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--out "$T/b.crl" bob.crt) >"$T/revoke.log" 2>&1 || { fail "setup: Ministry B revokes bob"; cat "$T/revoke.log"; }
store ministry-a
refuses "keys verify --crl: bob revoked by Ministry B is not trusted to sign (exit 2, names the CRL)" 2 \
	"REVOKED_NO_POE.*|revoked by CRL from 'Ministry B CA'" accord keys verify --crl "$T/b.crl" "$W/post/bob.crt"
# The TSA key has its own passphrase: without one (and no terminal: setsid), the error
# names --tsa-passphrase-file, not the signer's --passphrase-file.
cp "$PKG" "$T/more.asice"
N="$W/notary"
refuses "sign --tsa-dir with no TSA passphrase names --tsa-passphrase-file" 3 \
	"tsa: no passphrase for the TSA key: give --tsa-passphrase-file" setsid -w "$ACCORD_BIN" sign \
	"$T/more.asice" --key "$N/notary.key" --cert "$N/notary.crt" --passphrase-file "$N/pass" --tsa-dir "$N/tsa"
refuses "extend --tsa-dir with no TSA passphrase names --tsa-passphrase-file" 3 \
	"no passphrase for the TSA key: give --tsa-passphrase-file" setsid -w "$ACCORD_BIN" extend \
	"$T/more.asice" --level LTA --tsa-dir "$N/tsa"
python3 "$TESTS/tools/zipedit.py" "$PKG" "$T/tampered.asice" --flip draft.txt 10
store ministry-b
refuses "a copy with one byte of draft.txt flipped fails verify (exit 1), naming the document" 1 \
	"document 'draft.txt' does not match" accord verify "$T/tampered.asice"
mkdir -m 700 "$T/no-notary"
cp -p "$W/ministry-b/trust/$(fp "$W/ministry-a/ca.crt" | tr -d : | tr 'A-F' 'a-f').pem" \
	"$W/ministry-b/trust/$(fp "$W/ministry-b/ca.crt" | tr -d : | tr 'A-F' 'a-f').pem" "$T/no-notary/"
ACCORD_TRUST_DIR="$T/no-notary"
refuses "a verifier who never trusted the Notary CA: exit 2, naming the issuer and keys trust" 2 \
	"Notary CA.*accord keys trust" accord verify "$PKG"
output_has "... and alice has signed, not confirmed" "signed, not confirmed  alice" sh -c \
	'"$ACCORD_BIN" verify "$1"; [ $? -eq 2 ]' sh "$PKG"
