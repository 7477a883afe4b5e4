#!/bin/sh
# tests/crash/concurrent.sh — two parties sign the same package at the same moment: each
# `accord sign` that reports success must find its signature in the result (a lost update
# reported as "signed" loses a signature silently), and no temporary is left behind.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
ROUNDS=${CONCURRENT_ROUNDS:-10}
accord keys ca --name "Race CA" --out ca --passphrase-file pass >/dev/null 2>&1
for who in alice bob; do
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name "$who" \
		--out "$who" --passphrase-file pass >/dev/null 2>&1
done
head -c 1000000 /dev/urandom >big.bin
accord pack -o p0.asice --party alice.crt --party bob.crt big.bin >/dev/null 2>&1 ||
	{ fail "concurrent signing: setup"; exit 0; }
mkdir w
lost=0; both=0; one=0; other=0
i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	cp p0.asice w/c.asice
	accord sign w/c.asice --key alice.key --cert alice.crt --passphrase-file pass >a.out 2>&1 &
	pa=$!
	accord sign w/c.asice --key bob.key --cert bob.crt --passphrase-file pass >b.out 2>&1 &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	accord list w/c.asice >l.out 2>&1
	ida=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' a.out)
	idb=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' b.out)
	missing=""
	[ $ra -eq 0 ] && ! grep -q -- "$ida" l.out && missing="$missing alice($ida)"
	[ $rb -eq 0 ] && ! grep -q -- "$idb" l.out && missing="$missing bob($idb)"
	if [ -n "$missing" ]; then
		lost=$((lost + 1))
		fail "concurrent signing, round $i: reported as signed but missing from the package:$missing"
		sed 's/^/    /' l.out | grep -E 'Signatures|S-' | head -4
	elif [ $ra -eq 0 ] && [ $rb -eq 0 ]; then both=$((both + 1))
	elif [ $ra -eq 0 ] || [ $rb -eq 0 ]; then one=$((one + 1))
	else other=$((other + 1)); fail "concurrent signing, round $i: both failed"; cat a.out b.out | sed 's/^/    /'
	fi
	accord verify w/c.asice --no-trust-store >/dev/null 2>&1
	[ $? -le 2 ] || { fail "concurrent signing, round $i: the result does not verify"; lost=$((lost + 1)); }
done
[ $lost -eq 0 ] && [ $other -eq 0 ] &&
	pass "concurrent signing: $ROUNDS rounds, both signatures kept $both, one refused with an error $one, none lost silently"
accord sign w/c.asice --key alice.key --cert alice.crt --passphrase-file pass >/dev/null 2>&1
expect "concurrent signing: no temporary left after the next run" [ -z "$(ls -A w | grep -vx c.asice)" ]
