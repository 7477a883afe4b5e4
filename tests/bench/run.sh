#!/bin/sh
# tests/bench/run.sh — `make bench`: accord's costs as ratios to baselines measured in the
# same run on the same file (never absolute times):
#   - opening a package (one streaming pass, SHA-256)  vs  openssl dgst -sha256 of the document
#   - verify with 1 and with 4 signatures               vs  the same baseline
#     (each document is hashed once per run, whatever the number of signatures)
#   - sign (adds one entry, copies the rest raw)        vs  cp of the package
# BENCH_MB sets the document size (default 256). Best of 3 runs each.
set -eu
A=${ACCORD_BIN:-./accord}
MB=${BENCH_MB:-256}
T=$(mktemp -d "${TMPDIR:-/tmp}/accord-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
umask 077
printf 'bench passphrase\n' >pass
now() { date +%s%N; }
best() { # command...: best wall time of 3 runs, in ms
	b=
	for i in 1 2 3; do
		s=$(now); "$@" >/dev/null 2>&1 || true; e=$(now)
		t=$(( (e - s) / 1000000 ))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 1) b = 1; printf "%.2f", a / b }'; }

head -c $((MB * 1048576)) /dev/urandom >doc.bin
"$A" keys ca --name "Bench CA" --out ca --passphrase-file pass >/dev/null 2>&1
"$A" keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name signer \
	--out s --passphrase-file pass >/dev/null 2>&1
"$A" pack -o p.asice doc.bin >/dev/null
"$A" sign p.asice --key s.key --cert s.crt --passphrase-file pass >/dev/null
cp p.asice p4.asice
for i in 2 3 4; do "$A" sign p4.asice --key s.key --cert s.crt --passphrase-file pass >/dev/null; done

base=$(best openssl dgst -sha256 doc.bin)
open1=$(best "$A" list p.asice)
v1=$(best "$A" verify p.asice --trust ca.crt)
v4=$(best "$A" verify p4.asice --trust ca.crt)
cpt=$(best cp p.asice copy.asice)
sgn=$(best sh -c "cp p.asice w.asice && \"$A\" sign w.asice --key s.key --cert s.crt --passphrase-file pass")

echo "bench: document of $MB MiB (random, stored deflated); best of 3; ratios to a baseline of the same run"
echo "  baseline openssl dgst -sha256:  1.00"
echo "  accord list (open, hash once):  $(ratio "$open1" "$base")"
echo "  accord verify, 1 signature:     $(ratio "$v1" "$base")"
echo "  accord verify, 4 signatures:    $(ratio "$v4" "$base")   (4 vs 1 signature: $(ratio "$v4" "$v1"))"
echo "  baseline cp of the package:     1.00"
echo "  accord sign (cp + sign):        $(ratio "$sgn" "$cpt")"
