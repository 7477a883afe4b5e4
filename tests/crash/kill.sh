#!/bin/sh
# tests/crash/kill.sh — SIGKILL at random points during pack, sign, countersign, sign with a
# timestamp from a local TSA and timestamp attach: the target is always either byte-identical
# or a complete, valid container, and the next successful run leaves no temporary behind.
# Environment: CRASH_RUNS (total kill runs, default 120), CRASH_SEED (random seed).
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
RUNS=${CRASH_RUNS:-120}
SEED=${CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "kill.sh: seed $SEED (CRASH_SEED=$SEED reproduces the delays)"
sha() { sha256sum "$1" | cut -d' ' -f1; }
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }

# killer.py D CMD...: start CMD, SIGKILL it after a random delay in [0, 1.1 D) seconds,
# denser towards the end where the container is written and renamed into place (D
# "measure": let it finish). Prints "killed|exited RC SECONDS". Seed from KILL_SEED.
cat >killer.py <<'PY'
import os, random, signal, subprocess, sys, time
mx = sys.argv[1]
random.seed(os.environ.get("KILL_SEED", "0"))
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open("killer.err", "w"))
if mx == "measure":
    rc = p.wait()
    print("exited", rc, "%.4f" % (time.monotonic() - t0))
    sys.exit(0)
d = float(mx) * 1.1 * random.random() ** 0.5
try:
    rc = p.wait(timeout=d)
    print("exited", rc, "%.4f" % (time.monotonic() - t0))
except subprocess.TimeoutExpired:
    p.send_signal(signal.SIGKILL)
    p.wait()
    print("killed", -9, "%.4f" % d)
PY

# check.py JSON EXIT WANT_COUNT SIGNER [tsa|cs]: the container after the run is complete:
# WANT_COUNT signatures, all TOTAL-PASSED, the last one by SIGNER (timestamped with tsa, a
# countersignature with cs), and verify's exit is 0 iff both declared parties signed, else 2.
cat >check.py <<'PY'
import json, os, sys
js, rc, want, signer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
mode = sys.argv[5] if len(sys.argv) > 5 else ""
try:
    r = json.load(open(js))
except Exception as e:
    print("verify --json unreadable: %s" % e); sys.exit(1)
sys.path.insert(0, os.path.join(os.environ["TESTS"], "tools"))
import check_json  # the report validates against docs/accord-verify-1.schema.json
problems = check_json.check("verify", js, check_json.validator("verify"))
if problems:
    print("verify --json does not validate: %s" % "; ".join(problems[:3])); sys.exit(1)
s = r.get("signatures", [])
bad = [x.get("id") + ":" + x.get("indication", "") for x in s if x.get("indication") != "TOTAL-PASSED"]
if len(s) != want:
    print("%d signatures, wanted %d" % (len(s), want)); sys.exit(1)
if bad:
    print("not TOTAL-PASSED: %s" % bad); sys.exit(1)
signed = {x.get("signer") for x in s if not x.get("countersigns")}
exp = 0 if {"alice", "bob"} <= signed else 2
if rc != exp:
    print("verify exit %d, wanted %d (signers %s)" % (rc, exp, sorted(signed))); sys.exit(1)
new = [x for x in s if x.get("signer") == signer and bool(x.get("countersigns")) == (mode == "cs")]
if not new:
    print("no signature by %s" % signer); sys.exit(1)
if mode == "tsa" and not any(x.get("timestamp_time") for x in new):
    print("the new signature by %s has no timestamp" % signer); sys.exit(1)
PY

# Keys, a TSA and the packages, once.
accord keys ca --name "Crash CA" --out ca --passphrase-file pass >/dev/null 2>&1
for who in alice bob notary; do
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name "$who" \
		--out "$who" --passphrase-file pass >/dev/null 2>&1
done
accord tsa init --dir tsa --name T --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--passphrase-file pass >/dev/null 2>&1
# Random data: incompressible, so packing and copying take long enough to be hit mid-write.
head -c 6000000 /dev/urandom >big.bin
printf 'Crash test agreement.\n' >doc.txt
accord pack -o p0.asice --party alice.crt --party bob.crt big.bin doc.txt >/dev/null 2>&1
cp p0.asice p1.asice
accord sign p1.asice --key alice.key --cert alice.crt --passphrase-file pass >sa.out 2>&1
A=$(sigid sa.out)
accord verify p1.asice --trust ca.crt >/dev/null 2>&1; vrc=$?
if [ ! -f alice.crt ] || [ ! -f tsa/tsa.crt ] || [ -z "$A" ] || [ $vrc -ne 2 ]; then
	fail "crash test setup (keys, TSA, packages)"; exit 0
fi

# run_verb NAME: the verb, uninterrupted, on w_NAME/c.asice (sign with --force: a run the
# kill did not stop already signed, and the next one signs again). Each verb works in its own
# folder w_NAME that holds only the target "c.asice".
run_verb() {
	case $1 in
	pack) accord pack -o w_pack/c.asice --force --party alice.crt --party bob.crt big.bin doc.txt ;;
	sign) accord sign w_sign/c.asice --key alice.key --cert alice.crt --passphrase-file pass --force ;;
	countersign) accord countersign w_countersign/c.asice --signature "$A" --key notary.key \
		--cert notary.crt --passphrase-file pass ;;
	sign_tsa) accord sign w_sign_tsa/c.asice --key bob.key --cert bob.crt --passphrase-file pass \
		--force --tsa-dir tsa --tsa-passphrase-file pass ;;
	timestamp) accord timestamp attach w_timestamp/c.asice --signature "$A" --reply a.tsr ;;
	esac
}
# The same command line for killer.py (which runs a program, not a shell function).
argv_verb() {
	case $1 in
	pack) set -- pack -o w_pack/c.asice --party alice.crt --party bob.crt big.bin doc.txt ;;
	sign) set -- sign w_sign/c.asice --key alice.key --cert alice.crt --passphrase-file pass --force ;;
	countersign) set -- countersign w_countersign/c.asice --signature "$A" --key notary.key \
		--cert notary.crt --passphrase-file pass ;;
	sign_tsa) set -- sign w_sign_tsa/c.asice --key bob.key --cert bob.crt --passphrase-file pass \
		--force --tsa-dir tsa --tsa-passphrase-file pass ;;
	timestamp) set -- timestamp attach w_timestamp/c.asice --signature "$A" --reply a.tsr ;;
	esac
	KILL_SEED="$SEED-$1-$i" python3 killer.py "$D" "$ACCORD_BIN" "$@"
}
base_of() { case $1 in pack) echo "" ;; sign) echo p0.asice ;; *) echo p1.asice ;; esac; }

# Everything in w_NAME other than c.asice is a leftover (accord's ".c.asice.accord-tmp-*",
# libzip's "c.asice.XXXXXX" or "<tmp>.XXXXXX", anything else).
leftovers() { ls -A "w_$1" | grep -vx 'c.asice' | tr '\n' ' '; }

verbs="pack sign countersign sign_tsa"
# timestamp attach: a reply from the local TSA over alice's signature, attached to p1.
# The timestamp verb exists: a failed setup is a failure, not a skip.
if accord timestamp request p1.asice --signature "$A" --out a.tsq >ts.out 2>&1 &&
	accord tsa stamp --dir tsa --request a.tsq --out a.tsr --passphrase-file pass >>ts.out 2>&1; then
	verbs="$verbs timestamp"
else
	fail "kill -9 during timestamp: setup (timestamp request, tsa stamp) failed"; sed 's/^/    /' ts.out | head -5
fi
nverbs=$(echo $verbs | wc -w)
per=$(( (RUNS + nverbs - 1) / nverbs ))

for v in $verbs; do
	rm -rf "w_$v"; mkdir "w_$v"
	base=$(base_of "$v")
	reset() { if [ -n "$base" ]; then cp "$base" "w_$v/c.asice"; else rm -f "w_$v/c.asice"; fi; }
	# One uninterrupted run sets the scale of the random delays.
	reset
	i=measure
	m=$(D=measure argv_verb "$v")
	D=$(echo "$m" | awk '$1 == "exited" && $2 == 0 { printf "%.4f", $3 * 1.05 }')
	if [ -z "$D" ]; then
		fail "kill -9 during $v: the uninterrupted run failed ($m)"; sed 's/^/    /' killer.err | head -5
		continue
	fi
	case $v in
	pack) want=0 ;; sign) want=1; signer=alice; mode= ;; countersign) want=2; signer=notary; mode=cs ;;
	sign_tsa) want=2; signer=bob; mode=tsa ;; timestamp) want=1; signer=alice; mode=tsa ;;
	esac
	intact=0; complete=0; finished=0; stale=0; bad=0
	i=0
	while [ $i -lt $per ]; do
		i=$((i + 1))
		reset
		before=$( [ -f "w_$v/c.asice" ] && sha "w_$v/c.asice" || echo none)
		r=$(argv_verb "$v")
		how=$(echo "$r" | cut -d' ' -f1)
		if [ "$how" = exited ] && [ "$(echo "$r" | cut -d' ' -f2)" != 0 ]; then
			bad=$((bad + 1)); fail "kill -9 during $v, run $i: the unkilled run failed ($r)"
			sed 's/^/    /' killer.err | head -5
		fi
		[ "$how" = exited ] && finished=$((finished + 1))
		after=$( [ -f "w_$v/c.asice" ] && sha "w_$v/c.asice" || echo none)
		if [ "$after" = "$before" ]; then
			intact=$((intact + 1))
		elif [ "$v" = pack ]; then
			if accord list w_pack/c.asice >list.out 2>&1 && unzip -tq w_pack/c.asice >unzip.out 2>&1 &&
				grep -q 'big.bin' list.out; then complete=$((complete + 1))
			else
				bad=$((bad + 1)); fail "kill -9 during pack, run $i ($r): the output exists but is not a complete container"
				cat list.out unzip.out | sed 's/^/    /' | head -8
			fi
		else
			accord verify w_$v/c.asice --trust ca.crt --json >v.json 2>v.err; vrc=$?
			if why=$(TESTS=$TESTS python3 check.py v.json "$vrc" "$want" "$signer" "$mode"); then
				complete=$((complete + 1))
			else
				bad=$((bad + 1)); fail "kill -9 during $v, run $i ($r): changed but not complete and valid: $why"
				sed 's/^/    /' v.err | head -5
			fi
		fi
		# Temporaries the kill left behind must go with the next successful run.
		[ -n "$(leftovers "$v")" ] && stale=$((stale + 1))
		left=$(leftovers "$v")
		# A reply attaches once: the next attach starts from the untimestamped container.
		[ "$v" = timestamp ] && reset
		if ! run_verb "$v" >next.out 2>&1; then
			bad=$((bad + 1)); fail "kill -9 during $v, run $i ($r): the next run failed (leftovers: $left)"
			sed 's/^/    /' next.out | head -5
		elif [ -n "$(leftovers "$v")" ]; then
			bad=$((bad + 1))
			fail "kill -9 during $v, run $i ($r): after the next successful run, left behind: $(leftovers "$v") (after the kill: $left)"
			find "w_$v" -mindepth 1 ! -name c.asice -exec rm -rf {} +
		fi
	done
	if [ $bad -eq 0 ]; then
		pass "kill -9 during $v: $per runs, original intact $intact, new complete $complete ($finished finished before the kill), no leftovers (temporaries after $stale kills, all removed by the next run)"
	fi
	rm -rf "w_$v"
done

# Deterministically: stale temporaries of a killed run (accord's and libzip's names) go with
# the next run of each verb, and unrelated files beside them stay.
for v in $verbs; do
	rm -rf "w_$v"; mkdir "w_$v"
	base=$(base_of "$v"); [ -n "$base" ] && cp "$base" "w_$v/c.asice"
	: >"w_$v/.c.asice.accord-tmp-AbC123"
	: >"w_$v/.c.asice.accord-tmp-AbC123.XyZ789"
	: >"w_$v/keep.txt"; : >"w_$v/.other.asice.accord-tmp-Q1w2E3"
	run_verb "$v" >next.out 2>&1
	expect "the next $v removes stale '.c.asice.accord-tmp-*' files (and libzip's '<tmp>.XXXXXX')" \
		[ -z "$(ls -A "w_$v" | grep 'c\.asice\.accord-tmp')" ]
	expect "the next $v keeps unrelated files (other containers' temporaries too)" \
		[ -f "w_$v/keep.txt" -a -f "w_$v/.other.asice.accord-tmp-Q1w2E3" ]
done

# The TSA's serial counter is rewritten (tmp + rename) by every sign --tsa-dir: a kill there
# leaves ".serial.accord-tmp-*" in the TSA folder, which the next run must remove too.
: >tsa/.serial.accord-tmp-AbC123
cp p1.asice s.asice
accord sign s.asice --key bob.key --cert bob.crt --passphrase-file pass --tsa-dir tsa \
	--tsa-passphrase-file pass >next.out 2>&1
expect "the next sign --tsa-dir removes a stale '.serial.accord-tmp-*' in the TSA folder" \
	[ -z "$(ls -A tsa | grep 'accord-tmp')" ]
