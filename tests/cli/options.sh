#!/bin/sh
# tests/cli/options.sh — one command line (issue #11): -o/--out wherever a verb writes its
# result, "-" for standard input or output, option errors in one line with "did you mean"
# for a near miss, one message prefix ("accord VERB: WHERE: what is wrong"), and a wrong
# passphrase and a key that is not the certificate's refused with the same exit code.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

# one_line_error NAME WORDS CMD...: exit 3, nothing on stdout, exactly one line on stderr
# matching WORDS.
one_line_error() {
	n=$1; words=$2; shift 2
	"$@" >"$T/o.out" 2>"$T/o.err"; got=$?
	if [ "$got" = 3 ] && [ ! -s "$T/o.out" ] && [ "$(wc -l <"$T/o.err")" = 1 ] &&
	   grep -Eq -- "$words" "$T/o.err"; then pass "$n"
	else fail "$n (exit $got, wanted 3 and one line /$words/)"; sed 's/^/    /' "$T/o.err" | head -5; fi
}

one_line_error "a near miss gets 'did you mean', in one line" \
	'^accord verify: --trsut: unknown option; did you mean --trust\? \(see accord verify --help\)$' \
	accord verify --trsut ca.crt p.asice
one_line_error "a near miss in a sub-verb names the sub-verb's option" \
	'^accord keys generate: --nmae: unknown option; did you mean --name\?' \
	accord keys generate --nmae x -o x
one_line_error "an ambiguous abbreviation names the options it could be" \
	'^accord verify: --max: ambiguous option; did you mean --max-entries or --max-size\?' \
	accord verify --max 3 p.asice
one_line_error "an option without its value" '^accord sign: --key: needs a value' accord sign --key
one_line_error "a value given to a flag" '^accord list: --json: takes no value' accord list --json=yes p
one_line_error "an option of another sub-verb" '^accord keys show: --out: this option does not apply here' \
	accord keys show --out x c.crt
one_line_error "nothing near: no suggestion" '^accord pack: --zzzzzz: unknown option \(see' \
	accord pack --zzzzzz -o x f
one_line_error "an unknown verb gets 'did you mean'" "^accord: verfy: unknown verb; did you mean verify\\?" \
	accord verfy p.asice
for v in new pack add list extract sign countersign remove verify extend "timestamp request" \
	"timestamp attach" "keys generate" "keys show" "keys trust" "keys revoke" "keys check" "keys verify" \
	"tsa init" "tsa stamp" "tsa serve" "tsa verify" "ocsp init" "ocsp respond" "ocsp serve" \
	"ocsp request" "ocsp attach" "tsl make"; do
	# shellcheck disable=SC2086
	one_line_error "$v: an unknown option is one line naming the verb" \
		"^accord $v: --bogus-option: unknown option" accord $v --bogus-option x.asice
done

# An abbreviation of --help is --help.
for v in pack add remove extend verify list "timestamp request" "ocsp attach" "tsa stamp" "keys show"; do
	# shellcheck disable=SC2086
	output_has "$v --hel prints the help" "^usage: accord" accord $v --hel
done

# Where a verb writes its result, its help names -o and --out.
for v in new pack extract "keys generate" "keys ca" "keys issue" "keys revoke" "tsa stamp" \
	"ocsp respond" "ocsp request" "timestamp request" "tsl make"; do
	# shellcheck disable=SC2086
	accord $v --help >"$T/h.out" 2>&1
	expect "$v --help shows -o and --out" sh -c "grep -q -- '-o ' '$T/h.out' && grep -q -- '--out' '$T/h.out'"
done

# Keys: a CA, alice issued by it, bob (self-signed) whose certificate is not alice's key's.
setup "the CA" accord keys ca --name "Options CA" -o ca --passphrase-file "$T/pass"
setup "alice" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file "$T/pass" \
	--name alice -o alice --passphrase-file "$T/pass"
setup "bob" accord keys generate --name bob -o bob --passphrase-file "$T/pass"
passfile wrong 'not the passphrase at all'
printf 'The document.\n' >doc.txt

# pack -o - writes the package, and only it, to standard output; verify -, list - and
# extract - read one from standard input. Their temporary files go under $TMPDIR.
mkdir -m 700 "$T/tmp"
export TMPDIR="$T/tmp"
accord pack -o - doc.txt >piped.asice 2>pack.err
expect "pack -o - writes a zip to standard output" sh -c "unzip -tq piped.asice >/dev/null"
expect "pack -o - says what it did on stderr" grep -q 'packed 1 document into standard output' pack.err
expect "pack -o - leaves no file named -" test ! -e ./-
refuses "accord pack -o - doc | accord verify -: an unsigned package (exit 2)" 2 "no signature" \
	sh -c "'$ACCORD_BIN' pack -o - doc.txt 2>/dev/null | '$ACCORD_BIN' verify - --trust ca.crt"
output_has "accord pack -o - doc | accord list -: the document is listed" "doc.txt" \
	sh -c "'$ACCORD_BIN' pack -o - doc.txt 2>/dev/null | '$ACCORD_BIN' list -"
setup "pack" accord pack -o p.asice doc.txt
setup "alice signs" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file "$T/pass"
accord verify p.asice --trust ca.crt >byname.out 2>&1; byname=$?
cat p.asice | accord verify - --trust ca.crt >piped.out 2>&1; piped=$?
expect "cat p.asice | accord verify - --trust ca.crt: valid (exit 0)" test "$piped" = 0
# (the same report but for the package line, and the check time "(now)", a second apart)
expect "verify - gives the verdict verify FILE gives, naming the package -" sh -c \
	"[ $byname = $piped ] && grep -q '^package: -\$' piped.out &&
	 sed '1d; /(now)/d' byname.out >a && sed '1d; /(now)/d' piped.out >b && cmp -s a b"
cat p.asice | accord verify --json - --trust ca.crt >piped.json 2>/dev/null
json_valid "verify --json - is a valid report" verify piped.json
expect "verify --json - names the package -" grep -q '"package": *"-"' piped.json
ok "cat p.asice | accord extract -o out -" sh -c "cat p.asice | '$ACCORD_BIN' extract -o out -"
expect "extract - wrote the document" cmp -s out/doc.txt doc.txt
refuses "extract -o - is refused: documents go into a folder" 3 "folder" accord extract -o - p.asice
head -c 3000000 /dev/zero >big
refuses "standard input longer than the limits allow is refused" 1 "^accord verify: -: standard input is longer" \
	sh -c "'$ACCORD_BIN' verify --max-total 1K - <big"
refuses "a damaged package on standard input is named -, not a temporary file" 1 "^accord list: -: " \
	sh -c "head -c 100 p.asice | '$ACCORD_BIN' list -"
expect "no temporary file is left behind, also after a refusal" test -z "$(ls -A "$T/tmp")"

output_has "new agreement -o - writes the template to standard output" "^DRAFT AGREEMENT" \
	sh -c "'$ACCORD_BIN' new agreement -o - 2>/dev/null"
output_has "keys show - reads a certificate from standard input" "Subject: .*Options CA" \
	sh -c "'$ACCORD_BIN' keys show - <ca.crt"

# The old spellings still work, unshown: pack --output, extract -C / --directory.
ok "pack --output (the old name) still works" accord pack --output old.asice doc.txt
ok "extract -C (the old name) still works" accord extract -C old1 old.asice
ok "extract --directory (the old name) still works" accord extract --directory old2 old.asice
expect "help shows --out, not --output or --directory" sh -c \
	"! '$ACCORD_BIN' pack --help | grep -q -- --output && ! '$ACCORD_BIN' extract --help | grep -q -- --directory"

# A timestamp across a pipe: request to standard output, the TSA as a filter, the reply
# from standard input.
setup "a TSA" accord tsa init --dir tsa --name "Options TSA" --passphrase-file "$T/pass"
ok "timestamp request -o - | tsa stamp --request - -o - | timestamp attach --reply -" sh -c \
	"'$ACCORD_BIN' timestamp request p.asice -o - 2>/dev/null |
	 '$ACCORD_BIN' tsa stamp --dir tsa --request - -o - --passphrase-file '$T/pass' 2>/dev/null |
	 '$ACCORD_BIN' timestamp attach p.asice --reply -"
output_has "the piped timestamp counts" "VALID" accord verify p.asice --trust ca.crt --trust tsa/tsa.crt

# A wrong passphrase and a key that is not the certificate's: both refused input, exit 1.
accord sign p.asice --key alice.key --cert alice.crt --passphrase-file wrong >/dev/null 2>&1; wrongpass=$?
accord sign p.asice --key alice.key --cert bob.crt --passphrase-file "$T/pass" >/dev/null 2>&1; mismatch=$?
expect "sign: wrong passphrase and mismatched key exit alike (1; got $wrongpass and $mismatch)" \
	test "$wrongpass" = 1 -a "$mismatch" = 1
accord keys check --key alice.key --cert alice.crt --passphrase-file wrong >/dev/null 2>&1; wrongpass=$?
accord keys check --key alice.key --cert bob.crt --passphrase-file "$T/pass" >check.err 2>&1; mismatch=$?
expect "keys check: wrong passphrase and mismatched key exit alike (1; got $wrongpass and $mismatch)" \
	test "$wrongpass" = 1 -a "$mismatch" = 1
expect "the mismatch message has the verb's prefix" grep -q '^accord keys check: alice.key: the key does not match' check.err
