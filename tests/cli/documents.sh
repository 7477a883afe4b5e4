#!/bin/sh
# tests/cli/documents.sh — `accord add` and `accord remove --document` (what DigiDoc users
# have; issue #11): documents change only before anyone signs. Each refusal leaves the
# package byte-identical; what add writes is what pack would have written.
. "$(dirname "$0")/../lib.sh"
cd "$T"
sha() { sha256sum "$1" | cut -d' ' -f1; }
# zip_plus SRC DST NAME: DST is SRC with one more entry NAME (a few bytes), written by
# Python's zipfile, which takes any name.
zip_plus() {
	python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w") as dst:
    for i in src.infolist():
        dst.writestr(i, src.read(i.filename))
    dst.writestr(sys.argv[3], b"\x30\x03\x02\x01\x00", zipfile.ZIP_DEFLATED)' "$@"
}
# The documents of a package as `accord list` shows them, less the descriptor (its
# creation time differs between two packages): name, size, media type, SHA-256.
docs() { accord list "$1" | awk '/^Documents:/ {on=1; next} /^$/ {on=0} on && !/^  NAME/ && !/\(descriptor\)/'; }

setup "the CA" accord keys ca --name "Documents CA" --out ca --passphrase-file pass
setup "alice's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--name alice --out alice --passphrase-file pass
printf 'The text.\n' >doc.txt
printf '%%PDF-1.4 an annex\n' >annex.pdf
mkdir -p sub
printf 'in a folder\n' >sub/notes.txt

# ---- add, then sign: the document is listed, covered, with its digest ----
setup "a package with one document" accord pack -o p.asice doc.txt
ok "accord add puts annex.pdf into the package" accord add p.asice annex.pdf
output_has "list shows annex.pdf with its SHA-256 and media type" \
	"^  annex\\.pdf +[0-9]+ +application/pdf +$(sha annex.pdf)\$" accord list p.asice
expect "the manifest lists annex.pdf as application/pdf" sh -c \
	"unzip -p p.asice META-INF/manifest.xml | grep -q 'full-path=\"annex.pdf\" manifest:media-type=\"application/pdf\"'"
expect "the zip is sound (unzip -t)" sh -c "unzip -tq p.asice >/dev/null"
ok "a file from another folder is stored under its base name, as pack stores it" accord add p.asice sub/../sub/notes.txt
expect "... as notes.txt, nothing outside the package's names" sh -c \
	"unzip -Z1 p.asice | grep -qx notes.txt && ! unzip -Z1 p.asice | grep -q '\\.\\.\\|^sub/'"
setup "alice signs" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
accord verify p.asice --trust ca.crt >v.out 2>&1
expect "verify: VALID, annex.pdf and notes.txt covered" sh -c \
	"grep -q '^result: VALID' v.out && grep -Eq '^  annex\\.pdf +covered' v.out && grep -Eq '^  notes\\.txt +covered' v.out"

# ---- once signed, the documents stay as they are ----
printf 'late\n' >late.txt
before=$(sha p.asice)
refuses "add after a signature is refused, naming the signature and the file" 1 \
	"is signed \\(S-[0-9a-f]+\\): late\\.txt would not be covered.*accord remove --signature" \
	accord add p.asice late.txt
expect "the refused add left the package unchanged (SHA-256)" [ "$(sha p.asice)" = "$before" ]
refuses "remove --document after a signature is refused" 1 "is signed \\(S-[0-9a-f]+\\): removing 'annex\\.pdf' would break it" \
	accord remove p.asice --document annex.pdf
expect "the refused remove left the package unchanged (SHA-256)" [ "$(sha p.asice)" = "$before" ]
SID=$(accord list p.asice | sed -n 's/^ *\(S-[0-9a-f]*\) .*/\1/p' | head -1)
ok "after its signature is removed ..." accord remove p.asice --signature "$SID"
ok "... a document can be added again" accord add p.asice late.txt

# ---- names: taken, reserved, unsafe ----
setup "a second package" accord pack -o q.asice doc.txt annex.pdf
cp q.asice q0.asice
refuses "the same name twice is refused, naming the file" 1 "annex\\.pdf: the package already holds a document 'annex\\.pdf'" \
	accord add q.asice annex.pdf
mkdir -p other && printf 'other\n' >other/ANNEX.PDF
refuses "a name differing only in case is refused" 1 "ANNEX\\.PDF: would be stored as 'ANNEX\\.PDF'.*'annex\\.pdf'" \
	accord add q.asice other/ANNEX.PDF
printf 'x\n' >late2.txt
refuses "two FILEs with one name in one add are refused" 3 "two documents would be stored as" \
	accord add q.asice late2.txt other/../late2.txt
mkdir -p res && printf 'x' >res/mimetype && printf '<x/>' >res/accord-package.xml
refuses "a file named mimetype is refused (reserved)" 3 "reserved" accord add q.asice res/mimetype
refuses "a file named like the descriptor is refused (reserved)" 3 "reserved" accord add q.asice res/accord-package.xml
refuses "remove --document mimetype is refused" 1 "mimetype: is part of the package, not a document" \
	accord remove q.asice --document mimetype
refuses "remove --document META-INF/manifest.xml is refused" 1 "META-INF/manifest\\.xml: is part of the package" \
	accord remove q.asice --document META-INF/manifest.xml
refuses "remove --document of the descriptor is refused" 1 "accord-package\\.xml: is part of the package" \
	accord remove q.asice --document accord-package.xml
refuses "remove --document ../doc.txt is refused (not a name inside a package)" 1 "\\.\\./doc\\.txt: not a name inside a package" \
	accord remove q.asice --document ../doc.txt
refuses "remove --document of an absolute name is refused" 1 "/etc/passwd: not a name inside a package" \
	accord remove q.asice --document /etc/passwd
refuses "remove --document of a name the package does not hold names it" 3 "nothere\\.txt: no document of this name" \
	accord remove q.asice --document nothere.txt
refuses "remove --document is by exact name (case matters)" 3 "ANNEX\\.PDF: no document of this name" \
	accord remove q.asice --document ANNEX.PDF
refuses "--force goes with --signature only" 3 "--force goes with --signature" \
	accord remove q.asice --document annex.pdf --force
refuses "--signature and --document together are a usage error" 3 "one of --signature ID and --document NAME" \
	accord remove q.asice --document annex.pdf --signature S-1
expect "every refusal left the package unchanged" cmp -s q.asice q0.asice

# ---- unreadable files: nothing is added ----
refuses "a missing file is refused, naming it" 3 "missing\\.txt: cannot read" accord add q.asice late2.txt missing.txt
refuses "a folder is refused, naming it" 3 "sub: not a readable regular file" accord add q.asice sub
ln -s nowhere dangling.txt
refuses "a dangling symlink is refused" 3 "dangling\\.txt: cannot read" accord add q.asice dangling.txt
if [ "$(id -u)" != 0 ]; then
	printf 'secret\n' >locked.txt && chmod 000 locked.txt
	refuses "a file without read permission is refused" 3 "locked\\.txt: not a readable regular file" \
		accord add q.asice late2.txt locked.txt
else
	# root reads any file: a FIFO stands for a file that cannot be read as a document.
	mkfifo locked.txt
	refuses "a FIFO is refused (not a regular file)" 3 "locked\\.txt: not a readable regular file" \
		accord add q.asice late2.txt locked.txt
fi
expect "the refused adds left the package unchanged (late2.txt not added either)" cmp -s q.asice q0.asice

# ---- remove --document ----
ok "remove --document annex.pdf" accord remove q.asice --document annex.pdf
accord list q.asice >q.list 2>&1
expect "list no longer shows annex.pdf, still shows doc.txt" sh -c \
	"! grep -q annex.pdf q.list && grep -q '^  doc\\.txt ' q.list"
expect "neither the zip nor the manifest holds it, the zip is sound" sh -c \
	"! unzip -Z1 q.asice | grep -q annex.pdf && ! unzip -p q.asice META-INF/manifest.xml | grep -q annex.pdf && unzip -tq q.asice >/dev/null"
cp q.asice q1.asice
refuses "the last document is not removed" 1 "doc\\.txt: is the only document" accord remove q.asice --document doc.txt
expect "... and the package is unchanged" cmp -s q.asice q1.asice

# ---- a package holding what accord does not read as a signature (CAdES, a timestamp) ----
zip_plus q0.asice cades.asice META-INF/signature.p7s
cp cades.asice cades0.asice
refuses "add to a package holding META-INF/signature.p7s is refused, naming it" 1 \
	"holds 'META-INF/signature\\.p7s'" accord add cades.asice late2.txt
refuses "remove --document from it is refused too" 1 "holds 'META-INF/signature\\.p7s'" \
	accord remove cades.asice --document doc.txt
expect "... and it is unchanged" cmp -s cades.asice cades0.asice

# ---- a package accord would not read is not written either ----
zip_plus q0.asice evil.asice ../evil.txt
cp evil.asice evil0.asice
refuses "add to a package with an entry '../evil.txt' is refused, naming the entry" 1 "\\.\\./evil\\.txt" \
	accord add evil.asice late2.txt
refuses "remove --document from it is refused" 1 "\\.\\./evil\\.txt" accord remove evil.asice --document doc.txt
expect "... and it is unchanged" cmp -s evil.asice evil0.asice

# ---- two adds at once: the lock serialises them, both documents arrive ----
setup "a package for two writers" accord pack -o two.asice doc.txt
printf 'one\n' >one.txt
printf 'two\n' >two.txt
accord add two.asice one.txt >one.out 2>&1 &
accord add two.asice two.txt >two.out 2>&1
wait
expect "both added, the zip sound and read by accord" sh -c \
	"unzip -Z1 two.asice | grep -qx one.txt && unzip -Z1 two.asice | grep -qx two.txt && unzip -tq two.asice >/dev/null && \"\$ACCORD_BIN\" list two.asice >/dev/null"

# ---- a write that cannot complete (a 1 MB file-size limit) changes nothing ----
head -c 2000000 /dev/urandom >big.bin
mkdir -p lim
setup "a small package" accord pack -o lim/small.asice doc.txt
setup "a big package" accord pack -o lim/big.asice doc.txt annex.pdf big.bin
cp lim/small.asice small0.asice
cp lim/big.asice big0.asice
# limited CMD...: accord under a file-size limit of 1024 blocks (512 or 1024 bytes), with
# SIGXFSZ ignored so write() fails with EFBIG; prints the exit code.
limited() { (trap '' XFSZ; ulimit -f 1024 && exec "$ACCORD_BIN" "$@") >lim.out 2>&1; echo $?; }
got=$(limited add lim/small.asice big.bin)
expect "add of a 2 MB file under the limit fails naming the package, which is unchanged, no temporary left" \
	sh -c "[ $got -ne 0 ] && [ $got -lt 128 ] && grep -q 'small\\.asice' lim.out && cmp -s lim/small.asice small0.asice && [ \$(ls -A lim | wc -l) = 2 ]"
got=$(limited remove lim/big.asice --document annex.pdf)
expect "remove --document from a 2 MB package under the limit fails the same way" \
	sh -c "[ $got -ne 0 ] && [ $got -lt 128 ] && grep -q 'big\\.asice' lim.out && cmp -s lim/big.asice big0.asice && [ \$(ls -A lim | wc -l) = 2 ]"
rm -f big.bin

# ---- through a symlink: the target is written, the link stays ----
mkdir -p shared inbox
setup "a shared package" accord pack -o shared/s.asice doc.txt
ln -s ../shared/s.asice inbox/s.asice
ok "add through inbox/s.asice, a symlink" accord add inbox/s.asice annex.pdf
expect "inbox/s.asice is still a symlink, the shared package holds annex.pdf" sh -c \
	"[ -L inbox/s.asice ] && unzip -Z1 shared/s.asice | grep -qx annex.pdf"
ok "remove --document through the symlink" accord remove inbox/s.asice --document doc.txt
expect "the link stays, the shared package lost doc.txt, no temporary is left" sh -c \
	"[ -L inbox/s.asice ] && ! unzip -Z1 shared/s.asice | grep -qx doc.txt && [ \$(ls -A shared | wc -l) = 1 ] && [ \$(ls -A inbox | wc -l) = 1 ]"

# ---- pack + add + sign is pack + sign ----
setup "built: pack doc.txt" accord pack -o built.asice doc.txt
setup "built: add annex.pdf and sub/notes.txt" accord add built.asice annex.pdf sub/notes.txt
setup "direct: pack all three" accord pack -o direct.asice doc.txt annex.pdf sub/notes.txt
expect "the same entries in the same order" sh -c "[ \"\$(unzip -Z1 built.asice)\" = \"\$(unzip -Z1 direct.asice)\" ]"
unzip -p built.asice META-INF/manifest.xml >built.manifest
unzip -p direct.asice META-INF/manifest.xml >direct.manifest
expect "the same manifest" sh -c "[ -s built.manifest ] && cmp -s built.manifest direct.manifest"
docs built.asice >built.docs
docs direct.asice >direct.docs
expect "the same documents (name, size, media type, SHA-256)" sh -c \
	"[ \$(wc -l <built.docs) = 3 ] && cmp -s built.docs direct.docs"
for p in built direct; do
	setup "alice signs $p" accord sign $p.asice --key alice.key --cert alice.crt --passphrase-file pass
	accord verify $p.asice --trust ca.crt >$p.verify 2>&1
	sed -n '/^documents:/,/^$/p' $p.verify | grep -v accord-package.xml >$p.covered
done
expect "both verify VALID" sh -c "grep -q '^result: VALID' built.verify && grep -q '^result: VALID' direct.verify"
expect "verify covers the same documents in both" sh -c "[ \$(wc -l <built.covered) -ge 4 ] && cmp -s built.covered direct.covered"
expect "both zips are sound" sh -c "unzip -tq built.asice >/dev/null && unzip -tq direct.asice >/dev/null"

# ---- what deflates beyond the reader's ratio limit is stored (pack wrote such packages
# and then refused to read them: "compression ratio 1029:1 exceeds limit 1000:1") ----
head -c 3000000 /dev/zero >zeros.txt
head -c 2000000 /dev/zero >zeros2.txt
ok "pack of a file of zeros" accord pack -o z.asice doc.txt zeros.txt
ok "... which accord then reads" accord list z.asice
ok "add of another file of zeros" accord add z.asice zeros2.txt
output_has "... which accord reads, with its digest" "^  zeros2\\.txt +2000000 .* $(sha zeros2.txt)\$" accord list z.asice
expect "both are stored, doc.txt still deflated" sh -c \
	"unzip -v z.asice | grep -Eq 'Stored .* zeros\\.txt\$' && unzip -v z.asice | grep -Eq 'Stored .* zeros2\\.txt\$' && unzip -v z.asice | grep -Eq 'Defl.* doc\\.txt\$'"
rm -f zeros.txt zeros2.txt

# ---- help ----
output_has "accord add --help" "^usage: accord add PACKAGE FILE" accord add --help
output_has "accord help add is add's help" "^usage: accord add PACKAGE FILE" accord help add
output_has "accord remove --help shows --document" "--document NAME" accord remove --help
output_has "accord --help lists add" "^  add " accord --help
refuses "add without a FILE is a usage error" 3 "at least one FILE" accord add q.asice
