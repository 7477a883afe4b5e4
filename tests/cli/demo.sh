#!/bin/sh
# tests/cli/demo.sh — `make demo` tells the whole story; it must keep working and keep
# saying what it claims (valid and complete, B-LT with OCSP, then a failure naming the
# document, then bob missing).
. "$(dirname "$0")/../lib.sh"
DEMO_DIR="$T/demo" sh "$TESTS/../tools/demo.sh" >"$T/demo.log" 2>&1
expect "the demo runs to the end (exit 0)" [ $? -eq 0 ]
expect "the complete package is valid and complete, with trusted times" \
	grep -q "result: VALID and COMPLETE: 2 valid signatures and 1 valid countersignature, quorum of declared parties met" "$T/demo.log"
expect "timestamps came from the demo's own TSA server" grep -q "timestamp: .* by Joint CSIRT TSA" "$T/demo.log"
expect "both signatures are B-LT: OCSP from the demo's own responder decides" \
	test "$(grep -c "revocation: good by OCSP from 'Joint CSIRT OCSP'" "$T/demo.log")" -ge 2
expect "the notary's countersignature is shown" grep -q "countersignature CS-.*TOTAL-PASSED" "$T/demo.log"
expect "the flipped byte is found in the named document" grep -q "document 'draft-agreement.txt' does not match" "$T/demo.log"
expect "bob is reported missing when his signature file is removed" grep -q "MISSING  bob" "$T/demo.log"
# Positively: the demo printed the servers' pids; each is gone (kill -0 fails) and pgrep
# itself works (it finds this shell), so a missing pgrep cannot pass for "stopped".
for srv in TSA OCSP; do
	pid=$(sed -n "s/.*$srv server pid \([0-9][0-9]*\).*/\1/p" "$T/demo.log" | head -1)
	expect "the $srv server was stopped (pid ${pid:-not printed})" sh -c \
		"[ -n '$pid' ] && ! kill -0 '$pid' 2>/dev/null && pgrep -f 'sh' >/dev/null"
done
