#!/bin/sh
# tests/tools/valgrind.sh — runs the CLI scenario scripts with every accord process under
# valgrind (memcheck: invalid reads/writes, uninitialised values, definite leaks) and fails
# if any process reports anything. Usage: sh tests/tools/valgrind.sh [SCRIPT.sh]...
# (default tests/cli/*.sh). Environment: ACCORD_BIN (the binary to check, default ./accord),
# VALGRIND_TIMEOUT (seconds per script, default 1800), VALGRIND_KEEP=1 keeps the logs.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
real=${ACCORD_BIN:-$root/accord}
case $real in /*) ;; *) real=$PWD/$real ;; esac
supp=$here/valgrind.supp
if ! command -v valgrind >/dev/null 2>&1; then echo "SKIP: valgrind is not installed"; exit 0; fi
if [ ! -x "$real" ]; then echo "FAIL: no accord binary at $real (make -j2 all)"; exit 1; fi
[ $# -gt 0 ] || set -- "$root"/tests/cli/*.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/accord-valgrind.XXXXXX")
[ "${VALGRIND_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
# The wrapper the scripts run as ACCORD_BIN: exec keeps the pid, so the command line saved
# as cmd.PID names the process whose log is PID.log.
cat >"$work/accord" <<EOF
#!/bin/sh
logs=\$VALGRIND_LOGS
printf '%s\n' "accord \$*" >"\$logs/cmd.\$\$"
exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite --track-fds=no -q --num-callers=30 \\
	--suppressions="$supp" --log-file="\$logs/%p.log" "$real" "\$@"
EOF
chmod +x "$work/accord"

# show_logs LOGDIR FILES: each report with the command line of its process.
show_logs() {
	for f in $2; do
		pid=$(basename "$f" .log)
		echo "    --- $(cat "$1/cmd.$pid" 2>/dev/null || echo "pid $pid")"
		sed 's/^==[0-9]*== \{0,1\}/    /' "$f" | head -60
	done
}
# run_script SCRIPT LOGDIR: sets rc, n (processes), bad (non-empty logs), sfail, crashed_only.
run_script() {
	rm -rf "$2"; mkdir -p "$2"
	VALGRIND_LOGS=$2 ACCORD_BIN="$work/accord" timeout "${VALGRIND_TIMEOUT:-1800}" \
		sh "$1" >"$2/script.out" 2>&1
	rc=$?
	n=$(ls "$2" | grep -c '\.log$')
	bad=$(find "$2" -name '*.log' -size +0 | sort)
	sfail=$(grep -c '^FAIL:' "$2/script.out")
	# Every report ends in the process dying of a signal inside valgrind: on the 2-core
	# Firecracker VM (AMD EPYC, valgrind 3.19) about 1 process in 40-100 crashes at random
	# points (ld.so relocation before main, the first PLT call in accord_init, libtasn1's
	# free), never natively (500 runs) or under ASan (200 runs). Such a script runs once
	# more; a real bug crashes again.
	crashed_only=0
	if [ -n "$bad" ]; then
		crashed_only=1
		for f in $bad; do
			grep -q 'Process terminating with default action of signal' "$f" || crashed_only=0
		done
	fi
}

passed=0; failed=0
for script in "$@"; do
	name=${script#"$root"/}
	logs="$work/$(echo "$name" | tr '/.' '__')"
	run_script "$script" "$logs"
	if [ $crashed_only = 1 ]; then
		# Shown (they may still be real), then the script runs once more.
		echo "note: valgrind $name: $(echo "$bad" | wc -l) of $n processes crashed inside valgrind; running the script once more"
		show_logs "$logs" "$bad" | head -40
		run_script "$script" "$logs.rerun"
		logs=$logs.rerun
	fi
	if [ -z "$bad" ] && [ $rc -eq 0 ] && [ "$sfail" -eq 0 ]; then
		echo "PASS: valgrind $name: $n accord processes, no reports"
		passed=$((passed + 1))
		continue
	fi
	failed=$((failed + 1))
	if [ -n "$bad" ]; then
		echo "FAIL: valgrind $name: $(echo "$bad" | wc -l) of $n accord processes reported errors"
		show_logs "$logs" "$bad"
	fi
	[ $rc -eq 0 ] || echo "FAIL: valgrind $name: the script exited with status $rc$([ $rc -eq 124 ] && echo ' (timeout)')"
	if [ "$sfail" -gt 0 ]; then
		echo "FAIL: valgrind $name: $sfail checks failed under valgrind (slower, or exit 99 from a report)"
		grep '^FAIL:' "$logs/script.out" | sed 's/^/    /' | head -20
	fi
done
echo "valgrind: $passed scripts clean, $failed with problems"
[ "${VALGRIND_KEEP:-0}" = 1 ] && echo "logs kept in $work"
[ $failed -eq 0 ]
