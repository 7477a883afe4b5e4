#!/bin/sh
# tests/bench/run.sh — `make bench` (issue #12): accord's costs side by side with the
# baselines, measured in the same run on the same data, each command alternating with its
# baselines (never absolute times alone). For each work: the median wall time of BENCH_RUNS
# runs, the ratio to the hashing limit (`openssl dgst -sha256` of the same bytes: one
# hashing pass), the ratio to the work's baseline (cp, zip -0, zip -6, zip -r, openssl cms
# -verify, xmlsec1 --verify) and accord's peak RSS (/usr/bin/time -f %M).
# Data (generated, nothing large committed): BENCH_MB MiB random and BENCH_MB MiB text
# (default 512), 10,000 and 50,000 small files in folders, 100 signatures over 1 MiB.
# Quick run: BENCH_MB=32 BENCH_SCALE=10 (file and signature counts divided by 10).
# BENCH_RUNS (default 3) runs of each; the full run takes ~6-9 minutes on 2 cores.
set -eu
A=${ACCORD_BIN:-./accord}
case $A in /*) ;; *) A=$PWD/$A ;; esac
MB=${BENCH_MB:-512}
SCALE=${BENCH_SCALE:-1}
RUNS=${BENCH_RUNS:-3}
NSMALL=$((10000 / SCALE))
NLARGE=$((50000 / SCALE))
NSIG=$((100 / SCALE))
[ "$NSIG" -ge 2 ] || NSIG=2
TIME=/usr/bin/time
for t in openssl zip unzip xmlsec1 python3 "$TIME"; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t is missing (make deps)" >&2; exit 3; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/accord-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
umask 077
printf 'bench passphrase\n' >pass
# Above the default limits where the work is about linearity, not the limit.
BIG="--max-entries 1000000"

# ---------------------------------------------------------------- measuring
# m LABEL CMD...: one run of CMD, its wall time (ms) and peak RSS (KiB) appended to
# LABEL.t / LABEL.m; a failed run is remembered in LABEL.fail (its first error line).
# verify's exit 2 (valid but incomplete) is a result, not a failure.
m() {
	l=$1; shift
	s=$(date +%s%N)
	rc=0
	"$TIME" -f %M -o "$l.rss" "$@" >/dev/null 2>"$l.err" || rc=$?
	e=$(date +%s%N)
	case $rc.$l in 0.* | 2.verify_*) ;; *)
		[ -f "$l.fail" ] || grep -v 'Command exited' "$l.err" | head -1 >"$l.fail"
		[ -s "$l.fail" ] || echo "exit $rc" >"$l.fail" ;;
	esac
	echo $(( (e - s) / 1000 )) >>"$l.t"
	tail -1 "$l.rss" | tr -dc 0-9 >>"$l.m"; echo >>"$l.m"
}
# med LABEL: median wall time in seconds; rss LABEL: largest peak RSS in MiB.
med() { sort -n "$1.t" | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1e6 }'; }
rss() { sort -n "$1.m" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else printf "%.2f", a / b }'; }
# row WORK LABEL LIMIT_LABEL BASE_NAME BASE_LABEL [PACKAGE]: one line of the table; when
# PACKAGE could not be signed, the work says why (verify then reads an unsigned package).
row() {
	if [ -n "${6:-}" ] && [ -s "$6.refused" ]; then
		set -- "$1 (unsigned: $(sed 's/^accord sign: //' "$6.refused" | head -1 | cut -c1-80))" "$2" "$3" "$4" "$5"
	fi
	if [ -s "$2.fail" ]; then
		printf '| %s | failed: %s | | | | | |\n' "$1" "$(cut -c1-90 "$2.fail")"
		return
	fi
	a=$(med "$2"); lim=-; bt=-; br=-
	[ "$3" = - ] || lim=$(ratio "$a" "$(med "$3")")
	if [ "$5" != - ]; then bt=$(med "$5"); br=$(ratio "$a" "$bt"); fi
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$a" "$lim" "$4" "$bt" "$br" "$(rss "$2")"
}
alternate() { # RUNS times, every "LABEL CMD" line of the file $1 once, in order
	r=0
	while [ $r -lt "$RUNS" ]; do
		r=$((r + 1))
		while IFS= read -r line; do eval "$line"; done <"$1"
	done
}

# ---------------------------------------------------------------- data and keys
echo "bench: generating data ($MB MiB random, $MB MiB text, $NSMALL and $NLARGE small files, $NSIG signatures)" >&2
"$A" keys ca --name "Bench CA" --out ca --passphrase-file pass >/dev/null 2>&1
"$A" keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name signer \
	--out s --passphrase-file pass >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -keyout x.key -out x.crt -subj /CN=bench \
	-days 10 >/dev/null 2>&1
head -c $((MB * 1048576)) /dev/urandom >random.bin
# Text: words from a small vocabulary in random order (deflate ~3:1, as prose), 1 MiB made
# once and repeated (farther apart than deflate's window, so it compresses as prose).
python3 - "$MB" <<'PY'
import random, sys
random.seed(12)
words = ("the agreement party shall notice signature document period payment clause "
         "contract between hereby terms any such within days written consent provided "
         "accordance section obligations rights parties herein liability law").split()
words += ["%s%d" % (random.choice(words), i) for i in range(2000)]
out, n = [], 0
while n < 1048576:
    line = " ".join(random.choice(words) for _ in range(random.randint(6, 14))) + ".\n"
    out.append(line); n += len(line)
block = "".join(out)[:1048576].encode()
with open("text.txt", "wb") as f:
    for _ in range(int(sys.argv[1])):
        f.write(block)
PY
# Small files in folders, 100 per folder, 200-3000 bytes each, unique base names.
python3 - "$NSMALL" "$NLARGE" <<'PY'
import os, random, sys
random.seed(7)
for top, n in (("small", int(sys.argv[1])), ("large", int(sys.argv[2]))):
    for i in range(n):
        d = "%s/d%03d" % (top, i // 100)
        if i % 100 == 0:
            os.makedirs(d)
        with open("%s/%s%05d.txt" % (d, top[0], i), "w") as f:
            f.write(("line %d of file %d\n" % (i, i)) * random.randint(10, 150))
PY
head -c 1048576 random.bin >one.bin

# sg PACKAGE: sign it; a refusal is kept in PACKAGE.refused (the row then says so).
sg() { "$A" sign "$1" --key s.key --cert s.crt --passphrase-file pass --force >/dev/null 2>"$1.refused" &&
	rm -f "$1.refused"; }
"$A" pack -o r.asice random.bin >/dev/null
"$A" pack -o t.asice text.txt >/dev/null
cp r.asice rs.asice; sg rs.asice
cp t.asice ts.asice; sg ts.asice
# shellcheck disable=SC2046
"$A" pack -o small.asice $(find small -type f | sort) >/dev/null 2>&1 || true
# shellcheck disable=SC2046
"$A" pack -o large.asice $(find large -type f | sort) >/dev/null 2>&1 || true
cp small.asice small-s.asice 2>/dev/null && { sg small-s.asice || true; }
cp large.asice large-s.asice 2>/dev/null && { sg large-s.asice || true; }
"$A" pack -o one.asice one.bin >/dev/null
cp one.asice one1.asice; sg one1.asice
cp one.asice many.asice
i=0; while [ $i -lt "$NSIG" ]; do i=$((i + 1)); sg many.asice; done
# Baselines' signatures: CMS detached and XML-DSig over the same file (a local reference).
openssl cms -sign -binary -in random.bin -signer x.crt -inkey x.key -md sha256 -outform DER \
	-out random.p7s
cat >tmpl.xml <<'EOF'
<?xml version="1.0"?>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="random.bin"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/></Signature>
EOF
xmlsec1 --sign --privkey-pem x.key --output random.xml tmpl.xml >/dev/null 2>&1

# ---------------------------------------------------------------- runs, alternating
# (A copy made for sign is synced first: its write-back is cp's cost, not sign's.)
echo "bench: measuring (median of $RUNS alternating runs)" >&2
cat >plan <<EOF
m lim_r openssl dgst -sha256 random.bin
m cp cp random.bin cp.out
m zip0 sh -c 'rm -f z0.zip; zip -0 -q z0.zip random.bin'
m pack_r "$A" pack -o pr.asice --force random.bin
cp r.asice w.asice; sync w.asice
m sign "$A" sign w.asice --key s.key --cert s.crt --passphrase-file pass --force
m sign2 "$A" sign w.asice --key s.key --cert s.crt --passphrase-file pass --force
m verify_r "$A" verify rs.asice --trust ca.crt
m cms openssl cms -verify -binary -content random.bin -in random.p7s -inform DER -CAfile x.crt -purpose any -out /dev/null
m xmlsec xmlsec1 --verify --pubkey-cert-pem x.crt random.xml
m extract_r "$A" extract -o ex --force rs.asice
m unzip_r unzip -o -q -d exu rs.asice
m lim_t openssl dgst -sha256 text.txt
m zip6 sh -c 'rm -f z6.zip; zip -6 -q z6.zip text.txt'
m pack_t "$A" pack -o pt.asice --force text.txt
m verify_t "$A" verify ts.asice --trust ca.crt
m inflate sh -c 'unzip -p z6.zip text.txt >/dev/null'
m extract_t "$A" extract -o ex --force ts.asice
m zipr_s sh -c 'rm -f zs.zip; zip -r -q zs.zip small'
m verify_s "$A" verify small-s.asice --trust ca.crt $BIG
cp small.asice sw.asice; sync sw.asice
m sign_s "$A" sign sw.asice --key s.key --cert s.crt --passphrase-file pass --force
m zipr_l sh -c 'rm -f zl.zip; zip -r -q zl.zip large'
m pack_l sh -c '"$A" pack -o pl.asice --force \$(find large -type f | sort)'
m verify_l "$A" verify large-s.asice --trust ca.crt $BIG
m lim_1 openssl dgst -sha256 one.bin
m verify_1 "$A" verify one1.asice --trust ca.crt
m verify_n "$A" verify many.asice --trust ca.crt
EOF
alternate plan
pack_s_rc=0
# shellcheck disable=SC2046
"$A" pack -o ps.asice --force $(find small -type f | sort) >/dev/null 2>&1 || pack_s_rc=$?

zs() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }
echo
echo "accord bench, $(date -u +%Y-%m-%d), $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "median of $RUNS alternating runs; limit = openssl dgst -sha256 of the same bytes"
echo
echo "| work | accord s | x limit | baseline | baseline s | x baseline | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|"
row "pack $MB MiB random" pack_r lim_r "zip -0" zip0
row "pack $MB MiB text" pack_t lim_t "zip -6" zip6
row "sign $MB MiB (first signature)" sign lim_r cp cp
row "sign $MB MiB (further signature)" sign2 lim_r cp cp
row "verify $MB MiB random" verify_r lim_r "openssl cms -verify" cms
row "verify $MB MiB random" verify_r lim_r "xmlsec1 --verify" xmlsec
row "verify $MB MiB text" verify_t lim_t "inflate (unzip -p)" inflate
row "extract $MB MiB random" extract_r lim_r "unzip" unzip_r
row "extract $MB MiB text" extract_t lim_t "inflate (unzip -p)" inflate
row "verify $NSMALL small files" verify_s - "zip -r" zipr_s small-s.asice
row "sign $NSMALL small files" sign_s - "zip -r" zipr_s
row "verify $NLARGE small files" verify_l - "zip -r" zipr_l large-s.asice
row "pack $NLARGE small files" pack_l - "zip -r" zipr_l
row "verify 1 signature, 1 MiB" verify_1 lim_1 - -
row "verify $NSIG signatures, 1 MiB" verify_n lim_1 "1 signature" verify_1
echo
v1=$(med verify_1); vn=$(med verify_n)
echo "$NSIG signatures: target 1.2 x one signature + 0.2 ms each = $(awk -v a="$v1" -v n="$NSIG" 'BEGIN { printf "%.3f", 1.2 * a + 0.0002 * n }') s, measured $vn s"
echo "sizes: pack random $(zs pr.asice) (zip -0 $(zs z0.zip)), pack text $(zs pt.asice) (zip -6 $(zs z6.zip), $(ratio "$(zs pt.asice)" "$(zs z6.zip)") x)"
vs=$(med verify_s); vl=$(med verify_l)
if [ ! -s verify_s.fail ] && [ ! -s verify_l.fail ]; then
	echo "verify per entry, $NLARGE vs $NSMALL files: $(ratio "$vl" "$vs") x the time for $((NLARGE / NSMALL)) x the files (linear: $((NLARGE / NSMALL)).00)"
fi
[ "$pack_s_rc" = 0 ] || echo "pack of $NSMALL files exited $pack_s_rc"
