#!/bin/sh
# tests/hostile/run.sh — replays the hostile-container corpus written by
# make_containers.py: each case must give its exit code and words (cases.tsv), never
# crash (exit >= 124 is a crash or the 20 s timeout) and never write outside the
# extraction folder.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
corpus="$T/corpus"
if ! python3 "$here/make_containers.py" "$corpus" >"$T/gen.out" 2>&1; then
	fail "hostile: generating the corpus"
	sed 's/^/    /' "$T/gen.out"
	exit 0
fi
tab=$(printf '\t')
while IFS="$tab" read -r name want words kind flags; do
	[ -n "$name" ] || continue
	[ "$flags" = "-" ] && flags=""
	file="$corpus/$name.asice"
	root="$T/x/$name"
	dest="$root/out"
	mkdir -p "$root"
	store="$ACCORD_TRUST_DIR"
	case "$kind" in
	fifo-package) rm -f "$file" && mkfifo "$file" ;;
	fifo-trust) mkdir -p "$root/trust" && mkfifo "$root/trust/evil.pem" ;;
	fifo-store) store="$root/store" && mkdir -p "$store" && mkfifo "$store/evil.pem" ;;
	esac
	case "$kind" in
	list) set -- list $flags "$file" ;;
	fifo-package | fifo-store) set -- verify $flags "$file" ;;
	fifo-trust) set -- verify --trust "$root/trust" $flags "$file" ;;
	extract | norecurse) set -- extract -o "$dest" $flags "$file" ;;
	*) set -- "$kind" $flags "$file" ;;
	esac
	ACCORD_TRUST_DIR="$store" timeout 20 "$ACCORD_BIN" "$@" >"$T/.out" 2>&1
	got=$?
	why=""
	if [ "$got" -ge 124 ]; then
		why="crash or timeout (exit $got)"
	elif [ "$got" != "$want" ]; then
		why="exit $got, wanted $want"
	elif ! grep -Eqi -- "$words" "$T/.out"; then
		why="output does not match /$words/"
	fi
	case "$kind" in extract | norecurse)
		# Nothing outside DEST, and no "evil" file anywhere but the corpus.
		outside=$(find "$root" -mindepth 1 ! -path "$dest" ! -path "$dest/*" | head -3)
		[ -z "$outside" ] || why="${why:+$why; }wrote outside the folder: $outside"
		stray=$(find "$T" /tmp/evil.txt -name 'evil*' ! -path "$corpus/*" 2>/dev/null | head -3)
		[ -z "$stray" ] || why="${why:+$why; }stray file: $stray"
		;;
	esac
	if [ "$kind" = norecurse ] && [ -z "$why" ]; then
		if [ "$(head -c 4 "$dest/inner.zip" 2>/dev/null | od -An -c | tr -d " ")" != "PK003004" ]; then
			why="the nested archive was not extracted as one file"
		elif find "$dest" -name 'inner-secret*' | grep -q .; then
			why="the nested archive was unpacked"
		fi
	fi
	if [ -z "$why" ]; then
		pass "hostile: $name"
	else
		fail "hostile: $name ($why)"
		sed 's/^/    /' "$T/.out" | head -5
	fi
done <"$corpus/cases.tsv"
