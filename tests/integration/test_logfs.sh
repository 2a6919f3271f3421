#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The /var/log watcher against a real 1 MiB tmpfs (fault test 6): threshold
# edges with hysteresis and no flapping, detection by inotify alone (the
# safety timer is 1 h), deleted-but-open files and their holders, growers,
# umount ("mount missing") and a remount ("filesystem replaced" until a
# reload), the idle cost (voluntary context switches over 10 s), no atime
# written on the watched fs, the watch set (depth cap, moved directories,
# the directory cap logged once through queue overflows), and a reload
# that fails.
#
# Latencies are printed, but asserted with generous deadlines so a loaded
# machine cannot fail the test: scripts/bench/logfs-detect measures them.
#
# Runs as root in a private mount namespace of its own (unshare -m), so
# nothing it mounts is seen outside; everything it starts is killed by PID.

XSMQ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)  # xsmq.py, the shared query
set -u

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (tmpfs, mount namespace)"
	exit 77
fi
if [ -z "${XSMON_LOGFS_NS:-}" ]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_LOGFS_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi

: "${XSMOND:?XSMOND not set}"
XSMONCTL=${XSMONCTL:-}
T=$(mktemp -d /tmp/xsmon-logfs.XXXXXX)
DPID=
HOLDER=
PINNER=
FAILED=0

cleanup() {
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null && wait "$HOLDER" 2>/dev/null
	[ -n "$PINNER" ] && kill "$PINNER" 2>/dev/null && wait "$PINNER" 2>/dev/null
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		kill "$DPID"
		wait "$DPID" 2>/dev/null
	fi
	for m in "$T/logs" "$T/ph" "$T/logs2"; do
		while mountpoint -q "$m" 2>/dev/null; do
			umount "$m" || break
		done
	done
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	FAILED=1
}

# lf.py: queries the daemon over its socket (one connection per query, as
# a client would) and polls with a deadline, measuring latency.
cat >"$T/lf.py" <<'EOF'
import json, os, socket, subprocess, sys, time

sock = os.environ.get("SOCK") or os.environ["T"] + "/sock"
logs = os.environ["T"] + "/logs"

sys.path.insert(0, os.environ["XSMQ_DIR"])
from xsmq import query

def show():
    return json.loads(query(sock, "show logfs", 2))["logfs"]

def ev(expr, d):
    return eval(expr, {"d": d, "any": any, "len": len})

def fill(pct):
    """Sizes logs/fill so that the fs is pct% used, as df counts."""
    path = logs + "/fill"
    vfs = os.statvfs(logs)
    total = vfs.f_blocks * vfs.f_frsize
    used = (vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize
    mine = os.stat(path).st_blocks * 512 if os.path.exists(path) else 0
    want = int(total * pct / 100) - (used - mine)
    want = max(0, (want + 4095) // 4096 * 4096)
    cur = os.stat(path).st_size if os.path.exists(path) else 0
    if want > cur:
        subprocess.run(["fallocate", "-l", str(want), path], check=True)
    else:
        subprocess.run(["truncate", "-s", str(want), path], check=True)

cmd = sys.argv[1]
if cmd == "get":
    print(ev(sys.argv[2], show()))
elif cmd in ("wait", "fillwait"):
    # fillwait PCT TIMEOUT EXPR: change the fs, then time until EXPR holds.
    args = sys.argv[2:]
    t0 = time.monotonic()
    if cmd == "fillwait":
        fill(float(args.pop(0)))
    timeout, expr = float(args[0]), args[1]
    while True:
        d = show()
        if ev(expr, d):
            print("%.0f" % ((time.monotonic() - t0) * 1000))
            sys.exit(0)
        if time.monotonic() - t0 > timeout:
            print("timeout; last: status=%s reason=%s" % (d["status"], d["reason"]))
            sys.exit(1)
        time.sleep(0.01)
EOF
export T
lf() { XSMQ_DIR=$XSMQ_DIR python3 "$T/lf.py" "$@"; }

# fillwait PCT TIMEOUT EXPR NAME: prints and checks the latency.
fillwait() {
	local out
	if out=$(lf fillwait "$1" "$2" "$3"); then
		echo "ok: $4 in ${out} ms"
		LAST_MS=$out
	else
		fail "$4: $out"
	fi
}
waitfor() {
	local out
	if out=$(lf wait "$1" "$2"); then
		echo "ok: $3 in ${out} ms"
		LAST_MS=$out
	else
		fail "$3: $out"
	fi
}
expect() {
	local got
	got=$(lf get "$1")
	[ "$got" = True ] || fail "$2 (got $got for $1)"
}
transitions() { lf get 'd["transitions"]'; }
vol_switches() {
	local n=0 v
	for f in /proc/"$DPID"/task/*/status; do
		v=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$f")
		n=$((n + v))
	done
	echo "$n"
}
# watched DIR: is DIR's inode in the daemon's inotify set (fdinfo)?
watched() {
	local ino fd
	ino=$(printf '%x' "$(stat -c %i "$1" 2>/dev/null)") || return 1
	for fd in /proc/"$DPID"/fd/*; do
		[ "$(readlink "$fd")" = "anon_inode:inotify" ] || continue
		grep -q " ino:$ino " "/proc/$DPID/fdinfo/${fd##*/}" && return 0
	done
	return 1
}
# wait_watched DIR NAME: within 3 s.
wait_watched() {
	for _ in $(seq 300); do watched "$1" && { echo "ok: $2"; return 0; }; sleep 0.01; done
	fail "$2: $1 not watched"
}

mkdir "$T/logs"
# strictatime: any read of a directory would show in its atime.
mount -t tmpfs -o size=1m,strictatime tmpfs "$T/logs" || { echo "SKIP: cannot mount tmpfs"; exit 77; }
head -c 8192 /dev/zero >"$T/logs/grow.log"
touch "$T/logs/dummy"
mkdir -p "$T/logs/old/inner"
OLD_ATIME=946684800  # 2000-01-01
touch -a -d @$OLD_ATIME "$T/logs" "$T/logs/old" "$T/logs/old/inner"
cat >"$T/conf" <<EOF
[logfs]
path = $T/logs
hysteresis = 2
settle = 100ms
safety_interval = 1h
scan_interval = 1h
[nics]
enabled = no
[rsyslog]
enabled = no
[xenstore]
enabled = no
EOF

XSMOND_DEBUG=1 "$XSMOND" -d -f "$T/conf" -s "$T/sock" 2>"$T/daemon.log" &
DPID=$!
for _ in $(seq 100); do [ -S "$T/sock" ] && break; sleep 0.05; done
[ -S "$T/sock" ] || { cat "$T/daemon.log"; echo "FAIL: no socket"; exit 1; }

# 1. Start: ok, one transition (unknown -> ok), the fs identified.
waitfor 5 'd["status"] == "ok"' "ok at start"
expect 'd["transitions"] == 1' "one transition at start"
expect 'd["fstype"] == "tmpfs" and d["mountpoint"].endswith("/logs")' "mount identified"

# 1b. Watching and scanning the tree wrote nothing: no atime changed.
waitfor 5 'd["scan"]["at"] is not None' "first scan done"
for dir in "$T/logs" "$T/logs/old" "$T/logs/old/inner"; do
	watched "$dir" || fail "$dir not watched"
	a=$(stat -c %X "$dir")
	[ "$a" = $OLD_ATIME ] || fail "atime of $dir written: $a"
done

# 2. Idle: no wakeups beyond the 1 h timers. A mount change in our
#    namespace would wake the daemon rightly: count only without one.
sleep 1
mi_before=$(cat /proc/"$DPID"/mountinfo)
before=$(vol_switches)
sleep 10
after=$(vol_switches)
echo "idle: $((after - before)) voluntary context switches in 10 s"
if [ "$(cat /proc/"$DPID"/mountinfo)" != "$mi_before" ]; then
	echo "note: mounts changed meanwhile, idle wakeups not judged"
elif [ $((after - before)) -gt 3 ]; then
	fail "idle wakeups: $((after - before)) > 3"
fi

# 2b. The watch set. The depth cap holds for a nested mkdir (depth 15 is
#     watched, 16 is not, as the scan), and a directory moved within the
#     tree is followed under its new name.
mkdir -p "$T/logs/deep/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20"
D15="$T/logs/deep/2/3/4/5/6/7/8/9/10/11/12/13/14/15"
wait_watched "$D15" "depth 15 watched"
sleep 0.3
watched "$D15/16" && fail "depth 16 watched: the depth cap was escaped"
mkdir "$T/logs/a" "$T/logs/b"
wait_watched "$T/logs/a" "new directory watched"
mv "$T/logs/a" "$T/logs/b/a"
mkdir "$T/logs/b/a/new"
wait_watched "$T/logs/b/a/new" "subdirectory of a moved directory watched"
rm -rf "$T/logs/deep" "$T/logs/b"

# 3. Threshold edges, seen through inotify only (safety timer 1 h).
fillwait 85 3 'd["status"] == "warning"' "85% -> warning"
LAT85=$LAST_MS
fillwait 95 3 'd["status"] == "critical"' "95% -> critical"
fillwait 79 3 'd["status"] == "warning"' "79% -> warning (critical clears at 88)"
sleep 1
expect 'd["status"] == "warning"' "79% stays warning (clears below 78%)"
fillwait 77 3 'd["status"] == "ok"' "77% -> ok"
expect 'd["transitions"] == 5' "exactly 5 transitions after 85/95/79/77"

# 4. No flapping: 79 <-> 81 five times is one edge (ok -> warning).
t0=$(transitions)
for _ in 1 2 3 4 5; do
	lf fillwait 81 3 'True' >/dev/null
	sleep 0.3
	lf fillwait 79 3 'True' >/dev/null
	sleep 0.3
done
expect "d['status'] == 'warning' and d['transitions'] == $t0 + 1" "no flapping around 80%"
fillwait 77 3 'd["status"] == "ok"' "back to ok"

# 5. Full: critical, the daemon stays up and answers.
t0=$(python3 -c 'import time; print(time.monotonic())')
dd if=/dev/zero of="$T/logs/fill" bs=4k oflag=append conv=notrunc 2>/dev/null
waitfor 3 'd["status"] == "critical" and d["bytes"]["avail"] == 0' "100% -> critical"
kill -0 "$DPID" || fail "daemon died on a full fs"
if [ -n "$XSMONCTL" ] && [ -x "$XSMONCTL" ]; then
	"$XSMONCTL" -s "$T/sock" status >/dev/null
	[ $? = 2 ] || fail "xsmonctl status should exit 2 (critical)"
fi
rm -f "$T/logs/fill"
waitfor 3 'd["status"] == "ok"' "emptied -> ok"

# 6. Growers: the file dd appends to, found by the scan a delete triggers
#    (scans are at most 10 s apart; scan_interval is 1 h here).
dd if=/dev/zero bs=4k count=25 >>"$T/logs/grow.log" 2>/dev/null
rm "$T/logs/dummy"
waitfor 15 'any(g["path"] == "grow.log" and g["growth"] >= 100*1024 for g in d["scan"]["growers"])' "grow.log listed as a grower"

# 7. Deleted but open: shown with its holder, its size followed through the
#    watch on its inode, gone when the holder exits.
mkfifo "$T/go"
bash -c 'exec 3>"$1/logs/held"; head -c 102400 /dev/zero >&3; read -r _ <"$1/go"; head -c 307200 /dev/zero >&3; exec sleep 1000' _ "$T" &
HOLDER=$!
for _ in $(seq 100); do [ "$(stat -c %s "$T/logs/held" 2>/dev/null)" = 102400 ] && break; sleep 0.05; done
rm "$T/logs/held"
waitfor 15 "any(x['pid'] == $HOLDER and x['bytes'] >= 100*1024 for x in d['scan']['deleted_open'])" "deleted-open file with holder pid $HOLDER"
expect "d['deleted_open']['count'] == 1 and d['scan']['deleted_open'][0]['comm'] == 'bash'" "holder comm and count"
echo >"$T/go"
waitfor 3 "any(x['pid'] == $HOLDER and x['bytes'] >= 400*1024 for x in d['scan']['deleted_open'])" "write into the deleted file followed"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
HOLDER=
waitfor 3 'd["deleted_open"]["count"] == 0 and d["scan"]["deleted_open"] == [] and d["bytes"]["used"] < 200*1024' "holder gone -> entry and space released"

# 8. umount under the daemon: critical "mount missing" at once (statvfs
#    would quietly report the parent fs).
olddev=$(stat -c %d "$T/logs")
umount "$T/logs" || fail "umount"
waitfor 3 'd["status"] == "critical" and "mount missing" in d["reason"]' "umount -> mount missing"
LATUMOUNT=$LAST_MS
kill -0 "$DPID" || fail "daemon died on umount"

# 9. Mounted again. The kernel hands a new tmpfs the lowest free anonymous
#    dev, often the one just released: the same dev is the same fs to us
#    (as for a block device) and recovers by itself. A different dev is
#    "filesystem replaced", a warning until reload accepts it. Both are
#    seen through mountinfo (the safety timer is 1 h).
mount -t tmpfs -o size=1m,strictatime tmpfs "$T/logs"
if [ "$(stat -c %d "$T/logs")" = "$olddev" ]; then
	waitfor 3 'd["status"] == "ok"' "remount, same dev -> ok"
	umount "$T/logs"
	waitfor 3 'd["status"] == "critical"' "umount again -> critical"
	# A placeholder takes the freed dev. Anon devs are global: another
	# mount on the machine may race us for it, so stack more and retry.
	mkdir "$T/ph"
	for _ in 1 2 3 4 5; do
		mount -t tmpfs -o size=64k tmpfs "$T/ph"
		mount -t tmpfs -o size=1m,strictatime tmpfs "$T/logs"
		[ "$(stat -c %d "$T/logs")" != "$olddev" ] && break
		umount "$T/logs"
	done
fi
if [ "$(stat -c %d "$T/logs")" != "$olddev" ]; then
	waitfor 3 'd["status"] == "warning" and "filesystem replaced" in d["reason"]' "remount, new dev -> filesystem replaced"
	kill -HUP "$DPID"
	waitfor 3 'd["status"] == "ok"' "reload accepts the new filesystem"
else
	fail "could not get a tmpfs with a new dev"
fi
# The watches moved to the new fs: events still drive detection.
fillwait 85 3 'd["status"] == "warning"' "85% on the new fs -> warning"

# 10. Space pinned by a file deleted while open, released before any scan
#     found it: no event of ours sees the release, and the safety timer is
#     1 h. While not ok the watcher resamples every 5 s, so it clears.
fillwait 0 3 'd["status"] == "ok"' "emptied -> ok"
head -c 950K /dev/zero >"$T/logs/pinned"
# A reader holds it (a tail -f): closing a read-only fd raises no event we
# watch, unlike a writer's close.
bash -c 'exec 3<"$1"; exec sleep 1000' _ "$T/logs/pinned" &
PINNER=$!
waitfor 3 'd["status"] == "critical"' "pinned file at ~93% -> critical"
rm "$T/logs/pinned"
sleep 2   # past the 1 s recheck a delete schedules; the holder still has it
kill "$PINNER"; wait "$PINNER" 2>/dev/null || true
PINNER=
waitfor 10 'd["status"] == "ok"' "holder gone, unseen by any event -> ok (resampled every 5 s)"

# 11. Over the directory cap (256): warned once, however often the queue
#     overflows (a writer faster than the settle period, which leaves the
#     queue unread), and once more when the cap clears.
python3 -c 'import os, sys
os.mkdir(sys.argv[1])
for i in range(300): os.mkdir("%s/d%03d" % (sys.argv[1], i))' "$T/logs/many"
for _ in $(seq 300); do grep -q "watching only the first" "$T/daemon.log" && break; sleep 0.01; done
# Two files written in turn: no event merges with the one before it.
storm() {
	python3 -c 'import os, sys
fds = [os.open(sys.argv[1] + n, os.O_WRONLY | os.O_CREAT | os.O_TRUNC) for n in ("/storm.a", "/storm.b")]
for i in range(150000): os.write(fds[i & 1], b"x")
for fd in fds: os.ftruncate(fd, 0)' "$T/logs"
}
for _ in 1 2 3; do storm; sleep 0.5; done
rm -f "$T/logs/storm.a" "$T/logs/storm.b"
overflows=$(grep -c "inotify queue overflow" "$T/daemon.log")
capwarn=$(grep -c "watching only the first" "$T/daemon.log")
echo "directory cap: warned $capwarn time(s) through $overflows queue overflow(s)"
[ "$capwarn" = 1 ] || fail "cap warning logged $capwarn times, want 1"
[ "$overflows" -gt 0 ] || echo "note: no queue overflow happened; the cap still warned once"
rm -rf "$T/logs/many"
for _ in $(seq 300); do grep -q "are watched again" "$T/daemon.log" && break; sleep 0.01; done
if grep -q "are watched again" "$T/daemon.log"; then
	echo "ok: the cap clearing is logged"
else
	fail "no log line when the directory cap cleared"
fi
waitfor 3 'd["status"] == "ok"' "ok after the storm"

kill "$DPID"
wait "$DPID"
rc=$?
DPID=
[ $rc = 0 ] || fail "xsmond exited with $rc"

# 12. A reload that fails (out of memory while restarting on a new path):
#     the check goes unknown with the reason, the daemon stays up, and the
#     next reload starts the watcher again. A preloaded calloc fails large
#     allocations while $T/nomem exists (under ASan too: preloaded ahead
#     of its runtime, it calls ASan's malloc).
if ! command -v cc >/dev/null; then
	echo "note: no cc, failed-reload case skipped"
else
	printf '%s\n' '#include <errno.h>' '#include <stdlib.h>' \
	    '#include <string.h>' '#include <unistd.h>' \
	    'void *calloc(size_t n, size_t size) {' \
	    '	const char *f = getenv("XSMON_TEST_NOMEM");' \
	    '	size_t total; void *p;' \
	    '	if (__builtin_mul_overflow(n, size, &total) ||' \
	    '	    (total >= 65536 && f != NULL && access(f, F_OK) == 0)) {' \
	    '		errno = ENOMEM; return NULL; }' \
	    '	if ((p = malloc(total)) != NULL) memset(p, 0, total);' \
	    '	return p; }' >"$T/nomem.c"
	cc -shared -fPIC -O0 -fno-builtin -o "$T/nomem.so" "$T/nomem.c" || fail "cannot build nomem.so"
	mkdir "$T/logs2"
	mount -t tmpfs -o size=1m,strictatime tmpfs "$T/logs2"
	XSMON_TEST_NOMEM="$T/nomem" LD_PRELOAD="$T/nomem.so" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    "$XSMOND" -d -f "$T/conf" -s "$T/sock" 2>"$T/daemon2.log" &
	DPID=$!
	for _ in $(seq 100); do [ -S "$T/sock" ] && break; sleep 0.05; done
	waitfor 5 'd["status"] == "ok"' "second daemon ok"
	sed -i "s|^path = .*|path = $T/logs2|" "$T/conf"
	touch "$T/nomem"
	kill -HUP "$DPID"
	waitfor 3 'd["status"] == "unknown" and "reload failed" in d["reason"]' "failed reload -> unknown with the reason"
	kill -HUP "$DPID"  # still failing: no crash, still unknown
	sleep 0.5
	expect 'd["status"] == "unknown"' "failing again stays unknown"
	rm "$T/nomem"
	kill -HUP "$DPID"
	waitfor 3 'd["status"] == "ok" and d["path"].endswith("/logs2")' "next reload watches the new path"
	kill -HUP "$DPID"
	waitfor 3 'd["status"] == "ok"' "and reloads again"
	kill "$DPID"
	wait "$DPID"
	rc=$?
	DPID=
	[ $rc = 0 ] || fail "second xsmond exited with $rc"
	cat "$T/daemon2.log" >>"$T/daemon.log"
fi
if [ $FAILED != 0 ]; then
	echo "--- daemon log"
	cat "$T/daemon.log"
	exit 1
fi
echo "PASS (detection: 85% in ${LAT85} ms, umount in ${LATUMOUNT} ms)"
exit 0
