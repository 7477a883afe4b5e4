#!/bin/sh
# tests/hostile/signatures.sh — hostile SIGNATURE, XML and KEY inputs: one package signed
# once (alice, bob, the notary countersigning alice), then make_signatures.py derives each
# attack by surgery on the signature XML; every case must give its exit code and words,
# never crash or hang (exit >= 124), and leave nothing but its input in its folder.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
for tool in xmlsec1 certtool openssl python3; do
	command -v $tool >/dev/null || { skip "hostile sig: $tool is not installed"; exit 0; }
done
B="$T/base"
mkdir -p "$B"
cd "$B" || exit 1
cp "$T/pass" pass
SETUP_PREFIX="hostile sig: "
plain() { openssl pkey -in "$1.key" -passin file:pass -out "$1.pem" && chmod 600 "$1.pem"; }
utc() { date -u -d "@$1" '+%Y-%m-%d %H:%M:%S'; }
iso() { date -u -d "@$1" '+%Y-%m-%dT%H:%M:%SZ'; }
# certtool: a key and a certificate from the CA with the given template lines.
certtool_cert() { # NAME TEMPLATE-LINES
	certtool --generate-privkey --key-type ecdsa --no-text --outfile "$1.pem" >/dev/null 2>&1 &&
		chmod 600 "$1.pem" && printf 'cn = "%s"\n%s\n' "$1" "$2" >"$1.tmpl" &&
		TZ=UTC certtool --generate-certificate --load-privkey "$1.pem" --load-ca-certificate ca.crt \
			--load-ca-privkey ca.pem --template "$1.tmpl" --outfile "$1.crt"
}

setup "CA" accord keys ca --name "Hostile Test CA" --out ca --passphrase-file pass
setup "mallory's CA" accord keys ca --name "Mallory CA" --out ca2 --passphrase-file pass
t0=$(date -u +%s)
for who in alice bob notary rv; do
	setup "$who's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt \
		--ca-passphrase-file pass --name "$who" --out "$who" --passphrase-file pass
done
setup "mallory's certificate" accord keys issue --ca-key ca2.key --ca-cert ca2.crt \
	--ca-passphrase-file pass --name mallory --out mallory --passphrase-file pass
for k in ca bob mallory rv; do setup "plain $k key" plain $k; done
# "old" was valid for 30 s right after the CA was made and has expired since.
setup "expired certificate" certtool_cert old "activation_date = \"$(utc $((t0 - 50)))\"
expiration_date = \"$(utc $((t0 - 20)))\"
signing_key"
iso $((t0 - 40)) >old.when
setup "not-yet-valid certificate" certtool_cert young "activation_date = \"$(utc $((t0 + 86400 * 365)))\"
expiration_date = \"$(utc $((t0 + 86400 * 730)))\"
signing_key"
# certtool always adds digitalSignature to an ECDSA certificate: openssl makes this one.
noku() {
	certtool --generate-privkey --key-type ecdsa --no-text --outfile noku.pem >/dev/null 2>&1 &&
		chmod 600 noku.pem && printf 'keyUsage=critical,keyAgreement\nbasicConstraints=critical,CA:FALSE\n' >noku.ext &&
		openssl req -new -key noku.pem -subj /CN=noku -out noku.csr &&
		openssl x509 -req -in noku.csr -CA ca.crt -CAkey ca.pem -set_serial 0x4e4f4b55 -days 30 \
			-extfile noku.ext -out noku.crt
}
setup "certificate for key agreement only" noku
openssl x509 -in noku.crt -noout -ext keyUsage 2>/dev/null | grep -qi "digital signature\|non repudiation" &&
	fail "hostile sig: setup: the noku certificate must not allow signing"
# rv is revoked now; rv.when is a time before that, inside its validity.
rv_from=$(date -u -d "$(openssl x509 -in rv.crt -noout -startdate | cut -d= -f2)" +%s)
iso $((rv_from + 5)) >rv.when
setup "CRL revoking rv" accord keys revoke --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--out crl.pem rv.crt

printf 'Draft agreement.\nArticle 1: the parties share.\n' >draft.txt
printf 'Annex: contact points\n' >annex.txt
setup "pack" accord pack -o t.asice --kind agreement --title "Hostile" --party alice.crt --party bob.crt \
	draft.txt annex.txt
setup "alice signs" accord sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
setup "bob signs" accord sign t.asice --key bob.key --cert bob.crt --passphrase-file pass
f=$(unzip -Z1 t.asice | grep 'META-INF/signatures' | head -1)
A=$(unzip -p t.asice "$f" | grep -o '<ds:Signature Id="[^"]*"' | head -1 | cut -d'"' -f2)
setup "the notary countersigns" accord countersign t.asice --signature "$A" --key notary.key \
	--cert notary.crt --passphrase-file pass
for x in expired:old notyet:young noku:noku; do
	cp t.asice "${x%%:*}.asice"
	# --force: sign refuses a certificate that may not sign (noku); verify must refuse it too
	setup "${x#*:} signs" accord sign "${x%%:*}.asice" --key "${x#*:}.pem" --cert "${x#*:}.crt" \
		--passphrase-file pass --force
done
cp t.asice revoked.asice
setup "rv signs" accord sign revoked.asice --key rv.key --cert rv.crt --passphrase-file pass
mkdir other && printf 'A different draft.\n' >other/draft.txt
packother() { (cd other && accord pack -o ../other.asice --kind agreement --title Other draft.txt); }
setup "the other package" packother
setup "alice signs the other package" accord sign other.asice --key alice.key --cert alice.crt --passphrase-file pass

corpus="$T/cases"
if ! python3 "$here/make_signatures.py" "$B" "$corpus" >"$T/gen.out" 2>&1; then
	fail "hostile sig: generating the corpus"
	sed 's/^/    /' "$T/gen.out" | tail -20
	exit 0
fi

# left_behind DIR INPUTS...: files in DIR other than the inputs (temporary files included).
left_behind() {
	d=$1; shift
	ls -A "$d" | while read -r f; do
		keep=0
		for i in "$@"; do [ "$f" = "$i" ] && keep=1; done
		[ $keep = 1 ] || echo "$f"
	done
}
# judge NAME WANT WORDS GOT DIR INPUTS...: the verdict for one case (output in $T/.out);
# $never, when set, is a pattern the output must not match (a misleading claim).
judge() {
	n=$1 want=$2 words=$3 got=$4 dir=$5; shift 5
	why=""
	if [ "$got" -ge 124 ]; then
		why="crash or timeout (exit $got)"
	elif ! echo "|$want|" | grep -q "|$got|"; then
		why="exit $got, wanted $want"
	elif ! grep -Eqi -- "$words" "$T/.out"; then
		why="output does not match /$words/"
	elif grep -Eq "AddressSanitizer|LeakSanitizer|runtime error:" "$T/.out"; then
		why="sanitizer report"
	elif [ -n "${never:-}" ] && grep -Eqi -- "$never" "$T/.out"; then
		why="output says /$never/"
	fi
	extra=$(left_behind "$dir" "$@" | head -3 | tr '\n' ' ')
	[ -z "$extra" ] || why="${why:+$why; }left behind: $extra"
	if [ -z "$why" ]; then
		pass "hostile sig: $n"
	else
		fail "hostile sig: $n ($why)"
		sed 's/^/    /' "$T/.out" | grep -v '^ *$' | head -25
	fi
}

tab=$(printf '\t')
while IFS="$tab" read -r name want words args never; do
	[ -n "$name" ] || continue
	[ "$never" = "-" ] && never=""
	# shellcheck disable=SC2086 # args are whitespace-separated options without spaces
	timeout 20 "$ACCORD_BIN" verify "$corpus/$name/case.asice" $args >"$T/.out" 2>&1
	judge "$name" "$want" "$words" $? "$corpus/$name" case.asice
done <"$corpus/cases.tsv"

# KEY cases: each in its own folder with copies of the inputs; the package is unchanged.
keycase() { # NAME WANT WORDS SETUP-SHELL -- accord ARGS (run inside the folder)
	n=$1 want=$2 words=$3 prep=$4 never=""; shift 5
	d="$T/keys/$n"
	mkdir -p "$d"
	cp "$B/t.asice" "$B/alice.key" "$B/alice.crt" "$B/bob.crt" "$B/pass" "$d/"
	chmod 600 "$d/alice.key" "$d/pass"
	(cd "$d" && sh -c "$prep")
	before=$(sha256sum "$d/t.asice" | cut -d' ' -f1)
	(cd "$d" && timeout 20 "$ACCORD_BIN" "$@") >"$T/.out" 2>&1
	got=$?
	if [ "$(sha256sum "$d/t.asice" | cut -d' ' -f1)" != "$before" ]; then
		echo "(the package changed)" >>"$T/.out"
		got="$got-changed"
	fi
	judge "$n" "$want" "$words" "$got" "$d" t.asice alice.key alice.crt bob.crt pass wrong
}
keycase "key: wrong passphrase" 1 "passphrase" "printf 'wrong\n' >wrong; chmod 600 wrong" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file wrong
keycase "key: truncated key file" 1 "key" "head -c 200 alice.key >k && cat k >alice.key && rm k" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
keycase "key: empty key file" 1 "key" ": >alice.key" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
keycase "key: garbage key file" 1 "key" "head -c 300 /dev/urandom >alice.key" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
keycase "key: world-readable key file" 1 "permission|chmod" "chmod 644 alice.key" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
keycase "key: group-readable key file" 1 "permission|chmod" "chmod 640 alice.key" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
keycase "key: certificate does not match the key" 1 "does not match" ":" -- \
	sign t.asice --key alice.key --cert bob.crt --passphrase-file pass
keycase "key: keys check with a certificate that does not match" 1 "does not match" ":" -- \
	keys check --key alice.key --cert bob.crt --passphrase-file pass
keycase "key: truncated certificate" "1|3" "cert" "head -c 300 alice.crt >c && cat c >alice.crt && rm c" -- \
	sign t.asice --key alice.key --cert alice.crt --passphrase-file pass
keycase "key: countersign with a wrong passphrase" 1 "passphrase" "printf 'wrong\n' >wrong; chmod 600 wrong" -- \
	countersign t.asice --signature "$A" --key alice.key --cert alice.crt --passphrase-file wrong
