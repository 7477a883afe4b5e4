#!/bin/sh
# tests/crash/full_disk.sh — writes that cannot complete: a file-size limit (ulimit -f, with
# SIGXFSZ ignored so write() fails with EFBIG) and, as root, a full 1 MB tmpfs. sign,
# countersign, timestamp attach and pack must fail with an error naming the file, leave the
# original byte-identical and leave no temporary file.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
sha() { sha256sum "$1" | cut -d' ' -f1; }
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }
# Everything in DIR other than the files named is a leftover.
leftovers() { d=$1; shift; ls -A "$d" | grep -vxF "$(printf '%s\n' "$@")" | tr '\n' ' '; }

accord keys ca --name "Disk CA" --out ca --passphrase-file pass >/dev/null 2>&1
for who in alice notary; do
	accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name "$who" \
		--out "$who" --passphrase-file pass >/dev/null 2>&1
done
accord tsa init --dir tsa --name T --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--passphrase-file pass >/dev/null 2>&1
head -c 2000000 /dev/urandom >big.bin
printf 'Full disk agreement.\n' >doc.txt
accord pack -o p0.asice --party alice.crt big.bin doc.txt >/dev/null 2>&1
cp p0.asice p1.asice
accord sign p1.asice --key alice.key --cert alice.crt --passphrase-file pass >sa.out 2>&1
A=$(sigid sa.out)
[ -n "$A" ] || { fail "full disk setup: alice's signature"; sed 's/^/    /' sa.out; exit 0; }
has_timestamp=0
if accord timestamp --help >/dev/null 2>&1 &&
	accord timestamp request p1.asice --signature "$A" --out a.tsq >/dev/null 2>&1 &&
	accord tsa stamp --dir tsa --request a.tsq --out a.tsr --passphrase-file pass >/dev/null 2>&1; then
	has_timestamp=1
fi

# limited KB CMD...: CMD under a file-size limit of KB kilobytes (ulimit -f counts 512-byte
# blocks in dash and POSIX shells, 1024-byte blocks in bash: either way well under 2 MB).
limited() { kb=$1; shift; (trap '' XFSZ; ulimit -f "$kb" && exec "$ACCORD_BIN" "$@"); }

# must_fail NAME DIR TARGET WORDS CMD...: CMD fails (not 0, not killed), prints TARGET's name
# (or $named, the file that could not be written) and WORDS, TARGET is byte-identical (or
# still absent), DIR holds nothing new.
must_fail() {
	n=$1; dir=$2; target=$3; words=$4; shift 4
	before=$( [ -f "$dir/$target" ] && sha "$dir/$target" || echo none)
	"$@" >"$T/.out" 2>&1; got=$?
	after=$( [ -f "$dir/$target" ] && sha "$dir/$target" || echo none)
	left=$(leftovers "$dir" $keep)
	if [ $got -ne 0 ] && [ $got -lt 128 ] && grep -qF -- "${named:-$target}" "$T/.out" &&
		grep -Eqi -- "$words" "$T/.out" && [ "$after" = "$before" ] && [ -z "$left" ]; then
		pass "$n: $(head -1 "$T/.out")"
	else
		fail "$n (exit $got, wanted an error naming '${named:-$target}' and /$words/; target $([ "$after" = "$before" ] && echo unchanged || echo CHANGED); leftovers: ${left:-none})"
		sed 's/^/    /' "$T/.out" | head -10
	fi
}

# 1. A file-size limit of ~1 MB: every rewrite of the 2 MB container fails with EFBIG.
mkdir lim && cp p0.asice lim/c0.asice && cp p1.asice lim/c1.asice
keep="c0.asice c1.asice"
must_fail "file-size limit: sign fails cleanly" lim c0.asice "file too large" \
	limited 1024 sign lim/c0.asice --key alice.key --cert alice.crt --passphrase-file pass
must_fail "file-size limit: sign with a TSA fails cleanly" lim c1.asice "file too large" \
	limited 1024 sign lim/c1.asice --key notary.key --cert notary.crt --passphrase-file pass \
	--tsa-dir tsa --tsa-passphrase-file pass
must_fail "file-size limit: countersign fails cleanly" lim c1.asice "file too large" \
	limited 1024 countersign lim/c1.asice --signature "$A" --key notary.key --cert notary.crt \
	--passphrase-file pass
if [ $has_timestamp = 1 ]; then
	must_fail "file-size limit: timestamp attach fails cleanly" lim c1.asice "file too large" \
		limited 1024 timestamp attach lim/c1.asice --signature "$A" --reply a.tsr
else
	skip "file-size limit: timestamp attach (accord timestamp request/attach not available)"
fi
must_fail "file-size limit: pack fails cleanly, no output" lim new.asice "file too large" \
	limited 1024 pack -o lim/new.asice --party alice.crt big.bin doc.txt
must_fail "file-size limit: pack --force over an existing container keeps it" lim c0.asice "file too large" \
	limited 1024 pack -o lim/c0.asice --force --party alice.crt big.bin doc.txt
ok "file-size limit: the containers still verify afterwards" sh -c \
	"\"$ACCORD_BIN\" verify lim/c1.asice --trust ca.crt >/dev/null; test \$? -eq 0 && \"$ACCORD_BIN\" list lim/c0.asice"
ok "file-size limit: the same sign succeeds without the limit" \
	accord sign lim/c0.asice --key alice.key --cert alice.crt --passphrase-file pass
expect "file-size limit: no temporary after the successful run" [ -z "$(leftovers lim $keep)" ]

# 2. A 1 MB tmpfs (root only): no space for the new container.
mkdir small
if mount -t tmpfs -o size=1m,mode=0700 tmpfs small 2>/dev/null; then
	trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
	head -c 600000 /dev/urandom >mid.bin
	# Signed outside: a rewrite needs room for a second copy, which the tmpfs lacks.
	accord pack -o mid.asice --party alice.crt mid.bin doc.txt >/dev/null 2>&1
	accord sign mid.asice --key alice.key --cert alice.crt --passphrase-file pass >sm.out 2>&1
	SA=$(sigid sm.out)
	cp mid.asice small/c.asice 2>>sm.out || SA=
	keep="c.asice"
	if [ -z "$SA" ]; then
		fail "tmpfs: setup (a signed 600 kB container copied onto the 1 MB tmpfs)"; sed 's/^/    /' sm.out | head -5
	else
		must_fail "tmpfs full: sign fails cleanly" small c.asice "no space left" \
			accord sign small/c.asice --key alice.key --cert alice.crt --passphrase-file pass --force
		must_fail "tmpfs full: countersign fails cleanly" small c.asice "no space left" \
			accord countersign small/c.asice --signature "$SA" --key notary.key --cert notary.crt \
			--passphrase-file pass
		if [ $has_timestamp = 1 ] && accord timestamp request small/c.asice --signature "$SA" \
			--out s.tsq >/dev/null 2>&1 && accord tsa stamp --dir tsa --request s.tsq --out s.tsr \
			--passphrase-file pass >/dev/null 2>&1; then
			must_fail "tmpfs full: timestamp attach fails cleanly" small c.asice "no space left" \
				accord timestamp attach small/c.asice --signature "$SA" --reply s.tsr
		fi
		must_fail "tmpfs full: pack fails cleanly, no output" small new.asice "no space left" \
			accord pack -o small/new.asice --party alice.crt big.bin doc.txt
		# Fill the rest: even the TSA's serial counter (a few bytes) cannot be written.
		cp -r tsa small/tsa 2>/dev/null
		keep="c.asice tsa filler"
		head -c 2000000 /dev/zero >small/filler 2>/dev/null
		cp small/tsa/serial serial.before 2>/dev/null
		named=small/tsa/serial must_fail "tmpfs full: sign with a TSA whose folder is full fails cleanly" \
			small c.asice "no space left" accord sign small/c.asice --key alice.key --cert alice.crt --passphrase-file pass --force \
			--tsa-dir small/tsa --tsa-passphrase-file pass
		named=
		expect "tmpfs full: the TSA serial counter is intact, no temporary in the TSA folder" \
			sh -c "cmp -s serial.before small/tsa/serial && ! ls -A small/tsa | grep -q accord-tmp"
		rm -f small/filler
		ok "tmpfs: with space again, the container still verifies" accord verify small/c.asice --trust ca.crt
	fi
	umount small
else
	skip "tmpfs full: cannot mount a tmpfs here (not root or no permission)"
fi
