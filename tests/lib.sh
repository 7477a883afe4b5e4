# tests/lib.sh — sourced by the scenario scripts. Each check prints PASS/FAIL/SKIP.
# Every script works in its own temporary folder ($T), removed at the end.
set -u
: "${ACCORD_BIN:?}"
TESTS=$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/accord-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# The trust store every test uses: it must exist (a named store that does not is an
# error) and be private (a store others can write to is refused).
export ACCORD_TRUST_DIR="$T/trust"
mkdir -m 700 "$ACCORD_TRUST_DIR"
export HOME="$T/home"
mkdir -p "$HOME"
unset ACCORD_PASSPHRASE
accord() { "$ACCORD_BIN" "$@"; }
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; }

# ok NAME CMD...: the command must succeed.
ok() { n=$1; shift; if "$@" >"$T/.out" 2>&1; then pass "$n"; else fail "$n (exit $?)"; sed 's/^/    /' "$T/.out" | head -20; fi; }
# refuses NAME EXPECTED_EXIT WORDS CMD...: the command must exit EXPECTED_EXIT and print WORDS (grep -E, stdout+stderr).
refuses() {
	n=$1; want=$2; words=$3; shift 3
	"$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" = "$want" ] && grep -Eqi -- "$words" "$T/.out"; then pass "$n"
	else fail "$n (exit $got, wanted $want and /$words/)"; sed 's/^/    /' "$T/.out" | head -20; fi
}
# expect NAME CONDITION...: a test(1)/shell condition.
expect() { n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }
# output_has NAME WORDS CMD...: the command succeeds and its output matches WORDS.
output_has() {
	n=$1; words=$2; shift 2
	if "$@" >"$T/.out" 2>&1 && grep -Eq -- "$words" "$T/.out"; then pass "$n"
	else fail "$n (wanted /$words/)"; sed 's/^/    /' "$T/.out" | head -20; fi
}
# json_valid NAME verify|list FILE: FILE is a document `accord verify|list --json` may print:
# it validates against docs/accord-KIND-1.schema.json and its cross-references hold.
json_valid() {
	n=$1
	if python3 "$TESTS/tools/check_json.py" "$2" "$3" >"$T/.json" 2>&1; then pass "$n"
	else fail "$n"; sed 's/^/    /' "$T/.json" | head -20; fi
}
# setup NAME CMD...: a set-up step; its failure is reported (as "${SETUP_PREFIX}setup: NAME")
# with the command's output and stops the script.
setup() {
	n=$1; shift
	if ! "$@" >"$T/.setup" 2>&1; then
		fail "${SETUP_PREFIX:-}setup: $n"
		sed 's/^/    /' "$T/.setup" | head -20
		exit 0
	fi
}
# passfile FILE PASSPHRASE: write a passphrase file as accord wants it (mode 0600: one
# group or others can read is refused).
passfile() { (umask 077 && printf '%s\n' "$2" >"$1"); }
# A passphrase file the tests use for every key.
passfile "$T/pass" 'correct horse battery staple'

# The clock shim (tests/tools/faketime.c) preloaded into a command: "$FAKETIME_ENV" EPOCH CMD...
# ASan builds refuse a library preloaded before their runtime; the shim only replaces the
# clock, so that check is turned off for these commands.
faketime_run() {
	e=$1; shift
	env LD_PRELOAD="$T/faketime.so" ACCORD_FAKE_TIME="$e" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}
