# SPDX-License-Identifier: ISC
# Helpers for the rsyslog tests (sourced after lib.sh): a private rsyslogd
# with its own config, pid file, imuxsock socket, omfile target, impstats
# file and a named forwarding action with its own queue, and a second
# private rsyslogd (imtcp) as the forwarding receiver. Everything lives in
# $T; every process is started here, waited for (no zombies, whatever PID
# 1 does) and stopped by PID.

RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
RS=$T/rs
RS_PIDFILE=$RS/rs.pid     # a test may put it elsewhere
RS_PID=
RECV_PID=
RS_FWD_PORT=

rs_need() {
	need_root
	[ -x "$RSYSLOGD" ] || { echo "FAIL: no $RSYSLOGD"; exit 1; }
}

# A free TCP port on 127.0.0.1.
rs_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# rs_write_conf: the sender's config. Drop-ins in $RS/rs.d are included
# before the omfile rule, as /etc/rsyslog.d is on a dom0.
rs_write_conf() {
	mkdir -p "$RS/work" "$RS/rs.d"
	[ -n "$RS_FWD_PORT" ] || RS_FWD_PORT=$(rs_free_port)
	cat >"$RS/rs.conf" <<EOC
global(workDirectory="$RS/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$RS/log.sock" CreatePath="on")
module(load="impstats" interval="1" format="json" log.syslog="off"
       log.file="$RS/stats.json")
\$IncludeConfig $RS/rs.d/*.conf
*.* action(type="omfile" name="messages" file="$RS/messages")
*.* action(type="omfwd" name="fwd" target="127.0.0.1" port="$RS_FWD_PORT"
       protocol="tcp" action.resumeRetryCount="-1" action.resumeInterval="1"
       queue.type="LinkedList" queue.size="10000" queue.filename="fwdq"
       queue.saveOnShutdown="on")
EOC
}

# rs_start: starts the sender and waits for its pid file and socket.
rs_start() {
	rm -f "$RS_PIDFILE"
	"$RSYSLOGD" -n -f "$RS/rs.conf" -i "$RS_PIDFILE" 2>>"$RS/rsyslogd.err" &
	RS_PID=$!
	wait_for 10 test -S "$RS/log.sock" || return 1
	wait_for 10 bash -c "[ \"\$(cat '$RS_PIDFILE' 2>/dev/null)\" = $RS_PID ]"
}

# rs_stop [SIGNAL]: signals the sender and reaps it.
rs_stop() {
	[ -n "$RS_PID" ] || return 0
	kill "-${1:-TERM}" "$RS_PID" 2>/dev/null || true
	kill -CONT "$RS_PID" 2>/dev/null || true
	wait "$RS_PID" 2>/dev/null || true
	RS_PID=
}

# rs_recv_start / rs_recv_stop: the forwarding receiver on RS_FWD_PORT.
rs_recv_start() {
	mkdir -p "$T/recv/work"
	cat >"$T/recv/rs.conf" <<EOC
global(workDirectory="$T/recv/work")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$RS_FWD_PORT")
*.* action(type="omfile" file="$T/recv/messages")
EOC
	"$RSYSLOGD" -n -f "$T/recv/rs.conf" -i "$T/recv/rs.pid" 2>>"$T/recv/err" &
	RECV_PID=$!
	wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$RS_FWD_PORT" 2>/dev/null
}

rs_recv_stop() {
	[ -n "$RECV_PID" ] || return 0
	kill "$RECV_PID" 2>/dev/null
	wait "$RECV_PID" 2>/dev/null || true
	RECV_PID=
}

# rs_xsmond_conf FILE [extra [rsyslog] lines]: xsmond watching the sender
# with short intervals (RS_CANARY_INTERVAL, RS_CANARY_TIMEOUT override
# them); logfs points at $T so it stays quiet; the other watchers are off.
rs_xsmond_conf() {
	local f=$1; shift
	{
		printf '[nics]\nenabled = no\n[xenstore]\nenabled = no\n'
		printf '[logfs]\npath = %s\n' "$T"
		printf '[rsyslog]\npidfile = %s\nsyslog_socket = %s\n' \
			"$RS_PIDFILE" "$RS/log.sock"
		printf 'target = %s\nimpstats = %s\n' "$RS/messages" "$RS/stats.json"
		printf 'canary_interval = %s\ncanary_timeout = %s\n' \
			"${RS_CANARY_INTERVAL:-2s}" "${RS_CANARY_TIMEOUT:-1s}"
		printf 'impstats_max_age = 10s\nliveness_interval = 500ms\n'
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$f"
}

rs_cleanup() {
	rs_stop KILL
	rs_recv_stop
}

# rs_get EXPR: a python expression on checks.rsyslog of "show rsyslog" (r).
rs_get() {
	query "$SOCK" "show rsyslog" | python3 -c "
import json, sys
r = json.load(sys.stdin)['rsyslog']
print(($1))"
}
# rs_is EXPR WANT / rs_wait SECONDS EXPR WANT
rs_is() { [[ "$(rs_get "$1" 2>/dev/null)" == "$2" ]]; }
rs_wait() { local s=$1; shift; wait_for "$s" rs_is "$@"; }

# rs_bringup [LINE...]: the usual start of an rsyslog test: the
# receiver, a real rsyslogd with rs_write_conf's config, and xsmond on
# $SOCK with rs_xsmond_conf's config ($T/x.conf, LINEs appended). Any
# step failing ends the test as failed, with rsyslogd's stderr.
rs_bringup() {
	rs_write_conf
	rs_recv_start || { echo "FAIL: receiver did not start"; exit 1; }
	rs_start || { echo "FAIL: rsyslogd did not start"; cat "$RS/rsyslogd.err"; exit 1; }
	rs_xsmond_conf "$T/x.conf" "$@"
	start_xsmond "$T/x.conf" "$SOCK" || { echo "FAIL: xsmond"; exit 1; }
}
