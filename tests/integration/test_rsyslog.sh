#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The rsyslog check against a real rsyslogd started here (fault tests 7
# and 8): its own config, pid file, imuxsock socket, omfile target,
# impstats file and a named omfwd action to a second rsyslogd (imtcp) on
# 127.0.0.1. With a pidfd:
#  - ok with the canary delivered, liveness "pidfd", the files listed;
#  - kill -9: critical "not running", then a restart: the new pid, one
#    restart counted, ok again;
#  - SIGSTOP: status queries keep being answered fast, the canary goes
#    late (critical, naming the file); SIGCONT recovers;
#  - a drop-in with "stop" before the omfile rule: alive but not writing,
#    critical naming the file; removed + HUP: ok;
#  - the forwarding receiver stopped: warning naming action 'fwd'; back:
#    clears.
# Deadlines are generous; scripts/bench/rsyslog-detect measures latency.

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
trap 'rs_cleanup; cleanup' EXIT
SOCK=$T/sock

rs_bringup

st() { rs_get "r['status']"; }
reason() { rs_get "r['reason']"; }

check "ok with the canary delivered" rs_wait 10 "r['status'], r['canary']['state']" "('ok', 'delivered')"
check "liveness is pidfd" rs_is "r['liveness']" pidfd
check "pid is rsyslogd's" rs_is "r['pid']" "$RS_PID"
check "target listed with its size" rs_is "r['files'][0]['path'], r['files'][0]['size'] > 0" "('$RS/messages', True)"
check "latency_ms is a number" rs_is "isinstance(r['canary']['latency_ms'], int)" True
check "action fwd from impstats" rs_wait 5 "[a['name'] for a in r['actions'] if a['name'] == 'fwd']" "['fwd']"
check "canary line in the target" grep -q "xsmond-canary\[[0-9]*\]: xsmon canary " "$RS/messages"

"$XSMONCTL" -s "$SOCK" show rsyslog >"$T/show"; rc=$?
check "xsmonctl show rsyslog: exit 0 when ok" test "$rc" = 0
check "xsmonctl show rsyslog: liveness line" grep -q "^  rsyslogd: *pid $RS_PID, .*liveness by pidfd" "$T/show"
check "xsmonctl show rsyslog: target row" grep -q " $RS/messages\$" "$T/show"
check "xsmonctl show rsyslog: action fwd row" grep -q "^  [0-9].* fwd\$" "$T/show"

# kill -9, then restart.
# Right after a canary went out, so the next canary tick (which re-reads
# the pid file too) is 2 s away: only the pidfd can see it within 1 s.
old=$RS_PID
sent=$(rs_get "r['canary']['last_sent']")
rs_wait 5 "r['canary']['last_sent'] != '$sent'" True
rs_stop KILL
check "kill -9: critical, not running, within 1 s (pidfd)" rs_wait 1 "r['status'], 'not running' in r['reason']" "('critical', True)"
check "kill -9: pid null" rs_is "r['pid']" None
"$XSMONCTL" -s "$SOCK" show rsyslog >"$T/show"; rc=$?
check "xsmonctl show rsyslog: exit 2 when dead" test "$rc" = 2
check "xsmonctl show rsyslog: says not running" grep -q "^  rsyslogd: *not running" "$T/show"
rs_start
check "restart: new pid seen" rs_wait 10 "r['pid']" "$RS_PID"
check "restart: one restart counted" rs_is "r['restarts']" 1
check "restart: ok again" rs_wait 10 "r['status']" ok
[ "$old" != "$RS_PID" ] || not_ok "the restarted rsyslogd has a new pid"

# SIGSTOP: xsmond stays responsive; the canary goes late.
kill -STOP "$RS_PID"
check "stopped: critical, canary late" rs_wait 10 "r['status'], r['canary']['state']" "('critical', 'late')"
check "stopped: reason names the file" rs_is "'$RS/messages did not receive the canary' in r['reason']" True
n=$(rs_get "r['canary']['sent']")
rs_wait 5 "r['canary']['sent'] > $n" True
check "stopped: still critical after the next canary went out" rs_is "r['status'], r['canary']['state']" "('critical', 'late')"
# The longest of 20 status queries, in one python process (no fork cost).
worst=$(python3 - "$SOCK" "$(dirname "$0")" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[2])
from xsmq import query
worst = 0
for _ in range(20):
    t = time.monotonic()
    assert query(sys.argv[1], "status").startswith(b'{"schema"')
    worst = max(worst, time.monotonic() - t)
print(int(worst * 1000))
PY
)
echo "worst of 20 status queries while rsyslogd is stopped: ${worst:-none} ms"
check "stopped: every status query answered within 1 s" test "${worst:-99999}" -lt 1000
# Fill the stopped rsyslogd's socket queue: the next canary is refused
# (EAGAIN) and that is reported, without blocking xsmond.
python3 - "$RS/log.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setblocking(False)
try:
    for i in range(100000):
        s.sendto(b"<13>flood: filler %d" % i, sys.argv[1])
except BlockingIOError:
    pass
PY
check "queue full: canary unsent, stalled" rs_wait 10 "r['canary']['state'], 'stalled' in r['reason']" "('unsent', True)"
check "queue full: xsmond still answers" rs_is "r['status']" critical
kill -CONT "$RS_PID"
check "SIGCONT: ok again" rs_wait 10 "r['status']" ok

# Alive but not writing: a drop-in discards everything before omfile.
echo '*.* stop' >"$RS/rs.d/00-swallow.conf"
kill -HUP "$RS_PID"
sleep 0.5   # HUP does not reload the config: restart as an admin would
rs_stop TERM
rs_start
check "drop-in stop: critical, names the file" rs_wait 15 "r['status'], 'alive but $RS/messages did not receive' in r['reason']" "('critical', True)"
rm -f "$RS/rs.d/00-swallow.conf"
rs_stop TERM
rs_start
check "drop-in removed: ok" rs_wait 15 "r['status']" ok
check "restarts counted through all of it" rs_is "r['restarts']" 3

# Forwarding target absent, then present.
rs_recv_stop
check "receiver down: warning naming action fwd" rs_wait 20 "r['status'], \"action 'fwd'\" in r['reason']" "('warning', True)"
rs_recv_start
check "receiver back: ok" rs_wait 20 "r['status']" ok
check "no parse errors on real impstats" rs_is "r['parse_errors']" 0

finish
