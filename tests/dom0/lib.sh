# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# Helpers for the jobs that run INSIDE the QEMU dom0 (sourced, not run);
# scripts/dom0/run-in-dom0 sets XSMOND, XSMONCTL and RESULTS.
set -uo pipefail
: "${XSMOND:?}" "${XSMONCTL:?}"

T=$(mktemp -d /tmp/xsmon-dom0.XXXXXX)
PIDS=()
fails=0
passes=0
skips=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	[[ -n ${RESULTS:-} ]] && cp -r "$T"/. "$RESULTS/" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

ok() { passes=$((passes + 1)); echo "ok - $*"; }
not_ok() { fails=$((fails + 1)); echo "not ok - $*"; }
skip() { skips=$((skips + 1)); echo "skip - $*"; }
check() { # check "description" command...
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
finish() {
	echo "$passes passed, $fails failed, $skips skipped"
	((fails == 0))
}

# wait_for SECONDS command...: polls every 100 ms (TCG is slow).
wait_for() {
	local deadline=$((SECONDS + $1)); shift
	until "$@" 2>/dev/null; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}

# xj REQUEST EXPR: evaluates the Python EXPR over xsmonctl's JSON answer
# d (dom(d, N) is domain N's object or None, ifc(NAME) interface NAME's
# in `show nics`) and prints it.
xj() {
	local req=$1 expr=$2
	# shellcheck disable=SC2086
	"$XSMONCTL" -s "$SOCK" --json $req 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
def dom(d, n):
    return next((x for x in d.get("domains", []) if x.get("domid") == n), None)
def ifc(n):
    v = d.get("nics", d)
    return next((x for x in v.get("interfaces", []) if x.get("name") == n), None)
print(eval(sys.argv[1]))' "$expr" 2>/dev/null
}
# xj_is REQUEST EXPR WANT / wait_xj SECONDS REQUEST EXPR WANT
xj_is() {
	local got
	got=$(xj "$1" "$2")
	[[ $got == "$3" ]] && return 0
	echo "   $1: $2 = '$got', want '$3'" >&2
	return 1
}
wait_xj() {
	local s=$1; shift
	wait_for "$s" xj_is_quiet "$@" || xj_is "$@"
}
xj_is_quiet() { [[ $(xj "$1" "$2") == "$3" ]]; }

# start_xsmond CONF: xsmond -d in the background, stderr to $T/xsmond.log.
start_xsmond() {
	"$XSMOND" -d -f "$1" -s "$SOCK" 2>>"$T/xsmond.log" &
	XSMOND_PID=$!
	PIDS+=("$XSMOND_PID")
	wait_for 20 test -S "$SOCK"
}

# start_watch: xsmonctl watch --json into $T/watch.ndjson.
start_watch() {
	"$XSMONCTL" -s "$SOCK" watch --json >"$T/watch.ndjson" 2>"$T/watch.err" &
	PIDS+=("$!")
	wait_for 10 grep -q subscribed "$T/watch.ndjson"
}
# alert_seen EVENT [SUBJECT]: a line of the stream has that event (and subject).
alert_seen() {
	python3 - "$T/watch.ndjson" "$@" <<'PY'
import json, sys
path, ev = sys.argv[1], sys.argv[2]
subj = sys.argv[3] if len(sys.argv) > 3 else None
for line in open(path):
    try:
        a = json.loads(line)
    except ValueError:
        continue
    if a.get("event") == ev and (subj is None or a.get("subject") == subj):
        sys.exit(0)
sys.exit(1)
PY
}
# severities SUBJECT: the "severity" of every alert about SUBJECT, in order.
severities() {
	python3 - "$T/watch.ndjson" "$1" <<'PY'
import json, sys
out = []
for line in open(sys.argv[1]):
    try:
        a = json.loads(line)
    except ValueError:
        continue
    if a.get("subject") == sys.argv[2] and "severity" in a:
        out.append(a["severity"])
print(" ".join(out))
PY
}
