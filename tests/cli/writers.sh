#!/bin/sh
# tests/cli/writers.sh — signing must not make things worse (issue #11): the same signer
# twice, the same timestamp twice, which signature `timestamp request` picks, and edits
# inside what an archive timestamp covers, at any depth. Each refusal leaves the package
# byte-identical.
. "$(dirname "$0")/../lib.sh"
cd "$T"
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }

setup "the CA" accord keys ca --name "Writers CA" --out ca --passphrase-file pass
for who in alice bob carol; do
	setup "$who's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
		--name "$who" --out "$who" --passphrase-file pass
done
setup "the TSA" accord tsa init --dir tsa --name "Writers TSA" --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --passphrase-file pass
printf 'The text.\n' >doc.txt
setup "the package" accord pack -o p.asice doc.txt

# ---- the same signer twice ----
accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass >sa.out
SA=$(sigid sa.out)
cp p.asice before.asice
refuses "alice signing a second time is refused, naming her signature" 3 "already signed it \\(signature $SA" \
	accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass
expect "the refused signature left the package unchanged" cmp -s p.asice before.asice
cp p.asice twice.asice
ok "sign --force signs again" accord sign twice.asice --key alice.key --cert alice.crt --passphrase-file pass --force

# ---- timestamp request picks the newest signature without a timestamp ----
accord sign p.asice --key bob.key --cert bob.crt --passphrase-file pass --tsa-dir tsa --tsa-passphrase-file pass >sb.out
SB=$(sigid sb.out)
output_has "timestamp request without --signature picks alice's (bob's, newer, has one)" "$SA" \
	accord timestamp request p.asice --out a.tsq
setup "the TSA stamps alice's request" accord tsa stamp --dir tsa --request a.tsq --out a.tsr --passphrase-file pass
ok "the reply is attached to alice's signature" accord timestamp attach p.asice --reply a.tsr
cp p.asice before.asice
refuses "the same reply attached a second time is refused" 3 "already attached" \
	accord timestamp attach p.asice --reply a.tsr --signature "$SA"
expect "the refused attach left the package unchanged" cmp -s p.asice before.asice
refuses "with every signature timestamped, request asks which one" 3 "every signature already has a timestamp" \
	accord timestamp request p.asice --out b.tsq

# ---- edits inside what an archive timestamp covers ----
setup "carol countersigns bob's signature" accord countersign p.asice --signature "$SB" --key carol.key \
	--cert carol.crt --passphrase-file pass
CS=$(accord list p.asice | sed -n "s/^ *\(CS-[0-9a-f]*\) *countersigns $SB .*/\1/p" | head -1)
setup "extend to LTA" accord extend p.asice --level LTA --trust ca.crt --tsa-dir tsa --tsa-passphrase-file pass
output_has "control: the LTA package is valid" "VALID and COMPLETE" accord verify p.asice --trust ca.crt
cp p.asice before.asice
refuses "endorsing the countersignature inside the archive-timestamped signature is refused" 1 \
	"$CS: is covered by the archive timestamp" \
	accord countersign p.asice --signature "$CS" --key alice.key --cert alice.crt --passphrase-file pass
accord timestamp request p.asice --signature "$CS" --out cs.tsq >/dev/null 2>&1
accord tsa stamp --dir tsa --request cs.tsq --out cs.tsr --passphrase-file pass >/dev/null 2>&1
refuses "timestamping the countersignature inside it is refused" 1 "$CS: is covered by the archive timestamp" \
	accord timestamp attach p.asice --reply cs.tsr --signature "$CS"
expect "the refused edits left the package unchanged" cmp -s p.asice before.asice
output_has "the package is still valid" "VALID and COMPLETE" accord verify p.asice --trust ca.crt
ok "control: countersigning bob's archive-timestamped signature itself goes after the timestamp" \
	accord countersign p.asice --signature "$SB" --key alice.key --cert alice.crt --passphrase-file pass
output_has "and the package stays valid" "VALID and COMPLETE" accord verify p.asice --trust ca.crt

# ---- a package reached through a symlink is written where the link points ----
mkdir -p shared inbox
setup "a shared package" accord pack -o shared/c.asice doc.txt
ln -s ../shared/c.asice inbox/c.asice
ok "alice signs inbox/c.asice, a symlink to shared/c.asice" accord sign inbox/c.asice --key alice.key --cert alice.crt --passphrase-file pass
expect "inbox/c.asice is still a symlink" [ -L inbox/c.asice ]
output_has "the shared package holds the signature" "1 valid signature" accord verify shared/c.asice --trust ca.crt
expect "no temporary file is left in either folder" sh -c "[ \$(ls -A shared | wc -l) = 1 ] && [ \$(ls -A inbox | wc -l) = 1 ]"

# ---- accord remove --signature (what DigiDoc users have) ----
setup "a package with two signatures" accord pack -o r.asice doc.txt
accord sign r.asice --key alice.key --cert alice.crt --passphrase-file pass >ra.out
RA=$(sigid ra.out)
accord sign r.asice --key bob.key --cert bob.crt --passphrase-file pass >rb.out
RB=$(sigid rb.out)
setup "carol countersigns bob's" accord countersign r.asice --signature "$RB" --key carol.key --cert carol.crt --passphrase-file pass
RCS=$(accord list r.asice | sed -n "s/^ *\(CS-[0-9a-f]*\) *countersigns $RB .*/\1/p" | head -1)
cp r.asice before.asice
refuses "removing a countersignature is refused (it sits inside the signature it endorses)" 3 "is a countersignature" \
	accord remove r.asice --signature "$RCS"
refuses "removing bob's, which carol countersigned, needs --force" 1 "countersignature .* would go with it" \
	accord remove r.asice --signature "$RB"
refuses "an unknown Id is named" 3 "no signature with this Id" accord remove r.asice --signature S-nothere
expect "the refused removals left the package unchanged" cmp -s r.asice before.asice
ok "alice's signature is removed" accord remove r.asice --signature "$RA"
expect "her signature file is gone, the zip is sound" sh -c \
	"! unzip -p r.asice META-INF/signatures0.xml >/dev/null 2>&1 && unzip -tq r.asice >/dev/null"
output_has "the package now holds bob's signature and carol's countersignature, both valid" \
	"^result: VALID and COMPLETE: 1 valid signature and 1 valid countersignature" accord verify r.asice --trust ca.crt
ok "bob's is removed with --force (carol's countersignature with it)" accord remove r.asice --signature "$RB" --force
refuses "the package has no signature left" 2 "has no signature" accord verify r.asice --trust ca.crt
