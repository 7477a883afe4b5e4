#!/bin/sh
# tests/run.sh — runs every test: unit binaries (Check) and the shell scenario scripts.
# Each prints "PASS: name", "FAIL: name" or "SKIP: name" lines; this script adds them
# up and ends with one line "N passed, N failed, N skipped". Exit 1 if anything failed.
# Environment: ACCORD_BIN (the CLI), UNIT_DIR (unit test binaries), TEST_FILTER (glob),
# FUZZ_CHECK_SECONDS (seconds per fuzz target in the short run; 0 skips it).
here=$(cd "$(dirname "$0")" && pwd)
: "${ACCORD_BIN:?ACCORD_BIN must name the accord binary}"
: "${UNIT_DIR:=}"
export ACCORD_BIN
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() { # name, command...
	name=$1; shift
	out=$(mktemp)
	timeout 900 "$@" >"$out" 2>&1
	rc=$?
	cat "$out" >>"$log"
	grep -E '^(PASS|FAIL|SKIP):' "$out"
	grep -E '^FAIL:' "$out" >/dev/null && grep -vE '^(PASS|SKIP):' "$out" | sed 's/^/    /' | head -60
	# A script that says nothing proved nothing: no PASS (and no SKIP saying why) fails.
	if ! grep -qE '^(PASS|SKIP|FAIL):' "$out"; then
		echo "FAIL: $name reported no PASS (exit $rc)"
		echo "FAIL: $name reported no PASS (exit $rc)" >>"$log"
		tail -20 "$out" | sed 's/^/    /'
	elif [ $rc -ne 0 ] && ! grep -q '^FAIL:' "$out"; then
		echo "FAIL: $name exited with status $rc"
		echo "FAIL: $name exited with status $rc" >>"$log"
		tail -20 "$out" | sed 's/^/    /'
	fi
	rm -f "$out"
}

if [ -n "$UNIT_DIR" ] && [ -d "$UNIT_DIR" ]; then
	for t in "$UNIT_DIR"/test_*; do
		[ -x "$t" ] || continue
		case "$(basename "$t")" in ${TEST_FILTER:-*}) ;; *) continue ;; esac
		run_one "unit/$(basename "$t")" "$t"
	done
fi
for t in "$here"/cli/*.sh "$here"/hostile/*.sh "$here"/interop/*.sh "$here"/crash/*.sh; do
	[ -f "$t" ] || continue
	case "$(basename "$t")" in ${TEST_FILTER:-*}) ;; *) continue ;; esac
	run_one "$t" sh "$t"
done

# A short fuzz run of every target (FUZZ_CHECK_SECONDS each, 20 by default; 0 skips it):
# long runs are `make fuzz FUZZ_SECONDS=N`.
if [ -z "${TEST_FILTER:-}" ] && [ "${FUZZ_CHECK_SECONDS:-20}" != 0 ]; then
	run_one "fuzz" sh "$here/fuzz/run.sh" "${FUZZ_CHECK_SECONDS:-20}"
fi

# The README's security model quotes the number of hostile cases and fuzz targets: they
# are taken from this run and from tests/fuzz, and the README must say the same.
if [ -z "${TEST_FILTER:-}" ]; then
	hc=$(grep -E '^(PASS|FAIL): hostile' "$log" | grep -Evc 'setup|generating')
	ft=$(ls "$here"/fuzz/fuzz_*.c 2>/dev/null | wc -l)
	if grep -q "$hc hostile cases" "$here/../README.md" && grep -q "$ft fuzz targets" "$here/../README.md"; then
		echo "PASS: README states the $hc hostile cases and $ft fuzz targets" | tee -a "$log"
	else
		echo "FAIL: README must state \"$hc hostile cases\" and \"$ft fuzz targets\"" | tee -a "$log"
	fi
fi

p=$(grep -c '^PASS:' "$log")
f=$(grep -c '^FAIL:' "$log")
s=$(grep -c '^SKIP:' "$log")
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
