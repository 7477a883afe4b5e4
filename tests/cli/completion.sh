#!/bin/sh
# tests/cli/completion.sh — bash completion (completion/accord.bash): what <TAB> offers
# after `accord ver`, `accord verify --js`, `accord keys `, an option's values and files.
. "$(dirname "$0")/../lib.sh"
COMPLETION=$(cd "$TESTS/.." && pwd)/completion/accord.bash
cd "$T" || exit 1
if ! command -v bash >/dev/null 2>&1; then
	skip "bash completion: bash is not installed"
	exit 0
fi
mkdir bin work && ln -s "$ACCORD_BIN" bin/accord
cd work || exit 1
touch treaty.asice draft.txt && mkdir out docs

# tab "WORDS..." : what _accord puts in COMPREPLY with the cursor at the end of WORDS
# (a trailing space starts a new, empty word), one per line, sorted.
tab() {
	PATH="$T/bin:$PATH" bash -c '
		. "$1" || exit 1
		line=$2
		read -ra COMP_WORDS <<<"$line"
		case $line in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_accord
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMPLETION" "$1"
}
has() { n=$1; line=$2; shift 2; tab "$line" >"$T/.tab"; for w in "$@"; do
	grep -qx -- "$w" "$T/.tab" || { fail "$n (no '$w' in: $(tr '\n' ' ' <"$T/.tab"))"; return; }; done; pass "$n"; }
is() { n=$1; line=$2; want=$3; got=$(tab "$line" | tr '\n' ' '); expect "$n (got: $got)" [ "$got" = "$want" ]; }

expect "completion/accord.bash is valid bash" bash -n "$COMPLETION"
expect "sourcing it registers the completion for accord" \
	sh -c "bash -c '. \"$COMPLETION\" && complete -p accord' | grep -q _accord"
is "accord ver<TAB> is verify" "accord ver" "verify "
has "accord <TAB> offers every verb" "accord " keys pack list extract sign countersign remove verify timestamp extend tsa tsl ocsp help
is "accord verify --js<TAB> is --json" "accord verify --js" "--json "
has "accord verify --<TAB> offers verify's options" "accord verify --" --trust --html --strict --tsl-cert --max-ratio
has "accord keys <TAB> offers the sub-verbs" "accord keys " generate ca issue show trust untrust list revoke check
is "accord keys gen<TAB> is generate" "accord keys gen" "generate "
has "accord keys issue --<TAB> offers issue's options" "accord keys issue --" --ca-key --ca-cert --tsa --out
has "accord timestamp <TAB> offers request and attach" "accord timestamp " request attach
is "accord tsl <TAB> is make" "accord tsl " "make "
is "accord new <TAB> offers the kinds" "accord new " "agreement incident-report "
is "accord pack --kind <TAB> offers the kinds" "accord pack --kind " "agreement incident-report "
is "accord pack --tlp <TAB> offers the TLP 2.0 labels" "accord pack --tlp " "amber amber+strict clear green red "
is "accord sign x --commitment <TAB> offers the commitments" "accord sign x --commitment " "approval origin receipt "
is "accord extend x --level <TAB> offers LT and LTA" "accord extend x --level " "LT LTA "
is "accord extract -C <TAB> offers folders only" "accord extract -C " "docs out "
is "accord extract -o <TAB> offers folders only" "accord extract -o " "docs out "
is "accord extract --out <TAB> offers folders only" "accord extract --out " "docs out "
has "accord verify <TAB> offers files" "accord verify " treaty.asice draft.txt
is "accord verify tr<TAB> is the package" "accord verify tr" "treaty.asice "
has "accord help <TAB> offers the verbs" "accord help " verify keys
