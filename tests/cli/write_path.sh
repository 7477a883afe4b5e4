#!/bin/sh
# tests/cli/write_path.sh — the signing write path and the reading pipeline of issue #12:
# a signature is added without rewriting the documents (every byte before the old central
# directory is kept, the new entries follow), a replaced signature file in the middle moves
# the entries after it, the mode stays, nothing is left behind; a document large enough to
# be hashed on the second thread has the same SHA-256 as sha256sum says; progress appears
# on a terminal only, and -q silences it. (The kill test covers the same path.)
. "$(dirname "$0")/../lib.sh"
cd "$T"
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }
# cd_offset FILE: where the central directory starts (from the end record).
cd_offset() { python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
e = d.rfind(b"PK\x05\x06")
print(int.from_bytes(d[e + 16:e + 20], "little"))' "$1"; }

setup "the CA" accord keys ca --name "Path CA" --out ca --passphrase-file pass
for who in alice bob carol; do
	setup "$who's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
		--name "$who" --out "$who" --passphrase-file pass
done
# 5 MiB: above the size hashed on the second thread (4 MiB).
head -c 5242880 /dev/urandom >big.bin
printf 'The text.\n' >doc.txt
setup "the package" accord pack -o p.asice big.bin doc.txt
chmod 640 p.asice
cp p.asice p0.asice
cut=$(cd_offset p0.asice)

ok "sign (alice)" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
expect "signing kept every byte before the old central directory (the documents are not rewritten)" \
	cmp -s -n "$cut" p0.asice p.asice
expect "the new signature file follows the old entries" \
	[ "$(zipinfo -1 p.asice | tail -1)" = "META-INF/signatures0.xml" ]
accord sign p.asice --key bob.key --cert bob.crt --passphrase-file pass >sb.out 2>&1
ok "unzip -t reads the appended package" unzip -tq p.asice
expect "the package's mode (0640) is kept" [ "$(stat -c %a p.asice)" = 640 ]
cut=$(cd_offset p.asice)
cp p.asice p2.asice
accord list p.asice >l.out 2>&1
A=$(accord verify p.asice --trust ca.crt --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
print([s["id"] for s in r["signatures"] if s.get("signer") == "alice"][0])')
# Countersigning alice replaces signatures0.xml: signatures1.xml after it moves.
ok "countersign replaces the first signature file" accord countersign p.asice --signature "$A" \
	--key carol.key --cert carol.crt --passphrase-file pass
output_has "after a replacement in the middle: two signatures and the countersignature are valid" \
	"VALID and COMPLETE: 2 valid signatures and 1 valid countersignature" \
	accord verify p.asice --trust ca.crt
ok "unzip -t reads the package with a moved entry" unzip -tq p.asice
expect "each signature file once in the central directory" \
	[ "$(zipinfo -1 p.asice | grep -c 'META-INF/signatures')" = 2 ]
ok "remove --signature (bob) through the same path" accord remove p.asice --signature \
	"$(sigid sb.out)"
output_has "after the removal: alice and her countersignature" \
	"VALID and COMPLETE: 1 valid signature and 1 valid countersignature" \
	accord verify p.asice --trust ca.crt
expect "no temporary file is left beside the package" \
	[ -z "$(ls -A | grep 'accord-tmp')" ]

# The documents hashed on the second thread: the same digest as sha256sum.
want=$(sha256sum big.bin | cut -d' ' -f1)
got=$(accord list --json p.asice | python3 -c '
import json, sys
print([d["sha256"] for d in json.load(sys.stdin)["documents"] if d["name"] == "big.bin"][0])')
expect "a large document hashed on the second thread has sha256sum's digest" [ "$want" = "$got" ]
# A changed byte inside the large document: refused (CRC or digest), never valid.
python3 - <<'PY'
d = bytearray(open("p.asice", "rb").read())
i = d.find(b"big.bin") + 7 + 3000000
d[i] ^= 0x55
open("bad.asice", "wb").write(d)
PY
refuses "a changed byte in a large document is refused" 1 "crc|corrupt|digest|changed|does not match" \
	accord verify bad.asice --trust ca.crt

# Progress: never when stderr is not a terminal; on a terminal unless -q.
accord verify p2.asice --trust ca.crt >v.out 2>v.err
expect "no progress on stderr that is not a terminal" [ ! -s v.err ]
if command -v script >/dev/null 2>&1; then
	ACCORD_PROGRESS_DELAY_MS=0 script -qc "'$ACCORD_BIN' list p2.asice" /dev/null >tty.out 2>&1
	expect "progress on a terminal ('hashing: N%')" grep -q 'hashing: *[0-9]*%' tty.out
	ACCORD_PROGRESS_DELAY_MS=0 script -qc "'$ACCORD_BIN' list -q p2.asice" /dev/null >tty.out 2>&1
	expect "-q: no progress on a terminal" sh -c '! grep -q "hashing:" tty.out'
	# Every verb that reads or writes a package takes -q: remove, here (it hashes too).
	id=$(accord list p2.asice | grep -o 'S-[0-9a-f]*' | head -1)
	cp p2.asice rq.asice
	ACCORD_PROGRESS_DELAY_MS=0 script -qc "'$ACCORD_BIN' remove rq.asice --signature $id" /dev/null >tty.out 2>&1
	expect "remove shows progress on a terminal" grep -q 'hashing: *[0-9]*%' tty.out
	cp p2.asice rq.asice
	ACCORD_PROGRESS_DELAY_MS=0 script -qc "'$ACCORD_BIN' remove -q rq.asice --signature $id" /dev/null >tty.out 2>&1
	expect "remove -q: no progress, the signature removed" sh -c '! grep -q "hashing:" tty.out && grep -q "removed signature" tty.out'
	for v in pack add list extract verify sign countersign extend remove "timestamp request" \
		"timestamp attach" "ocsp request" "ocsp attach"; do
		# shellcheck disable=SC2086
		output_has "$v --help offers -q, --quiet" '^ +-q, --quiet' accord $v --help
	done
else
	skip "progress on a terminal (no script(1))"
fi

# Extraction in one pass: written into a staging folder, moved into place only when the
# whole package read without fault.
ok "extract in one pass" accord extract -o out p2.asice
expect "the documents extracted are the packed ones" cmp -s out/big.bin big.bin
expect "no staging folder is left after extracting" [ -z "$(ls -A out | grep accord-extract)" ]
refuses "a corrupt document late in the package: extract refuses" 1 "crc|corrupt|digest|changed|does not match" \
	accord extract -o bad bad.asice
expect "a refused extraction leaves nothing (not even the folder it created)" [ ! -e bad ]
mkdir keep && printf 'mine\n' >keep/doc.txt
refuses "an existing file: extract refuses (no --force)" 3 "file exists" accord extract -o keep p2.asice
expect "the refused extraction wrote nothing and kept the existing file" \
	[ "$(ls -A keep)" = doc.txt -a "$(cat keep/doc.txt)" = mine ]
