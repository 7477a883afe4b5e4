#!/bin/sh
# tests/cli/incident.sh — a CSIRT packs an incident report: an IODEF v2 document (RFC 7970)
# and a STIX 2.1 bundle are recognised, given their media types and checked; a report that
# breaks a rule is refused with the line or the object and the rule; --no-validate packs
# it unchecked. Every sample is written here, valid first, then broken one rule at a time.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

# iodef FILE [ATTRS-OF-IODEF-DOCUMENT] [ATTRS-OF-INCIDENT] [INCIDENTID] [GENTIME] [CONTACT]
iodef() {
	doc=${2:-'version="2.00" lang="en"'}
	inc=${3:-'purpose="reporting" restriction="green"'}
	iid=${4:-'<IncidentID name="csirt.example.net">IR-2026-044</IncidentID>'}
	gen=${5:-'<GenerationTime>2026-11-30T08:55:00+01:00</GenerationTime>'}
	con=${6:-'<Contact role="creator" type="organization"><ContactName>Example CSIRT</ContactName><Email><EmailTo>csirt@example.net</EmailTo></Email></Contact>'}
	cat >"$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document $doc xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident $inc>
    $iid
    <ReportTime>2026-11-30T09:00:00Z</ReportTime>
    $gen
    <Description>Phishing wave against the finance department</Description>
    $con
    <EventData><Flow><System category="source"><Node><Address category="ipv4-addr">192.0.2.7</Address></Node></System></Flow></EventData>
  </Incident>
</IODEF-Document>
XML
}

# stix FILE [OBJECTS]: a bundle around the objects (an identity and an indicator by default).
ID=identity--0b3c9e7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b
IND=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f
OBS=ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd
stix() {
	obj=${2:-'{"type": "indicator", "spec_version": "2.1", "id": "'$IND'", "created": "2026-11-30T08:00:00.000Z",
     "modified": "2026-11-30T08:00:00.000Z", "pattern": "[ipv4-addr:value = '"'192.0.2.7'"']",
     "pattern_type": "stix", "valid_from": "2026-11-30T08:00:00Z"}'}
	cat >"$1" <<JSON
{
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {"type": "identity", "spec_version": "2.1", "id": "$ID", "created": "2026-11-30T08:00:00.000Z",
     "modified": "2026-11-30T08:00:00.000Z", "name": "Example CSIRT", "identity_class": "organization"},
    $obj,
    {"type": "ipv4-addr", "id": "$OBS", "value": "192.0.2.7"}
  ]
}
JSON
}

printf 'Notes of the call with the victim.\n' >notes.txt
iodef report.xml
stix bundle.json

output_has "pack --help tells the incident report checks" "no-validate" accord pack --help
ok "an IODEF report and a STIX bundle are packed" \
	accord pack -o ir.asice --kind incident-report --ref IR-2026-044 report.xml bundle.json notes.txt
unzip -p ir.asice META-INF/manifest.xml >manifest.xml 2>/dev/null
expect "the IODEF report has the IODEF media type" \
	grep -q 'full-path="report.xml" manifest:media-type="application/iodef+xml"' manifest.xml
expect "the STIX bundle has its registered media type with the version" \
	grep -q 'full-path="bundle.json" manifest:media-type="application/stix+json;version=2.1"' manifest.xml
expect "the notes keep their own media type" \
	grep -q 'full-path="notes.txt" manifest:media-type="text/plain"' manifest.xml
ok "--kind incident is a synonym" accord pack -o syn.asice --kind incident report.xml
output_has "list: the synonym made an incident report" "Kind: *incident-report" accord list syn.asice
ok "an agreement packs the same XML as plain XML, unchecked" accord pack -o ag.asice report.xml
expect "in an agreement, report.xml is application/xml" \
	sh -c 'unzip -p ag.asice META-INF/manifest.xml | grep -q "full-path=\"report.xml\" manifest:media-type=\"application/xml\""'

# IODEF: each rule RFC 7970 sets for every report, broken once.
iodef v1.xml 'version="1.00"'
refuses "IODEF version 1.00 is refused with its line" 1 "v1.xml: line 2: .*version.*2\.00.*IODEF-Document" \
	accord pack -o bad.asice --kind incident-report v1.xml
iodef nover.xml 'lang="en"'
refuses "IODEF-Document without a version is refused" 1 "nover.xml: line 2: .*attribute 'version' is required" \
	accord pack -o bad.asice --kind incident-report nover.xml
iodef nopurpose.xml '' 'restriction="green"'
refuses "an Incident without purpose is refused with line and class" 1 \
	"nopurpose.xml: line 3: .*'purpose' is required.*RFC 7970, Incident class" \
	accord pack -o bad.asice --kind incident-report nopurpose.xml
iodef badpurpose.xml '' 'purpose="gossip"'
refuses "an unknown purpose is refused" 1 "badpurpose.xml: line 3: .*gossip" \
	accord pack -o bad.asice --kind incident-report badpurpose.xml
iodef noid.xml '' '' ' '
refuses "an Incident without IncidentID is refused" 1 "noid.xml: line [0-9]+: .*IncidentID" \
	accord pack -o bad.asice --kind incident-report noid.xml
iodef noname.xml '' '' '<IncidentID>IR-1</IncidentID>'
refuses "an IncidentID without name is refused with its line" 1 \
	"noname.xml: line 4: .*'name' is required.*RFC 7970, IncidentID class" \
	accord pack -o bad.asice --kind incident-report noname.xml
iodef nogen.xml '' '' '' ' '
refuses "an Incident without GenerationTime is refused" 1 "nogen.xml: line [0-9]+: .*GenerationTime" \
	accord pack -o bad.asice --kind incident-report nogen.xml
iodef badtime.xml '' '' '' '<GenerationTime>yesterday</GenerationTime>'
refuses "a GenerationTime that is not a date-time is refused" 1 "badtime.xml: line 6: .*yesterday.*DATETIME" \
	accord pack -o bad.asice --kind incident-report badtime.xml
iodef nocontact.xml '' '' '' '' ' '
refuses "an Incident without Contact is refused" 1 "nocontact.xml: line [0-9]+: .*Contact" \
	accord pack -o bad.asice --kind incident-report nocontact.xml
iodef norole.xml '' '' '' '' '<Contact type="person"><ContactName>A</ContactName></Contact>'
refuses "a Contact without role is refused with its line" 1 \
	"norole.xml: line 8: .*'role' is required.*RFC 7970, Contact class" \
	accord pack -o bad.asice --kind incident-report norole.xml
iodef notype.xml '' '' '' '' '<Contact role="irt"><ContactName>A</ContactName></Contact>'
refuses "a Contact without type is refused" 1 "notype.xml: line 8: .*'type' is required" \
	accord pack -o bad.asice --kind incident-report notype.xml
printf '<?xml version="1.0"?>\n<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">\n<Incident purpose="watch">\n' >broken.xml
refuses "an IODEF report that is not well-formed is refused with its line" 1 "broken.xml: .*line [0-9]+" \
	accord pack -o bad.asice --kind incident-report broken.xml
printf '<?xml version="1.0"?>\n<!DOCTYPE IODEF-Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0"/>\n' >xxe.xml
refuses "an IODEF report with a DOCTYPE (external entity) is refused" 1 "xxe.xml: .*DOCTYPE" \
	accord pack -o bad.asice --kind incident-report xxe.xml
expect "nothing was written for the refused reports" test ! -e bad.asice

# STIX: type, id and spec_version on every object.
stix nospec.json '{"type": "indicator", "id": "'$IND'", "pattern": "[x:y = 1]"}'
refuses "a STIX object without spec_version is refused naming the object" 1 \
	"nospec.json: objects\[1\] \($IND\) has no \"spec_version\"" \
	accord pack -o bad.asice --kind incident-report nospec.json
stix noid.json '{"type": "indicator", "spec_version": "2.1"}'
refuses "a STIX object without id is refused" 1 "noid.json: objects\[1\] has no \"id\"" \
	accord pack -o bad.asice --kind incident-report noid.json
stix notype.json '{"id": "'$IND'", "spec_version": "2.1"}'
refuses "a STIX object without type is refused" 1 "notype.json: objects\[1\] \($IND\) has no \"type\"" \
	accord pack -o bad.asice --kind incident-report notype.json
stix wrongid.json '{"type": "malware", "id": "'$IND'", "spec_version": "2.1"}'
refuses "an id whose prefix is not the object's type is refused" 1 "wrongid.json: objects\[1\].*\"malware--\" followed by a UUID" \
	accord pack -o bad.asice --kind incident-report wrongid.json
stix v20.json '{"type": "indicator", "id": "'$IND'", "spec_version": "2.0"}'
refuses "a STIX 2.0 object is refused" 1 "v20.json: .*spec_version is \"2.0\", not \"2.1\"" \
	accord pack -o bad.asice --kind incident-report v20.json
stix dup.json '{"type": "indicator", "type": "malware", "id": "'$IND'", "spec_version": "2.1"}'
refuses "duplicate keys are refused (two readers, two reports)" 1 "dup.json: line [0-9]+, column [0-9]+: .*duplicate" \
	accord pack -o bad.asice --kind incident-report dup.json
printf '{"type": "bundle",\n "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",\n "objects": [\n' >trunc.json
refuses "a truncated bundle is refused with its line" 1 "trunc.json: line [0-9]+, column [0-9]+: not valid JSON" \
	accord pack -o bad.asice --kind incident-report trunc.json
printf '{"type": "bundle", "id": "bundle--x", "objects": []}\n' >badbundle.json
refuses "a bundle id that is not a UUID is refused" 1 "badbundle.json: the bundle: id" \
	accord pack -o bad.asice --kind incident-report badbundle.json
# A bundle that says "type": "bundle" only after 64 KiB of objects is still a bundle;
# a JSON document that merely holds a bundle deeper down is not a report.
python3 -c "
import json
objs = [{'type': 'note', 'spec_version': '2.1', 'id': 'note--%08x-0000-4000-8000-000000000000' % i,
         'content': 'x' * 200, 'object_refs': ['$ID']} for i in range(400)]
objs.append({'type': 'note', 'id': 'note--ffffffff-0000-4000-8000-000000000000', 'content': 'no version'})
open('late.json', 'w').write(json.dumps({'objects': objs, 'id': 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', 'type': 'bundle'}))
open('nested.json', 'w').write(json.dumps({'exported': {'type': 'bundle', 'id': 'x'}, 'rows': 3}))"
refuses "a bundle whose type comes after 64 KiB is checked all the same" 1 \
	"late.json: objects\[400\] \(note--ffffffff-0000-4000-8000-000000000000\) has no \"spec_version\"" \
	accord pack -o bad.asice --kind incident-report late.json
ok "a JSON file holding a bundle deeper down is packed as plain JSON" \
	accord pack -o nested.asice --kind incident-report nested.json
expect "... with its usual media type" \
	sh -c 'unzip -p nested.asice META-INF/manifest.xml | grep -q "full-path=\"nested.json\" manifest:media-type=\"application/json\""'
expect "nothing was written for the refused bundles" test ! -e bad.asice

# accord add: into an incident report, a report is checked and typed as pack does.
ok "pack an incident report with notes only" accord pack -o later.asice --kind incident-report notes.txt
refuses "accord add refuses a broken IODEF report into it" 1 "nopurpose.xml: line 3: .*'purpose'" \
	accord add later.asice nopurpose.xml
ok "accord add takes a valid IODEF report into it" accord add later.asice report.xml
expect "the added report has the IODEF media type" \
	sh -c 'unzip -p later.asice META-INF/manifest.xml | grep -q "full-path=\"report.xml\" manifest:media-type=\"application/iodef+xml\""'

# accord new: starting documents that pack as they are.
ok "accord new incident-report writes an IODEF template" accord new incident-report -o new.xml
ok "the template passes pack's check unchanged" accord pack -o new.asice --kind incident-report new.xml
expect "the template's GenerationTime is when it was written" \
	grep -q "<GenerationTime>$(date -u +%Y-%m-%dT%H)" new.xml
refuses "accord new refuses to overwrite" 3 "exists" accord new incident -o new.xml
ok "accord new --force replaces it" accord new incident -o new.xml --force
ok "accord new agreement writes a draft agreement" accord new agreement -o draft.txt
expect "the draft names its articles" grep -q "Article 6 - Signatures" draft.txt
refuses "accord new with an unknown kind is a usage error" 3 "unknown kind" accord new treaty -o x.txt

root=$(cd "$TESTS/.." && pwd)
ok "the sample report shipped in examples/ packs (it passes the check)" \
	accord pack -o sample.asice --kind incident-report "$root/examples/incident-report.iodef.xml"
if command -v xmllint >/dev/null 2>&1; then
	ok "xmllint agrees: the sample is valid against formats/iodef-2.0-required.xsd" \
		xmllint --noout --schema "$root/formats/iodef-2.0-required.xsd" "$root/examples/incident-report.iodef.xml"
	ok "xmllint refuses what accord refuses (a Contact without role)" \
		sh -c "! xmllint --noout --schema '$root/formats/iodef-2.0-required.xsd' norole.xml"
else
	skip "xmllint cross-check of the schema: xmllint is not installed (libxml2-utils)"
fi

ok "--no-validate packs a broken report unchecked" \
	accord pack -o nv.asice --kind incident-report --no-validate nopurpose.xml nospec.json
expect "--no-validate still gives the media types" \
	sh -c 'unzip -p nv.asice META-INF/manifest.xml | grep -q "application/stix+json;version=2.1"'

# The descriptor records the incident ID and the TLP marking (FIRST TLP 2.0); list and
# verify show them; every signature covers them.
ZIPEDIT="python3 $TESTS/tools/zipedit.py"
# "TLP INCIDENT_ID" of a --json output's descriptor (None when null)
jpair() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["descriptor"]; print(d["tlp"], d["incident_id"])' "$1"; }
ok "pack --tlp amber --incident-id records both" \
	accord pack -o tlp.asice --kind incident --tlp amber --incident-id INC-7 report.xml notes.txt
unzip -p tlp.asice accord-package.xml >tlp-desc.xml 2>/dev/null
expect "the descriptor holds the incident ID and the TLP value" \
	sh -c 'grep -q "<incident-id>INC-7</incident-id>" tlp-desc.xml && grep -q "<tlp>amber</tlp>" tlp-desc.xml'
output_has "list shows the incident ID (--incident-id wins over the IODEF's)" "^Incident: +INC-7$" accord list tlp.asice
output_has "list shows the TLP label" "^TLP: +TLP:AMBER$" accord list tlp.asice
accord list --json tlp.asice >tlp-list.json
json_valid "list --json with incident ID and TLP validates against its schema" list tlp-list.json
expect "list --json: \"tlp\": \"amber\", \"incident_id\": \"INC-7\"" \
	[ "$(jpair tlp-list.json)" = "amber INC-7" ]
setup "the CA" accord keys ca --name "Incident CA" --org "Joint CSIRT" --country EU --out ca --passphrase-file pass
setup "the analyst's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt \
	--ca-passphrase-file pass --name analyst --out analyst --passphrase-file pass
setup "the analyst signs" accord sign tlp.asice --key analyst.key --cert analyst.crt --passphrase-file pass
output_has "verify shows the incident ID" "^  incident ID: INC-7$" accord verify tlp.asice --trust ca.crt
output_has "verify shows the TLP label" "^  marking: TLP:AMBER$" accord verify tlp.asice --trust ca.crt
accord verify tlp.asice --trust ca.crt --json >tlp-verify.json
json_valid "verify --json with incident ID and TLP validates against its schema" verify tlp-verify.json
expect "verify --json: \"tlp\": \"amber\", \"incident_id\": \"INC-7\"" \
	[ "$(jpair tlp-verify.json)" = "amber INC-7" ]
sed 's/<tlp>amber</<tlp>clear</' tlp-desc.xml >tlp-clear.xml
setup "a copy whose TLP marking is changed to clear" $ZIPEDIT tlp.asice tlp-clear.asice --set accord-package.xml tlp-clear.xml
refuses "a TLP marking changed after signing breaks the signature" 1 "TOTAL-FAILED" \
	accord verify tlp-clear.asice --trust ca.crt
sed 's/<incident-id>INC-7</<incident-id>INC-8</' tlp-desc.xml >tlp-inc.xml
setup "a copy whose incident ID is changed" $ZIPEDIT tlp.asice tlp-inc.asice --set accord-package.xml tlp-inc.xml
refuses "an incident ID changed after signing breaks the signature" 1 "TOTAL-FAILED" \
	accord verify tlp-inc.asice --trust ca.crt
# Read tolerantly: another tool's value is shown as written, with a warning; a descriptor
# without them (a package made before) reads as none.
sed 's/<tlp>amber</<tlp>purple</' tlp-desc.xml >tlp-purple.xml
setup "a package whose descriptor holds an unknown TLP value" \
	$ZIPEDIT tlp.asice tlp-purple.asice --set accord-package.xml tlp-purple.xml
output_has "list shows an unknown TLP value as written" "^TLP: +'purple' \(not a TLP 2.0 label" accord list tlp-purple.asice
output_has "... with a warning naming the TLP 2.0 labels" "the TLP marking 'purple' is not a TLP 2.0 label" \
	accord list tlp-purple.asice
accord list --json tlp-purple.asice >tlp-purple.json
json_valid "list --json with an unknown TLP value validates" list tlp-purple.json
expect "list --json: the unknown value as written, and a finding" \
	sh -c '[ "$1" = "purple INC-7" ] && grep -q "FIRST TLP 2.0" tlp-purple.json' _ "$(jpair tlp-purple.json)"
refuses "verify shows the unknown value (the signature fails: the descriptor was changed)" 1 \
	"marking: 'purple' \(not a TLP 2.0 label\)" accord verify tlp-purple.asice --trust ca.crt
sed 's/<tlp>amber</<tlp>x\&#10;Kind:       agreement\&lt;b\&gt;</' tlp-desc.xml >tlp-forge.xml
setup "a package whose TLP value holds a line break and markup" \
	$ZIPEDIT tlp.asice tlp-forge.asice --set accord-package.xml tlp-forge.xml
expect "list shows the line break escaped: it cannot forge a line" \
	sh -c '"$ACCORD_BIN" list tlp-forge.asice >forge.out; grep -q "^TLP: *.x.x0aKind: *agreement<b>. (not a TLP" forge.out && ! grep -q "^Kind: *agreement" forge.out'
"$ACCORD_BIN" verify tlp-forge.asice --trust ca.crt --html forge.html >/dev/null 2>&1
expect "the HTML report shows the value as text, in the TLP banner" grep -q "^Kind: *agreement&lt;b&gt;</span>" forge.html
sed -e '/<incident-id>/d' -e '/<tlp>/d' tlp-desc.xml >tlp-old.xml
setup "a package whose descriptor has neither (as before)" \
	$ZIPEDIT tlp.asice tlp-old.asice --set accord-package.xml tlp-old.xml
accord list --json tlp-old.asice >tlp-old.json
json_valid "list --json of a descriptor without them validates" list tlp-old.json
expect "list --json: both null when absent" \
	[ "$(jpair tlp-old.json)" = "None None" ]
expect "list: no Incident or TLP line when absent" sh -c '! "$ACCORD_BIN" list tlp-old.asice | grep -Eq "^(Incident|TLP):"'

refuses "an unknown --tlp value is refused with the labels" 3 "unknown TLP marking 'orange' \(clear, green, amber, amber\+strict or red\)" \
	accord pack -o bad.asice --kind incident --tlp orange report.xml
refuses "TLP 1.0's white is refused, naming clear" 3 "TLP 2.0 calls white clear" \
	accord pack -o bad.asice --kind incident --tlp white report.xml
refuses "--incident-id is refused for an agreement" 3 "--incident-id is for --kind incident-report" \
	accord pack -o bad.asice --incident-id INC-7 notes.txt
refuses "an incident ID with a control character is refused" 3 "control character" \
	accord pack -o bad.asice --kind incident --incident-id "$(printf 'A\tB')" notes.txt
expect "nothing was written for the refused options" test ! -e bad.asice
ok "--tlp TLP:AMBER+STRICT (FIRST's written form) on an agreement" \
	accord pack -o tlp-ag.asice --tlp TLP:AMBER+STRICT notes.txt
output_has "... recorded as amber+strict, shown as TLP:AMBER+STRICT" "^TLP: +TLP:AMBER\+STRICT$" accord list tlp-ag.asice

# The incident ID from the IODEF reports: their IncidentID, trimmed; two different
# incidents need --incident-id; --no-validate reads none.
iodef spaced.xml '' '' '<IncidentID name="csirt.example.net">
      IR-2026-044
    </IncidentID>'
ok "pack without --incident-id" accord pack -o iid.asice --kind incident report.xml spaced.xml notes.txt
output_has "the IODEF IncidentID is the package's incident ID (trimmed, the same twice)" "^Incident: +IR-2026-044$" \
	accord list iid.asice
iodef other.xml '' '' '<IncidentID name="csirt.example.net">IR-2026-045</IncidentID>'
refuses "IODEF reports naming two incidents are refused without --incident-id" 3 \
	"more than one incident \('IR-2026-044' and 'IR-2026-045'\).*--incident-id" \
	accord pack -o bad.asice --kind incident report.xml other.xml
ok "... and packed with --incident-id" accord pack -o two.asice --kind incident --incident-id IR-2026-044+045 report.xml other.xml
output_has "... which is recorded" "^Incident: +IR-2026-044\+045$" accord list two.asice
ok "--no-validate reads no IncidentID" accord pack -o nvid.asice --kind incident --no-validate report.xml
expect "... so the package has none" sh -c '! "$ACCORD_BIN" list nvid.asice | grep -q "^Incident:"'
