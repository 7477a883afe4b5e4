#!/bin/sh
# tests/stress/entries.sh — `make stress`: the default limits allow 100,000 entries, and
# pack, sign, verify, list and extract agree on them: 99,996 small files in folders (with
# the descriptor, the manifest, mimetype and one signature file: 100,000 entries) are
# packed, signed, verified and extracted back identically; one file more is refused by
# pack, and a second signature by sign, so nothing is written that verify then refuses.
# Minutes, not seconds (and several hundred MB of memory for the signature's XML): not
# part of `make check` (tests/cli/quadratic.sh checks 20,000 against 5,000 there).
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
N=${STRESS_ENTRIES:-99996}
export N
python3 - <<'EOF'
import os
n = int(os.environ["N"])
for i in range(n):
    d = "docs/g%03d" % (i // 1000)
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open("%s/f%06d.txt" % (d, i), "w") as f:
        f.write("%d\n" % i)
EOF
accord keys ca --name "S CA" --out ca --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice \
	--out alice --passphrase-file pass >/dev/null 2>&1
secs() { s=$(date +%s); "$@" >"$T/.run" 2>&1; rc=$?; echo "$(($(date +%s) - s)) s" >"$T/.secs"; return $rc; }
ok "pack $N files in folders (100,000 entries with a signature file)" secs accord pack -o p.asice -C docs .
echo "    ($(cat .secs))"
ok "sign them" secs accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
echo "    ($(cat .secs))"
output_has "verify: valid and complete" "VALID and COMPLETE: 1 valid" accord verify --trust ca.crt p.asice
output_has "list: every data file covered" "covers $((N + 1)) of $((N + 1)) data files" accord list p.asice
ok "extract" secs accord extract -o out p.asice
echo "    ($(cat .secs): two fsyncs per file)"
expect "extracted back identically" sh -c "diff -r docs out -x accord-package.xml >/dev/null"
refuses "sign: a second signature file would exceed the 100,000 entries" 1 "max-entries" \
	accord sign p.asice --force --key alice.key --cert alice.crt --passphrase-file pass
echo x >docs/one-more.txt
refuses "pack: one file more is refused (100,001 entries)" 1 "max-entries" \
	accord pack -o q.asice -C docs .
