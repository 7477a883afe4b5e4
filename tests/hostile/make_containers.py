#!/usr/bin/env python3
"""tests/hostile/make_containers.py — writes the hostile-container corpus.

Usage: make_containers.py OUTDIR
Writes OUTDIR/<case>.asice for every case and OUTDIR/cases.tsv, one line per case:

    name<TAB>exit<TAB>words<TAB>kind<TAB>flags

  name   the case (and file OUTDIR/<name>.asice), named for the attack it replays
  exit   the exit code accord must give (0 valid, 1 refused, 2 incomplete, 3 trouble)
  words  an extended regular expression (grep -Ei) that stdout+stderr must match
  kind   list      run `accord list FLAGS FILE`
         extract   run `accord extract -o DEST FLAGS FILE`; nothing may appear outside DEST
         norecurse as extract, expected to succeed; a nested archive stays one file
                   (run.sh checks that the inner archive's member was not extracted)
         fifo-package  the file is replaced by a FIFO (no writer): `accord verify FIFO`
         fifo-trust    `accord verify --trust DIR FILE`, DIR holding a FIFO named evil.pem
         fifo-store    `accord verify FILE` with $ACCORD_TRUST_DIR holding a FIFO evil.pem
                       (each must end, non-zero, naming the FIFO: never block on it)
         (other engineers add kinds such as `verify` for signature cases; run.sh
         runs `accord KIND FLAGS FILE` for any kind it does not know)
  flags  extra options, space-separated ("-" for none), e.g. "--max-ratio 100"

To add a case: write a function returning the container bytes and decorate it with
@case(exit, words, kind="list", flags="-"). The function's name is the case name.
Helpers: zip_bytes(entries) is a small ZIP writer where every header field can be
forced (so the byte surgery stays readable), container(docs, ...) builds a valid
ASiC-E container around documents, manifest(paths) an OpenDocument manifest.
Everything is deterministic: no randomness, no timestamps.
"""
import os
import struct
import sys
import zlib

MIMETYPE = b"application/vnd.etsi.asic-e+zip"
CASES = []


def case(exit, words, kind="list", flags="-"):
    def register(fn):
        CASES.append((fn.__name__, exit, words, kind, flags, fn))
        return fn
    return register


# ---------------------------------------------------------------- a ZIP writer

class E:
    """One entry. Any field may be overridden to break the archive on purpose."""

    def __init__(self, name, data=b"", method=8, **kw):
        self.name = name.encode() if isinstance(name, str) else name
        self.data = data
        self.method = method
        self.flags = kw.get("flags", 0x800 if any(b > 0x7F for b in self.name) else 0)
        self.extra = kw.get("extra", b"")            # local extra field
        self.cextra = kw.get("cextra", b"")          # central extra field
        self.external = kw.get("external", 0o100644 << 16)
        self.made_by = kw.get("made_by", (3 << 8) | 20)  # Unix
        self.local_name = kw.get("local_name", None)  # a different name in the local header
        self.raw = kw.get("raw", None)               # compressed bytes given directly
        self.crc = kw.get("crc", None)
        self.usize = kw.get("usize", None)           # declared uncompressed size (both headers)
        self.local_usize = kw.get("local_usize", None)
        self.descriptor = kw.get("descriptor", False)  # flag bit 3 + data descriptor
        self.lho = kw.get("lho", None)               # force the central offset
        self.csize = kw.get("csize", None)           # declared compressed size (both headers)


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_bytes(entries, eocd_count=None, comment=b"", cd_mutate=None, disk=0,
              cd_reverse=False):
    out = bytearray()
    records = []
    for e in entries:
        comp = e.raw if e.raw is not None else (deflate(e.data) if e.method == 8 else e.data)
        crc = e.crc if e.crc is not None else zlib.crc32(e.data) & 0xFFFFFFFF
        usize = e.usize if e.usize is not None else len(e.data)
        flags = e.flags | (0x08 if e.descriptor else 0)
        lname = e.local_name if e.local_name is not None else e.name
        lusize = e.local_usize if e.local_usize is not None else usize
        offset = len(out)
        csize = e.csize if e.csize is not None else len(comp)
        lcrc, lcs, lus = (0, 0, 0) if e.descriptor else (crc, csize, lusize)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, e.method, 0, 0x21,
                           lcrc, lcs, lus, len(lname), len(e.extra))
        out += lname + e.extra + comp
        if e.descriptor:
            out += struct.pack("<IIII", 0x08074B50, crc, len(comp), usize)
        records.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, e.made_by, 20, flags,
                                   e.method, 0, 0x21, crc, csize, usize, len(e.name),
                                   len(e.cextra), 0, 0, 0, e.external,
                                   e.lho if e.lho is not None else offset)
                       + e.name + e.cextra)
    central = b"".join(reversed(records) if cd_reverse else records)
    if cd_mutate:
        central = cd_mutate(central)
    n = len(entries) if eocd_count is None else eocd_count
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, disk, disk, n, n, len(central), cd_offset,
                       len(comment)) + comment
    return bytes(out)


def manifest(paths, root=True, ns="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
             prolog=""):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', prolog,
             '<manifest:manifest xmlns:manifest="%s" manifest:version="1.2">' % ns]
    if root:
        lines.append('<manifest:file-entry manifest:full-path="/" '
                     'manifest:media-type="application/vnd.etsi.asic-e+zip"/>')
    for p in paths:
        lines.append('<manifest:file-entry manifest:full-path="%s" '
                     'manifest:media-type="text/plain"/>' % p)
    lines.append("</manifest:manifest>")
    return "\n".join(lines).encode()


def mimetype_entry(**kw):
    return E("mimetype", MIMETYPE, method=0, **kw)


def container(docs, listed=None, manifest_bytes=None, first=None, extra=()):
    """A container: mimetype, docs (E objects or (name, data)), the manifest."""
    docs = [d if isinstance(d, E) else E(d[0], d[1]) for d in docs]
    if listed is None:
        listed = [d.name.decode("utf-8", "replace") for d in docs if not d.name.endswith(b"/")]
    m = manifest_bytes if manifest_bytes is not None else manifest(listed)
    entries = [first if first is not None else mimetype_entry()] + docs + list(extra)
    entries.append(E("META-INF/manifest.xml", m))
    return zip_bytes(entries)


TEXT = b"We agree to share indicators of compromise within 24 hours.\n"


# ---------------------------------------------------------------- the cases

@case(0, "a\\.txt", "list")
def valid_baseline():
    return container([("a.txt", TEXT)])


@case(0, "folder/b\\.txt", "list")
def valid_subfolder():
    return container([("a.txt", TEXT), E("folder/", b""), ("folder/b.txt", TEXT)])


@case(1, "'\\.\\.'", "extract")
def traversal_dotdot():
    return container([("../evil.txt", TEXT)])


@case(1, "'\\.\\.'", "extract")
def traversal_dotdot_nested():
    return container([("docs/../../evil.txt", TEXT)])


@case(1, "absolute", "extract")
def traversal_absolute_slash():
    return container([("/tmp/evil.txt", TEXT)])


@case(1, "backslash", "extract")
def traversal_absolute_backslash():
    return container([("\\evil.txt", TEXT)])


@case(1, "backslash", "extract")
def traversal_backslash_dotdot():
    return container([("..\\..\\evil.txt", TEXT)])


@case(1, "drive letter", "extract")
def traversal_drive_letter():
    return container([("C:/evil.txt", TEXT)])


@case(1, "backslash|drive", "extract")
def traversal_drive_letter_backslash():
    return container([("C:\\evil.txt", TEXT)])


@case(1, "':'", "list")
def name_with_colon_stream():
    return container([("a.txt:hidden", TEXT)])


@case(1, "'\\.' component", "extract")
def name_dot_component():
    return container([("./a.txt", TEXT)])


@case(1, "empty component", "extract")
def name_double_slash():
    return container([("a//b.txt", TEXT)])


@case(1, "symbolic link", "extract")
def symlink_entry():
    return container([E("link.txt", b"/etc/passwd", method=0, external=0o120777 << 16)])


@case(1, "symbolic link", "extract")
def symlink_then_write_through():
    # The classic: a symlink "d" to /tmp, then "d/evil.txt" written through it.
    return container([E("d", b"/tmp", method=0, external=0o120777 << 16),
                      ("d/evil.txt", TEXT)])


@case(1, "device", "list")
def device_entry():
    return container([E("dev.txt", b"", method=0, external=0o020644 << 16)])


@case(1, "fifo", "list")
def fifo_entry():
    return container([E("fifo.txt", b"", method=0, external=0o010644 << 16)])


@case(1, "directory entry with content", "list")
def directory_with_content():
    return container([("a.txt", TEXT), E("dir/", b"surprise", method=0,
                                          external=0o040755 << 16)])


@case(1, "duplicate entry name", "extract")
def duplicate_name():
    return container([("a.txt", TEXT), ("a.txt", b"the other text\n")], listed=["a.txt"])


@case(1, "case-insensitive", "extract")
def duplicate_case_collision():
    return container([("A.txt", TEXT), ("a.txt", b"the other text\n")])


@case(1, "Unicode", "extract")
def duplicate_unicode_nfc_nfd():
    return container([("caf\u00e9.txt", TEXT), ("cafe\u0301.txt", b"other\n")])


@case(1, "which is a file", "extract")
def file_used_as_folder():
    return container([("a", TEXT), ("a/b.txt", TEXT)])


@case(1, "only by case", "list")
def meta_inf_case_variant():
    return container([("a.txt", TEXT), ("meta-inf/manifest.xml", manifest(["a.txt"]))],
                     listed=["a.txt", "meta-inf/manifest.xml"])


@case(1, "compression ratio", "list", "--max-ratio 100")
def zip_bomb_ratio():
    return container([("zeros.txt", bytes(2 << 20))])


@case(1, "compression ratio .* 1000:1", "list")
def zip_bomb_ratio_default_limit():
    return container([("zeros.txt", bytes(16 << 20))])


@case(1, "entry count", "list", "--max-entries 50")
def zip_bomb_entry_count():
    return container([("f%03d.txt" % i, b"x") for i in range(200)])


@case(1, "total size", "list", "--max-total 200K")
def zip_bomb_total_size():
    return container([("f%d.bin" % i, bytes([i]) * 100000) for i in range(3)])


@case(1, "size .*--max-size", "list", "--max-size 100K")
def zip_bomb_entry_size():
    return container([("big.bin", b"y" * 300000)])


@case(1, "more data than its header declares|corrupt|disagree", "list")
def zip_bomb_lying_sizes():
    # Both headers claim 1000 bytes; the data inflates to 4 MiB.
    data = bytes(4 << 20)
    return container([E("liar.txt", data, usize=1000)])


@case(1, "overlap|disagree|local header", "list")
def zip_bomb_overlapping_entries():
    # Two central entries share one local header (the "overlapping files" bomb).
    m = manifest(["a.txt", "b.txt"])
    # mimetype's local header is 30 + 8 + 31 = 69 bytes: a.txt's header starts there.
    entries = [mimetype_entry(), E("a.txt", TEXT), E("b.txt", TEXT, lho=69),
               E("META-INF/manifest.xml", m)]
    return zip_bytes(entries)


@case(0, "extracted", "norecurse")
def nested_archive_is_a_document():
    # A zip inside is just a document: listed, hashed, extracted as one file, never opened.
    inner = zip_bytes([E("inner-secret.txt", b"must not be unpacked\n")])
    return container([E("inner.zip", inner, method=0)])


def _valid():
    return container([("a.txt", TEXT), ("b.txt", TEXT * 50)])


@case(1, "truncated|central directory|mimetype", "list")
def truncated_at_20_bytes():
    return _valid()[:20]


@case(1, "truncated|central directory|mimetype", "list")
def truncated_in_mimetype():
    return _valid()[:50]


@case(1, "truncated|central directory", "list")
def truncated_at_half():
    v = _valid()
    return v[:len(v) // 2]


@case(1, "truncated|central directory", "list")
def truncated_before_central_directory():
    v = _valid()
    cd = v.rfind(b"PK\x01\x02")
    return v[:v.find(b"PK\x01\x02")] if cd > 0 else v


@case(1, "truncated|central directory", "list")
def truncated_in_end_record():
    return _valid()[:-5]


@case(1, "end of central directory", "list")
def trailing_junk_after_end_record():
    return _valid() + b"JUNK" * 10


@case(1, "central directory", "list")
def corrupt_central_directory_signature():
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))],
                     cd_mutate=lambda cd: cd[:46 + 8] + b"XXXX" + cd[46 + 8 + 4:])


@case(1, "central directory", "list")
def corrupt_end_record_count():
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))], eocd_count=5)


@case(1, "multi-volume", "list")
def multi_volume_end_record():
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))], disk=1)


@case(1, "disagree on the name", "extract")
def local_central_name_mismatch():
    return container([E("good.txt", TEXT, local_name=b"evil.txt")], listed=["good.txt"])


@case(1, "disagree on size", "list")
def local_central_size_mismatch():
    return container([E("a.txt", TEXT, local_usize=len(TEXT) + 100)])


@case(1, "corrupt|crc", "list")
def crc_mismatch():
    return container([E("a.txt", TEXT, crc=0x12345678)])


# Tolerated layouts (accord_container_open_tolerant): list and verify read them and name
# the rule broken as a warning; writers (sign, countersign, extend, timestamp attach)
# refuse them (tests/cli/layout.sh). Each still refuses what cannot be read safely.
@case(0, "the container has no mimetype entry", "list")
def mimetype_missing():
    return zip_bytes([E("a.txt", TEXT), E("META-INF/manifest.xml", manifest(["a.txt"]))])


@case(1, "mimetype content", "list")
def mimetype_wrong_content():
    return container([("a.txt", TEXT)], first=E("mimetype", b"application/zip", method=0))


@case(0, "followed by 1 whitespace byte", "list")
def mimetype_trailing_newline():
    return container([("a.txt", TEXT)], first=E("mimetype", MIMETYPE + b"\n", method=0))


@case(0, "mimetype is compressed", "list")
def mimetype_compressed():
    return container([("a.txt", TEXT)], first=E("mimetype", MIMETYPE, method=8))


@case(0, "not the first entry", "list")
def mimetype_not_first():
    return zip_bytes([E("a.txt", TEXT), mimetype_entry(),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))])


@case(0, "mimetype has an extra field", "list")
def mimetype_with_extra_field():
    return container([("a.txt", TEXT)],
                     first=mimetype_entry(extra=struct.pack("<HHB", 0x5455, 1, 0)))


@case(0, "mimetype uses a data descriptor", "list")
def mimetype_with_data_descriptor():
    return container([("a.txt", TEXT)], first=mimetype_entry(descriptor=True))


@case(1, "offset 0", "list")
def junk_before_first_entry():
    return b"MZ" + b"\x90" * 98 + _valid()


@case(1, "encrypted", "list")
def encrypted_entry_flag():
    return container([E("a.txt", TEXT, flags=0x01)])


@case(1, "encrypted", "list")
def strong_encryption_flag():
    return container([E("a.txt", TEXT, flags=0x41)])


@case(1, "compression method", "list")
def compression_method_bzip2():
    return container([E("a.txt", TEXT, method=12, raw=b"BZh91AY&SY")])


@case(1, "manifest\\.xml is missing", "list")
def manifest_missing():
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT)])


@case(0, "'hidden\\.txt' is not listed", "list")
def manifest_not_listing_a_file():
    return container([("a.txt", TEXT), ("hidden.txt", TEXT)], listed=["a.txt"])


@case(0, "lists 'ghost\\.txt', which is not a data file", "list")
def manifest_lists_absent_file():
    return container([("a.txt", TEXT)], listed=["a.txt", "ghost.txt"])


@case(0, "not a data file in the container", "list")
def manifest_lists_traversal():
    return container([("a.txt", TEXT)], listed=["a.txt", "../../etc/passwd"])


# What the tolerant reading still refuses, beside the relaxations above.
@case(1, "duplicate entry name", "list")
def mimetype_twice():
    # A second mimetype entry (a reader taking the last one would see another type).
    return container([("a.txt", TEXT)],
                     extra=[E("mimetype", b"application/vnd.etsi.asic-s+zip", method=0)])


@case(1, "another container type.*asic-s", "list")
def mimetype_names_asic_s():
    # ASiC-S is a different container type (one data object, its own rules): refused.
    return container([("a.txt", TEXT)],
                     first=E("mimetype", b"application/vnd.etsi.asic-s+zip", method=0))


@case(1, "another container type.*asic-s", "list")
def mimetype_names_asic_s_compressed_not_first():
    # The same, hidden in a compressed mimetype that is not first.
    return zip_bytes([E("a.txt", TEXT), E("mimetype", b"application/vnd.etsi.asic-s+zip"),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))])


@case(1, "another container type", "list")
def mimetype_asic_e_then_junk():
    # The media type followed by more than whitespace is another type, not a typo.
    return container([("a.txt", TEXT)], first=E("mimetype", MIMETYPE + b"\nx", method=0))


@case(1, "mimetype.*(ratio|too large)", "list")
def mimetype_compressed_bomb():
    # A compressed mimetype with a zip-bomb ratio (16 MiB of zeros).
    return container([("a.txt", TEXT)], first=E("mimetype", bytes(16 << 20)))


@case(1, "mimetype.*too large", "list")
def mimetype_compressed_too_large():
    # Below the ratio limit but far more than a media type: never read.
    return container([("a.txt", TEXT)], first=E("mimetype", b"x" * 4096))


@case(1, "mimetype.*(more data than its header declares|corrupt|disagree)", "list")
def mimetype_compressed_lying_size():
    # Declares the 31 bytes of the media type and inflates to 64 KiB (about 80 bytes
    # compressed: below the size bound, so the bytes actually inflated must stop it).
    return container([("a.txt", TEXT)],
                     first=E("mimetype", bytes(1 << 16), usize=len(MIMETYPE)))


@case(0, "zip comment: the archive has a 12-byte zip comment", "list")
def zip_comment_text():
    # A zip comment that is not "mimetype=...": read, and noted.
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))], comment=b"LIB DigiDoc4")


@case(1, "zip comment holds ZIP record", "list")
def zip_comment_holds_central_directory():
    # A comment holding a whole central directory record (for a.txt at another offset).
    z = zip_bytes([mimetype_entry(), E("a.txt", TEXT),
                   E("META-INF/manifest.xml", manifest(["a.txt"]))])
    cd = z[z.index(b"PK\x01\x02"):z.index(b"PK\x05\x06")]
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT),
                      E("META-INF/manifest.xml", manifest(["a.txt"]))], comment=cd)


@case(1, "end of central directory records|zip comment holds ZIP record", "list")
def zip_comment_forged_end_record():
    # The comment ends with a forged end record whose own (empty) comment reaches the end
    # of the file: a reader scanning backwards takes it, and its central directory (also
    # in the comment) names an evil file.
    good = [mimetype_entry(), E("a.txt", TEXT), E("META-INF/manifest.xml", manifest(["a.txt"]))]
    body = zip_bytes(good)
    real_cd_at = body.index(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", body[real_cd_at + 16:real_cd_at + 20])[0]
    fake_cd = body[cd_offset:real_cd_at].replace(b"a.txt", b"e.vil")
    comment_start = real_cd_at + 22
    fake_eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 3, 3, len(fake_cd),
                            comment_start, 0)
    return zip_bytes(good, comment=fake_cd + fake_eocd)


@case(1, "twice", "list")
def manifest_lists_file_twice():
    return container([("a.txt", TEXT)], listed=["a.txt", "a.txt"])


@case(1, "DOCTYPE", "list")
def manifest_xxe():
    return container([("a.txt", TEXT)], manifest_bytes=manifest(
        ["a.txt", "&xxe;"], prolog='<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))


@case(1, "DOCTYPE", "list")
def manifest_billion_laughs():
    ents = '<!ENTITY l0 "lol">' + "".join(
        '<!ENTITY l%d "%s">' % (i, "&l%d;" % (i - 1) * 10) for i in range(1, 10))
    return container([("a.txt", TEXT)], manifest_bytes=manifest(
        ["a.txt", "&l9;"], prolog="<!DOCTYPE m [%s]>" % ents))


@case(1, "DOCTYPE", "list")
def manifest_doctype():
    return container([("a.txt", TEXT)], manifest_bytes=manifest(
        ["a.txt"], prolog='<!DOCTYPE manifest:manifest PUBLIC "-//OpenOffice.org//DTD Manifest 1.0//EN" "Manifest.dtd">'))


@case(1, "namespace", "list")
def manifest_wrong_namespace():
    return container([("a.txt", TEXT)], manifest_bytes=manifest(
        ["a.txt"], ns="urn:example:not-the-manifest"))


@case(1, "full-path", "list")
def manifest_without_root_entry():
    return container([("a.txt", TEXT)], manifest_bytes=manifest(["a.txt"], root=False))


@case(1, "well-formed", "list")
def manifest_not_xml():
    return container([("a.txt", TEXT)], manifest_bytes=b"<manifest:manifest")


@case(1, "empty entry name", "list")
def name_empty():
    return container([E("", TEXT)], listed=["x"])


@case(1, "NUL", "extract")
def name_with_nul():
    return container([E(b"a.txt\x00.exe", TEXT)], listed=["a.txt"])


@case(1, "control character", "list")
def name_with_newline():
    return container([E(b"a\nb.txt", TEXT)], listed=["a b.txt"])


@case(1, "longer than 1024", "list")
def name_very_long():
    return container([("/".join(["d" * 200] * 6) + ".txt", TEXT)])


@case(1, "component longer than 255", "list")
def name_component_too_long():
    return container([("x" * 300 + ".txt", TEXT)])


@case(1, "not valid UTF-8", "list")
def name_invalid_utf8():
    return container([E(b"\xff\xfe.txt", TEXT)], listed=["x.txt"])


@case(1, "bidirectional", "list")
def name_bidi_override():
    return container([("invoice\u202Efdp.exe", TEXT)])


@case(1, "no documents", "list")
def no_documents():
    return container([], listed=[])


@case(1, "unexpected element", "list")
def descriptor_unknown_element():
    desc = (b'<?xml version="1.0"?>\n<package xmlns="urn:accord:package:1">'
            b"<kind>agreement</kind><title>T</title><created>2026-01-01T00:00:00Z</created>"
            b"<payload>run me</payload></package>")
    m = manifest(["a.txt"]).replace(b"</manifest:manifest>",
                                    b'<manifest:file-entry manifest:full-path="accord-package.xml" '
                                    b'manifest:media-type="application/vnd.accord.package+xml"/>'
                                    b"</manifest:manifest>")
    return container([("a.txt", TEXT), ("accord-package.xml", desc)], manifest_bytes=m)


@case(1, "namespace", "list")
def descriptor_wrong_namespace():
    desc = (b'<?xml version="1.0"?>\n<package xmlns="urn:evil">'
            b"<kind>agreement</kind><title>T</title><created>2026-01-01T00:00:00Z</created>"
            b"</package>")
    m = manifest(["a.txt"]).replace(b"</manifest:manifest>",
                                    b'<manifest:file-entry manifest:full-path="accord-package.xml" '
                                    b'manifest:media-type="application/vnd.accord.package+xml"/>'
                                    b"</manifest:manifest>")
    return container([("a.txt", TEXT), ("accord-package.xml", desc)], manifest_bytes=m)


@case(0, "signatures0\\.xml", "list")
def valid_with_unknown_meta_inf_files():
    # Other META-INF files (container.xml, a signature file) are allowed and not data.
    return container([("a.txt", TEXT)],
                     extra=[E("META-INF/container.xml", b"<container/>"),
                            E("META-INF/signatures0.xml", b"<not-parsed-by-list/>")])


@case(0, "extracted", "extract")
def valid_unicode_names():
    # Non-ASCII names (UTF-8 flag set) are fine; only collisions are refused.
    return container([("Vereinbarung-f\u00fcr-CSIRT.txt", TEXT), ("\u5408\u540c.txt", TEXT),
                      ("cafe\u0301.txt", TEXT)])


@case(0, "b\\.txt", "list")
def valid_central_directory_in_reverse_order():
    # Legal ZIP: the central directory need not follow the file order.
    return zip_bytes([mimetype_entry(), E("a.txt", TEXT), E("b.txt", TEXT),
                      E("META-INF/manifest.xml", manifest(["a.txt", "b.txt"]))],
                     cd_reverse=True)


@case(0, "a\\.txt", "list")
def valid_data_descriptor_on_document():
    # A data descriptor (flag bit 3) is legal on entries other than mimetype.
    return container([E("a.txt", TEXT, descriptor=True)])


# ---------------------------------------------------------------- sizes that wrap

def zip64(*values):
    """A ZIP64 extended-information extra field holding the given 8-byte values."""
    return struct.pack("<HH", 0x0001, 8 * len(values)) + b"".join(
        struct.pack("<Q", v) for v in values)


@case(1, "a\\.txt.*wraps around", "list")
def zip64_size_wraps():
    # The compressed size (ZIP64, 0xFFFFFFFF in both headers) is chosen so that offset +
    # header + size wraps past 2^64 to land inside the archive: the overlap check would
    # pass and the entry would claim the rest of the file and more.
    pre = zip_bytes([mimetype_entry()])
    lho = pre.index(b"PK\x01\x02")  # where a.txt's local header will start
    header_end = lho + 30 + len(b"a.txt")
    big = (1 << 64) - header_end + 5
    return container([E("a.txt", TEXT, csize=0xFFFFFFFF, cextra=zip64(big))])


@case(1, "a\\.txt.*wraps around", "list")
def zip64_offset_wraps():
    # A ZIP64 local-header offset 16 bytes short of 2^64: offset + 30 wraps to 14.
    return container([E("a.txt", TEXT, lho=0xFFFFFFFF, cextra=zip64((1 << 64) - 16))])


# ---------------------------------------------------------------- FIFOs (run.sh makes them)

@case(3, "not a regular file", "fifo-package")
def fifo_as_package():
    return b""  # replaced by a FIFO


@case(3, "evil\\.pem.*not a regular file", "fifo-trust")
def fifo_in_trust_folder():
    return container([("a.txt", TEXT)])


# The store reads only the <sha256>.pem files `keys trust` wrote: a FIFO under another
# name is never opened, only told as ignored (the unsigned package is then incomplete).
@case(2, "evil\\.pem.*ignored, not trusted", "fifo-store")
def fifo_in_trust_store():
    return container([("a.txt", TEXT)])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "cases.tsv"), "w") as tsv:
        for name, exit_code, words, kind, flags, fn in CASES:
            with open(os.path.join(out, name + ".asice"), "wb") as f:
                f.write(fn())
            tsv.write("%s\t%d\t%s\t%s\t%s\n" % (name, exit_code, words, kind, flags))


if __name__ == "__main__":
    main()
