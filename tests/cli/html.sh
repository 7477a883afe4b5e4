#!/bin/sh
# tests/cli/html.sh — the report a clerk reads: `accord verify --html` writes one
# self-contained page, rendered here in a real headless browser (Debian's chromium):
# alice signed, a notary whose certificate is named "<script>..." countersigned, bob has
# not signed yet; the page must say NOT COMPLETE, name every signer and document, say who
# is missing, and show the hostile names as text. Then bob signs (VALID) and a document is
# changed (NOT VALID).
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
sigid() { sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' "$1"; }
EVIL='<script>alert(1)</script>'
EVIL_ORG='Notaries & <b>Co</b>'
EVIL_DOC='annex <img src=x onerror=alert(2)>.txt'

setup "the CA" accord keys ca --name "Joint CSIRT CA" --org "Joint CSIRT" --country EU \
	--out ca --passphrase-file pass
for who in alice bob; do
	setup "$who's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt \
		--ca-passphrase-file pass --name "$who" --org "Ministry of $who" --country FR \
		--out "$who" --passphrase-file pass
done
setup "the notary's certificate, named like a script" accord keys issue --ca-key ca.key \
	--ca-cert ca.crt --ca-passphrase-file pass --name "$EVIL" --org "$EVIL_ORG" --country FR \
	--out notary --passphrase-file pass
printf 'Draft agreement on incident information sharing.\n' >draft.txt
printf 'Annex: contact points\n' >"$EVIL_DOC"
setup "the package" accord pack -o treaty.asice --title "Cooperation <i>agreement</i>" --ref 2026/17 \
	--party alice.crt --party bob.crt draft.txt "$EVIL_DOC"
setup "alice signs" sh -c "\"$ACCORD_BIN\" sign treaty.asice --key alice.key --cert alice.crt \
	--passphrase-file pass --role 'Head of CSIRT' --place Paris,FR --commitment approval >sa.out"
A=$(sigid sa.out)
setup "the notary countersigns" accord countersign treaty.asice --signature "$A" \
	--key notary.key --cert notary.crt --passphrase-file pass --role Notary

refuses "verify --html: still incomplete (exit 2), text report as usual" 2 "MISSING +bob" \
	accord verify treaty.asice --trust ca.crt --html report.html
expect "the page is written" test -s report.html
expect "the page is written atomically (no temporary file left)" \
	sh -c '! ls -a | grep -q "accord-tmp"'
expect "the page fetches and runs nothing (no src, href, script, url() or @import)" python3 -c "
import sys
from html.parser import HTMLParser
bad = []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'img', 'link', 'iframe', 'object', 'embed') or any(a in ('src', 'href') or a.startswith('on') for a, _ in attrs):
            bad.append(tag)
    def handle_data(self, d):
        if self.lasttag == 'style' and ('url(' in d or '@import' in d): bad.append('style')
P().feed(open('report.html', encoding='utf-8').read())
sys.exit(1 if bad else 0)"
# The CN comes as GnuTLS gives it (RFC 4514: a backslash before < and >): text all the same.
expect "the hostile signer name is escaped in the file" grep -Eq 'Countersignature by (\\)?&lt;script(\\)?&gt;alert' report.html
expect "each document's SHA-256 is on the page" \
	grep -q "$(sha256sum draft.txt | cut -d' ' -f1)" report.html
ok "verify --json and --html together" sh -c "\"$ACCORD_BIN\" verify treaty.asice --trust ca.crt --json --html both.html >both.json; [ \$? = 2 ]"
expect "with --json too, the page is the same report" sh -c 'grep -q "NOT COMPLETE" both.html && grep -q "\"status\":\"incomplete\"" both.json'
refuses "an --html path that cannot be written is an error (exit 3)" 3 "no-such-dir" \
	accord verify treaty.asice --trust ca.crt --html no-such-dir/r.html

# The browser. Debian's chromium (tools/deps.sh installs it for make check).
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
	skip "rendering in headless Chromium: chromium is not installed (apt-get install chromium)"
	exit 0
fi
render() { # render PAGE OUT.txt: the text a reader sees, from the DOM the browser built
	timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --dump-dom "file://$T/$1" 2>/dev/null >"$1.dom"
	python3 - "$1.dom" "$2" <<'PY'
import sys
from html.parser import HTMLParser
class Text(HTMLParser):
    def __init__(self):
        super().__init__(); self.out = []; self.skip = 0; self.tags = {}
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in ("style", "title", "head"): self.skip += 1
    def handle_endtag(self, tag):
        if tag in ("style", "title", "head"): self.skip -= 1
        if tag in ("p", "div", "tr", "li", "h1", "h2", "h3", "dd", "section", "article"): self.out.append("\n")
    def handle_data(self, d):
        if not self.skip: self.out.append(d)
p = Text(); p.feed(open(sys.argv[1], encoding="utf-8").read())
open(sys.argv[2], "w", encoding="utf-8").write("".join(p.out))
open(sys.argv[2] + ".tags", "w").write("\n".join(f"{k} {v}" for k, v in sorted(p.tags.items())))
PY
}
render report.html seen.txt
expect "the browser built the page" grep -q "Verification report" seen.txt
expect "rendered: the verdict a clerk reads at a glance" grep -q "NOT COMPLETE" seen.txt
expect "rendered: the party still to sign" grep -q "Still to sign: bob" seen.txt
expect "rendered: bob MISSING in the parties" grep -q "bobMISSING" seen.txt
expect "rendered: alice signed, with role, place and commitment" \
	sh -c 'grep -q "Signed by alice" seen.txt && grep -q "Head of CSIRT" seen.txt && grep -q "Paris, FR" seen.txt && grep -q "approval" seen.txt'
expect "rendered: alice's organisation" grep -q "Ministry of alice" seen.txt
expect "rendered: the hostile notary name shows as text" \
	grep -Eq 'Countersignature by \\?<script\\?>alert\(1\)\\?</script\\?>' seen.txt
expect "rendered: the hostile organisation shows as text" grep -Eq 'Notaries & \\?<b\\?>Co\\?</b\\?>' seen.txt
expect "rendered: the documents by name" sh -c 'grep -q "draft.txt" seen.txt && grep -qF "$1" seen.txt' _ "$EVIL_DOC"
expect "rendered: the hostile title shows as text" grep -qF "Cooperation <i>agreement</i>" seen.txt
expect "the browser found no script, img or i element (all text)" \
	sh -c '! grep -Eq "^(script|img|i|b) " seen.txt.tags'
expect "the countersignature is inside alice's signature" \
	python3 -c "
import re,sys
d=open('report.html.dom').read()
a=d.index('Signed by alice'); c=d.index('Countersignature by')
end=d.index('</article>', a)
sys.exit(0 if a < c < end or d.count('<article', a, c) == 1 else 1)"
timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1400 \
	--screenshot="$T/shot.png" "file://$T/report.html" >/dev/null 2>&1
expect "a screenshot of the page is taken" sh -c 'test "$(head -c 8 shot.png | od -An -c | tr -d " ")" = "211PNG\r\n032\n"'
[ -n "${HTML_SHOT:-}" ] && cp report.html shot.png "$HTML_SHOT"

# A TLP marking (FIRST TLP 2.0) opens the page, above the verdict, in its colour.
printf 'Phishing wave: timeline\n' >timeline.txt
setup "an incident report marked TLP:AMBER" accord pack -o ir.asice --kind incident-report \
	--tlp amber --incident-id IR-2026-044 --title "Phishing wave" timeline.txt
setup "alice signs it" accord sign ir.asice --key alice.key --cert alice.crt --passphrase-file pass
ok "verify --html of the marked package" accord verify ir.asice --trust ca.crt --html tlp.html
expect "the label is in FIRST's amber (#FFC000) on black" \
	sh -c 'grep -q "\.tlp{background:#000" tlp.html && grep -q "\.tlp-amber{color:#ffc000}" tlp.html && grep -q "class=\"label tlp-amber\">TLP:AMBER<" tlp.html'
render tlp.html tlp.txt
expect "rendered: TLP:AMBER is the first thing on the page" \
	sh -c 'grep -v "^[[:space:]]*$" tlp.txt | head -1 | grep -q "^TLP:AMBER "'
expect "rendered: what TLP:AMBER asks, the incident ID, the label again in the footer" \
	sh -c 'grep -q "need-to-know basis" tlp.txt && grep -q "IR-2026-044" tlp.txt && grep -q "^TLP:AMBER Checked offline" tlp.txt'
expect "rendered: an unmarked package has no TLP banner" sh -c '! grep -q "TLP:" seen.txt'

setup "bob signs" accord sign treaty.asice --key bob.key --cert bob.crt --passphrase-file pass
ok "verify --html: valid and complete" accord verify treaty.asice --trust ca.crt --html valid.html
render valid.html valid.txt
expect "rendered: VALID, nobody missing" sh -c 'grep -q "VALID" valid.txt && ! grep -q "NOT" valid.txt && ! grep -q "Still to sign" valid.txt'

python3 - <<'PY'
import zipfile
src = zipfile.ZipFile("treaty.asice"); dst = zipfile.ZipFile("t2.asice", "w")
for i in src.infolist():
    data = src.read(i.filename)
    if i.filename == "draft.txt": data = data.replace(b"sharing", b"selling")
    dst.writestr(i, data)
dst.close()
PY
refuses "verify --html: a changed document fails (exit 1)" 1 "TOTAL-FAILED" \
	accord verify t2.asice --trust ca.crt --html bad.html
render bad.html bad.txt
expect "rendered: NOT VALID, do not rely on it" sh -c 'grep -q "NOT VALID" bad.txt && grep -q "Do not rely" bad.txt'
