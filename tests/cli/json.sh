#!/bin/sh
# tests/cli/json.sh — machine output that can be relied on (issue #11): alice signs, the
# notary countersigns, and `verify --json` and `list --json` print documents that validate
# against the schemas in docs/, with "format", null (never "") for what is absent, one
# fingerprint form, parties and signatures referring to each other by name and Id; a
# package that cannot be read still gives a JSON object with the error; and the schema is
# strict enough to catch a missing, mistyped, empty or unknown field.
. "$(dirname "$0")/../lib.sh"
cd "$T"
CHECK="python3 $TESTS/tools/check_json.py"
# der_sha256 CERT: the fingerprint form every JSON field uses (lower-case hex, no colons).
der_sha256() { openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }
# json_out NAME FILE verify|list EXITS CMD...: CMD's output in FILE, its exit one of EXITS
# (e.g. "1 3"), and FILE validates against the schema of verify or list.
json_out() {
	n=$1 file=$2 kind=$3 exits=$4; shift 4
	"$@" >"$file" 2>"$file.err"
	rc=$?
	case " $exits " in *" $rc "*) pass "$n: exit $rc" ;; *) fail "$n: exit $rc, wanted $exits" ;; esac
	json_valid "$n: the output validates against docs/accord-$kind-1.schema.json" "$kind" "$file"
}

setup "the CA" accord keys ca --name "JSON CA" --org "JSON Org" --country EU --out ca --passphrase-file pass
for who in alice bob notary; do
	setup "$who's certificate" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
		--name "$who" --org "Ministry of $who" --country FR --out "$who" --passphrase-file pass
done
printf 'Draft.\n' >draft.txt
setup "a package for alice and bob" accord pack -o p.asice --kind agreement --title "JSON test" \
	--party alice.crt --party bob.crt draft.txt
accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass --role "Head of CSIRT" \
	--place "Paris,FR" --commitment approval >sa.out 2>&1
A=$(sed -n 's/.*signature \([A-Za-z0-9-]*\)$/\1/p' sa.out)
setup "the notary countersigns alice's signature" accord countersign p.asice --signature "$A" \
	--key notary.key --cert notary.crt --passphrase-file pass

# verify --json: bob has not signed (exit 2), and everything in the report validates.
json_out "verify --json (bob is missing)" v.json verify 2 accord verify p.asice --trust ca.crt --no-trust-store --json
expect "the report says its format, names parties and signatures by name and Id, uses null for absent values" \
	python3 - "$A" "$(der_sha256 alice.crt)" "$(der_sha256 bob.crt)" <<'PY'
import json, sys
a, fa, fb = sys.argv[1:]
r = json.load(open("v.json"))
assert r["format"] == "accord-verify/1" and r["status"] == "incomplete" and r["exit_code"] == 2, r["status"]
sig = {s["id"]: s for s in r["signatures"]}
cs = [s for s in r["signatures"] if s["countersigns"]]
assert sig[a]["party"] == "alice" and sig[a]["countersigns"] is None, sig[a]
assert len(cs) == 1 and cs[0]["countersigns"] == a and cs[0]["party"] is None, cs
assert sig[a]["role"] == "Head of CSIRT" and sig[a]["commitment"] == "approval"
assert sig[a]["subindication"] is None and sig[a]["message"] is None, sig[a]
assert sig[a]["timestamp_time"] is None and sig[a]["timestamp_authority"] is None
assert r["trust_anchors"]["store_folder"] is None, r["trust_anchors"]
parties = {p["name"]: p for p in r["parties"]}
assert parties["alice"]["signature"] == a and parties["alice"]["status"] == "signed"
assert parties["bob"]["signature"] is None and parties["bob"]["status"] == "missing"
assert parties["bob"]["unconfirmed_signature"] is None and parties["bob"]["ca_fingerprint"] is None
# one fingerprint form: the signer's and the declared party's are the same string
assert sig[a]["signer_fingerprint"] == parties["alice"]["fingerprint"] == fa, (sig[a]["signer_fingerprint"], fa)
assert parties["bob"]["fingerprint"] == fb
def walk(v, at):
    if v == "":
        raise AssertionError("empty string at " + at)
    for k, x in (v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()):
        walk(x, "%s/%s" % (at, k))
walk(r, "")
PY

# Without the CA alice's signature cannot be confirmed: the party says so, by the Id.
json_out "verify --json with an unconfirmed signature" u.json verify 2 accord verify p.asice --no-trust-store --json
expect "alice is unconfirmed, naming her signature's Id and the reason" python3 -c "
import json
r = json.load(open('u.json'))
p = [p for p in r['parties'] if p['name'] == 'alice'][0]
assert p['status'] == 'unconfirmed' and p['unconfirmed_signature'] == '$A' and p['signature'] is None, p
assert 'NO_CERTIFICATE_CHAIN_FOUND' in p['unconfirmed_reason'], p
s = [s for s in r['signatures'] if s['id'] == '$A'][0]
assert s['indication'] == 'INDETERMINATE' and s['trust_anchor'] is None and s['party'] is None, s
"

# list --json: the same package as accord list shows it.
json_out "list --json" l.json list 0 accord list --json p.asice
expect "list --json gives the parties, documents with SHA-256 and signatures in the same forms" \
	python3 - "$A" "$(der_sha256 alice.crt)" "$(sha256sum draft.txt | cut -d' ' -f1)" <<'PY'
import json, sys
a, fa, fd = sys.argv[1:]
r = json.load(open("l.json"))
assert r["format"] == "accord-list/1" and r["status"] == "ok" and r["quorum"] == 2, r
assert [p["name"] for p in r["parties"]] == ["alice", "bob"] and r["parties"][0]["fingerprint"] == fa
d = {x["name"]: x for x in r["documents"]}
assert d["draft.txt"]["sha256"] == fd and d["draft.txt"]["size"] == 7 and d["accord-package.xml"]["descriptor"]
assert r["descriptor"]["title"] == "JSON test" and r["descriptor"]["reference"] is None, r["descriptor"]
s = {x["id"]: x for x in r["signatures"]}
assert s[a]["signer"] == "alice" and s[a]["countersigns"] is None and s[a]["error"] is None, s[a]
assert [x["countersigns"] for x in r["signatures"] if x["signer"] == "notary"] == [a]
PY
expect "list --json and the text agree on the signature Ids" sh -c \
	"\"$ACCORD_BIN\" list p.asice | grep -q ' $A ' && grep -q '\"id\":\"$A\"' l.json"
refuses "list --json with a bad option is a usage error" 3 "unknown option" accord list --json --bogus p.asice

# Bytes that are not UTF-8 (here in the package's path) cannot break the JSON: U+FFFD.
cp p.asice "$(printf 'x\377\303y.asice')"
json_out "verify --json of a package whose path is not UTF-8" nu.json verify 2 \
	accord verify "$(printf 'x\377\303y.asice')" --trust ca.crt --json
expect "the bytes that are not UTF-8 are written as U+FFFD" grep -q '"package":"x\\ufffd\\ufffdy.asice"' nu.json

# A package that cannot be read at all: still one JSON object, with the error.
json_out "verify --json of a missing file" e1.json verify 3 accord verify missing.asice --json
head -c 300 /dev/urandom >garbage.asice
json_out "verify --json of a file that is no zip" e2.json verify "1 3" accord verify garbage.asice --json --trust ca.crt
expect "the error JSON carries format, status, exit code, where and the message stderr gives" \
	python3 - "$rc" <<'PY'
import json, sys
for name, rc in (("e1", 3), ("e2", int(sys.argv[1]))):
    r = json.load(open(name + ".json"))
    err = open(name + ".json.err").read()
    assert r["format"] == "accord-verify/1" and r["status"] == "error" and r["exit_code"] == rc, r
    assert r["error"]["where"] and r["error"]["where"] in err and r["error"]["message"] in err, (r, err)
PY
json_out "list --json of a file that is no zip" e3.json list "1 3" accord list --json garbage.asice
expect "list's error JSON names the format and the message" python3 -c "
import json
r = json.load(open('e3.json'))
assert r['format'] == 'accord-list/1' and r['status'] == 'error' and r['error']['message'], r
"

# The schema catches what a consumer would trip over.
mutant() { # NAME PYTHON-STATEMENT-ON-r: the mutated report must be rejected
	python3 -c "
import json
r = json.load(open('v.json'))
s = r['signatures'][0]
$2
json.dump(r, open('mut.json', 'w'))
"
	if $CHECK verify mut.json >mut.out 2>&1; then fail "the schema rejects $1"
	else pass "the schema rejects $1"; fi
}
mutant "a missing format" "del r['format']"
mutant "another format" "r['format'] = 'accord-verify/2'"
mutant "a missing field" "del s['revocation']"
mutant "an empty string for an absent value" "s['role'] = ''"
mutant "a mistyped field (party as an index)" "s['party'] = 0"
mutant "a party name no party has" "s['party'] = 'mallory'"
mutant "a fingerprint with colons" "s['signer_fingerprint'] = ':'.join(s['signer_fingerprint'][i:i+2] for i in range(0, 64, 2))"
mutant "an upper-case fingerprint" "s['signer_fingerprint'] = s['signer_fingerprint'].upper()"
mutant "an unknown field" "s['extra'] = 1"
mutant "a time in another form" "s['claimed_time'] = '2026-01-01 10:00:00'"
mutant "an error without its message" "r.clear(); r.update(format='accord-verify/1', package='p', status='error', exit_code=3, error={'kind': 'not found', 'where': 'p'})"
mutant "a countersignature of an unknown Id" "r['signatures'][-1]['countersigns'] = 'S-nothere'"
