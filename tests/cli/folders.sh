#!/bin/sh
# tests/cli/folders.sh — pack keeps folders (relative paths as given, folders walked,
# -C DIR) and extract gives them back identically; hostile paths are refused or stored
# relative; compression is decided by content (random data stored, text deflated, PDF
# and images stored by their first bytes, --level 0 stores everything); the limits pack
# applies are the ones sign and verify apply (issue #12).
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

mkdir -p src/reports/2026 src/annex empty
seq 1 20000 >src/reports/2026/test1.txt
seq 7 9000 >src/annex/test1.txt
printf 'top\n' >src/readme.txt
head -c 200000 /dev/urandom >src/random.bin
{ printf '%%PDF-1.4\n'; seq 1 30000; } >src/doc.pdf
{ printf '\211PNG\r\n\032\n'; seq 1 30000; } >src/image.png
ln -s ../readme.txt src/annex/link.txt

# 1. A folder: every file, sub-folders' too, sorted, under the path given.
ok "pack a folder" accord pack -o f.asice src
unzip -Z1 f.asice >names.txt
expect "folders kept: relative paths as given, sorted, files of sub-folders included" sh -c \
	"sed -n '2,8p' names.txt | tr '\n' ' ' | grep -qx 'src/annex/link.txt src/annex/test1.txt src/doc.pdf src/image.png src/random.bin src/readme.txt src/reports/2026/test1.txt '"
expect "equal base names in different folders are both kept" sh -c \
	"grep -qx src/annex/test1.txt names.txt && grep -qx src/reports/2026/test1.txt names.txt"
expect "manifest lists the paths" sh -c \
	"unzip -p f.asice META-INF/manifest.xml | grep -q 'full-path=\"src/reports/2026/test1.txt\"'"
ok "list accepts the package" accord list f.asice
ok "extract it" accord extract -o out f.asice
expect "extracted back identically (diff -r)" diff -r src out/src
expect "a symlink inside the folder is packed as the file it names" cmp src/readme.txt out/src/annex/link.txt

# 2. -C DIR: packed from inside DIR, names relative to it.
ok "pack -C DIR ." accord pack -o c.asice -C src .
expect "-C: names relative to DIR" sh -c \
	"unzip -Z1 c.asice | grep -qx reports/2026/test1.txt && ! unzip -Z1 c.asice | grep -q '^src/'"
ok "pack -C DIR with files and folders" accord pack -o c2.asice -C src readme.txt reports
expect "-C: the files and folders named" sh -c \
	"[ \"\$(unzip -Z1 c2.asice | sed -n '2,3p' | tr '\n' ' ')\" = 'readme.txt reports/2026/test1.txt ' ]"
ok "extract the -C package" accord extract -o out2 c.asice
expect "-C package extracted back identically (and the descriptor)" sh -c "diff -r -x accord-package.xml src out2 >/dev/null && test -f out2/accord-package.xml"
ok "pack ./x and x/./y: '.' parts dropped" accord pack -o dot.asice ./src/./readme.txt
expect "'./' dropped from the stored name" sh -c "unzip -Z1 dot.asice | sed -n 2p | grep -qx src/readme.txt"

# 3. Hostile paths: nothing above the folder packed from is named; what leaves it is refused.
ok "pack an absolute path" accord pack -o abs.asice "$T/src/readme.txt"
expect "absolute path: stored under its last part" sh -c "unzip -Z1 abs.asice | sed -n 2p | grep -qx readme.txt"
(cd src/annex && accord pack -o ../../up.asice ../reports >/dev/null 2>&1)
expect "'..' path: stored from its last part, nothing above" sh -c \
	"unzip -Z1 up.asice | sed -n 2p | grep -qx reports/2026/test1.txt"
refuses "hostile: '/' has no name to store it under" 3 "no name" accord pack -o root.asice /
ln -s /etc/passwd src/annex/escape
refuses "hostile: a symlink leading out of the folder is refused" 3 "out of the folder" \
	accord pack -o esc.asice src
rm src/annex/escape
mkfifo src/pipe
refuses "hostile: a FIFO in a folder is refused, without blocking" 3 "not a regular file" \
	timeout 10 "$ACCORD_BIN" pack -o fifo.asice src
rm src/pipe
mkdir -p ci/A ci/a && echo 1 >ci/A/x && echo 2 >ci/a/x
refuses "pack: names equal but for case are refused" 3 "ci/A/x.*ci/a/x" accord pack -o ci.asice ci
mkdir -p ff/a && echo 1 >ff/a/b && echo 2 >ff/A
refuses "pack: a document that would also be a folder is refused" 3 "both a document and the folder" \
	accord pack -o ff.asice ff
mkdir -p m/META-INF && echo x >m/META-INF/x
refuses "pack: a folder named META-INF is reserved" 3 "reserved" accord pack -o m.asice -C m .
refuses "pack: an empty folder packs nothing" 3 "no documents" accord pack -o e.asice empty
expect "refused packs left no output" sh -c "! ls root.asice esc.asice fifo.asice ci.asice ff.asice m.asice e.asice 2>/dev/null | grep -q ."
mkdir -p planted victim && ln -s ../victim planted/src
refuses "hostile: extract through a planted symlinked folder is refused" 3 "symlink" \
	accord extract -o planted f.asice
expect "nothing written through the planted symlink" [ -z "$(ls -A victim)" ]

# 4. Compression by content.
method() { unzip -v "$1" | awk -v n="$2" '$NF == n { print $2 }'; }
expect "random data is stored" [ "$(method f.asice src/random.bin)" = Stored ]
expect "text is deflated" sh -c "method() { unzip -v \"\$1\" | awk -v n=\"\$2\" '\$NF == n { print \$2 }'; }; method f.asice src/reports/2026/test1.txt | grep -q '^Defl'"
size=$(unzip -v f.asice | awk '$NF == "src/reports/2026/test1.txt" { print $3 }')
expect "deflated text is smaller (level 6: under half of $(wc -c <src/reports/2026/test1.txt) bytes: $size)" \
	[ "$size" -lt $(($(wc -c <src/reports/2026/test1.txt) / 2)) ]
expect "a PDF (known by its first bytes) is stored" [ "$(method f.asice src/doc.pdf)" = Stored ]
expect "a PNG (known by its first bytes) is stored" [ "$(method f.asice src/image.png)" = Stored ]
expect "mimetype stays first and stored" sh -c "unzip -v f.asice | sed -n 4p | grep -Eq 'Stored .* mimetype\$'"
ok "pack --level 0" accord pack -o l0.asice --level 0 src
expect "--level 0 stores every document" sh -c \
	"[ \"\$(unzip -v l0.asice | grep ' src/' | grep -vc Stored)\" = 0 ]"
ok "pack --level 9" accord pack -o l9.asice --level 9 src/reports
refuses "pack: --level 10 is a usage error" 3 "level" accord pack -o bad.asice --level 10 src
# Documents of up to 64 KiB are read and deflated once (the decision's deflate is what is
# stored, issue #12): byte for byte back at every level, dates kept, both sides of 64 KiB.
mkdir -p held && seq 1 2000 >held/text.txt && head -c 1500 /dev/urandom >held/rand.bin && : >held/empty.txt
seq 1 20000 | head -c 65536 >held/at.txt && seq 1 20000 | head -c 65537 >held/over.txt
touch -d '2020-02-02 10:00:00' held/text.txt
for l in 0 1 6 9; do
	ok "pack --level $l small documents" accord pack -o h$l.asice --level $l held
	ok "unzip -t: level $l" unzip -tq h$l.asice
	ok "extract: level $l" accord extract -o hx$l h$l.asice
	expect "level $l: every document back byte for byte" diff -r held hx$l/held
done
expect "small text deflated, small random stored (level 6)" sh -c \
	"unzip -v h6.asice | grep -q 'Defl.* held/text.txt' && unzip -v h6.asice | grep -q 'Stored.* held/rand.bin'"
expect "the date of a small document is kept" sh -c "unzip -l h6.asice | grep -q '2020-02-02 10:00 *held/text.txt'"
head -c 300000 /dev/zero >zeros.bin
ok "pack a long run of one byte" accord pack -o z.asice zeros.bin
ok "what pack deflated stays within --max-ratio: list accepts it" accord list z.asice
ok "pack --max-ratio 50: deflating further would exceed it" accord pack -o z50.asice --max-ratio 50 zeros.bin
ok "list --max-ratio 50 accepts what pack --max-ratio 50 wrote" accord list --max-ratio 50 z50.asice

# 5. One set of limits: what pack accepts, sign accepts and verify reads back.
refuses "pack: beyond --max-entries counting a signature file to come is refused" 1 \
	"max-entries" accord pack -o lim.asice --max-entries 9 src
expect "refused: no output" [ ! -e lim.asice ]
ok "pack at the limit: 7 documents + descriptor, manifest, mimetype, one signature file = 11" \
	accord pack -o lim.asice --max-entries 11 src
accord keys ca --name "F CA" --out ca --passphrase-file pass >/dev/null 2>&1
accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass --name alice \
	--out alice --passphrase-file pass >/dev/null 2>&1
ok "sign --max-entries 11 accepts what pack --max-entries 11 wrote" accord sign lim.asice \
	--max-entries 11 --key alice.key --cert alice.crt --passphrase-file pass
output_has "verify --max-entries 11 reads it back: valid" "VALID and COMPLETE" \
	accord verify --max-entries 11 --trust ca.crt lim.asice
refuses "sign refuses a signature file that would exceed --max-entries" 1 "max-entries" \
	accord sign lim.asice --max-entries 11 --key alice.key --cert alice.crt --passphrase-file pass
refuses "extend takes the same --max-entries" 1 "max-entries" \
	accord extend lim.asice --level LT --max-entries 5 --trust ca.crt
for verb in pack add sign countersign extend list extract verify remove "timestamp request" \
	"timestamp attach" "ocsp request" "ocsp attach"; do
	# shellcheck disable=SC2086
	output_has "$verb --help shows the shared limits" "max-entries N +at most N entries in the package \(default 100000\)" \
		accord $verb --help
done
