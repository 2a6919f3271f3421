#!/bin/bash
# SPDX-License-Identifier: ISC
#
# xsmonctl check and metrics against a real xsmond watching a real 1 MiB
# tmpfs (the other checks disabled): the plugin line and exit code follow
# the fill level (0, 1 at ~85%, 2 at ~95%), stderr stays empty, failures
# are one UNKNOWN line; the exposition parses with the real Prometheus
# parser (python3-prometheus-client) with values matching the status
# document; --textfile replaces the file atomically (a reader never sees
# a partial file) and leaves the old one on any failure.
#
# Runs in a private mount namespace (unshare -m), so the tmpfs mounts die
# with it even if ctest's timeout kills us first.
set -u

[ "$(id -u)" = 0 ] || { echo "needs root (tmpfs mount)"; exit 77; }
if [ -z "${XSMON_METRICS_NS:-}" ]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_METRICS_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
: "${XSMOND:?XSMOND must point at the xsmond binary}"
: "${XSMONCTL:?XSMONCTL must point at the xsmonctl binary}"
HERE=$(cd "$(dirname "$0")" && pwd)

# The Debian package installs for Debian's python3, which need not be
# the first python3 on PATH.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import prometheus_client.parser' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || { echo "FAIL: python3-prometheus-client is not installed (scripts/setup-deps)"; exit 1; }

T=$(mktemp -d /tmp/xsmonctl-metrics.XXXXXX)
DPID=
cleanup() {
	if [ -n "$DPID" ]; then
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	umount "$T/logs" "$T/small" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ctl() { "$XSMONCTL" -s "$T/sock" "$@"; }

# prom_get FILE EXPR: evaluates EXPR with v(name, **labels) -> value or
# None, on the families the real parser read from FILE.
prom_get() {
	"$PY" - "$1" "$2" <<'PYEOF'
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
fams = list(text_string_to_metric_families(text))
names = [f.name for f in fams]
assert len(names) == len(set(names)), "a family appears twice"
S = {}
for f in fams:
    for s in f.samples:
        S[(s.name, tuple(sorted(s.labels.items())))] = s.value
def v(_name, **labels):
    return S.get((_name, tuple(sorted(labels.items()))))
def has(prefix):
    return any(k[0].startswith(prefix) for k in S)
print(eval(sys.argv[2]))
PYEOF
}
prom_is() { [ "$(prom_get "$1" "$2")" = True ]; }

# check_is RC: "xsmonctl check" and "check logfs" exit RC with one
# well-formed line on stdout and nothing on stderr.
check_is() {
	local want=$1 rc line
	for args in check "check logfs"; do
		# shellcheck disable=SC2086
		ctl $args >"$T/out" 2>"$T/err"; rc=$?
		line=$(cat "$T/out")
		[ "$rc" = "$want" ] || { fail "$args: exit $rc, want $want: $line"; continue; }
		[ -s "$T/err" ] && fail "$args: stderr: $(cat "$T/err")"
		[ "$(wc -l <"$T/out")" = 1 ] || fail "$args: not one line"
		[ "$(wc -c <"$T/out")" -le 4096 ] || fail "$args: over 4 KiB"
		case $line in
		"XSMON $3 - "*" | 'logfs_used_pct'="*"%;80;90;0;100 "*) ;;
		*) fail "$args: bad line: $line" ;;
		esac
	done
}

wait_check() { # RC SECONDS
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		ctl check logfs >/dev/null 2>&1
		[ $? = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

mkdir "$T/logs" "$T/small" "$T/tf"
mount -t tmpfs -o size=1m,mode=0755 xsmonctl-metrics "$T/logs" || exit 1
printf '[logfs]\npath = %s\n[nics]\nenabled = no\n[rsyslog]\nenabled = no\n[xenstore]\nenabled = no\n' "$T/logs" >"$T/conf"

# xsmond not running yet: one UNKNOWN line, nothing on stderr.
ctl check >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] || fail "check without xsmond: exit $rc"
grep -q "^XSMON UNKNOWN - .*$T/sock" "$T/out" || fail "check without xsmond: $(cat "$T/out")"
[ -s "$T/err" ] && fail "check without xsmond wrote to stderr: $(cat "$T/err")"
ctl metrics >"$T/m" 2>"$T/err"; rc=$?
[ $rc = 3 ] || fail "metrics without xsmond: exit $rc"
prom_is "$T/m" 'v("xsmon_up") == 0 and len(open(sys.argv[1]).read().splitlines()) == 3' ||
	fail "metrics without xsmond: $(cat "$T/m")"

"$XSMOND" -d -f "$T/conf" -s "$T/sock" 2>"$T/daemon.log" &
DPID=$!
wait_check 0 10 || { cat "$T/daemon.log"; fail "check never became OK: $(ctl check)"; }
check_is 0 0 OK

ctl check nosuch >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q '^XSMON UNKNOWN - xsmond has no check nosuch$' "$T/out" ||
	fail "check nosuch: exit $rc: $(cat "$T/out")"
ctl check 'BAD NAME' >/dev/null 2>&1; rc=$?
[ $rc = 3 ] || fail "check with a bad name: exit $rc"

# The exposition, parsed, against the status document itself.
python3 "$HERE/xsmq.py" "$T/sock" status >"$T/status.json"
ctl metrics >"$T/m" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ ! -s "$T/err" ] || fail "metrics: exit $rc, $(cat "$T/err")"
total=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["checks"]["logfs"]["bytes"]["total"])' "$T/status.json")
prom_is "$T/m" "v('xsmon_up') == 1 and v('xsmon_status') == 0 and v('xsmon_check_status', check='logfs') == 0" ||
	fail "metrics: xsmon_up/xsmon_status wrong"
prom_is "$T/m" "v('xsmon_logfs_bytes', kind='total') == $total == 1048576" ||
	fail "metrics: xsmon_logfs_bytes{kind=total} is not $total"
prom_is "$T/m" "v('xsmon_check_state', check='logfs', state='ok') == 1 and v('xsmon_check_state', check='logfs', state='critical') == 0" ||
	fail "metrics: one-hot state wrong"
# Disabled checks and the missing domains document leave no family;
# the trend has not warmed up, so there is no growth rate (not a 0).
prom_is "$T/m" "not has('xsmon_nic_') and not has('xsmon_xenstore_') and not has('xsmon_domain_') and not has('xsmon_rsyslog_')" ||
	fail "metrics: families of disabled checks appear"
prom_is "$T/m" "v('xsmon_logfs_growth_bytes_per_second') is None" ||
	fail "metrics: a null growth rate was printed"
grep -q '^# TYPE xsmon_check_transitions_total counter$' "$T/m" || fail "metrics: counter TYPE missing"

# ~85%: warning; ~95%: critical; both in check and in metrics.
dd if=/dev/zero of="$T/logs/fill" bs=1k count=870 status=none
wait_check 1 10 || fail "check never became WARNING: $(ctl check)"
check_is 1 0 WARNING
ctl metrics >"$T/m"
prom_is "$T/m" "v('xsmon_check_status', check='logfs') == 1 and 0.8 <= v('xsmon_logfs_bytes_used_ratio') < 0.9" ||
	fail "metrics at 85%: $(grep logfs_bytes_used "$T/m")"
dd if=/dev/zero of="$T/logs/fill" bs=1k count=975 status=none
wait_check 2 10 || fail "check never became CRITICAL: $(ctl check)"
check_is 2 0 CRITICAL
ctl metrics >"$T/m"
prom_is "$T/m" "v('xsmon_status') == 2 and v('xsmon_check_state', check='logfs', state='critical') == 1" ||
	fail "metrics at 95%: status not critical"
pct=$(ctl check logfs | sed -n "s/.*'logfs_used_pct'=\([0-9.]*\)%.*/\1/p")
"$PY" -c "import sys; sys.exit(not 90 <= float('$pct') <= 100)" || fail "perfdata used_pct $pct not in 90..100"
rm "$T/logs/fill"
wait_check 0 10 || fail "check did not return to OK after rm"

# --textfile: written, 0644, nothing on stdout, no temporary left.
ctl metrics --textfile "$T/tf" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "metrics --textfile: exit $rc, $(cat "$T/out" "$T/err")"
[ "$(stat -c %a "$T/tf/xsmon.prom")" = 644 ] || fail "xsmon.prom mode $(stat -c %a "$T/tf/xsmon.prom")"
prom_is "$T/tf/xsmon.prom" "v('xsmon_up') == 1" || fail "xsmon.prom does not parse"
[ "$(ls -A "$T/tf")" = xsmon.prom ] || fail "textfile dir holds: $(ls -A "$T/tf")"

# Atomicity: a reader parses the file in a loop while it is rewritten 300
# times; every read must be a whole exposition.
"$PY" - "$T/tf/xsmon.prom" "$T/stop" >"$T/reader" 2>&1 <<'PYEOF' &
import os, sys
from prometheus_client.parser import text_string_to_metric_families
path, stop = sys.argv[1], sys.argv[2]
reads = bad = 0
while not os.path.exists(stop) or reads < 50:
    with open(path) as f:
        text = f.read()
    reads += 1
    try:
        fams = {m.name: m for m in text_string_to_metric_families(text)}
        ok = (text.endswith("\n") and fams["xsmon_up"].samples[0].value == 1
              and "xsmon_daemon_clients_refused" in fams)
    except Exception:
        ok = False
    bad += not ok
print(reads, bad)
PYEOF
RPID=$!
for ((i = 0; i < 300; i++)); do
	ctl metrics --textfile "$T/tf" || { fail "metrics --textfile failed on round $i"; break; }
done
touch "$T/stop"
wait "$RPID"
read -r reads bad <"$T/reader"
echo "atomicity: $reads reads during 300 rewrites, $bad partial"
[ "${bad:-1}" = 0 ] || fail "a reader saw a partial xsmon.prom: $(cat "$T/reader")"
[ "$(ls -A "$T/tf")" = xsmon.prom ] || fail "temporaries left: $(ls -A "$T/tf")"

# Failures keep the old file: no space (ENOSPC on a full tmpfs), then
# xsmond gone; each exits 3 with a message.
mount -t tmpfs -o size=64k xsmonctl-small "$T/small" || exit 1
ctl metrics --textfile "$T/small" || fail "metrics --textfile on the small tmpfs"
cp "$T/small/xsmon.prom" "$T/old.prom"
dd if=/dev/zero of="$T/small/fill" bs=4k status=none 2>/dev/null
ctl metrics --textfile "$T/small" 2>"$T/err"; rc=$?
[ $rc = 3 ] && grep -q 'xsmon.prom: No space left' "$T/err" || fail "full fs: exit $rc, $(cat "$T/err")"
cmp -s "$T/old.prom" "$T/small/xsmon.prom" || fail "full fs: the old file changed"
[ "$(ls -A "$T/small" | sort | tr '\n' ' ')" = "fill xsmon.prom " ] || fail "full fs left: $(ls -A "$T/small")"
ctl metrics --textfile "$T/conf" 2>/dev/null; rc=$?
[ $rc = 3 ] || fail "--textfile on a file: exit $rc"

cp "$T/tf/xsmon.prom" "$T/old.prom"
kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
ctl metrics --textfile "$T/tf" 2>"$T/err"; rc=$?
[ $rc = 3 ] && [ -s "$T/err" ] || fail "xsmond gone: metrics --textfile exit $rc"
cmp -s "$T/old.prom" "$T/tf/xsmon.prom" || fail "xsmond gone: the old file changed"

# A peer that answers garbage: UNKNOWN, naming the problem.
"$PY" - "$T/sock" <<'PYEOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
if os.path.exists(sys.argv[1]):
    os.unlink(sys.argv[1])
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept(); c.recv(4096); c.sendall(b'{"schema":1,"status":5}\n'); c.close()
PYEOF
FPID=$!
for ((i = 0; i < 100; i++)); do [ -S "$T/sock" ] && break; sleep 0.02; done
ctl check >"$T/out" 2>"$T/err"; rc=$?
wait "$FPID"
[ $rc = 3 ] && grep -q '^XSMON UNKNOWN - invalid reply from ' "$T/out" && [ ! -s "$T/err" ] ||
	fail "garbage reply: exit $rc, $(cat "$T/out" "$T/err")"

# The golden expositions parse too, hostile labels round-tripping.
prom_is "$XSMON_SRC/tests/fixtures/ctl/broken.prom.ok" \
	"v('xsmon_rsyslog_queue_size', queue='q \"a\"\\\\b\\nc') == 42 and v('xsmon_domain_status', domid='3', name='build-07') == 2" ||
	fail "broken.prom.ok: escaped labels do not round-trip"

[ $fails = 0 ] && echo "PASS" || echo "$fails failure(s)"
[ $fails = 0 ]
