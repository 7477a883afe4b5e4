#!/bin/sh
# tools/demo.sh — the whole story (`make demo`): an organisational CA, three parties, a
# package with two declared parties, alice and bob sign B-LT (accord's own TSA and OCSP
# responder, served on 127.0.0.1), a notary countersigns alice's signature, verify; then a
# flipped byte and a removed signature file.
# Everything happens in ./demo-out (recreated each run).
set -eu
A=${ACCORD_BIN:-./accord}
here=$(cd "$(dirname "$0")" && pwd)
out=${DEMO_DIR:-demo-out}
rm -rf "$out"
mkdir -p "$out"
cd "$out"
export ACCORD_TRUST_DIR="$PWD/trust"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ accord %s\n' "$*"; "$A" "$@"; }

umask 077
printf 'demo passphrase, not a secret\n' >pass

step "an organisational CA and three parties (keys are encrypted PKCS#8, mode 0600)"
run keys ca --name "Joint CSIRT Demo CA" --org "Joint CSIRT" --country EU --out ca --passphrase-file pass
for who in "alice:Ministry of Foreign Affairs:FR" "bob:Federal Office for IT Security:DE" "notary:Treaty Notary Office:BE"; do
	n=${who%%:*}; rest=${who#*:}; org=${rest%:*}; cc=${rest##*:}
	run keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name "$n" \
		--org "$org" --country "$cc" --email "$n@example.org" --out "$n" --passphrase-file pass
done
run keys trust ca.crt

step "a timestamp authority for the closed network, served on 127.0.0.1 by accord itself"
run tsa init --dir tsa --name "Joint CSIRT TSA" --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --passphrase-file pass
"$A" tsa serve --dir tsa --listen 127.0.0.1:0 --passphrase-file pass >/dev/null 2>tsa.log &
TSA_PID=$!
OCSP_PID=
trap 'kill $TSA_PID $OCSP_PID 2>/dev/null || true' EXIT INT TERM
url_of() {
	i=0
	while [ $i -lt 120 ] && ! grep -q 'listening on' "$1"; do sleep 0.25; i=$((i + 1)); done
	echo "http://$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$1" | head -1)/"
}
TSA_URL=$(url_of tsa.log)
echo "TSA listening at $TSA_URL (TSA server pid $TSA_PID)"

step "an OCSP responder for the CA, answering from the CA's records, served on 127.0.0.1"
run ocsp init --dir ocsp --name "Joint CSIRT OCSP" --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --passphrase-file pass
"$A" ocsp serve --dir ocsp --listen 127.0.0.1:0 --passphrase-file pass >/dev/null 2>ocsp.log &
OCSP_PID=$!
OCSP_URL=$(url_of ocsp.log)
echo "OCSP responder listening at $OCSP_URL (OCSP server pid $OCSP_PID)"

step "pack the draft agreement and its annex; alice and bob are the declared parties"
cp "$here/sample/draft-agreement.txt" "$here/sample/annex-contacts.txt" .
run pack -o treaty.asice --kind agreement --title "Agreement on CSIRT cooperation" --ref "2026/CSIRT/17" \
	--party alice.crt --party bob.crt draft-agreement.txt annex-contacts.txt
run list treaty.asice
unzip -tq treaty.asice

step "alice signs (XAdES B-LT: timestamped by the TSA, then the OCSP answer, both over HTTP)"
run sign treaty.asice --key alice.key --cert alice.crt --passphrase-file pass \
	--role "Head of Delegation" --place "Paris,FR" --commitment approval --tsa "$TSA_URL" \
	--ocsp "$OCSP_URL" | tee sign-a.out
SA=$(sed -n 's/^signed .*signature \([A-Za-z0-9-]*\)$/\1/p' sign-a.out)
run verify treaty.asice || echo "(exit $?: bob has not signed yet)"

step "bob signs (B-LT too)"
run sign treaty.asice --key bob.key --cert bob.crt --passphrase-file pass \
	--role "Director" --place "Bonn,DE" --commitment approval --tsa "$TSA_URL" --ocsp "$OCSP_URL"

step "the notary countersigns alice's signature $SA"
run countersign treaty.asice --signature "$SA" --key notary.key --cert notary.crt \
	--passphrase-file pass --role Notary

kill $TSA_PID $OCSP_PID 2>/dev/null
wait $TSA_PID $OCSP_PID 2>/dev/null || true

step "verify, offline: valid and complete, with trusted times and OCSP evidence inside"
run verify treaty.asice
echo "(exit 0)"

step "someone flips one byte of the draft"
python3 "$here/../tests/tools/zipedit.py" treaty.asice tampered.asice --flip draft-agreement.txt 10
if run verify tampered.asice; then echo "demo: tampering was not detected" >&2; exit 1; else echo "(exit $?)"; fi

step "bob's signature file is removed"
bobfile=$(unzip -Z1 treaty.asice | grep 'META-INF/signatures' | while read -r f; do
	unzip -p treaty.asice "$f" | grep -q 'Bonn' && echo "$f"; done | head -1)
python3 "$here/../tests/tools/zipedit.py" treaty.asice nobob.asice --delete "$bobfile"
if run verify nobob.asice; then echo "demo: the missing party was not reported" >&2; exit 1; else echo "(exit $?)"; fi

printf '\ndemo: done; the files are in %s\n' "$PWD"
