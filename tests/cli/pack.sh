#!/bin/sh
# tests/cli/pack.sh — the packing story: two CSIRTs' certificates, a draft and its
# annex packed, checked with unzip/zipinfo/od, listed, extracted; refusals that
# leave no partial output and no temporary file.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$TESTS/.." && pwd)
cd "$T" || exit 1
cp "$root/tools/sample/draft-agreement.txt" "$root/tools/sample/annex-contacts.txt" .

# Two party certificates made with certtool, independently of accord.
for who in alpha beta; do
	certtool --generate-privkey --key-type ecdsa --outfile "$who.key" >/dev/null 2>&1
	printf 'cn = "CERT %s"\nexpiration_days = 30\nsigning_key\n' "$who" >"$who.tmpl"
	certtool --generate-self-signed --load-privkey "$who.key" --template "$who.tmpl" \
		--outfile "$who.crt" >/dev/null 2>&1
done

for verb in pack list extract; do
	output_has "$verb --help" "usage: accord $verb" accord "$verb" --help
done

ok "pack two documents with two parties" accord pack -o deal.asice --kind agreement \
	--title "CSIRT cooperation" --ref "COOP-2026-01" --party alpha.crt --party beta.crt \
	--quorum 2 draft-agreement.txt annex-contacts.txt
ok "unzip -t accepts the container" unzip -t deal.asice

# zipinfo: the first entry is mimetype at offset 0, stored, with no extra field.
zipinfo -v deal.asice >zi.txt 2>&1
first=$(awk '/^Central directory entry #1:/{f=1} /^Central directory entry #2:/{f=0} f' zi.txt)
expect "zipinfo: mimetype is the first entry" sh -c "echo '$first' | grep -q '^  mimetype\$'"
expect "zipinfo: mimetype at offset 0" sh -c "echo '$first' | grep -Eq 'offset of local header from start of archive: +0\$'"
expect "zipinfo: mimetype has no extra field" sh -c "echo '$first' | grep -Eq 'length of extra field: +0 bytes'"
expect "zipinfo: mimetype is stored" sh -c "echo '$first' | grep -Eq 'compression method: +none \\(stored\\)'"
expect "od: bytes 30..37 are 'mimetype'" [ "$(od -An -c -j 30 -N 8 deal.asice | tr -d ' ')" = "mimetype" ]
expect "od: bytes 38..68 are the ASiC-E media type" \
	[ "$(dd if=deal.asice bs=1 skip=38 count=31 2>/dev/null)" = "application/vnd.etsi.asic-e+zip" ]
expect "od: local extra field length (bytes 28-29) is 0" [ "$(od -An -tx1 -j 28 -N 2 deal.asice | tr -d " ")" = "0000" ]
expect "od: byte 69 starts the next local header" [ "$(od -An -tx1 -j 69 -N 4 deal.asice | tr -d ' ')" = "504b0304" ]
expect "unzip: manifest lists the root and both documents" sh -c \
	"unzip -p deal.asice META-INF/manifest.xml | grep -q 'full-path=\"/\" manifest:media-type=\"application/vnd.etsi.asic-e+zip\"' &&
	 unzip -p deal.asice META-INF/manifest.xml | grep -q 'full-path=\"annex-contacts.txt\" manifest:media-type=\"text/plain\"' &&
	 unzip -p deal.asice META-INF/manifest.xml | grep -q 'full-path=\"accord-package.xml\" manifest:media-type=\"application/vnd.accord.package+xml\"'"

accord list deal.asice >list.txt 2>&1
expect "list: kind, title, reference" sh -c "grep -q '^Kind: *agreement' list.txt && grep -q '^Title: *CSIRT cooperation' list.txt && grep -q '^Reference: *COOP-2026-01' list.txt"
expect "list: two parties, quorum 2" grep -q 'Parties: *2, quorum 2' list.txt
fp=$(openssl x509 -in alpha.crt -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
expect "list: party name and fingerprint from the certificate" grep -Eq "CERT alpha +sha256 $fp" list.txt
h=$(sha256sum draft-agreement.txt | cut -d' ' -f1)
expect "list: SHA-256 of the draft matches sha256sum" grep -Eq "draft-agreement.txt .* text/plain +$h" list.txt
expect "list: no signature files yet" grep -q 'Signatures: 0' list.txt

ok "extract into a new folder" accord extract -o out deal.asice
expect "extract: documents identical" sh -c "cmp draft-agreement.txt out/draft-agreement.txt && cmp annex-contacts.txt out/annex-contacts.txt && test -f out/accord-package.xml"
echo "edited" >out/annex-contacts.txt
refuses "extract refuses existing files without --force" 3 "exists.*--force" accord extract -o out deal.asice
expect "extract: refused extraction changed nothing" [ "$(cat out/annex-contacts.txt)" = "edited" ]
ok "extract --force replaces" accord extract -o out --force deal.asice
expect "extract --force: document restored" cmp annex-contacts.txt out/annex-contacts.txt
mkdir out2 && echo keep >victim && ln -s "$T/victim" out2/draft-agreement.txt
refuses "extract refuses a planted symlink without --force" 3 "exists" accord extract -o out2 deal.asice
expect "extract: the symlink target is untouched" [ "$(cat victim)" = keep ]

cp deal.asice saved.asice
refuses "pack refuses an existing output" 3 "exists" accord pack -o deal.asice annex-contacts.txt
expect "pack: the existing output is untouched" cmp deal.asice saved.asice
refuses "pack --force with an unreadable document fails" 3 "cannot|error" \
	accord pack --force -o deal.asice annex-contacts.txt /proc/self/mem
expect "failed pack: the existing output is untouched" cmp deal.asice saved.asice
refuses "pack of a missing document fails" 3 "cannot read" accord pack -o new.asice nothere.txt
expect "failed pack: no partial output" [ ! -e new.asice ]
expect "failed packs: no temporary file left" [ -z "$(ls -A | grep -E 'accord-tmp|\.asice\.')" ]
refuses "pack: quorum above the parties is refused" 3 "quorum" \
	accord pack -o q.asice --party alpha.crt --quorum 2 annex-contacts.txt
refuses "pack: unknown kind is refused" 3 "kind" accord pack -o q.asice --kind contract annex-contacts.txt
expect "refused packs: no output" [ ! -e q.asice ]
mkdir dup && cp annex-contacts.txt dup/
refuses "pack: two documents with one name are refused" 3 "annex-contacts.txt" \
	accord pack -o q.asice annex-contacts.txt dup/annex-contacts.txt

ok "pack an incident report without parties" accord pack -o inc.asice --kind incident-report annex-contacts.txt
output_has "list: incident report, title defaults to the first name" "Title: *annex-contacts.txt" accord list inc.asice
output_has "list: kind incident-report" "Kind: *incident-report" accord list inc.asice
refuses "list: a bad limit value is a usage error" 3 "max-ratio" accord list --max-ratio zero inc.asice
refuses "list: a tight limit refuses" 1 "total size" accord list --max-total 100 deal.asice
refuses "list: not a container" 1 "mimetype" accord list annex-contacts.txt
