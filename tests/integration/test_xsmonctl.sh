#!/bin/bash
# SPDX-License-Identifier: ISC
#
# xsmonctl against a real xsmond watching a real 1 MiB tmpfs: exit codes
# follow the fill level (0 ok, 1 warning at ~85%, 2 critical at ~95%, back
# to 0 after rm), --json is valid JSON of schema 1, show logfs lists the
# file that filled the disk, errors exit 3 with a message naming the cause,
# and colour appears on a terminal only.
#
# Runs in a private mount namespace of its own (unshare -m), so the tmpfs
# dies with it even when ctest's timeout SIGKILLs us before cleanup.
# Deadlines are generous (a loaded 2-core box); the latencies measured are
# printed.
set -u

[ "$(id -u)" = 0 ] || { echo "needs root (tmpfs mount)"; exit 77; }
if [ -z "${XSMON_CTL_NS:-}" ]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_CTL_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
: "${XSMOND:?XSMOND must point at the xsmond binary}"
: "${XSMONCTL:?XSMONCTL must point at the xsmonctl binary}"

T=$(mktemp -d /tmp/xsmonctl-it.XXXXXX)
DPID=
MOUNTED=
cleanup() {
	if [ -n "$DPID" ]; then
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	[ -n "$MOUNTED" ] && umount "$T/logs"
	rm -rf "$T"
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ctl() { "$XSMONCTL" -s "$T/sock" "$@"; }

mkdir "$T/logs"
mount -t tmpfs -o size=1m,mode=0755 xsmonctl-test "$T/logs" || exit 1
MOUNTED=1
# A short scan interval so the tree walk sees the fill file quickly.
printf '[logfs]\npath = %s\nscan_interval = 10s\n[nics]\nenabled = no\n[rsyslog]\nenabled = no\n[xenstore]\nenabled = no\n' "$T/logs" >"$T/conf"

"$XSMOND" -d -f "$T/conf" -s "$T/sock" 2>"$T/daemon.log" &
DPID=$!

# wait_rc RC SECONDS ARGS...: poll until xsmonctl exits RC; prints the ms
# it took, returns 1 on timeout.
wait_rc() {
	local want=$1 limit_ms=$(($2 * 1000)) start now
	shift 2
	start=$(date +%s%N)
	while :; do
		ctl "$@" >/dev/null 2>&1
		[ $? = "$want" ] && break
		now=$((($(date +%s%N) - start) / 1000000))
		[ "$now" -ge "$limit_ms" ] && return 1
		sleep 0.05
	done
	echo $((($(date +%s%N) - start) / 1000000))
}

wait_rc 0 5 ping >/dev/null || {
	cat "$T/daemon.log"
	echo "FAIL: daemon did not answer ping within 5 s"
	exit 1
}
ctl ping >"$T/out"; rc=$?
[ $rc = 0 ] && [ "$(cat "$T/out")" = pong ] || fail "ping: rc $rc, $(cat "$T/out")"

# Empty tmpfs: ok (after the first evaluation replaced "starting").
wait_rc 0 5 status >/dev/null || fail "status never became ok: $(ctl status 2>&1)"
ctl status >"$T/out"; rc=$?
[ $rc = 0 ] || fail "status on an empty fs: exit $rc"
grep -q '^logfs .* ok ' "$T/out" || fail "status text has no 'logfs ... ok' row: $(cat "$T/out")"
grep -q ': OK' "$T/out" || fail "status header is not OK: $(head -1 "$T/out")"

ctl --json status >"$T/json"; rc=$?
[ $rc = 0 ] || fail "--json status: exit $rc"
[ "$(wc -l <"$T/json")" = 1 ] || fail "--json is not exactly one line"
python3 -m json.tool "$T/json" >/dev/null || fail "--json is not valid JSON"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d["schema"] == 1 and "logfs" in d["checks"]))' "$T/json" ||
	fail "--json: schema is not 1 or no logfs check"

# ~85% used: warning within 5 s.
dd if=/dev/zero of="$T/logs/fill" bs=1024 count=870 status=none
if ms=$(wait_rc 1 5 status); then
	echo "ok: warning after $ms ms"
else
	fail "85% did not give exit 1 within 5 s: $(ctl status 2>&1)"
fi
# ~95% used: critical within 5 s.
dd if=/dev/zero of="$T/logs/fill" bs=1024 count=103 seek=870 conv=notrunc status=none
if ms=$(wait_rc 2 5 status); then
	echo "ok: critical after $ms ms"
else
	fail "95% did not give exit 2 within 5 s: $(ctl status 2>&1)"
fi

# show logfs: the fill file among the largest files, once a scan ran.
found=
for _ in $(seq 150); do
	ctl show logfs >"$T/show"
	rc=$?
	if sed -n '/^largest files:/,/^$/p' "$T/show" | grep -q ' fill$'; then
		found=1
		break
	fi
	sleep 0.1
done
[ -n "$found" ] || fail "show logfs never listed fill among the largest files: $(cat "$T/show")"
[ $rc = 2 ] || fail "show logfs at 95%: exit $rc, want 2"
grep -q 'mount point:' "$T/show" || fail "show logfs: no key figures"

rm -f "$T/logs/fill"
if ms=$(wait_rc 0 5 status); then
	echo "ok: back to ok after $ms ms"
else
	fail "rm did not give exit 0 within 5 s: $(ctl status 2>&1)"
fi

# Errors: exit 3 and a message saying why.
ctl show nosuch >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] || fail "show nosuch: exit $rc, want 3"
grep -q 'nosuch' "$T/err" || fail "show nosuch: message does not name the check: $(cat "$T/err")"
"$XSMONCTL" -s "$T/nosock" status >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 3 ] || fail "unreachable socket: exit $rc, want 3"
grep -q "cannot connect to $T/nosock: No such file or directory" "$T/err" ||
	fail "unreachable socket: message does not name the path: $(cat "$T/err")"

# The socket path: XSMOND_SOCKET replaces the default, -s beats both.
XSMOND_SOCKET="$T/sock" "$XSMONCTL" ping >/dev/null 2>&1 || fail "XSMOND_SOCKET not used"
XSMOND_SOCKET="$T/nosock" "$XSMONCTL" -s "$T/sock" ping >/dev/null 2>&1 || fail "-s does not override XSMOND_SOCKET"

ctl version >"$T/out"; rc=$?
[ $rc = 0 ] && grep -Eq '^xsmonctl [0-9.]+, xsmond [0-9.]+ \(schema 1\)$' "$T/out" ||
	fail "version: rc $rc, $(cat "$T/out")"
ctl reload >"$T/out" 2>&1; rc=$?
[ $rc = 0 ] && [ "$(cat "$T/out")" = reloaded ] || fail "reload: rc $rc, $(cat "$T/out")"

# Colour: on a terminal only, and never with --no-color or NO_COLOR.
ESC=$'\033'
ctl status | grep -q "$ESC" && fail "colour codes in piped output"
script -qec "$XSMONCTL -s $T/sock status" /dev/null >"$T/tty"
grep -q "$ESC\[32m" "$T/tty" || fail "no colour on a terminal: $(cat -v "$T/tty")"
script -qec "$XSMONCTL -s $T/sock --no-color status" /dev/null >"$T/tty"
grep -q "$ESC" "$T/tty" && fail "colour despite --no-color"
NO_COLOR=1 script -qec "$XSMONCTL -s $T/sock status" /dev/null >"$T/tty"
grep -q "$ESC" "$T/tty" && fail "colour despite NO_COLOR"

kill -0 "$DPID" 2>/dev/null || fail "xsmond died during the test"
if [ "$fails" -ne 0 ]; then
	echo "$fails failure(s); daemon log:"
	tail -20 "$T/daemon.log"
	exit 1
fi
echo "all passed"
