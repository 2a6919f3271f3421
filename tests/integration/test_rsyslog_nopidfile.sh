#!/bin/bash
# SPDX-License-Identifier: ISC
#
# An rsyslogd that writes no pid file, as Debian's rsyslog.service runs
# it (rsyslogd -n -iNONE), and no pid file configured: xsmond finds it in
# /proc by name (the oldest one), watches it as usual (pidfd), sees it
# die, and finds the next one. Runs in a PID namespace of its own with
# its own /proc, so that only this test's rsyslogds are there to be found.
# A second, later rsyslogd (a decoy with a config of its own) runs while
# xsmond first looks: the oldest is the one to watch, not the newest.

if [[ -z ${XSMON_IN_PIDNS:-} ]]; then
	((EUID == 0)) || { echo "SKIP: needs root"; exit 77; }
	exec unshare -p -f --mount-proc env XSMON_IN_PIDNS=1 bash "$0" "$@"
fi

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
DECOY_PID=
trap 'decoy_stop; rs_cleanup; cleanup' EXIT
SOCK=$T/sock

# rs_start_nofile: the sender with -iNONE; waits for its socket.
rs_start_nofile() {
	"$RSYSLOGD" -n -iNONE -f "$RS/rs.conf" 2>>"$RS/rsyslogd.err" &
	RS_PID=$!
	wait_for 10 test -S "$RS/log.sock"
}

# decoy_start / decoy_stop: a later, private rsyslogd (no pid file either).
decoy_start() {
	mkdir -p "$T/decoy/work"
	cat >"$T/decoy/rs.conf" <<EOC
global(workDirectory="$T/decoy/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$T/decoy/log.sock" CreatePath="on")
*.* action(type="omfile" file="$T/decoy/messages")
EOC
	"$RSYSLOGD" -n -iNONE -f "$T/decoy/rs.conf" 2>>"$T/decoy/err" &
	DECOY_PID=$!
	wait_for 10 test -S "$T/decoy/log.sock"
}
decoy_stop() {
	[ -n "$DECOY_PID" ] || return 0
	kill -KILL "$DECOY_PID" 2>/dev/null
	wait "$DECOY_PID" 2>/dev/null || true
	DECOY_PID=
}

rs_write_conf
rm -f "$RS/log.sock"
rs_start_nofile || { echo "FAIL: rsyslogd did not start"; exit 1; }
check "rsyslogd wrote no pid file" test ! -e "$RS_PIDFILE"
sleep 0.1   # a later starttime (clock ticks) for the decoy
decoy_start || { echo "FAIL: the decoy rsyslogd did not start"; exit 1; }
RS_PIDFILE=
rs_xsmond_conf "$T/xsmond.conf"
check "config has an empty pidfile" grep -qx 'pidfile = ' "$T/xsmond.conf"
start_xsmond "$T/xsmond.conf" "$SOCK"

check "found in /proc: ok, the oldest's pid (not the later decoy's)" \
	rs_wait 10 "r['status'], r['pid']" "('ok', $RS_PID)"
check "no pid file in use" rs_is "r['pidfile']" None
check "canary delivered" rs_is "r['canary']['state']" delivered
check "watched by its pidfd" rs_is "r['liveness']" pidfd
decoy_stop
# (pid only: with no forwarding receiver the fwd queue warns after ~4 s)
check "the decoy gone: still watching the same one" rs_is "r['pid'], r['restarts']" "($RS_PID, 0)"

old=$RS_PID
rs_stop KILL
check "killed: critical, names the missing pid file and /proc" rs_wait 3 \
	"r['status'], 'no rsyslogd in /proc' in r['reason']" "('critical', True)"
rm -f "$RS/log.sock"
rs_start_nofile || { echo "FAIL: rsyslogd did not restart"; exit 1; }
check "restarted: the new one found" rs_wait 15 "r['status'], r['pid']" "('ok', $RS_PID)"
check "a different pid, one restart" rs_is "r['pid'] != $old, r['restarts']" "(True, 1)"
check "xsmond alive" kill -0 "$XSMOND_PID"
finish
