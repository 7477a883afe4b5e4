#!/bin/sh
# tests/hostile/tolerance_review.sh — outside review of "tolerant reading, strict judging"
# (container layout and XAdES reference relaxations). Each HOLE check failed while the
# hole was open (closed in formats/zip_central.c: nothing but an entry's data descriptor
# may sit between entries); GUARD checks pin attacks that are correctly refused; controls
# show the constructions are otherwise valid.
. "$(dirname "$0")/../lib.sh"
pass() { echo "PASS: hostile tolerance review: $*"; }
fail() { echo "FAIL: hostile tolerance review: $*"; }
skip() { echo "SKIP: hostile tolerance review: $*"; }
command -v python3 >/dev/null || { skip "python3 is not installed"; exit 0; }
cd "$T" || exit 1
setup "CA" accord keys ca --name "Review CA" --out ca --passphrase-file pass
setup "alice" accord keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
	--name alice --out alice --passphrase-file pass
printf 'Draft agreement.\n' >draft.txt
setup "pack" accord pack -o p.asice --kind agreement --title "Review" --party alice.crt draft.txt
setup "sign" accord sign p.asice --key alice.key --cert alice.crt --passphrase-file pass

# A raw ZIP writer: every header field under control, entries may be left out of the
# central directory (a local entry only a streaming reader sees).
cat >zz.py <<'PY'
import struct, sys, zipfile, zlib
def entries_of(src):
    z = zipfile.ZipFile(src)
    return [(i.filename, z.read(i.filename)) for i in z.infolist()]
def deflate(d):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(d) + c.flush()
def local(name, data, method=0, flags=0, crc=None, cs=None, us=None):
    name = name.encode()
    comp = deflate(data) if method == 8 else data
    crc = zlib.crc32(data) if crc is None else crc
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, flags, method, 0, 0x21, crc,
                       len(comp) if cs is None else cs, len(data) if us is None else us,
                       len(name), 0) + name + comp
def build(ents, comment=b""):
    out = bytearray(); cd = bytearray(); n = 0
    for e in ents:
        name = e["name"].encode(); data = e["data"]; m = e.get("method", 8); fl = e.get("flags", 0)
        comp = e.get("raw", deflate(data) if m == 8 else data)
        crc = zlib.crc32(data) & 0xffffffff; csize = len(comp); usize = len(data)
        off = len(out)
        l = (0, 0, 0) if fl & 8 else (crc, csize, usize)
        out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, fl, m, 0, 0x21, l[0], l[1], l[2],
                           len(name), 0) + name + comp
        if fl & 8:
            out += struct.pack("<IIII", 0x08074b50, crc, csize, usize)
        out += e.get("after", b"")
        if e.get("in_cd", True):
            cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 0x031e, 20, fl, m, 0, 0x21, crc,
                              csize, usize, len(name), 0, 0, 0, 0, 0o100644 << 16, off) + name
            n += 1
    cdo = len(out); out += cd
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n, n, len(cd), cdo, len(comment)) + comment
    return bytes(out)
PY
cat >mk.py <<'PY'
import sys; sys.path.insert(0, ".")
from zz import *
E = entries_of("p.asice")
D = dict(E)
def std():
    return [dict(name=n, data=d, method=0 if n == "mimetype" else 8) for n, d in E]
def put(path, es, comment=b""):
    open(path, "wb").write(build(es, comment))
evil = b"Evil agreement.\n"
put("control.asice", std())
# HOLE-1: a local entry "draft.txt" with other content, in the gap between the mimetype
# and the real draft.txt, absent from the central directory. Streaming readers
# (java.util.zip.ZipInputStream, used by DSS) see it first.
es = std(); es[0]["after"] = local("draft.txt", evil, 8)
put("gap-middle.asice", es)
# HOLE-1b: the same hidden entry between the last entry and the central directory,
# with mimetype not first (a tolerated layout).
es = std(); es = es[1:] + es[:1]; es[-1]["after"] = local("evil.txt", evil, 8)
put("gap-end.asice", es)
# HOLE-1c: the hidden entry in the gap after a data descriptor (tolerated on mimetype).
es = std(); es[0].update(flags=8); es[0]["after"] = local("draft.txt", evil, 0)
put("gap-after-descriptor.asice", es)
# GUARD: the hidden entry inside the central csize of a data-descriptor entry, after the
# end of its deflate stream (streaming readers stop at the stream's end).
es = std(); d = D["draft.txt"]; c = deflate(d)
es[1] = dict(name="draft.txt", data=d, flags=8,
             raw=c + struct.pack("<IIII", 0x08074b50, zlib.crc32(d), len(c), len(d)) + local("draft.txt", evil, 0))
put("slack.asice", es)
# GUARD: a compressed mimetype that inflates to the ASiC-S type.
es = std(); es[0] = dict(name="mimetype", data=b"application/vnd.etsi.asic-s+zip", method=8)
put("mt-asics-deflated.asice", es)
# GUARD: a local header whose sizes disagree with the central directory (no descriptor).
es = std(); es[1]["raw"] = deflate(D["draft.txt"])
b = bytearray(build(es)); i = b.find(b"PK\x03\x04", 1)
struct.pack_into("<I", b, i + 22, len(D["draft.txt"]) + 1)
open("lh-size.asice", "wb").write(bytes(b))
PY
setup "make containers" python3 mk.py

verdict() { accord verify "$@" --trust ca.crt --no-trust-store >"$T/.out" 2>&1; echo $?; }
control() { # NAME FILE: exit 0, VALID and COMPLETE
	got=$(verdict "$2")
	if [ "$got" = 0 ] && grep -q "VALID and COMPLETE" "$T/.out"; then pass "control: $1"
	else fail "control: $1 (exit $got)"; sed 's/^/    /' "$T/.out" | tail -8; fi
}
never_valid() { # NAME FILE [ARGS]: exit non-zero, never VALID and COMPLETE
	n=$1; f=$2; shift 2
	got=$(verdict "$f" "$@")
	if [ "$got" != 0 ] && ! grep -q "VALID and COMPLETE" "$T/.out"; then pass "$n"
	else fail "$n (exit $got, VALID)"; sed 's/^/    /' "$T/.out" | tail -4; fi
}
control "the signed package rebuilt by the raw ZIP writer verifies" control.asice
never_valid "HOLE-1: a local entry 'draft.txt' (other content) hidden between entries, outside the central directory, is refused" gap-middle.asice
never_valid "HOLE-1: the same under --strict" gap-middle.asice --strict
never_valid "HOLE-1b: a local entry hidden between the last entry and the central directory is refused" gap-end.asice
never_valid "HOLE-1c: a local entry hidden after the mimetype's data descriptor is refused" gap-after-descriptor.asice
never_valid "GUARD: a local entry inside a descriptor entry's compressed size, after its deflate stream, is refused" slack.asice
never_valid "GUARD: a compressed mimetype inflating to the ASiC-S type is refused" mt-asics-deflated.asice
never_valid "GUARD: local and central headers disagreeing on size are refused" lh-size.asice

# (A) the implicit inclusive C14N 1.0 of a SignedProperties reference without Transforms:
# an independent signer (xmlsec1) signs that shape; the ancestors' xml:* attributes and
# in-scope namespaces are part of what it digested, so changing them must break it.
if ! command -v xmlsec1 >/dev/null || ! command -v openssl >/dev/null; then
	skip "xmlsec1 or openssl is not installed (implicit C14N checks)"
	exit 0
fi
setup "plain key" openssl pkey -in alice.key -passin file:pass -out alice.pem
cat >mkx.py <<'PY'
import os, re, subprocess, sys, zipfile
z = zipfile.ZipFile("p.asice"); ents = [(i.filename, z.read(i.filename)) for i in z.infolist()]
sig = dict(ents)["META-INF/signatures0.xml"].decode()
os.makedirs("rs", exist_ok=True)
def write(path, x):
    with zipfile.ZipFile(path, "w") as o:
        for n, d in ents:
            o.writestr(zipfile.ZipInfo(n), x.encode() if n == "META-INF/signatures0.xml" else d,
                       compress_type=zipfile.ZIP_STORED if n == "mimetype" else zipfile.ZIP_DEFLATED)
def resign(x):
    for n, d in ents:
        if not n.startswith("META-INF/") and n != "mimetype":
            open("rs/" + n, "wb").write(d)
    x = re.sub(r"(<ds:SignatureValue[^>]*>)[^<]*(</ds:SignatureValue>)", r"\1\2", x, count=1)
    open("rs/t.xml", "w").write(x)
    r = subprocess.run(["xmlsec1", "--sign", "--privkey-pem", "../alice.pem,../alice.crt",
                        "--enabled-reference-uris", "empty,same-doc,local,remote", "--id-attr:Id",
                        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "--output", "o.xml",
                        "t.xml"], capture_output=True, text=True, cwd="rs")
    if r.returncode:
        sys.exit(r.stderr)
    return open("rs/o.xml").read()
nt = re.sub(r'(URI="#[^"]*-SignedProperties">)<ds:Transforms>.*?</ds:Transforms>', r"\1", sig, count=1)
assert nt != sig and "<ds:Object>" in nt
x = resign(nt); write("nt.asice", x)
write("nt-ns.asice", x.replace("<asic:XAdESSignatures ", '<asic:XAdESSignatures xmlns:foo="urn:x" ', 1))
write("nt-defns.asice", x.replace("<ds:Object", '<ds:Object xmlns="urn:evil"', 1))
write("nt-base.asice", x.replace("<xades:QualifyingProperties ", '<xades:QualifyingProperties xml:base="http://evil/" ', 1))
x2 = resign(nt.replace("<ds:Object>", '<ds:Object xml:lang="en">', 1))
write("nt-lang.asice", x2)
write("nt-lang-chg.asice", x2.replace('<ds:Object xml:lang="en">', '<ds:Object xml:lang="fr">', 1))
write("nt-lang-drop.asice", x2.replace('<ds:Object xml:lang="en">', "<ds:Object>", 1))
PY
setup "xmlsec1 signatures" python3 mkx.py
control "xmlsec1's SignedProperties reference without Transforms verifies" nt.asice
control "the same with xml:lang on the ancestor ds:Object verifies" nt-lang.asice
never_valid "GUARD: the ancestor's xml:lang changed after signing breaks the implicit C14N digest" nt-lang-chg.asice
never_valid "GUARD: the ancestor's xml:lang removed after signing breaks the implicit C14N digest" nt-lang-drop.asice
never_valid "GUARD: xml:base added on QualifyingProperties breaks the implicit C14N digest" nt-base.asice
never_valid "GUARD: a namespace declaration added on the root breaks the implicit C14N digest" nt-ns.asice
never_valid "GUARD: a default namespace added on ds:Object breaks the implicit C14N digest" nt-defns.asice
