# tests/tools/digidoc.sh — sourced by the scripts that ask DigiDoc (libdigidocpp) for its
# verdict through ../shared/digidoc/judge.sh. digidoc_find DEST: sets DD to a usable
# DigiDoc folder and returns 0, or sets DD_WHY and returns 1 when it is absent. Where
# the library's symlink was stored as a file holding its target (libdigidocpp.so.1 is a
# 21-byte text file on some machines), a fixed copy is made in DEST.
digidoc_find() {
	DD=$(cd "$TESTS/../.." 2>/dev/null && pwd)/shared/digidoc
	DD_WHY=
	if [ ! -x "$DD/judge.sh" ]; then
		DD_WHY="../shared/digidoc is not here"
		return 1
	fi
	if ! file -L "$DD/lib/libdigidocpp.so.1" 2>/dev/null | grep -q ELF &&
		! head -c 4 "$DD/lib/libdigidocpp.so.1" 2>/dev/null | grep -q ELF; then
		rm -rf "$1" && cp -r "$DD" "$1" && chmod -R u+w "$1" &&
			ln -sf libdigidocpp.so.4.5.0 "$1/lib/libdigidocpp.so.1" || {
			DD_WHY="cannot make a fixed copy of ../shared/digidoc in $1"
			return 1
		}
		DD=$1
	fi
	return 0
}
