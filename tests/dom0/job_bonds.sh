#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Runs INSIDE the QEMU dom0 (scripts/dom0/run-in-dom0): real bonds in the
# Debian dom0 kernel, judged as README "How the nics check decides" says.
#  1. management = a Linux active-backup bond over two dummy links
#     (modprobe bonding): one slave down is a warning ("degraded"), both
#     critical, both back ok; the alert stream says warning, critical, ok.
#  2. storage = an Open vSwitch bridge whose uplink is an OVS bond over
#     two dummy links (openvswitch-switch started here): the same.
. "$(dirname "$0")/lib.sh"

SOCK=/run/xsmond-test/xsmond.sock
mkdir -p /run/xsmond-test
modprobe dummy 2>/dev/null
modprobe bonding 2>/dev/null

ip link add xsm-bond type bond mode active-backup miimon 100
for s in xsm-d0 xsm-d1; do
	ip link add "$s" type dummy
	ip link set "$s" master xsm-bond
done
ip link set xsm-bond up
ip addr add 192.0.2.20/24 dev xsm-bond
ok "Linux bond xsm-bond over xsm-d0 xsm-d1"

ovs=no
t=$SECONDS
if /etc/init.d/openvswitch-switch start >"$T/ovs-start.log" 2>&1 &&
	ovs-vsctl --timeout 20 add-br xsm-ovsbr; then
	for s in xsm-o0 xsm-o1; do ip link add "$s" type dummy; ip link set "$s" up; done
	ovs-vsctl --timeout 20 add-bond xsm-ovsbr xsm-ovsbond xsm-o0 xsm-o1 bond_mode=active-backup
	ip link set xsm-ovsbr up
	ip addr add 198.51.100.20/24 dev xsm-ovsbr
	ovs=yes
	ok "Open vSwitch bond xsm-ovsbond over xsm-o0 xsm-o1 ($((SECONDS - t)) s to start OVS)"
else
	not_ok "openvswitch-switch start: $(tail -3 "$T/ovs-start.log")"
fi

cat >"$T/xsmond.conf" <<CONF
[control]
socket = $SOCK
[logfs]
path = /var/log
[nics]
management = xsm-bond
$([[ $ovs == yes ]] && echo "storage = xsm-ovsbr" || echo "ovs_appctl = /nonexistent/ovs-appctl")
bond_interval = 2s
[rsyslog]
enabled = no
[xenstore]
enabled = no
CONF
check "xsmond starts" start_xsmond "$T/xsmond.conf"
start_watch || not_ok "xsmonctl watch subscribes"
check "nics ok with every link up" wait_xj 30 status "d['checks']['nics']['status']" ok
echo "   $(xj status "d['checks']['nics']['reason']")"

# nics_is STATUS SUBSTRING: the nics check has STATUS and its reason
# contains SUBSTRING.
nics_is() {
	xj_is status "d['checks']['nics']['status'], '$2' in d['checks']['nics']['reason']" "('$1', True)"
}
nics_reason() { xj status "d['checks']['nics']['reason']"; }
ifc_says() { xj "show nics" "(ifc('$1') or {}).get('status'), (ifc('$1') or {}).get('reason')"; }

# lose ROLE LINK1 LINK2 DEGRADED: LINK2 down (a warning whose reason says
# DEGRADED), LINK1 down too (critical), both up again (ok). The check's
# own alerts over the three steps: warning, critical, ..., ok.
lose() {
	local role=$1 a=$2 b=$3 degraded=$4 t n0
	n0=$(severities "" | wc -w)
	ip link set "$b" down
	t=$SECONDS
	check "$role: $b down is a warning ($degraded)" wait_for 20 nics_is warning "$degraded"
	echo "   after $((SECONDS - t)) s: $(nics_reason)"
	echo "   $role: $(ifc_says "$role"); $b: $(ifc_says "$b")"
	ip link set "$a" down
	t=$SECONDS
	# "has no carrier" or "has no working uplink", whichever the kernel's
	# linkwatch makes first: both name the two links.
	check "$role: $a down too is critical" wait_for 20 nics_is critical "($a down, $b down)"
	echo "   after $((SECONDS - t)) s: $(nics_reason)"
	echo "   $role: $(ifc_says "$role")"
	ip link set "$a" up
	ip link set "$b" up
	t=$SECONDS
	check "$role: both back is ok" wait_xj 20 status "d['checks']['nics']['status']" ok
	echo "   after $((SECONDS - t)) s: $(nics_reason)"
	sleep 1
	local sev
	sev=$(severities "" | cut -d' ' -f$((n0 + 1))-)
	echo "   nics alerts: $sev; $role alerts: $(severities "$role")"
	check "$role: nics alerts warning, critical, ..., ok" \
		test "${sev%% ok}" != "$sev" -a "${sev#warning critical}" != "$sev"
}
lose xsm-bond xsm-d0 xsm-d1 "xsm-bond degraded: 1/2 slaves up"
if [[ $ovs == yes ]]; then
	echo "--- ovs-appctl bond/show"; ovs-appctl bond/show
	lose xsm-ovsbr xsm-o0 xsm-o1 "xsm-o1 down"
fi
echo "--- alert stream"; cat "$T/watch.ndjson"
check "xsmond still running" kill -0 "$XSMOND_PID"
echo "--- xsmond -d log"; cat "$T/xsmond.log"
finish
