#!/bin/sh
# tests/fuzz/run.sh — builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/,
# makes their seed corpora from the test suite's own material, and runs each target
# for SECONDS (first argument, else $FUZZ_SECONDS, else 60). Prints PASS/FAIL per target
# and "fuzz: N targets, N crashes"; exits 1 if any target crashed, leaked or hung.
#
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]
#   FUZZ_TARGETS="xades tsq" sh tests/fuzz/run.sh 600     (some targets only)
#   FUZZ_JOBS=2 sh tests/fuzz/run.sh 3600                 (parallel workers per target)
#   FUZZ_PARALLEL=1 sh tests/fuzz/run.sh                   (one target at a time)
set -u
secs=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
case "$secs" in '' | *[!0-9]*) echo "usage: run.sh [SECONDS] [TARGET...]" >&2; exit 3 ;; esac

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 3
OUT=build-fuzz
OBJ=$OUT/obj
HERE=tests/fuzz
ALL_TARGETS="container verify manifest descriptor xades xml tsq tsr tst tsa ocsp tsl ocsp_req"
targets=${FUZZ_TARGETS:-${*:-$ALL_TARGETS}}
CC=${FUZZ_CC:-clang}
jobs=$(nproc 2>/dev/null || echo 2)

say() { echo "fuzz: $*"; }
die() { echo "fuzz: $*" >&2; exit 3; }

# ----------------------------------------------------------------- the compiler
if ! command -v "$CC" >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing clang (libFuzzer comes with it)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang >/dev/null ||
			die "apt-get install clang failed"
	else
		die "clang not found: apt-get install clang"
	fi
fi
PKGS="gnutls libxml-2.0 libgcrypt libarchive libzip libtasn1 libmicrohttpd libcurl zlib jansson"
PKG_CFLAGS=$(pkg-config --cflags $PKGS) || die "pkg-config: missing development packages"
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# Library objects get coverage instrumentation without libFuzzer's main().
CFLAGS_LIB="-O1 -g -std=gnu11 -I. -Iinclude -DACCORD_INTERNAL -DACCORD_VERSION=\"$(cat VERSION)\" $PKG_CFLAGS -fsanitize=fuzzer-no-link $SAN"
CFLAGS_TGT="$CFLAGS_LIB -Wall -Wextra -Werror -Wshadow"
export CC CFLAGS_LIB

# ----------------------------------------------------------------- build
mkdir -p "$OBJ" "$OUT/logs" "$OUT/corpus" "$OUT/crashes" || die "cannot create $OUT"
# Rebuild an object when its source, any header or the flags changed.
flags_now=$(printf '%s\n' "$CC $CFLAGS_LIB" | cksum)
[ "$(cat "$OBJ/.flags" 2>/dev/null)" = "$flags_now" ] || rm -f "$OBJ"/*.o
printf '%s\n' "$flags_now" >"$OBJ/.flags"
headers=$(ls include/*.h include/accord/*.h util/*.h keys/*.h formats/*.h sign/*.h \
	verify/*.h tsa/*.h ocsp/*.h 2>/dev/null)
lib_src=$(ls util/*.c keys/*.c formats/*.c sign/*.c verify/*.c tsa/*.c ocsp/*.c 2>/dev/null | sort)
stale=""
for src in $lib_src; do
	o=$OBJ/$(echo "${src%.c}" | tr / _).o
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ]; then
		stale="$stale $src"
		continue
	fi
	for h in $headers; do
		if [ "$h" -nt "$o" ]; then stale="$stale $src"; break; fi
	done
done
if [ -n "$stale" ]; then
	say "compiling $(echo $stale | wc -w) library files with $CC (ASan, UBSan, coverage)"
	# shellcheck disable=SC2016
	if ! printf '%s\n' $stale | xargs -P "$jobs" -I{} sh -c '
		src={}; o='"$OBJ"'/$(echo "${src%.c}" | tr / _).o
		$CC $CFLAGS_LIB -c -o "$o.tmp" "$src" 2>"$o.log" && mv "$o.tmp" "$o" ||
			{ echo "fuzz: cannot compile $src:"; sed "s/^/    /" "$o.log" | head -30; rm -f "$o.tmp" "$o"; exit 1; }'
	then
		# Files still being written by others: link what compiled; the targets that
		# need the rest fail to link and are reported, the others run.
		say "some library files do not compile (see above); building what can be built"
	fi
fi
objs=$(for src in $lib_src; do
	o=$OBJ/$(echo "${src%.c}" | tr / _).o
	[ -f "$o" ] && [ ! "$src" -nt "$o" ] && echo "$o"
done)

built=""
for t in $targets; do
	src=$HERE/fuzz_$t.c
	bin=$OUT/fuzz_$t
	[ -f "$src" ] || die "no target '$t' ($src)"
	need=0
	[ -f "$bin" ] || need=1
	for f in "$src" "$HERE/fuzz.h" $objs; do
		[ "$need" = 1 ] && break
		[ "$f" -nt "$bin" ] && need=1
	done
	if [ "$need" = 1 ]; then
		if ! $CC $CFLAGS_TGT -fsanitize=fuzzer -o "$bin" "$src" $objs $PKG_LIBS -lpthread \
			>"$OUT/logs/build_$t.log" 2>&1; then
			echo "FAIL: fuzz $t: does not build"
			sed 's/^/    /' "$OUT/logs/build_$t.log" | head -30
			continue
		fi
	fi
	built="$built $t"
done

# ----------------------------------------------------------------- seeds
# Made fresh from what the test suite does (tests/cli/sign_verify.sh, the hostile
# corpus): a package packed, signed by two parties, countersigned and timestamped by
# a local TSA; its XML files; timestamp requests from openssl and replies from accord.
# Binary seeds live in build-fuzz/seeds (never committed); tests/fuzz/seeds holds a
# few small text seeds that are.
SEEDS=$OUT/seeds
ACC=${ACCORD_BIN:-}
if [ -z "$ACC" ]; then
	# A CLI from the same instrumented objects (without libFuzzer's main): the seeds
	# then come from the code under test, and build/ is left to the normal build.
	ACC=$OUT/accord
	cli_src=$(ls cli/*.c | sort)
	need=0
	[ -x "$ACC" ] || need=1
	for f in $cli_src cli/*.h $objs; do
		[ "$need" = 1 ] && break
		[ "$f" -nt "$ACC" ] && need=1
	done
	if [ "$need" = 1 ] && ! $CC $CFLAGS_LIB -fsanitize=fuzzer-no-link -o "$ACC" $cli_src $objs \
		$PKG_LIBS -lpthread >"$OUT/logs/build_cli.log" 2>&1; then
		say "cannot build the CLI for seeds (see $OUT/logs/build_cli.log); using ./accord"
		ACC=$ROOT/accord
	fi
fi
case "$ACC" in /*) ;; *) ACC=$ROOT/$ACC ;; esac

make_seeds() {
	rm -rf "$SEEDS"
	mkdir -p "$SEEDS" || return 1
	for t in $ALL_TARGETS; do mkdir -p "$SEEDS/$t"; done
	W=$(mktemp -d "${TMPDIR:-/tmp}/accord-fuzz-seeds.XXXXXX") || return 1
	(
		set -e
		cd "$W"
		spid=""
		trap '[ -z "$spid" ] || kill "$spid" 2>/dev/null' EXIT
		# Leaks in the CLI are not what the seeds are for.
		export ASAN_OPTIONS=detect_leaks=0 HOME="$W/home" ACCORD_TRUST_DIR="$W/trust"
		unset ACCORD_PASSPHRASE
		mkdir -p home && mkdir -p -m 700 trust
		printf 'fuzz seed passphrase\n' >pass
		chmod 600 pass
		a() { "$ACC" "$@" >>cli.log 2>&1; }
		a keys ca --name "Fuzz CA" --org Fuzz --country EU --out ca --passphrase-file pass
		for who in alice bob notary; do
			a keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
				--name "$who" --org "Org $who" --country FR --out "$who" --passphrase-file pass
		done
		a keys issue --ca-key ca.key --ca-cert ca.crt --ca-passphrase-file pass \
			--name carol --org "Org carol" --country DE --algo ed25519 --out carol --passphrase-file pass
		a tsa init --dir tsa --name "Fuzz TSA" --ca-key ca.key --ca-cert ca.crt \
			--ca-passphrase-file pass --passphrase-file pass
		printf 'Agreement.\nArticle 1: the parties share.\n' >draft.txt
		printf 'Annex: contact points\n' >"annex one.txt"
		a pack -o p0.asice --kind agreement --title "Fuzz agreement" --ref 2026/1 \
			--party alice.crt --party bob.crt draft.txt "annex one.txt"
		cp p0.asice p1.asice
		a sign p1.asice --key alice.key --cert alice.crt --passphrase-file pass \
			--role "Head of CSIRT" --place "Paris,FR" --commitment approval
		cp p1.asice p2.asice
		# Bob's signature is timestamped (B-T) by the seed TSA over HTTP, as a
		# signer would use a remote TSA.
		"$ACC" tsa serve --dir tsa --listen 127.0.0.1:0 --passphrase-file pass 2>serve.err &
		spid=$!
		url=""
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			url=$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' serve.err)
			[ -n "$url" ] && break
			sleep 0.5
		done
		a sign p2.asice --key bob.key --cert bob.crt --passphrase-file pass \
			${url:+--tsa "http://$url/"} || true
		a sign p2.asice --key carol.key --cert carol.crt --passphrase-file pass || true
		cp p2.asice p3.asice
		sid=$(unzip -p p1.asice META-INF/signatures0.xml | grep -o 'Signature [^>]*Id="[^"]*"' |
			head -1 | sed 's/.*Id="\([^"]*\)"/\1/')
		a countersign p3.asice --signature "$sid" --key notary.key --cert notary.crt \
			--passphrase-file pass --role Notary ${url:+--tsa "http://$url/"} || true
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null || true
		spid=""
		a pack -o inc.asice --kind incident-report --title "Incident 7" draft.txt || true
		# Trusted lists: accord's own, qualified and not.
		a tsl make --out tl-q.xml --key ca.key --cert ca.crt --passphrase-file pass \
			--ca ca.crt --tsa tsa/tsa.crt --qualified --territory EE || true
		a tsl make --out tl.xml --key alice.key --cert alice.crt --passphrase-file pass \
			--ca ca.crt --ocsp bob.crt || true
	) || { echo "fuzz: making seeds failed; see $W/cli.log" >&2; sed 's/^/    /' "$W/cli.log" | tail -20 >&2; }
	for p in "$W"/*.asice; do
		[ -f "$p" ] || continue
		b=$(basename "$p" .asice)
		cp "$p" "$SEEDS/container/$b.asice"
		cp "$p" "$SEEDS/verify/$b.asice"
		mkdir -p "$W/x/$b"
		(cd "$W/x/$b" && unzip -qo "$p") || continue
		cp "$W/x/$b/META-INF/manifest.xml" "$SEEDS/manifest/$b.xml" 2>/dev/null
		cp "$W/x/$b/accord-package.xml" "$SEEDS/descriptor/$b.xml" 2>/dev/null
		for s in "$W/x/$b"/META-INF/signatures*.xml; do
			[ -f "$s" ] || continue
			cp "$s" "$SEEDS/xades/$b-$(basename "$s")"
		done
	done
	cp "$W"/tl*.xml "$SEEDS/tsl/" 2>/dev/null
	cp "$SEEDS"/manifest/* "$SEEDS"/descriptor/* "$SEEDS"/xades/* "$SEEDS"/tsl/* "$SEEDS/xml/" 2>/dev/null
	# The hostile-container corpus (tests/hostile): every ZIP trick already known.
	if python3 tests/hostile/make_containers.py "$W/hostile" >/dev/null 2>&1; then
		for h in "$W"/hostile/*.asice; do
			[ -f "$h" ] && [ "$(wc -c <"$h")" -le 262144 ] && cp "$h" "$SEEDS/container/"
		done
	fi
	# Timestamp requests: openssl's (independent) in several shapes, answered by the
	# seed TSA; the tokens come out of the replies.
	printf 'data to be stamped\n' >"$W/data"
	n=0
	for opts in "-sha256 -cert" "-sha256 -no_nonce" "-sha384 -cert" "-sha512" "-sha1 -cert" \
		"-sha256 -cert -tspolicy 1.3.6.1.4.1.32473.1.1" "-sha256 -tspolicy 1.2.3.4"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		openssl ts -query -data "$W/data" $opts -out "$W/q$n.tsq" 2>/dev/null || continue
		cp "$W/q$n.tsq" "$SEEDS/tsq/"
		cp "$W/q$n.tsq" "$SEEDS/tsa/"
		[ -d "$W/tsa" ] || continue
		ASAN_OPTIONS=detect_leaks=0 "$ACC" tsa stamp --dir "$W/tsa" --request "$W/q$n.tsq" \
			--out "$W/r$n.tsr" --passphrase-file "$W/pass" >/dev/null 2>&1
		[ -f "$W/r$n.tsr" ] || continue
		cp "$W/r$n.tsr" "$SEEDS/tsr/"
		openssl ts -reply -in "$W/r$n.tsr" -token_out -out "$W/t$n.tst" 2>/dev/null &&
			cp "$W/t$n.tst" "$SEEDS/tst/"
	done
	# OCSP responses about alice from openssl's responder (independent), signed by the
	# seed CA: good, revoked, unknown; with and without a nonce.
	if [ -f "$W/ca.key" ] && [ -f "$W/alice.crt" ]; then
		(
			cd "$W" || exit 1
			openssl pkey -in ca.key -passin file:pass -out ca-plain.pem 2>/dev/null || exit 1
			ser=$(openssl x509 -in alice.crt -noout -serial | cut -d= -f2)
			subj=$(openssl x509 -in alice.crt -noout -subject -nameopt compat | sed 's/^subject=//')
			for st in V R; do
				if [ $st = V ]; then
					printf 'V\t300101000000Z\t\t%s\tunknown\t%s\n' "$ser" "$subj" >index.txt
				else
					printf 'R\t300101000000Z\t200101000000Z\t%s\tunknown\t%s\n' "$ser" "$subj" >index.txt
				fi
				for nonce in -no_nonce -nonce; do
					openssl ocsp -issuer ca.crt -cert alice.crt $nonce -reqout req.der 2>/dev/null &&
						cp req.der "$ROOT/$SEEDS/ocsp_req/req$nonce.der" &&
						openssl ocsp -index index.txt -CA ca.crt -rsigner ca.crt -rkey ca-plain.pem \
							-reqin req.der -respout "ocsp-$st$nonce.der" -ndays 1 >/dev/null 2>&1 &&
						cp "ocsp-$st$nonce.der" "$ROOT/$SEEDS/ocsp/" 2>/dev/null
				done
			done
			# OCSP requests in more shapes: SHA-256 CertIDs, several certificates.
			openssl ocsp -sha256 -issuer ca.crt -cert alice.crt -cert bob.crt \
				-reqout "$ROOT/$SEEDS/ocsp_req/req-sha256.der" 2>/dev/null
			openssl ocsp -issuer ca.crt -cert alice.crt -cert bob.crt -cert notary.crt \
				-no_nonce -reqout "$ROOT/$SEEDS/ocsp_req/req-three.der" 2>/dev/null
		) || true
		cp "$W/alice.crt" "$SEEDS/alice.crt" 2>/dev/null
	fi
	# The trust anchors the verify target uses: the seed CA (which issued the TSA).
	cp "$W/ca.crt" "$SEEDS/ca.crt" 2>/dev/null
	cp "$W/tsa/tsa.crt" "$SEEDS/tsa.crt" 2>/dev/null
	rm -rf "$W"
	return 0
}
say "making seed corpora (CLI: $ACC)"
make_seeds
for t in $built; do
	n=$(ls "$SEEDS/$t" 2>/dev/null | wc -l)
	c=$(ls "$HERE/seeds/$t" 2>/dev/null | wc -l)
	[ $((n + c)) -gt 0 ] || say "warning: no seeds for $t (fuzzing from nothing)"
done

# ----------------------------------------------------------------- run
max_len() {
	case "$1" in
	container | verify) echo 262144 ;;
	manifest | descriptor | xades | xml | tsl) echo 65536 ;;
	tsq | tsa) echo 4096 ;;
	*) echo 16384 ;;
	esac
}
dict() {
	case "$1" in
	manifest | descriptor | xades | xml | tsl | container | verify) echo "$HERE/xml.dict" ;;
	*) echo "$HERE/der.dict" ;;
	esac
}
export ACCORD_FUZZ_TRUST="$ROOT/$SEEDS/ca.crt:$ROOT/$SEEDS/tsa.crt"
export ACCORD_FUZZ_OCSP="$ROOT/$SEEDS/ca.crt:$ROOT/$SEEDS/alice.crt"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
# Leaks inside third-party libraries that accord cannot free (each one explained there).
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/$HERE/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ntargets=0
ncrash=0
nfail_build=0
# run_target T: fuzz T for $secs seconds. A leak report that the full-stack replay
# shows to be one of lsan.supp's (third-party) leaks is set aside in known/ and fuzzing
# resumes for the time left: the fast unwinder cannot see through GnuTLS (no frame
# pointers), so the suppression cannot match during fuzzing, and unwinding every malloc
# the slow way would cost up to 20 times the speed. After 3 such restarts the rest of
# the time runs with slow unwinding.
run_target() {
	t=$1
	corpus=$OUT/corpus/$t
	art=$OUT/crashes/$t
	log=$OUT/logs/$t.log
	mkdir -p "$corpus" "$art/known"
	: >"$log"
	asan=$ASAN_OPTIONS
	start=$(date +%s)
	restarts=0
	execs=0
	while :; do
		left=$((secs - ($(date +%s) - start)))
		[ "$left" -ge 1 ] || left=1
		# Absolute paths: the fuzzer runs in build-fuzz/logs, where -jobs writes its
		# fuzz-N.log files.
		set -- -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 \
			-max_len="$(max_len "$t")" -artifact_prefix="$ROOT/$art/" -print_final_stats=1
		d=$(dict "$t")
		[ -f "$d" ] && set -- "$@" -dict="$ROOT/$d"
		if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
			rm -f "$OUT"/logs/fuzz-*.log
			set -- "$@" -jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"
		fi
		set -- "$@" "$ROOT/$corpus" "$ROOT/$SEEDS/$t"
		[ -d "$HERE/seeds/$t" ] && set -- "$@" "$ROOT/$HERE/seeds/$t"
		before=$(ls "$art" | wc -l)
		(cd "$OUT/logs" && ASAN_OPTIONS="$asan" exec "$ROOT/$OUT/fuzz_$t" "$@") >"$log.part" 2>&1
		rc=$?
		if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
			cat "$OUT"/logs/fuzz-*.log >>"$log.part" 2>/dev/null
			rm -f "$OUT"/logs/fuzz-*.log
		fi
		cat "$log.part" >>"$log"
		e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log.part" | awk '{s += $1} END {print s + 0}')
		execs=$((execs + ${e:-0}))
		took=$(($(date +%s) - start))
		new=$(ls -t "$art" | grep -v '^known$' | head -1)
		if [ "$rc" = 0 ] && [ "$(ls "$art" | wc -l)" = "$before" ]; then
			known=""
			[ "$restarts" -gt 0 ] && known=", $restarts known third-party leaks set aside"
			echo "PASS: fuzz $t ($took s, $execs runs, no crash$known)"
			return 0
		fi
		# Replay the input with full stacks.
		if [ -n "$new" ] && [ "$(ls "$art" | wc -l)" != "$before" ]; then
			ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
				"$OUT/fuzz_$t" -timeout=10 -rss_limit_mb=2048 "$art/$new" >"$log.replay" 2>&1
			replay=$?
			case "$new" in leak-*)
				if [ "$replay" = 0 ] && [ "$((secs - took))" -gt 0 ]; then
					mv "$art/$new" "$art/known/"
					restarts=$((restarts + 1))
					[ "$restarts" -ge 3 ] && asan="$asan:fast_unwind_on_malloc=0"
					continue
				fi
				if [ "$replay" = 0 ]; then
					mv "$art/$new" "$art/known/"
					echo "PASS: fuzz $t ($took s, $execs runs, no crash, known third-party leaks set aside)"
					return 0
				fi ;;
			esac
			echo "FAIL: fuzz $t: crash saved to $art/$new (log: $log, replay: $log.replay)"
			show=$log.replay
		else
			echo "FAIL: fuzz $t: fuzzer exited $rc without an artifact (log: $log)"
			show=$log.part
		fi
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|    #[0-9]+ )' "$show" | head -25 |
			sed 's/^/    /'
		return 1
	done
}
# Targets run FUZZ_PARALLEL at a time (default: one per core; one when FUZZ_JOBS gives
# each target several workers): each libFuzzer process uses one core, and every target
# gets its full SECONDS whatever runs beside it. Results are printed in target order.
par=${FUZZ_PARALLEL:-$jobs}
[ "${FUZZ_JOBS:-1}" -gt 1 ] && par=1
batch=""
flush() {
	wait
	for b in $batch; do
		cat "$OUT/logs/result_$b"
		grep -q '^FAIL' "$OUT/logs/result_$b" && ncrash=$((ncrash + 1))
	done
	batch=""
}
for t in $targets; do
	case " $built " in *" $t "*) ;; *) nfail_build=$((nfail_build + 1)); continue ;; esac
	ntargets=$((ntargets + 1))
	(run_target "$t") >"$OUT/logs/result_$t" 2>&1 &
	batch="$batch $t"
	[ "$(echo $batch | wc -w)" -ge "$par" ] && flush
done
flush
echo "fuzz: $ntargets targets, $ncrash crashes"
[ "$nfail_build" -gt 0 ] && echo "fuzz: $nfail_build targets did not build"
[ "$ncrash" -eq 0 ] && [ "$nfail_build" -eq 0 ]
