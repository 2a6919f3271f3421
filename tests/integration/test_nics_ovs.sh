#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Open vSwitch through ovs-appctl, with a stand-in script (lib_nics.sh's
# nics_fake_ovs) printing the formats of bond/show and dpif/show. xenbr0
# is a veth whose peer stays up (like an OVS internal port, its carrier
# never drops; no dummy module on every kernel);
# its uplink eth0 and a guest's vif1.0 are veths whose master is not the
# bridge: only dpif/show says they belong to it. Then the child going
# wrong: failing, hanging (with a grandchild holding the pipe), and
# xsmond stopped while one hangs.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_nics.sh"
nics_reexec "$@"

SOCK=$T/sock
OVS=$T/ovs-appctl
ip link add xenbr0 type veth peer name xi
ip link set xenbr0 up; ip link set xi up
ip addr add 10.0.0.2/24 dev xenbr0
ip link add eth0 type veth peer name p0
ip link add vif1.0 type veth peer name g1
ip link set eth0 up; ip link set p0 up; ip link set vif1.0 up
nics_fake_ovs "$OVS"
printf '%s\n' "system@ovs-system: hit:10 missed:2" "  xenbr0:" \
	"    eth0 1/2: (system)" "    vif1.0 2/3: (system)" \
	"    xenbr0 65534/1: (internal)" >"$OVS.dpif"
kill_fakes() { local p; for p in $(nics_alive_pids "$OVS"); do kill -9 "$p" 2>/dev/null || true; done; }
trap 'kill_fakes; cleanup' EXIT
lines_ge() { (( $(wc -l <"$1") >= $2 )); }

# ovs-vswitchd "runs": its pid file where ovs-appctl looks (OVS_RUNDIR).
export OVS_RUNDIR=$T/ovsrun
mkdir -p "$OVS_RUNDIR"
echo $$ >"$OVS_RUNDIR/ovs-vswitchd.pid"
nics_conf "$T/c.conf" "management = xenbr0" "ovs_appctl = $OVS" "bond_interval = 60s"
start_xsmond "$T/c.conf" "$SOCK"
check "ovs read: bonds and the bridge's uplinks" nwait 5 \
	"d['status'], d['ovs']['state'], len(d['ovs']['bonds']), d['ovs']['ports']" \
	"('ok', 'ok', 1, [{'bridge': 'xenbr0', 'name': 'eth0'}])"
check "eth0 judged under management, vif1.0 not" nq_is \
	"ifc('eth0')['role'], ifc('vif1.0')['role']" "('management', None)"
calls=$(wc -l <"$OVS.calls")
check "one bond/show and one dpif/show per poll" test "$calls" -eq 2

ip link set p0 down
check "uplink lost under an OVS bridge: critical" nwait 5 "d['status'], d['reason']" \
	"('critical', 'management xenbr0 has no working uplink (eth0 down)')"
check "an OVS port's carrier change polls OVS again (not 60 s later)" \
	wait_for 5 lines_ge "$OVS.calls" 4
ip link set p0 up
check "uplink back: ok" nwait 5 "d['status']" ok

# Failing: warning with ovs-appctl's first line, bonds forgotten, logged once.
touch "$OVS.fail"
nics_conf "$T/c.conf" "management = xenbr0" "ovs_appctl = $OVS" "bond_interval = 1s"
kill -HUP "$XSMOND_PID"
check "failing ovs-appctl: warning with its first line" nwait 5 "d['status'], d['reason']" \
	"('warning', 'management xenbr0 up, 10.0.0.2/24; ovs-appctl bond/show: exit status 1: 2024-01-01T00:00:00Z|00001|unixctl|WARN|failed to connect to /var/run/openvswitch/ovs-vswitchd.1.ctl')"
check "stale bonds and ports cleared" nq_is "d['ovs']['bonds'], d['ovs']['ports']" "([], [])"
n=$(wc -l <"$OVS.calls")
wait_for 5 lines_ge "$OVS.calls" $((n + 2)) || true
check "failure logged once" test "$(grep -c '^nics: ovs-appctl bond/show: exit' "$T/xsmond.log")" -eq 1
check "ovs-appctl's stderr not copied into the log" test "$(grep -v '^nics: ' "$T/xsmond.log" | grep -c unixctl)" -eq 0
rm "$OVS.fail"
check "recovers" nwait 5 "d['status'], d['ovs']['state'], len(d['ovs']['bonds'])" "('ok', 'ok', 1)"

# Installed but ovs-vswitchd not running (a Linux bridge host), and no
# OVS datapath in the kernel: not asked, nothing judged, no warning.
rm "$OVS_RUNDIR/ovs-vswitchd.pid"
check "vswitchd not running, no datapath: absent, ok" nwait 5 \
	"d['status'], d['ovs']['state'], d['ovs']['bonds']" "('ok', 'absent', [])"
n=$(wc -l <"$OVS.calls")
sleep 2.5
check "... and ovs-appctl not run (bond_interval 1s)" test "$(wc -l <"$OVS.calls")" -eq "$n"
echo $$ >"$OVS_RUNDIR/ovs-vswitchd.pid"
check "vswitchd back: read again" nwait 5 "d['status'], d['ovs']['state'], len(d['ovs']['bonds'])" "('ok', 'ok', 1)"

# Hanging, with a grandchild holding the pipe: killed at the deadline
# (5 s), process group and all, reaped, and reported.
hn=$(wc -l <"$OVS.pids")
touch "$OVS.hang"
check "hanging ovs-appctl: timeout reported" nwait 10 "d['status'], d['ovs']['state'], d['ovs']['bonds']" \
	"('warning', 'ovs-appctl bond/show: timeout', [])"
sleep 0.3
first=$(sed -n "$((hn + 1)),$((hn + 2))p" "$OVS.pids" | tr '\n' ' ')
check "the hung run's child and grandchild are gone ($first)" \
	bash -c "for p in $first; do [[ \$(awk '{print \$3}' /proc/\$p/stat 2>/dev/null) =~ ^[RSD]\$ ]] && exit 1; done; exit 0"
check "no zombie children of xsmond" test -z "$(ps -o stat= --ppid "$XSMOND_PID" | grep Z || true)"
check "timeout logged once" test "$(grep -c '^nics: ovs-appctl bond/show: timeout' "$T/xsmond.log")" -eq 1

# xsmond stopped while a child hangs: nothing is left behind.
n=$(wc -l <"$OVS.pids")
check "another hanging run starts" wait_for 10 lines_ge "$OVS.pids" $((n + 1))
sleep 0.2
stop_xsmond
sleep 0.2
check "stopping xsmond kills the running child and its grandchild" test -z "$(nics_alive_pids "$OVS")"
finish
