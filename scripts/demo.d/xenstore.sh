# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# shellcheck disable=SC2154  # demo, build, xsmonctl, sock: set by scripts/demo
# The demo dom0's xenstore (sourced by scripts/demo, which sets demo,
# xsmond, xsmonctl, sock, top, build and the demo_pids array): Debian's
# real C xenstored under the test shim (tests/xenstored-shim: only the
# hypervisor is fake) on $demo/xenstored/socket, with three guests as xl
# and xapi would describe them, one with a disk stuck in Initialised;
# then a short scene: show xenstore, a new guest is introduced, one is
# released, show again.

demo_xs=
demo_xs_pid=

# demo_xenstore_guest DOMID NAME MEMORY_MIB VBD_STATE
demo_xenstore_guest() {
	local id=$1 d=/local/domain/$1 b=/local/domain/0/backend uuid
	uuid=$(printf '%08x-5e1f-4c0d-9a7b-%012x' $((0x6a00 + id)) $((0xd0d0 + id)))
	xenstore-write "$d/name" "$2" "$d/domid" "$id" "$d/vm" "/vm/$uuid" \
	    "$d/memory/target" $(($3 * 1024)) "$d/memory/static-max" $(($3 * 2048)) \
	    "$d/control/feature-poweroff" 1 "$d/control/feature-reboot" 1 \
	    "$d/control/feature-suspend" 1 \
	    "$d/attr/PVAddons/MajorVersion" 9 "$d/attr/PVAddons/MinorVersion" 3 \
	    "$d/attr/PVAddons/MicroVersion" 1 "$d/attr/PVAddons/BuildVersion" 42 \
	    "$d/data/updated" 1 "$d/data/os_name" "Debian GNU/Linux 12" \
	    "$d/device/vif/0/state" 4 "$d/device/vif/0/backend" "$b/vif/$id/0" \
	    "$d/device/vif/0/mac" "00:16:3e:00:00:0$id" \
	    "$d/device/vbd/51712/state" "$4" "$d/device/vbd/51712/backend" "$b/vbd/$id/51712" \
	    "$b/vif/$id/0/state" 4 "$b/vbd/$id/51712/state" "$4" \
	    "/vm/$uuid/name" "$2" &&
	    "$build/xenstored-shim/xsdomctl" introduce "$id"
}

demo_xenstore_setup() {
	local xsd=/usr/lib/xen-4.17/bin/xenstored shim=$build/xenstored-shim/xsshim.so
	demo_xs=$demo/xenstored
	mkdir -p "$demo_xs"
	if [[ ! -x $xsd || ! -e $shim ]] || ! command -v xenstore-write >/dev/null; then
		echo "demo: needs xen-utils-4.17, xenstore-utils and the test shim" >&2
		return 1
	fi
	echo 1 >"$demo_xs/xsd_port"
	head -c 4096 /dev/zero >"$demo_xs/xsd_kva"
	export XENSTORED_PATH=$demo_xs/socket
	XSSHIM_DIR=$demo_xs XENSTORED_RUNDIR=$demo_xs LD_PRELOAD=$shim \
	    "$xsd" -N -F "$demo_xs/pid" >"$demo_xs/out" 2>&1 &
	demo_xs_pid=$!
	demo_pids+=("$demo_xs_pid")
	for _ in $(seq 100); do
		xenstore-write /local/domain/0/name Domain-0 2>/dev/null && break
		sleep 0.05
	done
	xenstore-write /local/domain/0/domid 0 /local/domain/0/memory/target 4194304 || return 1
	demo_xenstore_guest 1 web-01 2048 4 &&
	    demo_xenstore_guest 2 db-01 4096 4 &&
	    demo_xenstore_guest 3 build-07 1024 3 || return 1
	cat <<EOC
[xenstore]
path = $demo_xs/socket
probe_interval = 2s
device_stuck = 2s
EOC
}

demo_xenstore_show() {
	sleep 2.5   # build-07's disk has now been in Initialised for device_stuck
	echo
	echo "\$ xsmonctl show xenstore    # three guests; build-07's disk never connected"
	"$xsmonctl" -s "$sock" show xenstore || true
	echo
	echo "# the toolstack creates web-02 (domid 4) and destroys db-01 (domid 2)"
	demo_xenstore_guest 4 web-02 2048 4
	"$build/xenstored-shim/xsdomctl" release 2
	xenstore-rm /local/domain/2
	xenstore-rm /local/domain/0/backend/vif/2
	xenstore-rm /local/domain/0/backend/vbd/2
	sleep 0.3
	echo
	echo "\$ xsmonctl show xenstore"
	"$xsmonctl" -s "$sock" show xenstore || true
	if "$xsmonctl" -s "$sock" domains >/dev/null 2>&1; then
		echo
		echo "\$ xsmonctl domains"
		"$xsmonctl" -s "$sock" domains || true
	fi
}

demo_xenstore_cleanup() {
	[[ -n $demo_xs_pid ]] && kill "$demo_xs_pid" 2>/dev/null && wait "$demo_xs_pid" 2>/dev/null
	demo_xs_pid=
	return 0
}
