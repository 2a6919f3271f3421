#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The nics watcher in a network namespace of its own (fault test 5): a
# management bridge xenbr0 over veth eth0 and a storage veth eth1, with
# xsmond inside the namespace. Carrier loss (the peer set down) and
# return, admin down, an address removed and restored, a rename (same
# ifindex, role kept), delete and re-create, an MTU change, roles from
# the inventory after a reload, and 20 flaps in 10 s giving one flapping
# episode. Everything is asserted through the control socket, with
# generous deadlines (scripts/bench/nics-detect measures latency).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_nics.sh"
nics_reexec "$@"

SOCK=$T/sock
nics_dom0
nics_conf "$T/c.conf" "management = xenbr0" "storage = eth1" \
	"flap_count = 8" "flap_window = 5s" "flap_quiet = 3s"
start_xsmond "$T/c.conf" "$SOCK"
# Every alert, to explain a failed check (printed at the end if any).
"$XSMONCTL" -s "$SOCK" watch >"$T/alerts" 2>&1 &
PIDS+=("$!")

check "starts ok with both roles" nwait 5 "d['status'], d['role_source']" "('ok', 'config')"
check "reason names both roles and addresses" nq_is "d['reason']" \
	"management xenbr0 up, 10.0.0.2/24; storage eth1 up, 10.0.1.5/24"
check "role interfaces: xenbr0, its port eth0, eth1" nq_is \
	"sorted(x['name'] for x in d['interfaces'] if x['role'])" "['eth0', 'eth1', 'xenbr0']"
check "show nics lists every link (p0, p1, lo too)" nq_is "len(d['interfaces'])" 6
check "status document is compact (no p0)" json_is "$SOCK" status \
	"[i['name'] for i in d['checks']['nics']['interfaces']]" "['xenbr0', 'eth1', 'eth0']"
idx=$(nq "ifc('eth1')['ifindex']")

# Carrier loss on management: its peer goes down.
ip link set p0 down
check "management carrier loss is critical and names storage" nwait 5 "d['status'], d['reason']" \
	"('critical', 'management xenbr0 has no carrier (eth0 down); storage eth1 up, 10.0.1.5/24')"
check "port eth0 carrier false" nq_is "ifc('eth0')['carrier'], ifc('eth0')['status']" "(False, 'critical')"
ip link set p0 up
check "carrier return clears" nwait 5 "d['status']" "ok"

# Admin down of storage.
ip link set eth1 down
check "admin down is critical" nwait 5 "ifc('eth1')['status'], ifc('eth1')['reason'], ifc('eth1')['admin_up']" \
	"('critical', 'is admin down', False)"
check "check critical names storage admin down" nq_is "'storage eth1 is admin down' in d['reason']" True
ip link set eth1 up
check "admin up clears" nwait 5 "d['status']" "ok"

# Address removed and restored.
ip addr del 10.0.1.5/24 dev eth1
check "address removed is critical" nwait 5 "d['status'], ifc('eth1')['reason']" "('critical', 'has no address')"
ip addr add 10.0.1.5/24 dev eth1
check "address restored clears" nwait 5 "d['status'], '10.0.1.5/24' in ifc('eth1')['addresses']" "('ok', True)"

# Rename: same ifindex, role kept.
ip link set eth1 down; ip link set eth1 name stor0; ip link set stor0 up
ip addr add 10.0.1.5/24 dev stor0 2>/dev/null || true
check "rename keeps the ifindex and the role" nwait 5 \
	"ifc('stor0') and (ifc('stor0')['ifindex'], ifc('stor0')['role'], d['status'])" "($idx, 'storage', 'ok')"
check "reason uses the new name" nq_is "'storage stor0 up, 10.0.1.5/24' in d['reason']" True
ip link set stor0 down; ip link set stor0 name eth1; ip link set eth1 up

# MTU change.
ip link set eth1 mtu 1400
check "mtu change seen" nwait 5 "ifc('eth1')['mtu']" 1400

# Into a bridge and out again: the bridge layer's own AF_BRIDGE
# RTM_NEWLINK/RTM_DELLINK describe the port, not the link.
ip link add br1 type bridge; ip link set br1 up
tbefore=$(nq "ifc('eth1')['transitions']")
ip link set eth1 master br1
check "eth1 joins br1" nwait 5 "ifc('eth1')['master']" br1
ip link set eth1 nomaster
check "eth1 leaves br1" nwait 5 "ifc('eth1')['master']" None
# IPv4 only: the kernel may add eth1's IPv6 link-local address at any
# moment after the earlier down/up (addrconf), which is not the point.
# The carrier may take a moment to settle after leaving the bridge.
nomaster_expr="ifc('eth1')['ifindex'], [a for a in ifc('eth1')['addresses'] if ':' not in a], ifc('eth1')['carrier'], 'deleted' in d['reason']"
if nwait 3 "$nomaster_expr" "($idx, ['10.0.1.5/24'], True, False)"; then
	ok "nomaster does not delete eth1 (same ifindex, address kept)"
else
	not_ok "nomaster does not delete eth1 (same ifindex, address kept)"
	echo "# got: $(nq "$nomaster_expr")"
fi
if nq_is "ifc('eth1')['transitions']" "$tbefore"; then
	ok "no edge for eth1 on master/nomaster"
else
	not_ok "no edge for eth1 on master/nomaster"
	echo "# eth1's alerts so far:"; grep ' eth1 ' "$T/alerts" | sed 's/^/#   /'
fi
check "AF_BRIDGE messages counted, not as bad" nq_is "d['foreign_messages'] > 0, d['bad_messages']" "(True, 0)"
ip link del br1

# Delete and re-create.
ip link del eth1
check "deleted storage is critical" nwait 5 "d['status'], 'storage eth1 was deleted' in d['reason']" "('critical', True)"
check "deleted storage is listed as missing" nq_is "ifc('eth1')['ifindex'], ifc('eth1')['status']" "(None, 'critical')"
ip link add eth1 type veth peer name p1
ip link set eth1 up; ip link set p1 up; ip addr add 10.0.1.5/24 dev eth1
check "re-created storage is bound again" nwait 5 "d['status'], ifc('eth1')['ifindex'] != $idx" "('ok', True)"

# Flaps: 20 carrier flaps (40 changes) in 10 s: one flapping episode.
# (flap_count 8 within 5 s: the earlier steps bounce eth1's carrier a few
# times too, and must not start an episode of their own on a slow host.)
before=$(nq "ifc('eth1')['transitions']")
cbefore=$(jget "$SOCK" status "d['checks']['nics']['transitions']")
for i in $(seq 20); do
	ip link set p1 down; sleep 0.25; ip link set p1 up; sleep 0.25
done
check "flapping warning with the count" nwait 5 "d['status'], 'is flapping' in ifc('eth1')['reason'], ifc('eth1')['flapping']" \
	"('warning', True, True)"
during=$(nq "ifc('eth1')['transitions']")
cduring=$(jget "$SOCK" status "d['checks']['nics']['transitions']")
echo "# flapping: interface transitions $before -> $during, check $cbefore -> $cduring"
# Before the 8th change at most 7 carrier edges, then one into flapping.
check "few edges for 40 carrier changes (interface)" test $((during - before)) -le 8
check "few edges for 40 carrier changes (check)" test $((cduring - cbefore)) -le 8
sleep 1
check "no edge while flapping continues to be reported" nq_is "ifc('eth1')['transitions']" "$during"
check "cleared after flap_quiet" nwait 8 "d['status'], ifc('eth1')['flapping']" "('ok', False)"
check "exactly one edge out of flapping" nq_is "ifc('eth1')['transitions']" "$((during + 1))"

# Roles from the inventory, after a reload.
printf "PRODUCT_VERSION='8.2.1'\nMANAGEMENT_INTERFACE='xenbr0'\n" >"$T/inventory"
nics_conf "$T/c.conf" "inventory = $T/inventory" "storage = eth1"
kill -HUP "$XSMOND_PID"
check "management from the inventory" nwait 5 "d['role_source'], d['management'], d['status']" "('inventory', 'xenbr0', 'ok')"
nics_conf "$T/c.conf" "inventory = $T/absent" "storage = eth1"
kill -HUP "$XSMOND_PID"
check "no management anywhere: unknown with a reason" nwait 5 \
	"d['status'], d['reason'].startswith('management unknown: no [nics] management, and $T/absent')" "('unknown', True)"

check "no bad netlink messages" nq_is "d['bad_messages']" 0
check "xsmonctl show nics prints the table" bash -c \
	"'$XSMONCTL' -s '$SOCK' show nics | grep -q '^eth1 .*storage'"
check "daemon still alive" kill -0 "$XSMOND_PID"
finish
