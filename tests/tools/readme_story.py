#!/usr/bin/env python3
"""tests/tools/readme_story.py — the README's story, as the tests run it.

usage: readme_story.py script README      print the story's ```sh blocks, in order, as one
                                          script (each line as written; a comment names
                                          the README line each block starts at)
       readme_story.py expect README LOG  check that every line of the story's ```text
                                          blocks is a line of LOG (what the story printed)

The story is what lies between the lines `<!-- story:begin -->` and `<!-- story:end -->`.
In a ```text line, what changes from run to run matches any value of its kind: a time
(2026-12-01T05:10:22Z), a SHA-256 fingerprint (hex pairs with colons, or 16 to 64 hex
digits), a signature Id (S-..., CS-...) and "…" (anything). Runs of spaces match any
run of spaces. Exit 1 with the lines that do not match (or when there is no story).
"""
import re
import sys

VARIABLE = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"
    r"|(?P<fp>[0-9A-F]{2}(?::[0-9A-F]{2}){31})"
    r"|(?P<id>\bC?S-[0-9a-f]{8}\b)"
    r"|(?P<hex>\b[0-9a-f]{16,64}\b)"
    r"|(?P<any>…)"
    r"|(?P<space> {2,})")
PATTERN = {
    "time": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
    "fp": r"[0-9A-F]{2}(?::[0-9A-F]{2}){31}",
    "id": r"C?S-[0-9a-f]{8}",
    "hex": None,  # the same number of hex digits
    "any": r".*",
    "space": r" +",
}


def blocks(readme):
    """(kind, first line number, lines) of each fenced block inside the story."""
    out, inside, fence = [], False, None
    with open(readme, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.strip() == "<!-- story:begin -->":
                inside = True
            elif line.strip() == "<!-- story:end -->":
                inside = False
            elif inside and fence is None and line.startswith("```"):
                fence = (line[3:].strip(), n + 1, [])
            elif inside and fence is not None and line.startswith("```"):
                out.append(fence)
                fence = None
            elif fence is not None:
                fence[2].append(line)
    if inside or fence is not None:
        sys.exit("readme_story: %s: the story or a block in it is not closed" % readme)
    return out


def line_regex(line):
    parts, pos = [], 0
    for m in VARIABLE.finditer(line):
        parts.append(re.escape(line[pos:m.start()]))
        kind = m.lastgroup
        parts.append(PATTERN[kind] or r"[0-9a-f]{%d}" % len(m.group()))
        pos = m.end()
    parts.append(re.escape(line[pos:]))
    return re.compile("".join(parts))


def main(argv):
    if len(argv) < 3 or argv[1] not in ("script", "expect") or (argv[1] == "expect") != (len(argv) == 4):
        sys.exit(__doc__)
    found = blocks(argv[2])
    code = [b for b in found if b[0] == "sh"]
    if not code:
        sys.exit("readme_story: %s: no sh block between the story markers" % argv[2])
    if argv[1] == "script":
        for _, n, lines in code:
            print("# README.md line %d" % n)
            print("\n".join(lines))
        return 0
    with open(argv[3], encoding="utf-8", errors="replace") as f:
        printed = [l.rstrip() for l in f]
    missing = []
    for kind, n, lines in found:
        if kind != "text":
            continue
        for i, line in enumerate(lines):
            if line.strip() and not any(line_regex(line.rstrip()).fullmatch(p) for p in printed):
                missing.append("README.md line %d: %s" % (n + i, line))
    for m in missing:
        print("not printed by the story: " + m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
