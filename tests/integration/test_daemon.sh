#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# xsmond's life: config check mode, reload as a transaction (SIGHUP and
# the reload request), the systemd notify protocol and watchdog through a
# fake NOTIFY_SOCKET, socket activation, and a clean stop.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/logs"
cat >"$T/good.conf" <<CONF
[logfs]
path = $T/logs
# The other watchers are tested on their own.
[nics]
enabled = no
[rsyslog]
enabled = no
[xenstore]
enabled = no
CONF
sock=$T/x.sock

# -n / -nv
check "-n accepts a good config" "$XSMOND" -n -f "$T/good.conf"
printf '[logfs]\nwarning = 120\nbogus = 1\n' >"$T/bad.conf"
out=$("$XSMOND" -n -f "$T/bad.conf" 2>&1) && rc=0 || rc=$?
check "-n rejects a bad config" test "$rc" -ne 0
check "-n names file and line of each error" \
	bash -c '[[ "$1" == *"bad.conf:2: "* && "$1" == *"bad.conf:3: "* ]]' _ "$out"
check "-n on a missing -f file fails" bash -c '! "$0" -n -f /nonexistent/x.conf 2>/dev/null' "$XSMOND"
check "-V prints the version" bash -c '"$0" -V | grep -q "^xsmond [0-9]"' "$XSMOND"

# A fake service manager: a datagram socket collecting sd_notify messages.
python3 - "$T/notify.sock" "$T/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", "|") + "\n")
PY
PIDS+=($!)
wait_for 5 test -S "$T/notify.sock"

NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=400000 start_xsmond "$T/good.conf" "$sock"
pid=$XSMOND_PID
check "READY=1 sent after the first evaluation" wait_for 5 grep -q "READY=1" "$T/notify.log"
check "STATUS= summary sent" grep -q "^STATUS=ok" "$T/notify.log"
sleep 2
n=$(grep -c "WATCHDOG=1" "$T/notify.log" || true)
# 200 ms pings: ~10 in 2 s; at least 3 even on a loaded machine, and none
# at all would mean the watchdog was not armed.
check "watchdog fed at half of WATCHDOG_USEC (got $n in ~2s)" test "$n" -ge 3
check "status answers" test "$(jget "$sock" status 'd["status"]')" = ok

# systemd 219 (XCP-ng 8.x) uses an abstract notify socket, "@/org/...".
kill "$pid"; wait "$pid" 2>/dev/null || true
abstract="@xsmon-test-$$-$RANDOM"
python3 - "$abstract" "$T/abstract.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1][1:])
open(sys.argv[2] + ".ready", "w").close()
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode() + "\n")
PY
PIDS+=($!)
wait_for 5 test -e "$T/abstract.log.ready"
# WATCHDOG_PID naming another process: the pings are not for us.
NOTIFY_SOCKET=$abstract WATCHDOG_USEC=200000 WATCHDOG_PID=1 start_xsmond "$T/good.conf" "$sock"
pid=$XSMOND_PID
check "READY=1 over an abstract NOTIFY_SOCKET" wait_for 5 grep -q "READY=1" "$T/abstract.log"
sleep 1   # five watchdog intervals: any ping would have come
check "no watchdog pings when WATCHDOG_PID is another process" \
	bash -c '! grep -q WATCHDOG=1 "$1"' _ "$T/abstract.log"

# Reload with broken configs: the old config stays, the error is visible.
cp "$T/good.conf" "$T/live.conf"
kill "$pid"; wait "$pid" 2>/dev/null || true
: >"$T/notify.log"
NOTIFY_SOCKET=$T/notify.sock start_xsmond "$T/live.conf" "$sock"
pid=$XSMOND_PID
wait_for 5 grep -q "READY=1" "$T/notify.log"
bad_configs=(
	"[logfs]\npath = $T/logs\nwarning = 101\n"
	"[logfs]\npath = $T/logs\nunknown_key = 1\n"
	"[logfs\npath = $T/logs\n"
	"[nosuchsection]\nx = 1\n"
)
i=0
for text in "${bad_configs[@]}"; do
	i=$((i + 1))
	printf "$text" >"$T/live.conf"
	kill -HUP "$pid"
	wait_json 5 "$sock" status 'd["daemon"]["reload_failures"]' "$i" || true
	got=$(jget "$sock" status 'd["daemon"]["reload_failures"]')
	check "bad config $i rejected (reload_failures=$got)" test "$got" = "$i"
	err=$(jget "$sock" status 'd["daemon"]["config_error"]')
	check "bad config $i: error visible in status ($err)" \
		bash -c '[[ "$1" == *live.conf:* ]]' _ "$err"
	check "bad config $i: daemon still answers" test "$(jget "$sock" ping 'd["pong"]')" = True
done
check "reload failure reaches STATUS=" grep -q "reload failed" "$T/notify.log"
check "RELOADING=1 sent with MONOTONIC_USEC" grep -q "RELOADING=1|MONOTONIC_USEC=[0-9]" "$T/notify.log"
check "old config still active (path unchanged)" \
	test "$(jget "$sock" status 'd["checks"]["logfs"]["path"]')" = "$T/logs"

# A directory is not a config either; neither is a file with a NUL byte.
mv "$T/live.conf" "$T/live.conf.bak"; mkdir "$T/live.conf"
kill -HUP "$pid"
check "unreadable config rejected" wait_json 5 "$sock" status 'd["daemon"]["reload_failures"]' 5
rmdir "$T/live.conf"
# A FIFO at the config path must not hang the loop on SIGHUP.
mkfifo "$T/live.conf"
kill -HUP "$pid"
check "a FIFO as config is rejected without blocking" wait_json 5 "$sock" status 'd["daemon"]["reload_failures"]' 6
rm "$T/live.conf"

# A good config is applied, and clears the error.
mkdir -p "$T/logs2"
printf '[logfs]\npath = %s\nwarning = 50\n[nics]\nenabled = no\n[rsyslog]\nenabled = no\n[xenstore]\nenabled = no\n' "$T/logs2" >"$T/live.conf"
: >"$T/notify.log"
kill -HUP "$pid"
check "good config applied after bad ones" wait_json 5 "$sock" status 'd["checks"]["logfs"]["path"]' "$T/logs2"
check "config_error cleared" test "$(jget "$sock" status 'd["daemon"]["config_error"]')" = None
check "READY=1 after the reload" wait_for 5 grep -q "READY=1" "$T/notify.log"

# reload over the socket (we are root).
check "reload request answers ok" test "$(jget "$sock" reload 'd["reload"]')" = ok

# enabled = no keeps a watcher's check out of the status; a reload turns
# watchers on and off.
check "only the logfs check runs" \
	test "$(jget "$sock" status '",".join(sorted(d["checks"]))')" = logfs
printf '[logfs]\npath = %s\nenabled = no\n[nics]\nenabled = no\n[rsyslog]\nenabled = no\n' "$T/logs2" >"$T/live.conf"
check "reload: logfs off, xenstore on" test "$(jget "$sock" reload 'd["reload"]')" = ok
check "checks after the reload" \
	test "$(jget "$sock" status '",".join(sorted(d["checks"]))')" = xenstore
check "show of a disabled check is unknown_check" \
	test "$(jget "$sock" "show logfs" 'd["error"]["code"]')" = unknown_check
printf '[logfs]\npath = %s\n[nics]\nenabled = no\n[rsyslog]\nenabled = no\n[xenstore]\nenabled = no\n' "$T/logs2" >"$T/live.conf"
check "reload: back to logfs only" test "$(jget "$sock" reload 'd["reload"]')" = ok
check "checks after the second reload" \
	test "$(jget "$sock" status '",".join(sorted(d["checks"]))')" = logfs

# SIGTERM: STOPPING=1, exit 0, socket removed.
: >"$T/notify.log"
kill -TERM "$pid"
wait "$pid" && rc=0 || rc=$?
check "SIGTERM exits 0 (rc=$rc)" test "$rc" -eq 0
check "STOPPING=1 sent" grep -q "STOPPING=1" "$T/notify.log"
check "socket removed on stop" test ! -e "$sock"

# Socket activation: a listening socket passed as fd 3 (LISTEN_FDS=1).
python3 - "$XSMOND" "$T/good.conf" "$T/act.sock" "$T/act.pid" <<'PY' 2>>"$T/xsmond.log" &
import os, socket, sys
xsmond, conf, path, pidfile = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(16)
pid = os.fork()
if pid == 0:
    os.dup2(s.fileno(), 3)
    os.set_inheritable(3, True)
    env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
    os.execve(xsmond, [xsmond, "-d", "-f", conf, "-s", path + ".unused"], env)
open(pidfile, "w").write(str(pid))
os.waitpid(pid, 0)
PY
PIDS+=($!)
wait_for 5 test -s "$T/act.pid"
apid=$(cat "$T/act.pid")
PIDS+=("$apid")
check "socket activation: served on the passed socket" wait_json 5 "$T/act.sock" ping 'd["pong"]' True
check "socket activation: no socket of its own bound" test ! -e "$T/act.sock.unused"
kill -TERM "$apid"
check "socket activation: xsmond exits on SIGTERM" wait_for 5 bash -c "! kill -0 $apid"
# Reaped by its python parent: not ours to signal again at cleanup.
PIDS=("${PIDS[@]/$apid}")
check "socket activation: passed socket left in place on stop" test -S "$T/act.sock"

finish
