#!/bin/sh
# tests/cli/help.sh — every verb and sub-verb answers --help on stdout with exit 0, and a
# usage error is exit 3 with a pointer to --help.
. "$(dirname "$0")/../lib.sh"
for v in keys pack list extract sign countersign verify timestamp extend tsa \
	tsl "tsl make" "keys generate" "keys ca" "keys issue" "keys show" "keys trust" "keys untrust" "keys list" \
	"keys revoke" "keys check" "tsa init" "tsa stamp" "tsa serve" "tsa verify" \
	"timestamp request" "timestamp attach"; do
	# shellcheck disable=SC2086
	output_has "accord $v --help" "usage: accord" accord $v --help
done
refuses "an unknown verb is a usage error" 3 "unknown verb" accord frobnicate
refuses "verify without a package is a usage error" 3 "PACKAGE" accord verify
refuses "sign without a key is a usage error" 3 "--key and --cert" accord sign x.asice
refuses "a missing package names the file" 3 "nothere.asice: cannot open" accord verify nothere.asice
output_has "accord --help lists the exit codes" "Exit codes" accord --help
# A sub-verb's help is that sub-verb's, not the whole group's (issue #11).
for v in "keys generate" "keys trust" "tsa stamp" "tsa serve" "ocsp init" "ocsp respond"; do
	# shellcheck disable=SC2086
	accord $v --help >"$T/sub.out" 2>&1
	expect "accord $v --help shows $v and not the other verbs" sh -c \
		"grep -q '^usage: accord $v ' '$T/sub.out' && [ \$(grep -c '^  [a-z]' '$T/sub.out') = 0 ] && ! grep -q '^Verbs:' '$T/sub.out'"
done
output_has "accord help verify is verify's help" "^usage: accord verify PACKAGE" accord help verify
output_has "accord help keys trust is keys trust's help" "^usage: accord keys trust " accord help keys trust
