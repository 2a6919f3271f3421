# SPDX-License-Identifier: ISC
# Shared helpers for the integration tests (sourced, not run).
# Every test works in its own $T, starts its own processes and stops only
# those, by PID.

set -Eeuo pipefail
# Under set -e a failing command ends the test with no word of why; say
# which one did (tests that turned set -e off are not told every failure).
aborted() {
	[[ $- == *e* ]] || return 0
	echo "not ok - aborted at ${BASH_SOURCE[1]##*/}:$1: $2 (exit $3)"
}
trap 'aborted "$LINENO" "$BASH_COMMAND" "$?"' ERR
: "${XSMOND:?XSMOND must point at the xsmond binary}"
: "${XSMONCTL:?XSMONCTL must point at the xsmonctl binary}"

T=$(mktemp -d /tmp/xsmon-test.XXXXXX)
PIDS=()
MOUNTS=()
fails=0
passes=0

cleanup() {
	local p m
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT

need_root() {
	if ((EUID != 0)); then
		echo "SKIP: needs root"
		exit 77
	fi
}

ok() { passes=$((passes + 1)); echo "ok - $*"; }
not_ok() { fails=$((fails + 1)); echo "not ok - $*"; }
check() { # check "description" command...
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

finish() {
	echo "$passes passed, $fails failed"
	((fails == 0))
}

# start_xsmond CONF SOCK [extra args]: runs xsmond -d in the background,
# stderr to $T/xsmond.log, and waits for its socket.
start_xsmond() {
	local conf=$1 sock=$2; shift 2
	"$XSMOND" -d -f "$conf" -s "$sock" "$@" 2>>"$T/xsmond.log" &
	XSMOND_PID=$!
	PIDS+=("$XSMOND_PID")
	wait_for 5 test -S "$sock"
}

# stop_xsmond: SIGTERM, then xsmond must exit 0 with no sanitizer report
# in its log (ASan/UBSan builds report leaks and errors at exit). Its
# log's tail is shown when it did not, so a CI failure says why.
stop_xsmond() {
	local rc=0
	kill "$XSMOND_PID" || true
	wait "$XSMOND_PID" || rc=$?
	check "xsmond exits 0 on SIGTERM (got $rc)" test "$rc" -eq 0
	check "no sanitizer report" bash -c "! grep -qE 'Sanitizer|runtime error' '$T/xsmond.log'"
	if ((rc != 0)); then tail -20 "$T/xsmond.log" | sed 's/^/# /'; fi
	grep -E -A20 'Sanitizer|runtime error' "$T/xsmond.log" | head -40 || true
}

# wait_for SECONDS command...: polls every 20 ms until the command succeeds.
wait_for() {
	local deadline=$(( $(date +%s%N) + $1 * 1000000000 )); shift
	until "$@" 2>/dev/null; do
		(( $(date +%s%N) < deadline )) || return 1
		sleep 0.02
	done
}

# query SOCK REQUEST: one request line, prints the reply line (python3,
# independent of xsmonctl so the two are checked against each other).
query() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/xsmq.py" "$1" "$2"
}

# jget SOCK REQUEST EXPR: evaluates a python expression on the reply `d`.
jget() {
	query "$1" "$2" | python3 -c "import json,sys; d=json.load(sys.stdin); print($3)"
}

# json_is SOCK REQUEST EXPR WANT: the expression on the reply equals WANT.
json_is() { [[ "$(jget "$1" "$2" "$3")" == "$4" ]]; }
# wait_json SECONDS SOCK REQUEST EXPR WANT
wait_json() { local secs=$1; shift; wait_for "$secs" json_is "$@"; }

# watchers_off NAME...: config sections turning those watchers off.
watchers_off() { local w; for w; do printf '[%s]\nenabled = no\n' "$w"; done; }
