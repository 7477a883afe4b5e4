# tests/tools/trust_checks.sh — helpers of the hostile TRUST scripts (trust.sh,
# trust_review.sh, trust_review2.sh), sourced after tests/lib.sh and after each script
# has named its cases with pass()/fail().
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
XEDIT="python3 $TESTS/tools/xadesedit.py"
q() { "$@" >/dev/null 2>&1; }
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }

# not_valid NAME WORDS CMD...: exit 1 or 2 (not VALID, not a usage error) and WORDS
# (grep -Ei) in stdout+stderr.
not_valid() {
	n=$1; words=$2; shift 2
	"$@" >"$T/.out" 2>&1; got=$?
	if { [ "$got" = 1 ] || [ "$got" = 2 ]; } && grep -Eqi -- "$words" "$T/.out"; then
		pass "$n"; grep -m1 -E 'problem:' "$T/.out" | sed 's/^ */    why: /'
	else
		if [ "$got" = 0 ]; then why="verify said VALID"; else why="exit $got"; fi
		fail "$n ($why; wanted exit 1|2 and /$words/)"
		sed 's/^/    /' "$T/.out" | grep -Ei 'result|problem|error|refus|revocation|path:|timestamp:|signed|missing' | head -8
	fi
}
# valid NAME CMD...: exit 0 and "VALID and COMPLETE" (a positive control).
valid() {
	n=$1; shift
	"$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" = 0 ] && grep -q "VALID and COMPLETE" "$T/.out"; then pass "$n"
	else fail "$n (exit $got, wanted 0 and VALID and COMPLETE)"; sed 's/^/    /' "$T/.out" | grep -Ei 'result|problem|error' | head -6; fi
}
# fails_with NAME WORDS CMD...: any non-zero exit and WORDS.
fails_with() {
	n=$1; words=$2; shift 2
	"$@" >"$T/.out" 2>&1; got=$?
	if [ "$got" != 0 ] && grep -Eqi -- "$words" "$T/.out"; then pass "$n"
	else fail "$n (exit $got, wanted non-zero and /$words/)"; sed 's/^/    /' "$T/.out" | head -6; fi
}
