# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# The demo dom0's rsyslog (sourced by scripts/demo, which sets demo,
# xsmond, xsmonctl, sock, top and the demo_pids array): a private rsyslogd
# with $demo/var/log/messages, impstats and a named forwarding action to a
# second rsyslogd on 127.0.0.1, then a short scene: the check ok, a
# drop-in with "stop" (the case that started xsmon: alive, not writing),
# and back.

# impstats every second makes the demo lively; the idle benchmark sets
# the shipped snippet's interval (conf/rsyslog.d/10-xsmon-impstats.conf).
demo_rs=
demo_rs_pid=
demo_rs_recv_pid=

# demo_rsyslog_start_main: (re)starts the host rsyslogd, waits for its socket.
demo_rsyslog_start_main() {
	rm -f "$demo_rs/rs.pid"
	/usr/sbin/rsyslogd -n -f "$demo_rs/rs.conf" -i "$demo_rs/rs.pid" 2>>"$demo_rs/err" &
	demo_rs_pid=$!
	demo_pids+=("$demo_rs_pid")
	for _ in $(seq 100); do
		[[ -S $demo_rs/log.sock && -s $demo_rs/rs.pid ]] && return 0
		sleep 0.05
	done
	echo "demo: rsyslogd did not start: $(cat "$demo_rs/err")" >&2
	return 1
}

demo_rsyslog_setup() {
	local port
	demo_rs=$demo/rsyslog
	mkdir -p "$demo_rs/work" "$demo_rs/recv" "$demo_rs/rsyslog.d" "$demo/var/log"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$demo_rs/recv/rs.conf" <<EOC
global(workDirectory="$demo_rs/recv")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$port")
*.* action(type="omfile" file="$demo_rs/recv/central.log")
EOC
	/usr/sbin/rsyslogd -n -f "$demo_rs/recv/rs.conf" -i "$demo_rs/recv/rs.pid" 2>>"$demo_rs/err" &
	demo_rs_recv_pid=$!
	demo_pids+=("$demo_rs_recv_pid")
	cat >"$demo_rs/rs.conf" <<EOC
global(workDirectory="$demo_rs/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$demo_rs/log.sock" CreatePath="on")
module(load="impstats" interval="${demo_rs_impstats_interval:-1}" format="json" log.syslog="off" log.file="$demo/var/log/rsyslog-stats.json")
\$IncludeConfig $demo_rs/rsyslog.d/*.conf
*.info action(type="omfile" name="messages" file="$demo/var/log/messages")
*.* action(type="omfwd" name="central" target="127.0.0.1" port="$port" protocol="tcp"
       action.resumeRetryCount="-1" action.resumeInterval="1"
       queue.type="LinkedList" queue.filename="central" queue.saveOnShutdown="on")
EOC
	demo_rsyslog_start_main || return 1
	cat <<EOC
[rsyslog]
pidfile = $demo_rs/rs.pid
syslog_socket = $demo_rs/log.sock
target = $demo/var/log/messages
impstats = $demo/var/log/rsyslog-stats.json
canary_interval = 2s
canary_timeout = 1s
EOC
}

# demo_rsyslog_wait STATUS SECONDS: until the rsyslog check has STATUS.
demo_rsyslog_wait() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		"$xsmonctl" -s "$sock" --json show rsyslog 2>/dev/null |
			grep -q "\"rsyslog\":{\"status\":\"$1\"" && return 0
		sleep 0.1
	done
	return 1
}

demo_rsyslog_show() {
	echo "== rsyslog: alive, writing (canary), forwarding (impstats)"
	demo_rsyslog_wait ok 10 || true
	"$xsmonctl" -s "$sock" show rsyslog || true
	echo
	echo "== rsyslog: a drop-in that swallows everything, then a restart"
	echo '*.* stop' >"$demo_rs/rsyslog.d/00-swallow.conf"
	kill "$demo_rs_pid"; wait "$demo_rs_pid" 2>/dev/null || true
	demo_rsyslog_start_main
	demo_rsyslog_wait critical 10 || true
	"$xsmonctl" -s "$sock" status || true
	echo
	echo "== rsyslog: drop-in removed"
	rm -f "$demo_rs/rsyslog.d/00-swallow.conf"
	kill "$demo_rs_pid"; wait "$demo_rs_pid" 2>/dev/null || true
	demo_rsyslog_start_main
	demo_rsyslog_wait ok 10 || true
	"$xsmonctl" -s "$sock" status || true
}

demo_rsyslog_cleanup() {
	local p
	for p in "$demo_rs_pid" "$demo_rs_recv_pid"; do
		[[ -n $p ]] || continue
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	demo_rs_pid= demo_rs_recv_pid=
}
