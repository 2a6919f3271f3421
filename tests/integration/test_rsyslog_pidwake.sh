#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Without a pidfd (use_pidfd = no, as on EL7-era dom0 kernels) and with
# rsyslogd alive, unrelated files written in the pid file's directory
# (/run on a dom0: utmp, other daemons' pid and lock files) must not wake
# xsmond: the liveness poll reads the pid file anyway. 100 files are
# created there over about 2 s; xsmond's context switches over that time
# must stay far below one per file. The pid file directory is watched
# only while no live rsyslogd is known: a restart is still picked up.

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
trap 'rs_cleanup; cleanup' EXIT
SOCK=$T/sock
RUN=$T/run
mkdir -p "$RUN"
RS_PIDFILE=$RUN/rsyslogd.pid

rs_write_conf
# The pid file's directory holds nothing else of ours; no impstats, no
# forwarding: only the liveness poll and the canary could wake xsmond.
sed -i '/impstats\|omfwd\|queue\.\|action\.resume/d' "$RS/rs.conf"
rs_start || { echo "FAIL: rsyslogd did not start"; exit 1; }
RS_CANARY_INTERVAL=1h RS_CANARY_TIMEOUT=5s rs_xsmond_conf "$T/x.conf"
sed -i '/^impstats/d' "$T/x.conf"
printf 'use_pidfd = no\nliveness_interval = 5s\n' >>"$T/x.conf"
sed -i '/^liveness_interval = 500ms/d' "$T/x.conf"
start_xsmond "$T/x.conf" "$SOCK" || { echo "FAIL: xsmond"; exit 1; }
check "ok, liveness poll" rs_wait 10 "r['status'], r['liveness']" "('ok', 'poll')"
sleep 1         # the first canary's reads are over

switches() {
	awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n }' \
		/proc/"$XSMOND_PID"/task/*/status
}
s0=$(switches)
for i in $(seq 100); do
	echo x >"$RUN/other-$i.pid"
	sleep 0.02
done
s1=$(switches)
echo "100 files in the pid file's directory: $((s1 - s0)) context switches"
check "unrelated files there: fewer than 30 wakeups" test $((s1 - s0)) -lt 30

# A restart is still seen (by the poll, and by the directory watch once
# the old one is known dead).
old=$RS_PID
rs_stop KILL
rs_start
check "restart: new pid seen" rs_wait 15 "r['pid']" "$RS_PID"
check "restart: counted" rs_is "r['restarts']" 1
check "restart: a different pid" test "$RS_PID" != "$old"
check "ok again" rs_wait 10 "r['status']" ok

finish
