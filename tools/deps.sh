#!/bin/sh
# tools/deps.sh — install the Debian packages accord builds and tests with, only
# those that are missing (checked with pkg-config and command -v). Needs root to install.
set -e
pkgs=""
need() { pkgs="$pkgs $1"; }
command -v pkg-config >/dev/null 2>&1 || need pkg-config
command -v cc >/dev/null 2>&1 || need gcc
pc() { pkg-config --exists "$1" 2>/dev/null || need "$2"; }
pc gnutls libgnutls28-dev
pc libxml-2.0 libxml2-dev
pc libgcrypt libgcrypt20-dev
pc libarchive libarchive-dev
pc libzip libzip-dev
pc libtasn1 libtasn1-6-dev
pc zlib zlib1g-dev
pc check check
pc libmicrohttpd libmicrohttpd-dev
pc libcurl libcurl4-gnutls-dev
pc jansson libjansson-dev
tool() { command -v "$1" >/dev/null 2>&1 || need "$2"; }
tool xmlsec1 xmlsec1
tool openssl openssl
tool certtool gnutls-bin
tool ocsptool gnutls-bin
tool unzip unzip
tool zipinfo unzip
tool zip zip
# make bench measures peak memory with GNU time
[ -x /usr/bin/time ] || need time
tool python3 python3
# tests/tools/check_json.py validates every --json output against the schemas in docs/
python3 -c 'import jsonschema' >/dev/null 2>&1 || need python3-jsonschema
tool softhsm2-util softhsm2
tool p11tool gnutls-bin
tool clang clang
# libFuzzer's runtime for `make fuzz` (and the short fuzz run of `make check`)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need libclang-rt-14-dev
# formats/tst_asn1_tab.c is regenerated from formats/tst.asn when that changes
tool asn1Parser libtasn1-bin
tool timeout coreutils
tool curl curl
tool valgrind valgrind
# tests/cli/html.sh renders verify --html in a real browser (headless; ~80 MB download)
tool chromium chromium
# tests/cli/man.sh renders every manual page with man --warnings
tool man man-db
# DigiDoc's judge (../shared/digidoc/judge.sh, tests/interop/digidoc.sh) loads xmlsec's OpenSSL engine
ldconfig -p 2>/dev/null | grep -q libxmlsec1-openssl || need libxmlsec1-openssl
if [ -n "$pkgs" ]; then
	echo "deps: installing:$pkgs"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: not root; run as root or install:$pkgs" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || true
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $pkgs >/dev/null
fi
