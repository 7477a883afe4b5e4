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

# One help format for every verb and sub-verb (issue #11): a usage line, what it does, an
# "Options:" table where every long option the parser takes (`--list-options`, hidden)
# has its line with a word of explanation, and notes. Options that are not required are
# [bracketed] in the usage line; the table marks the required ones "(required".
# The entries of the Options table: one line per option, "--name<TAB>its whole text".
options_table() {
	awk '/^Options:$/ { on = 1; next }
	     on && /^$/ { exit }
	     on && /^ +--?[a-zA-Z]/ {
		if (name != "") print name "\t" text
		line = $0; sub(/^ +(-[a-zA-Z], +)?/, "", line)
		name = line; sub(/[ ].*/, "", name)
		text = line; sub(/^[^ ]+( [^ ]+)?/, "", text)
		if (text !~ /^  +[^ ]/) text = ""   # no explanation on the line
		short = ($0 ~ /^  -[a-zA-Z], /) ? substr($0, 3, 2) : ""
		name = name (short != "" ? " " short : "")
		next }
	     on && /^                           / { text = text " " $0; next }
	     END { if (name != "") print name "\t" text }' "$1"
}
# The usage lines joined, [bracketed] parts removed: what is required.
usage_required() {
	awk '/^usage:/ { on = 1 } on && /^$/ { exit } on { printf "%s ", $0 }' "$1" |
		sed -e ':a' -e 's/\[[^][]*\]//g' -e 'ta'
}
subverbs="pack add new sign countersign extend verify list extract remove
	timestamp-request timestamp-attach tsl-make
	keys-generate keys-ca keys-issue keys-show keys-trust keys-untrust keys-list keys-revoke
	keys-check keys-verify tsa-init tsa-stamp tsa-serve tsa-verify
	ocsp-init ocsp-respond ocsp-serve ocsp-request ocsp-attach"
for w in $subverbs; do
	v=$(echo "$w" | tr '-' ' ')
	# shellcheck disable=SC2086
	accord $v --help >"$T/h.out" 2>"$T/h.err"
	expect "accord $v --help: exit 0, usage first, an Options: section" sh -c \
		"[ -s '$T/h.out' ] && [ ! -s '$T/h.err' ] && head -1 '$T/h.out' | grep -q '^usage: accord $v' && grep -q '^Options:\$' '$T/h.out'"
	long=$(awk 'length($0) > 79' "$T/h.out" | head -3)
	expect "accord $v --help: every line under 80 columns${long:+ ($long)}" [ -z "$long" ]
	# shellcheck disable=SC2086
	accord $v --list-options >"$T/opts" 2>&1
	expect "accord $v --list-options lists its options" grep -q -- '^--help$' "$T/opts"
	options_table "$T/h.out" >"$T/table"
	missing="" bare="" unmarked="" absent=""
	for o in $(cat "$T/opts"); do
		grep -q -- "^$o[ 	]" "$T/table" || { missing="$missing $o"; continue; }
		grep -q -- "^$o[^	]*	 *[^ ]" "$T/table" || bare="$bare $o"
	done
	expect "accord $v --help: every option it takes is in Options:${missing:+ (missing:$missing)}" [ -z "$missing" ]
	expect "accord $v --help: every option has its explanation${bare:+ (none for:$bare)}" [ -z "$bare" ]
	req=$(usage_required "$T/h.out")
	for o in $(echo "$req" | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
		grep -q -- "^$o[^	]*	.*(required" "$T/table" || unmarked="$unmarked $o"
	done
	expect "accord $v --help: what the usage line requires is marked (required)${unmarked:+ (not:$unmarked)}" [ -z "$unmarked" ]
	grep '(required' "$T/table" | cut -f1 >"$T/req"
	while read -r o short; do
		case " $req " in *" $o "* | *" $o="* | *" ${short:-$o} "*) ;; *) absent="$absent $o" ;; esac
	done <"$T/req"
	expect "accord $v --help: a required option is plain in the usage line${absent:+ (not:$absent)}" [ -z "$absent" ]
	# shellcheck disable=SC2086
	accord help $v >"$T/help.out" 2>&1
	expect "accord help $v is accord $v --help" cmp -s "$T/h.out" "$T/help.out"
done
accord keys generate --help >"$T/gen.out"
req=$(usage_required "$T/gen.out")
expect "keys generate: --org, --country and --email are optional ([bracketed])" sh -c \
	"grep -q -- '--org' '$T/gen.out' && ! echo '$req' | grep -q -- '--org\\|--country\\|--email'"
expect "keys generate: --name and -o are required" sh -c "echo '$req' | grep -q -- '--name NAME -o PREFIX'"
# The table reader sees an option whose line has no explanation.
printf 'usage: accord x --a A [--b B] --c\n\nDoes.\n\nOptions:\n      --a A    the a (required)\n      --b B\n' >"$T/bad"
options_table "$T/bad" >"$T/badtable"
expect "the check sees an option without explanation" sh -c "! grep -q -- '^--b[^	]*	 *[^ ]' '$T/badtable'"
for g in keys tsa ocsp timestamp; do
	accord $g --help >"$T/g.out"
	expect "accord $g --help lists its verbs, one line each" sh -c "grep -q '^Verbs:' '$T/g.out' && grep -q '^  [a-z]' '$T/g.out'"
done
# What the parser takes is what the help shows: a sibling's option is refused, not ignored.
output_has "sign --list-options names --rsa-pss" '^--rsa-pss$' accord sign --list-options
expect "sign takes no --signature (countersign does), countersign takes no --ocsp" sh -c \
	"! '$ACCORD_BIN' sign --list-options | grep -qx -- --signature && '$ACCORD_BIN' countersign --list-options | grep -qx -- --signature && ! '$ACCORD_BIN' countersign --list-options | grep -qx -- --ocsp"
refuses "sign --signature is refused" 3 "^accord sign: --signature: this option does not apply here" \
	accord sign x.asice --signature S-1 --key k --cert c
refuses "countersign --ocsp-dir is refused" 3 "^accord countersign: --ocsp-dir: this option does not apply here" \
	accord countersign x.asice --signature S-1 --key k --cert c --ocsp-dir o
refuses "countersign --trust is refused (it has no use there)" 3 "^accord countersign: --trust: this option does not apply here" \
	accord countersign x.asice --signature S-1 --key k --cert c --trust ca.crt
refuses "timestamp request --reply is refused" 3 "^accord timestamp request: --reply: this option does not apply here" \
	accord timestamp request x.asice -o r.tsq --reply r.tsr
refuses "ocsp attach -o is refused" 3 "^accord ocsp attach: --out: this option does not apply here" \
	accord ocsp attach x.asice --response r.der -o x
