#!/usr/bin/env python3
"""tests/tools/zipedit.py — rewrite a container for tests: replace, delete or add entries
while keeping the order, the compression of each entry and a conformant mimetype.

usage: zipedit.py IN OUT [--set NAME FILE]... [--flip NAME OFFSET] [--delete NAME]... [--add NAME FILE]...
"""
import sys
import zipfile


def main(argv):
    src, dst = argv[1], argv[2]
    sets, deletes, adds, flips = {}, set(), [], {}
    i = 3
    while i < len(argv):
        op = argv[i]
        if op == "--set":
            sets[argv[i + 1]] = open(argv[i + 2], "rb").read()
            i += 3
        elif op == "--add":
            adds.append((argv[i + 1], open(argv[i + 2], "rb").read()))
            i += 3
        elif op == "--delete":
            deletes.add(argv[i + 1])
            i += 2
        elif op == "--flip":
            flips[argv[i + 1]] = int(argv[i + 2])
            i += 3
        else:
            sys.exit("unknown operation " + op)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in deletes:
                continue
            data = sets.get(info.filename, zin.read(info.filename))
            if info.filename in flips:
                b = bytearray(data)
                b[flips[info.filename]] ^= 0x01
                data = bytes(b)
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)
        for name, data in adds:
            zi = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)


if __name__ == "__main__":
    main(sys.argv)
