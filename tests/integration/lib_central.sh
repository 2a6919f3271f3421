# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# Helpers for the fleet tests (sourced after lib.sh): a CENTRAL rsyslogd
# (imtcp, mmjsonparse) in a network namespace of its own, reached over a
# veth pair with TEST-NET-1 addresses, and a HOST rsyslogd that forwards
# to it with the shipped conf/rsyslog.d/60-xsmon-forward.conf (only the
# target and port substituted). The calling test already runs in a
# network namespace of its own (unshare -n), so the host side of the
# veth is private too. Every daemon is started here, stopped by PID and
# waited for.

RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
SRC=${XSMON_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CNS=xsmc$$                   # the collector's namespace
C=$T/central                 # its files
H=$T/host                    # the host rsyslogd's files
C_ADDR=192.0.2.2
H_ADDR=192.0.2.1
C_PORT=10514
C_PID=
H_PID=

# central_need: root and the tools, else skip (77). The calling test
# re-executes itself under `unshare -n` first, before lib.sh makes $T.
central_need() {
	need_root
	local c
	for c in ip python3; do
		command -v "$c" >/dev/null || { echo "SKIP: no $c"; exit 77; }
	done
	[[ -x $RSYSLOGD ]] || { echo "SKIP: no $RSYSLOGD"; exit 77; }
	[[ -n ${XSMON_CENTRAL_NS:-} ]] || { echo "FAIL: not in a private netns"; exit 1; }
}

# central_net: the collector's namespace and the veth pair cx0 (here,
# 192.0.2.1/28) -- cx1 (there, 192.0.2.2/28).
central_net() {
	ip link set lo up
	ip netns add "$CNS" || return 1
	ip link add cx0 type veth peer name cx1 || return 1
	ip link set cx1 netns "$CNS"
	ip addr add "$H_ADDR/28" dev cx0
	ip link set cx0 up
	ip netns exec "$CNS" ip link set lo up
	ip netns exec "$CNS" ip addr add "$C_ADDR/28" dev cx1
	ip netns exec "$CNS" ip link set cx1 up
}

# central_conf: the collector, from the shipped
# conf/rsyslog.d/central-xsmon.conf.example with only its address, port
# and paths substituted: every message to $C/all, each of xsmond's @cee
# alerts parsed by mmjsonparse and written as one JSON line to
# $C/alerts.json (the syslog header as the collector saw it, and every
# parsed field under "alert").
central_conf() {
	mkdir -p "$C/work"
	{
		printf 'global(workDirectory="%s")\n' "$C/work"
		sed -e "s|port=\"514\"|address=\"$C_ADDR\" port=\"$C_PORT\"|" \
		    -e "s|/var/log/remote.log|$C/all|" \
		    -e "s|/var/log/xsmon/%hostname%.json|$C/alerts.json|" \
		    "$SRC/conf/rsyslog.d/central-xsmon.conf.example"
	} >"$C/rs.conf"
}

central_start() {
	[[ -f $C/rs.conf ]] || central_conf
	rm -f "$C/rs.pid"
	# ip netns exec execs rsyslogd itself: $! is rsyslogd's pid.
	ip netns exec "$CNS" "$RSYSLOGD" -n -f "$C/rs.conf" -i "$C/rs.pid" 2>>"$C/err" &
	C_PID=$!
	wait_for 10 ip netns exec "$CNS" bash -c "exec 3<>/dev/tcp/$C_ADDR/$C_PORT"
}

# central_stop [SIGNAL]
central_stop() {
	[[ -n $C_PID ]] || return 0
	kill "-${1:-TERM}" "$C_PID" 2>/dev/null
	wait "$C_PID" 2>/dev/null || true
	C_PID=
}

# host_conf: a dom0-like rsyslogd: imuxsock on $H/log.sock, impstats
# every second, every message to $H/messages, then the shipped
# forwarding snippet with only target and port changed.
host_conf() {
	mkdir -p "$H/work"
	sed -e "s|target=\"collector.example.com\"|target=\"$C_ADDR\"|" \
	    -e "s|port=\"514\"|port=\"$C_PORT\"|" \
	    "$SRC/conf/rsyslog.d/60-xsmon-forward.conf" >"$H/60-xsmon-forward.conf"
	cat >"$H/rs.conf" <<EOC
global(workDirectory="$H/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$H/log.sock" CreatePath="on")
module(load="impstats" interval="1" format="json" log.syslog="off"
       log.file="$H/stats.json")
*.* action(type="omfile" name="messages" file="$H/messages")
include(file="$H/60-xsmon-forward.conf")
EOC
}

host_start() {
	[[ -f $H/rs.conf ]] || host_conf
	rm -f "$H/rs.pid"
	"$RSYSLOGD" -n -f "$H/rs.conf" -i "$H/rs.pid" 2>>"$H/err" &
	H_PID=$!
	wait_for 10 test -S "$H/log.sock" || return 1
	wait_for 10 bash -c "[ \"\$(cat '$H/rs.pid' 2>/dev/null)\" = $H_PID ]"
}

host_stop() {
	[[ -n $H_PID ]] || return 0
	kill "-${1:-TERM}" "$H_PID" 2>/dev/null
	wait "$H_PID" 2>/dev/null || true
	H_PID=
}

central_cleanup() {
	host_stop KILL
	central_stop KILL
	ip netns del "$CNS" 2>/dev/null || true
}

# calerts EXPR: a python expression over A, the list of parsed alerts
# that reached the collector (each {"hostname", "app", "severity",
# "facility", "alert": {...}}), in arrival order.
calerts() {
	python3 - "$C/alerts.json" "$1" <<'PY'
import json, sys
A = []
try:
    with open(sys.argv[1]) as f:
        A = [json.loads(l) for l in f if l.strip()]
except FileNotFoundError:
    pass
def seqs(run=None):
    return [a['alert']['seq'] for a in A if run is None or a['alert'].get('run') == run]
print(eval(sys.argv[2]))
PY
}
calerts_is() { [[ "$(calerts "$1" 2>/dev/null)" == "$2" ]]; }
# cwait SECONDS EXPR WANT
cwait() { wait_for "$1" calerts_is "$2" "$3"; }
