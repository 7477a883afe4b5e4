#!/bin/sh
# tests/cli/man.sh — the manual pages stay true: every verb `accord help` lists has its
# page in man/, each renders with `man --warnings` without a warning, and every option
# `accord VERB --help` prints appears in that verb's page (a new option without its
# documentation fails here).
. "$(dirname "$0")/../lib.sh"
MAN=$(cd "$TESTS/../man" && pwd)
cd "$T" || exit 1

verbs=$(accord help 2>&1 | sed -n '/^Verbs:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
expect "accord help lists the verbs" [ "$(echo "$verbs" | wc -w)" -ge 10 ]
pages="accord"
for v in $verbs; do
	expect "accord $v has its page (man/accord-$v.1)" test -f "$MAN/accord-$v.1"
	pages="$pages accord-$v"
done
for f in "$MAN"/*.1; do
	p=$(basename "$f" .1)
	case " $pages " in *" $p "*) ;; *) fail "man/$p.1 is the page of no verb accord help lists" ;; esac
done

if ! command -v man >/dev/null 2>&1; then
	skip "rendering the pages: man is not installed (apt-get install man-db)"
	exit 0
fi
for p in $pages; do
	[ -f "$MAN/$p.1" ] || continue
	MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$MAN/$p.1" >"$p.txt" 2>"$p.err"
	expect "man --warnings renders $p.1 without a warning" sh -c "[ \$? = 0 ] && [ ! -s '$p.err' ] && [ -s '$p.txt' ]"
	sed 's/^/    /' "$p.err" | head -5
	MANWIDTH=80 LC_ALL=C man -l "$MAN/$p.1" 2>/dev/null >"$p.plain"
	v=${p#accord}; v=${v#-}
	if [ -n "$v" ]; then
		accord "$v" --help >"$v.help" 2>&1
		missing=""
		for o in $(grep -o -- '--[a-z0-9][a-z0-9-]*[a-z0-9]' "$v.help" | sort -u); do
			grep -q -- "$o" "$p.plain" || missing="$missing $o"
		done
		expect "every option of accord $v --help is in its page${missing:+ (missing:$missing)}" [ -z "$missing" ]
	fi
done
missing=""
for v in $verbs; do grep -q "accord-$v(1)" accord.plain || missing="$missing $v"; done
expect "accord(1) names every verb's page${missing:+ (missing:$missing)}" [ -z "$missing" ]
expect "accord(1) has the exit codes" grep -q "EXIT STATUS" accord.plain
