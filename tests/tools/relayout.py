#!/usr/bin/env python3
"""tests/tools/relayout.py — rewrite a signed ASiC-E package in a layout other software
writes, keeping every entry's bytes (so every signature still verifies).

Usage: relayout.py IN OUT SHAPE [NAME]   (NAME defaults to added.txt)
  mimetype-compressed   mimetype deflated (DSS, DigiDoc4j with ZipOutputStream)
  mimetype-not-first    mimetype after the other entries (DSS .sce samples)
  mimetype-extra        mimetype with a 24-byte extra field (old DigiDoc)
  mimetype-missing      no mimetype entry (DSS onefile-no-mimetype)
  mimetype-newline      mimetype content followed by "\\n" (libdigidocpp test files)
  mimetype-bdoc10       mimetype holds BDOC 1.0's application/vnd.bdoc-1.0 (DSS hello.bdoc)
  mimetype-other        mimetype holds the ASiC-S type (not an ASiC-E container)
  manifest-unqualified  manifest file-entry attributes without the manifest: prefix (DSS)
  comment               a zip comment "LIB DigiDoc4j/..." (DigiDoc4j)
  extra-unlisted NAME   adds NAME, unsigned and not in the manifest
  extra-listed NAME     adds NAME, unsigned, and lists it in the manifest
  manifest-ghost NAME   lists NAME in the manifest without adding it
"""
import sys
import zipfile

MT = b"application/vnd.etsi.asic-e+zip"


def main():
    src, dst, shape = sys.argv[1], sys.argv[2], sys.argv[3]
    arg = sys.argv[4] if len(sys.argv) > 4 else "added.txt"
    zin = zipfile.ZipFile(src)
    items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    names = [n for n, _ in items]
    assert names[0] == "mimetype", names
    mt = items[0]
    rest = items[1:]

    def manifest_with(name):
        out = []
        for n, d in rest:
            if n == "META-INF/manifest.xml":
                entry = ('<manifest:file-entry manifest:full-path="%s" '
                         'manifest:media-type="text/plain"/>' % name).encode()
                d = d.replace(b"</manifest:manifest>", entry + b"</manifest:manifest>")
            out.append((n, d))
        return out

    comment = b""
    order = [("mimetype", mt[1], zipfile.ZIP_STORED, b"")] + \
        [(n, d, zipfile.ZIP_DEFLATED, b"") for n, d in rest]
    if shape == "mimetype-compressed":
        order[0] = ("mimetype", MT, zipfile.ZIP_DEFLATED, b"")
    elif shape == "mimetype-not-first":
        order = order[1:] + order[:1]
    elif shape == "mimetype-extra":
        order[0] = ("mimetype", MT, zipfile.ZIP_STORED, b"\x55\x54\x05\x00\x01\x00\x00\x00\x00" +
                    b"\x75\x78\x0b\x00\x01\x04\x00\x00\x00\x00\x04\x00\x00\x00\x00")
    elif shape == "mimetype-missing":
        order = order[1:]
    elif shape == "mimetype-newline":
        order[0] = ("mimetype", MT + b"\n", zipfile.ZIP_STORED, b"")
    elif shape == "mimetype-bdoc10":
        order[0] = ("mimetype", b"application/vnd.bdoc-1.0", zipfile.ZIP_STORED, b"")
    elif shape == "mimetype-other":
        order[0] = ("mimetype", b"application/vnd.etsi.asic-s+zip", zipfile.ZIP_STORED, b"")
    elif shape == "comment":
        comment = b"LIB DigiDoc4j/DEV format: application/vnd.etsi.asic-e+zip"
    elif shape == "extra-unlisted":
        order.append((arg, b"added after signing\n", zipfile.ZIP_DEFLATED, b""))
    elif shape == "extra-listed":
        order = [order[0]] + [(n, d, zipfile.ZIP_DEFLATED, b"") for n, d in manifest_with(arg)]
        order.append((arg, b"added after signing\n", zipfile.ZIP_DEFLATED, b""))
    elif shape == "manifest-unqualified":
        def unq(n, d):
            if n != "META-INF/manifest.xml":
                return (n, d, zipfile.ZIP_DEFLATED, b"")
            d = d.replace(b"manifest:full-path=", b"full-path=").replace(b"manifest:media-type=", b"media-type=")
            return (n, d, zipfile.ZIP_DEFLATED, b"")
        order = [order[0]] + [unq(n, d) for n, d in rest]
    elif shape == "manifest-ghost":
        order = [order[0]] + [(n, d, zipfile.ZIP_DEFLATED, b"") for n, d in manifest_with(arg)]
    else:
        sys.exit("unknown shape " + shape)
    with zipfile.ZipFile(dst, "w") as z:
        for n, d, method, extra in order:
            zi = zipfile.ZipInfo(n, (1980, 1, 1, 0, 0, 0))
            zi.compress_type = method
            zi.extra = extra
            z.writestr(zi, d)
        z.comment = comment


if __name__ == "__main__":
    main()
