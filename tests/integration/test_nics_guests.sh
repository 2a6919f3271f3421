#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Guests on the management bridge: xenbr0 over the uplink eth0 (veth,
# peer p0) and 40 guest vifs (vif1.0..vif40.0, veths whose peers stand for
# the guests), plus a storage veth eth1. Guest ports are not uplinks:
# a guest that is not up is no problem, the uplink's loss is critical
# even with every guest up, and with 40 vifs storage is still judged.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_nics.sh"
nics_reexec "$@"

SOCK=$T/sock
nics_dom0
{
	for i in $(seq 40); do
		echo "link add vif$i.0 type veth peer name g$i"
		echo "link set vif$i.0 master xenbr0"
		echo "link set vif$i.0 up"
	done
} >"$T/batch"
ip -batch "$T/batch"
nics_conf "$T/c.conf" "management = xenbr0" "storage = eth1"
start_xsmond "$T/c.conf" "$SOCK"

check "guests not up yet (vifs without carrier): ok" nwait 5 "d['status'], d['reason']" \
	"('ok', 'management xenbr0 up, 10.0.0.2/24; storage eth1 up, 10.0.1.5/24')"
check "no vif is judged" nq_is "[x['name'] for x in d['interfaces'] if x['role']]" "['xenbr0', 'eth1', 'eth0']"
check "nothing overflowed" nq_is "d['judged_overflow']" 0

for i in $(seq 40); do echo "link set g$i up"; done >"$T/batch"
ip -batch "$T/batch"
check "guests up: still ok" nwait 5 "d['status'], ifc('vif40.0')['carrier']" "('ok', True)"

ip link set p0 down
check "uplink lost with guests up: critical" nwait 5 "d['status'], d['reason']" \
	"('critical', 'management xenbr0 has no carrier (eth0 down); storage eth1 up, 10.0.1.5/24')"
ip link set p0 up
check "uplink back: ok" nwait 5 "d['status']" ok

ip link set p1 down
check "storage carrier loss is seen beside 40 vifs" nwait 5 "d['status'], 'storage eth1 has no carrier' in d['reason']" \
	"('critical', True)"
ip link set p1 up
check "storage back: ok" nwait 5 "d['status']" ok
check "daemon alive" kill -0 "$XSMOND_PID"
finish
