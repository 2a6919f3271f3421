#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Runs INSIDE the QEMU dom0 booted with systemd as init
# (scripts/dom0/run-in-dom0 --init systemd, which shares the host-built
# .deb as /mnt/host/pkg/xsmon_*.deb): xsmond from the shipped, hardened
# units under a real systemd (252 in bookworm).
#  1. dpkg -i the .deb (its Depends are in the image).
#  2. Socket activation: xsmonctl through /run/xsmond/xsmond.sock starts
#     xsmond.service; Type=notify reaches active; StatusText is xsmond's
#     STATUS= line.
#  3. The watchdog is fed (a drop-in shortens WatchdogSec to 3s): active
#     after 8 s, no restart, WatchdogTimestamp advances. A SIGSTOPped
#     xsmond is killed for it and restarted (Restart=on-failure).
#  4. systemctl reload: a good config is taken, a bad one is rejected and
#     shown (daemon.config_error, StatusText) and systemctl reload fails,
#     the service stays active; fixed and reloaded, the error is gone.
#  5. systemctl stop is clean (Result=success, status 0); the socket unit
#     keeps listening and the next xsmonctl activates xsmond again.
#  6. The sandbox costs nothing: no seccomp/EPERM in the journal, no
#     capabilities, no_new_privs, seccomp on; xenstore, nics, logfs ok.
. "$(dirname "$0")/lib.sh"

SOCK=/run/xsmond/xsmond.sock
U=xsmond.service
XSMONCTL=/usr/bin/xsmonctl
echo "# dom0: $(uname -r), $(systemctl --version | head -1)," \
	"xenstored: $(ps -eo comm | grep -E '^o?xenstored$' | head -1)"
check "PID 1 is systemd" test "$(cat /proc/1/comm)" = systemd
prop() { systemctl show -p "$2" --value "$1"; }
prop_is() { # prop_is UNIT PROP WANT
	local got; got=$(prop "$1" "$2")
	[[ $got == "$3" ]] && return 0
	echo "   $1 $2 = '$got', want '$3'" >&2; return 1
}
# (wait_for runs its command again: no "$(...)" in its arguments.)
is_active() { [[ $(systemctl is-active "$U") == active ]]; }
wait_active() { wait_for "$1" is_active; }
statustext_set() { [[ -n $(prop $U StatusText) ]]; }
statustext_has() { [[ $(prop $U StatusText) == *"$1"* ]]; }
statustext_lacks() { [[ $(prop $U StatusText) != *"$1"* ]]; }
# Not grep -q: under pipefail the writer's SIGPIPE would fail the pipe.
jgrep() { journalctl -u $U -b --no-pager -q | grep -- "$1" >/dev/null; }
activate() { # xsmonctl status through the socket answered by xsmond
	# (exit 3 is also an UNKNOWN status: the rsyslog canary is pending).
	local rc
	timeout 90 "$XSMONCTL" --no-color status >"$T/activate.out" 2>&1
	rc=$?
	echo "   xsmonctl status exit $rc: $(head -1 "$T/activate.out")"
	((rc <= 3)) && grep '^xsmond [0-9.]* on ' "$T/activate.out" >/dev/null
}

# --- 1. the package
deb=$(ls /mnt/host/pkg/xsmon_*.deb 2>/dev/null | head -1)
if [[ -z $deb ]]; then
	not_ok "no .deb in /mnt/host/pkg (run-in-dom0 packs it with --init systemd)"
	finish; exit 1
fi
dpkg_i() { dpkg -i "$1" >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; return 1; }; }
check "dpkg -i $(basename "$deb")" dpkg_i "$deb"
check "dpkg: xsmon installed" test "$(dpkg-query -W -f '${Status}' xsmon 2>/dev/null)" = "install ok installed"
for f in /usr/sbin/xsmond /usr/bin/xsmonctl /lib/systemd/system/xsmond.service \
	/lib/systemd/system/xsmond.socket /etc/xsmond.conf; do
	check "installed $f" test -e "$f"
done
check "/etc/xsmond.conf is a conffile" grep -qx ' */etc/xsmond.conf [0-9a-f]*' \
	<(dpkg-query -W -f '${Conffiles}\n' xsmon)
check "shipped unit sets WatchdogSec" grep -qE '^WatchdogSec=[1-9]' /lib/systemd/system/xsmond.service

# --- 2. config, socket activation, Type=notify
modprobe dummy 2>/dev/null
ip link add xsm-mgmt type dummy
ip link set xsm-mgmt up
ip addr add 192.0.2.10/24 dev xsm-mgmt
rsyslog=no
pidof rsyslogd >/dev/null && rsyslog=yes
ovs="; ovs-vswitchd runs: the default ovs-appctl is used (spawned in the sandbox)"
pidof ovs-vswitchd >/dev/null || ovs="ovs_appctl = /nonexistent/ovs-appctl"
# Debian 12's rsyslog.conf has no /var/log/messages (xsmond's default,
# XenServer's); *.* goes to /var/log/syslog.
rtarget=
grep -E '^[^#]*[[:space:]]-?/var/log/messages' /etc/rsyslog.conf >/dev/null ||
	rtarget="target = /var/log/syslog"
echo "# rsyslog target: ${rtarget:-default}"
echo "# rsyslogd running: $rsyslog; ovs-vswitchd: $(pidof ovs-vswitchd >/dev/null && echo running || echo not running)"
write_conf() { # write_conf WARNING [EXTRA-LOGFS-LINE]
	cat >/etc/xsmond.conf <<CONF
[logfs]
path = /var/log
warning = $1
${2:-}
[nics]
management = xsm-mgmt
$ovs
[rsyslog]
enabled = $rsyslog
$rtarget
[xenstore]
; the default socket
CONF
}
write_conf 80
check "config valid (xsmond -n)" /usr/sbin/xsmond -n -f /etc/xsmond.conf
# The test's drop-in: a short watchdog, so 8 s outlast it.
mkdir -p /etc/systemd/system/xsmond.service.d
printf '[Service]\nWatchdogSec=3s\n' >/etc/systemd/system/xsmond.service.d/test-watchdog.conf
check "systemctl daemon-reload" systemctl daemon-reload
check "systemctl start xsmond.socket" systemctl start xsmond.socket
check "xsmond.socket listening" test "$(systemctl is-active xsmond.socket)" = active
check "socket exists before xsmond runs" test -S "$SOCK"
check "xsmond.service not started yet" test "$(systemctl is-active $U)" = inactive
echo "   $(stat -c '%n %U:%G %a' /run/xsmond "$SOCK" | tr '\n' ' ')"
t=$SECONDS
check "xsmonctl status activates xsmond" activate
check "xsmond.service active (Type=notify READY=1)" wait_active 60
echo "   active after $((SECONDS - t)) s"
check "TriggeredBy the socket" prop_is $U TriggeredBy xsmond.socket
check "Type=notify" prop_is $U Type notify
check "StatusText set" wait_for 20 statustext_set
st=$(prop $U StatusText)
echo "   StatusText=$st"
check "StatusText is xsmond's STATUS= line" \
	test "${st%%[:;]*}" = "$(xj status "d['status']")"
check "journal: xsmond used the passed socket" \
	wait_for 10 jgrep 'using the socket passed by systemd'
echo "--- xsmonctl status (activation)"; cat "$T/activate.out"

# --- 6 (first part). the sandbox
check "xenstore check ok (root, no capabilities)" wait_xj 60 status "d['checks']['xenstore']['status']" ok
echo "   xenstore: $(xj status "d['checks']['xenstore'].get('reason')")"
check "domain 0 listed" wait_xj 10 domains "dom(d,0) is not None" True
check "nics check ok (sees xsm-mgmt)" wait_xj 30 status "d['checks']['nics']['status']" ok
check "nics lists xsm-mgmt" wait_xj 10 "show nics" "ifc('xsm-mgmt') is not None" True
check "logfs check ok" wait_xj 30 status "d['checks']['logfs']['status']" ok
if [[ $rsyslog == yes ]]; then
	check "rsyslog check ok" wait_xj 60 status "d['checks']['rsyslog']['status']" ok
	echo "   rsyslog: $(xj status "d['checks']['rsyslog'].get('reason')")"
	echo "--- xsmonctl show rsyslog"; "$XSMONCTL" --no-color show rsyslog
fi
pid=$(prop $U MainPID)
echo "   xsmond pid $pid: $(grep -E '^(CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/"$pid"/status | tr -s '\t\n' ' ')"
check "no effective capabilities" grep -qx 'CapEff:	0000000000000000' /proc/"$pid"/status
check "empty bounding set" grep -qx 'CapBnd:	0000000000000000' /proc/"$pid"/status
check "no_new_privs" grep -qx 'NoNewPrivs:	1' /proc/"$pid"/status
check "seccomp filter on" grep -qx 'Seccomp:	2' /proc/"$pid"/status
check "runs as root" test "$(stat -c %u /proc/"$pid")" = 0

# --- 3. the watchdog
check "WatchdogUSec 3s (drop-in)" prop_is $U WatchdogUSec 3s
check "journal: xsmond pings the watchdog" \
	jgrep 'systemd watchdog every 1.500s'
w1=$(prop $U WatchdogTimestampMonotonic)
sleep 8
w2=$(prop $U WatchdogTimestampMonotonic)
echo "   WatchdogTimestampMonotonic $w1 -> $w2 ($(prop $U WatchdogTimestamp))"
check "WatchdogTimestamp advances" test "${w2:-0}" -gt "${w1:-0}"
check "still active after 8 s > WatchdogSec" test "$(systemctl is-active $U)" = active
check "NRestarts 0" prop_is $U NRestarts 0
check "same MainPID" prop_is $U MainPID "$pid"

# --- 4. reload: good, bad, fixed
write_conf 70
check "systemctl reload (good config)" systemctl reload $U
check "new threshold in show logfs" wait_xj 20 "show logfs" "d['logfs']['bytes']['warning']" 70.0
check "daemon.reloads 1" xj_is status "d['daemon']['reloads']" 1
check "no config_error" xj_is status "d['daemon']['config_error']" None
check "active after the good reload" wait_active 10
write_conf 60 "no_such_key = 1"
check "xsmond -n rejects the bad config" eval '! /usr/sbin/xsmond -n -f /etc/xsmond.conf >"$T/bad-n.out" 2>&1'
sed 's/^/   /' "$T/bad-n.out"
if systemctl reload $U 2>"$T/reload-bad.err"; then r=0; else r=$?; fi
echo "   systemctl reload (bad config) exit $r $(cat "$T/reload-bad.err")"
check "bad config: systemctl reload fails (exit $r)" test "$r" -ne 0
check "bad config: error in daemon.config_error" \
	wait_xj 20 status "'unknown key' in (d['daemon']['config_error'] or '')" True
echo "   config_error: $(xj status "d['daemon']['config_error']")"
check "bad config: the running config stays (warning 70)" \
	xj_is "show logfs" "d['logfs']['bytes']['warning']" 70.0
check "bad config: reload_failures 1" xj_is status "d['daemon']['reload_failures']" 1
check "bad config: xsmonctl status shows it" \
	eval '"$XSMONCTL" --no-color status | grep "last reload failed: .*unknown key" >/dev/null'
check "bad config: StatusText shows it" wait_for 20 statustext_has "reload failed"
echo "   StatusText=$(prop $U StatusText)"
check "bad config: still active" wait_active 10
check "bad config: same MainPID" prop_is $U MainPID "$pid"
write_conf 75
check "systemctl reload (fixed config)" systemctl reload $U
check "fixed: config_error gone" wait_xj 20 status "d['daemon']['config_error']" None
check "fixed: threshold 75" xj_is "show logfs" "d['logfs']['bytes']['warning']" 75.0
check "fixed: StatusText clean" wait_for 20 statustext_lacks "reload failed"
echo "   StatusText=$(prop $U StatusText)"
check "fixed: active, same MainPID" prop_is $U MainPID "$pid"

# --- 3b. a stuck loop is caught: SIGSTOP, the watchdog fires, restart.
kill -STOP "$pid"
t=$SECONDS
check "stopped xsmond: watchdog timeout in the journal" \
	wait_for 30 jgrep 'Watchdog timeout'
check "restarted (NRestarts 1)" wait_for 40 prop_is $U NRestarts 1
check "active again after the restart" wait_active 60
echo "   watchdog kill + restart in $((SECONDS - t)) s; new pid $(prop $U MainPID)"
pid=$(prop $U MainPID)

# --- 5. a clean stop, then activation again
check "systemctl stop xsmond" systemctl stop $U
check "inactive" test "$(systemctl is-active $U)" = inactive
echo "   $(systemctl show -p Result,ExecMainCode,ExecMainStatus $U | tr '\n' ' ')"
check "Result=success" prop_is $U Result success
check "ExecMainStatus 0" prop_is $U ExecMainStatus 0
check "ExecMainCode exited" prop_is $U ExecMainCode 1
check "xsmond.socket still listening" test "$(systemctl is-active xsmond.socket)" = active
check "socket file kept" test -S "$SOCK"
check "xsmond gone" eval '! kill -0 '"$pid"' 2>/dev/null'
check "xsmonctl status activates xsmond again" activate
check "active again" wait_active 60
check "new MainPID" eval 'test "$(prop $U MainPID)" != "$pid" && test "$(prop $U MainPID)" != 0'

# --- 6 (second part). nothing denied in the journal
journalctl -u $U -b --no-pager -o short-monotonic >"$T/journal-xsmond.log"
journalctl -k -b --no-pager >"$T/journal-kernel.log"
check "journal: no seccomp / EPERM / SIGSYS" eval '! grep -Ei "seccomp|operation not permitted|permission denied|SIGSYS|status=31" "$T/journal-xsmond.log"'
check "kernel log: no seccomp audit" eval '! grep -Ei "type=1326|audit:.*seccomp" "$T/journal-kernel.log"'
echo "--- journalctl -u xsmond"; cat "$T/journal-xsmond.log"
echo "--- xsmonctl status"; "$XSMONCTL" --no-color status
systemctl stop xsmond.service xsmond.socket
finish
