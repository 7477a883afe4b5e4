#!/usr/bin/env python3
"""tests/tools/check_json.py — is FILE a document accord may print for `accord KIND --json`?

    check_json.py verify|list FILE...

Each FILE must hold exactly one JSON object (no duplicate keys) that validates against
docs/accord-KIND-1.schema.json (JSON Schema draft 2020-12), and whose cross-references
hold, which a schema cannot say: a signature's "party" names an entry of "parties", a
party's "signature" and "unconfirmed_signature" and a "countersigns" name a signature
Id, the counts agree with their lists, exit_code with status.
Prints each problem as "FILE: where: what" and exits 1 when there is one, else 0.
"""
import json
import os
import sys

import jsonschema

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs")


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError("duplicate key(s) %s" % ", ".join(dup))
    return dict(pairs)


def cross_references(kind, d):
    """The problems a schema cannot see, as (where, what) pairs."""
    if d.get("status") == "error":
        return []
    out = []
    sigs = d["signatures"]
    # Ids need not be unique (a hostile or faulty package may repeat one): the report says
    # what the package holds.
    ids = {s["id"] for s in sigs if s["id"] is not None}
    for i, s in enumerate(sigs):
        if s["countersigns"] is not None and s["countersigns"] not in ids:
            out.append(("signatures/%d/countersigns" % i, "%r is no signature's Id" % s["countersigns"]))
    if len(d["findings"]) != d["warnings"]:
        out.append(("warnings", "%d, but %d findings" % (d["warnings"], len(d["findings"]))))
    if kind == "list":
        return out
    names = [p["name"] for p in d["parties"]]
    for i, s in enumerate(sigs):
        if s["party"] is not None and s["party"] not in names:
            out.append(("signatures/%d/party" % i, "%r is no declared party's name" % s["party"]))
    for i, p in enumerate(d["parties"]):
        for k in ("signature", "unconfirmed_signature"):
            if p[k] is not None and p[k] not in ids:
                out.append(("parties/%d/%s" % (i, k), "%r is no signature's Id" % p[k]))
        if p["signed"] != (p["status"] == "signed") or p["signed"] != (p["signature"] is not None):
            out.append(("parties/%d" % i, "signed, status and signature disagree"))
    if d["parties_signed"] != sum(1 for p in d["parties"] if p["signed"]):
        out.append(("parties_signed", "%d, but the parties say otherwise" % d["parties_signed"]))
    if d["quorum_met"] != (d["parties_signed"] >= d["quorum"]):
        out.append(("quorum_met", "disagrees with parties_signed and quorum"))
    if d["exit_code"] != {"valid": 0, "invalid": 1, "incomplete": 2}[d["status"]]:
        out.append(("exit_code", "%d for status %s" % (d["exit_code"], d["status"])))
    return out


def check(kind, path, validator):
    try:
        with open(path, encoding="utf-8") as f:
            d = json.loads(f.read(), object_pairs_hook=no_duplicates,
                           parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (OSError, ValueError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return ["not JSON: %s" % e]
    problems = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
                for e in sorted(validator.iter_errors(d), key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:
        problems = ["%s: %s" % w for w in cross_references(kind, d)]
    return problems


def validator(kind):
    """A validator for docs/accord-KIND-1.schema.json (the schema itself checked first)."""
    with open(os.path.join(DOCS, "accord-%s-1.schema.json" % kind), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("verify", "list"):
        sys.stderr.write("usage: check_json.py verify|list FILE...\n")
        return 2
    kind = argv[1]
    v = validator(kind)
    bad = 0
    for path in argv[2:]:
        for p in check(kind, path, v):
            print("%s: %s" % (path, p))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
