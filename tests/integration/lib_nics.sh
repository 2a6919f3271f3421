# SPDX-License-Identifier: ISC
# Helpers for the nics integration tests (sourced after lib.sh). They run
# inside a network namespace of their own (unshare -n), so every link
# they make is theirs and vanishes with the namespace.

# nics_reexec "$@": runs the calling test again inside a fresh netns.
nics_reexec() {
	need_root
	if [[ -z ${XSMON_NICS_NS:-} ]]; then
		command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
		XSMON_NICS_NS=1 exec unshare -n bash "$0" "$@"
	fi
	ip link set lo up
}

# nics_dom0: xenbr0 over veth eth0 (peer p0) with 10.0.0.2/24, and a
# storage veth eth1 (peer p1) with 10.0.1.5/24.
nics_dom0() {
	ip link add eth0 type veth peer name p0
	ip link add xenbr0 type bridge
	ip link set eth0 master xenbr0
	ip link set eth0 up; ip link set p0 up; ip link set xenbr0 up
	ip addr add 10.0.0.2/24 dev xenbr0
	ip link add eth1 type veth peer name p1
	ip link set eth1 up; ip link set p1 up
	ip addr add 10.0.1.5/24 dev eth1
}

# nics_conf FILE [extra [nics] lines...]: the other watchers off, [logfs]
# pointing into $T.
nics_conf() {
	local f=$1; shift
	{
		printf '[control]\nsocket = %s\n[logfs]\npath = %s\n' "$SOCK" "$T"
		printf '[rsyslog]\nenabled = no\n[xenstore]\nenabled = no\n[nics]\n'
		printf '%s\n' "$@"
	} >"$f"
}

NICS_FIXTURES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/nics" && pwd)

# nics_fake_ovs FILE: a stand-in for ovs-appctl: bond/show prints $FILE.bonds,
# dpif/show prints $FILE.dpif; it hangs while $FILE.hang exists (and leaves
# a grandchild holding the pipe), fails while $FILE.fail exists. Every run
# is appended to $FILE.calls, its pid to $FILE.pids.
nics_fake_ovs() {
	local f=$1
	cp "$NICS_FIXTURES/ovs_bond_show_member" "$f.bonds"
	: >"$f.dpif"
	{
		echo '#!/bin/sh'
		echo "F=$f"
		cat <<'SH'
echo "$$" >>"$F.pids"
echo "$1" >>"$F.calls"
if [ -e "$F.hang" ]; then
	echo "ovs-appctl: cannot connect to ovs-vswitchd" >&2
	sleep 100 &
	echo "$!" >>"$F.pids"
	wait
fi
if [ -e "$F.fail" ]; then
	echo "2024-01-01T00:00:00Z|00001|unixctl|WARN|failed to connect to /var/run/openvswitch/ovs-vswitchd.1.ctl" >&2
	exit 1
fi
case "$1" in
bond/show) cat "$F.bonds" ;;
dpif/show) cat "$F.dpif" ;;
*) echo "unknown command $1" >&2; exit 2 ;;
esac
SH
	} >"$f"
	chmod +x "$f"
}

# nics_alive_pids FILE: which of the pids in FILE.pids still run.
nics_alive_pids() {
	local p out=""
	while read -r p; do
		[[ -d /proc/$p ]] && [[ $(awk '{print $3}' /proc/$p/stat 2>/dev/null) != Z ]] && out+="$p "
	done <"$1.pids"
	echo "${out% }"
}

# nq EXPR: EXPR on "show nics" (d is the nics object; ifc(name) an interface).
nq() {
	query "$SOCK" "show nics" | python3 -c "
import json, sys
d = json.load(sys.stdin)['nics']
def ifc(n):
    return next((i for i in d['interfaces'] if i['name'] == n), None)
r = ($1)
print(r)"
}
nq_is() { [[ "$(nq "$1")" == "$2" ]]; }
# nwait SECONDS EXPR WANT
nwait() { wait_for "$1" nq_is "$2" "$3"; }
