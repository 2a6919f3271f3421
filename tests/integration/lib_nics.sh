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

# nics_conf FILE [extra [nics] lines...]
nics_conf() {
	local f=$1; shift
	{
		printf '[control]\nsocket = %s\n[logfs]\npath = %s\n[nics]\n' "$SOCK" "$T"
		printf '%s\n' "$@"
	} >"$f"
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
