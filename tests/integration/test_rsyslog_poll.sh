#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The rsyslog check's liveness without a pidfd (use_pidfd = no, the path
# EL7-era dom0 kernels take): liveness "poll", kill -9 seen within the
# poll interval, the restarted rsyslogd's new pid seen and counted. Then,
# with the pidfd again, a killed rsyslogd whose parent does not reap it (a
# zombie: /proc/PID still there, kill -0 succeeds) is reported dead.

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
HOLDER=
trap '[ -n "$HOLDER" ] && { kill "$HOLDER"; wait "$HOLDER"; }; rs_cleanup; cleanup' EXIT
SOCK=$T/sock

rs_bringup "use_pidfd = no"

check "poll: ok" rs_wait 10 "r['status']" ok
check "poll: liveness is poll" rs_is "r['liveness']" poll
rs_stop KILL
t0=$(date +%s%N)
check "poll: kill -9 seen" rs_wait 5 "r['status'], 'not running' in r['reason']" "('critical', True)"
echo "poll: death seen after $(( ($(date +%s%N) - t0) / 1000000 )) ms (liveness_interval 500ms)"
rs_start
check "poll: new pid seen" rs_wait 10 "r['pid']" "$RS_PID"
check "poll: restart counted" rs_is "r['restarts']" 1
check "poll: ok again" rs_wait 10 "r['status']" ok

# Zombie: rsyslogd's parent (python) does not reap it until told to.
rs_stop TERM
kill "$XSMOND_PID"; wait "$XSMOND_PID"
rs_xsmond_conf "$T/x.conf"
start_xsmond "$T/x.conf" "$SOCK" || { echo "FAIL: xsmond"; exit 1; }
mkfifo "$T/reap"
python3 - "$RSYSLOGD" "$RS" "$T/reap" <<'PY' &
import subprocess, sys
rs, d, fifo = sys.argv[1:4]
p = subprocess.Popen([rs, "-n", "-f", d + "/rs.conf", "-i", d + "/rs.pid"],
                     stderr=subprocess.DEVNULL)
open(fifo).read()      # until the test says so: no wait(), a zombie
p.wait()
PY
HOLDER=$!
wait_for 10 test -s "$RS/rs.pid"
zpid=$(cat "$RS/rs.pid")
check "zombie: alive first (pidfd)" rs_wait 10 "r['status'], r['liveness'], r['pid']" "('ok', 'pidfd', $zpid)"
kill -9 "$zpid"
check "zombie: reported dead" rs_wait 5 "r['status'], 'zombie' in r['reason']" "('critical', True)"
check "zombie: kill -0 still succeeds" kill -0 "$zpid"
echo go >"$T/reap"
wait "$HOLDER"; HOLDER=

finish
