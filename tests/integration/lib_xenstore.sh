# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# Helpers for the xenstore tests (sourced after lib.sh): Debian's real
# xenstored (C) and oxenstored, shimmed by tests/xenstored-shim (only the
# hypervisor handles are fake), each on a socket in $XS_DIR. Every daemon
# started here is killed by PID on exit, stopped ones continued first;
# oxenstored's fixed /run/xenstored goes through a bind mount in a private
# mount namespace, so the host's /run is never touched.

XS_BIN=${XS_BIN:-/usr/lib/xen-4.17/bin}
XS_SHIM="$XSMON_BUILD/xenstored-shim/xsshim.so"
XSDOMCTL="$XSMON_BUILD/xenstored-shim/xsdomctl"
XS_DIR="$T/xs"
XS_PID=
XS_FLAVOR=${XS_FLAVOR:-xenstored}

xs_need() {
	need_root
	local f
	for f in "$XS_BIN/$XS_FLAVOR" "$XS_SHIM" "$XSDOMCTL"; do
		[[ -e $f ]] || { echo "SKIP: $f missing"; exit 77; }
	done
	command -v xenstore-write >/dev/null || { echo "SKIP: no xenstore-utils"; exit 77; }
}

xs_cleanup() {
	if [[ -n $XS_PID ]]; then
		kill -CONT "$XS_PID" 2>/dev/null || true
		kill -9 "$XS_PID" 2>/dev/null || true
		wait "$XS_PID" 2>/dev/null || true
	fi
}
trap 'xs_cleanup; cleanup' EXIT

# xs_start: starts $XS_FLAVOR on $XS_DIR/socket and waits until it answers.
xs_start() {
	mkdir -p "$XS_DIR"
	echo 1 >"$XS_DIR/xsd_port"
	head -c 4096 /dev/zero >"$XS_DIR/xsd_kva"
	rm -f "$XS_DIR/socket"
	export XENSTORED_PATH="$XS_DIR/socket"
	if [[ $XS_FLAVOR == xenstored ]]; then
		XSSHIM_DIR="$XS_DIR" XENSTORED_RUNDIR="$XS_DIR" LD_PRELOAD="$XS_SHIM" \
		    "$XS_BIN/xenstored" -N -F "$XS_DIR/pid" >>"$XS_DIR/out" 2>>"$XS_DIR/err" &
	else
		cat >"$XS_DIR/ox.conf" <<-CONF
		pid-file = $XS_DIR/oxenstored.pid
		xenstored-log-file = $XS_DIR/oxenstored.log
		access-log-file = $XS_DIR/access.log
		persistent = false
		quota-activate = true
		quota-maxentity = 1000
		CONF
		XSSHIM_DIR="$XS_DIR" LD_PRELOAD="$XS_SHIM" unshare -m --propagation private \
		    sh -c "mount -t tmpfs -o size=1m xsrun /run && mkdir /run/xenstored &&
		    mount --bind '$XS_DIR' /run/xenstored &&
		    exec '$XS_BIN/oxenstored' --no-fork --no-domain-init --config-file '$XS_DIR/ox.conf'" \
		    >>"$XS_DIR/out" 2>>"$XS_DIR/err" &
	fi
	XS_PID=$!
	wait_for 10 xenstore-write /local/domain/0/name Domain-0 ||
	    { echo "xenstored did not start:"; cat "$XS_DIR/err"; return 1; }
	xenstore-write /local/domain/0/domid 0
}

xs_kill() {
	kill -CONT "$XS_PID" 2>/dev/null || true
	kill -9 "$XS_PID" 2>/dev/null || true
	wait "$XS_PID" 2>/dev/null || true
	XS_PID=
}

# xs_domain DOMID NAME: the keys xl writes for a PV guest with a vif and
# a vbd (states connected), then XS_INTRODUCE (C xenstored only).
xs_domain() {
	local id=$1 name=$2 d=/local/domain/$1 b=/local/domain/0/backend
	local uuid
	uuid=$(printf '%08x-1111-4222-8333-444455556666' "$id")
	xenstore-write "$d/name" "$name" "$d/domid" "$id" "$d/vm" "/vm/$uuid" \
	    "$d/memory/target" 1048576 "$d/memory/static-max" 2097152 \
	    "$d/control/feature-poweroff" 1 "$d/control/feature-reboot" 1 \
	    "$d/attr/PVAddons/MajorVersion" 8 "$d/attr/PVAddons/MinorVersion" 2 \
	    "$d/attr/PVAddons/MicroVersion" 1 "$d/data/updated" 1 \
	    "$d/device/vif/0/state" 4 "$d/device/vif/0/backend" "$b/vif/$id/0" \
	    "$d/device/vbd/51712/state" 4 "$d/device/vbd/51712/backend" "$b/vbd/$id/51712" \
	    "$b/vif/$id/0/state" 4 "$b/vbd/$id/51712/state" 4 \
	    "/vm/$uuid/name" "$name"
	if [[ $XS_FLAVOR == xenstored ]]; then "$XSDOMCTL" introduce "$id"; fi
}

# xs_domain_gone DOMID: XS_RELEASE, then what xl destroy removes.
xs_domain_gone() {
	if [[ $XS_FLAVOR == xenstored ]]; then "$XSDOMCTL" release "$1"; fi
	xenstore-rm "/local/domain/$1"
	xenstore-rm "/local/domain/0/backend/vif/$1" 2>/dev/null || true
	xenstore-rm "/local/domain/0/backend/vbd/$1" 2>/dev/null || true
}

# xs_conf FILE [extra lines]: an xsmond config on $XS_DIR/socket with
# quick probes, so the tests run in seconds.
xs_conf() {
	local f=$1; shift
	{
		echo "[logfs]"
		echo "path = $T"
		# Not this test's business, and with no pid file it would look
		# for any rsyslogd in /proc (another test's).
		echo "[rsyslog]"
		echo "enabled = no"
		echo "[xenstore]"
		echo "path = $XS_DIR/socket"
		echo "probe_interval = 500ms"
		echo "probe_warning = 500ms"
		echo "probe_timeout = 1s"
		echo "reconnect_max = 1s"
		echo "device_stuck = 2s"
		printf '%s\n' "$@"
	} >"$f"
}

# xjs SOCK REQUEST EXPR: like jget, with helpers: dom(d, id) finds a domain.
xjs() {
	query "$1" "$2" | python3 -c "
import json, sys
d = json.load(sys.stdin)
def dom(d, i):
    return next((x for x in d['domains'] if x['domid'] == i), None)
print($3)"
}
xjs_is() { [[ "$(xjs "$1" "$2" "$3" 2>/dev/null)" == "$4" ]]; }
wait_xjs() { local s=$1; shift; wait_for "$s" xjs_is "$@"; }

# ms_of CMD...: the command's wall time in ms.
ms_of() {
	local t0 t1
	t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# ASan's quarantine holds freed memory back: RSS bounds mean nothing there.
# (No "ldd | grep -q": with pipefail, grep leaving early fails the pipe.)
xs_asan() { [[ $(ldd "$XSMOND" 2>/dev/null) == *libasan* ]]; }
# check_rss "description" GROWTH_KIB LIMIT_KIB
check_rss() {
	if xs_asan; then
		echo "ok - $1 (not asserted under ASan: +$2 KiB)"
		return
	fi
	check "$1 (+$2 KiB)" test "$2" -lt "$3"
}
threads_of() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }

