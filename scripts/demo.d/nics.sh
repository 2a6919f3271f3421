# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# The demo dom0's NICs (sourced by scripts/demo, which sets demo, xsmond,
# xsmonctl, sock and top). A network namespace stands for dom0: a
# management bridge xenbr0 over a veth "eth0" and a storage veth "eth1",
# with addresses; their peers (the "switch ports") sit in a second
# namespace. xsmond runs inside the first one (`ip netns exec`).

demo_nics_netns=xsmon-demo-dom0-$$
demo_nics_switch=xsmon-demo-switch-$$

# Creates both namespaces and the links; prints the [nics] section.
demo_nics_setup() {
	local n=$demo_nics_netns s=$demo_nics_switch
	ip netns add "$n" && ip netns add "$s" || return 1
	ip -n "$n" link set lo up
	ip -n "$n" link add eth0 type veth peer name sw-mgmt netns "$s"
	ip -n "$n" link add xenbr0 type bridge
	ip -n "$n" link set eth0 master xenbr0
	ip -n "$n" link add eth1 type veth peer name sw-stor netns "$s"
	for l in eth0 xenbr0 eth1; do ip -n "$n" link set "$l" up; done
	for l in sw-mgmt sw-stor; do ip -n "$s" link set "$l" up; done
	ip -n "$n" addr add 192.0.2.10/24 dev xenbr0
	ip -n "$n" addr add 198.51.100.10/24 dev eth1
	printf '[nics]\nmanagement = xenbr0\nstorage = eth1\n'
}

# wait for the nics check to read WANT (a status word), at most 5 s.
demo_nics_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		"$xsmonctl" -s "$sock" --json status 2>/dev/null |
			grep -q "\"nics\":{\"status\":\"$1\"" && return 0
		sleep 0.05
	done
	return 1
}

# The scene: the table, the management switch port going dark (critical,
# and the reason names the storage path that still works), and back.
demo_nics_show() {
	echo "== nics: dom0 with management xenbr0 (over eth0) and storage eth1"
	demo_nics_wait ok || true
	"$xsmonctl" -s "$sock" show nics || true
	echo "== nics: the management switch port goes down"
	ip -n "$demo_nics_switch" link set sw-mgmt down
	demo_nics_wait critical || true
	"$xsmonctl" -s "$sock" status || true
	echo "== nics: the port comes back"
	ip -n "$demo_nics_switch" link set sw-mgmt up
	demo_nics_wait ok || true
	"$xsmonctl" -s "$sock" status || true
}

demo_nics_cleanup() {
	ip netns del "$demo_nics_switch" 2>/dev/null || true
	ip netns del "$demo_nics_netns" 2>/dev/null || true
}
