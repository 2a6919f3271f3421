#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The control socket under abuse (fault tests 9, 10, 11): over-long and
# malformed requests, half-close, a reset in mid-reply, idle and
# slowloris clients over the cap, a client that never reads, an
# unauthorized peer, and EMFILE under prlimit. Throughout, a background
# prober runs the real `xsmonctl --json status` and every answer must be
# valid JSON with exit 0..2 within 3 s (generous for a loaded 2-core box;
# the latencies are printed). Also: peers that pipeline and never read
# cannot hold every slot, and the configured group reaches a socket whose
# directory systemd pre-created as root:root. At the end xsmond is still
# alive, its counters add up, and SIGTERM stops it cleanly.
#
# Runs in a private mount namespace of its own (unshare -m), so the tmpfs
# dies with it even when ctest's timeout SIGKILLs us before cleanup.
if ((EUID == 0)) && [[ -z "${XSMON_ABUSE_NS:-}" ]]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_ABUSE_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need_root

IDLE=1
mkdir -p "$T/logdir"
if mount -t tmpfs -o size=4m xsmon-test "$T/logdir" 2>/dev/null; then
	MOUNTS+=("$T/logdir")
fi
# "daemon" (gid 1) stands in for xsmon: a group that exists on Debian.
GROUP=$(getent group daemon >/dev/null && echo daemon || echo "")
cat >"$T/x.conf" <<CONF
[control]
group = $GROUP
max_clients = 16
request_max = 4K
idle_timeout = ${IDLE}s
output_max = 64K
[logfs]
path = $T/logdir
[nics]
enabled = no
[rsyslog]
enabled = no
[xenstore]
enabled = no
CONF
cp "$T/x.conf" "$T/x.conf.orig"
sock=$T/x.sock

# ---------------------------------------------------------------------
# The abusers, one per sub-command. Each prints what it saw and exits 0
# when the daemon behaved, 1 (with the reason) when it did not.
cat >"$T/abuse.py" <<'PY'
import json, os, select, socket, sys, time

def conn(path, timeout=5.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s

def read_all(s, limit=5.0):
    """Reads until EOF or reset; returns (bytes, how it ended)."""
    buf, end = b"", time.monotonic() + limit
    while time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return buf, "reset"
        except socket.timeout:
            return buf, "timeout"
        if not chunk:
            return buf, "eof"
        buf += chunk
    return buf, "timeout"

def codes(buf):
    out = []
    for line in buf.split(b"\n"):
        if line:
            d = json.loads(line)
            out.append(d["error"]["code"] if "error" in d else "reply")
    return out

def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)

def too_long(path, n, ch):
    """n bytes without a newline: request_too_long and/or a close."""
    s = conn(path)
    t0 = time.monotonic()
    data = ch.encode() * n
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    buf, how = read_all(s)
    dt = time.monotonic() - t0
    c = codes(buf)
    print(f"{n} x {ch!r}: replies={c} end={how} after {dt*1000:.0f} ms")
    if how == "timeout" or any(x != "request_too_long" for x in c):
        fail("not closed with request_too_long")

def reply(path, hexdata, want):
    s = conn(path)
    s.sendall(bytes.fromhex(hexdata))
    s.shutdown(socket.SHUT_WR)
    buf, how = read_all(s)
    c = codes(buf)
    print(f"{hexdata[:24]}...: replies={c} end={how}")
    if c != want.split(","):
        fail(f"want {want}")

def half_close(path):
    for req, key in ((b"status\n", "schema"), (b"ping", "pong")):
        s = conn(path)
        s.sendall(req)
        s.shutdown(socket.SHUT_WR)
        buf, how = read_all(s)
        print(f"half-close {req!r}: {len(buf)} bytes, end={how}")
        if how != "eof" or buf.count(b"\n") != 1 or key not in json.loads(buf):
            fail("no full reply after SHUT_WR")

def rst(path):
    """Pipelined requests, then close with unread replies (linger 0)."""
    for _ in range(20):
        s = conn(path)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
        try:
            s.sendall(b"status\n" * 300)
        except (BrokenPipeError, ConnectionResetError):
            pass
        s.close()
    print("20 resets in mid-reply sent")

def idle(path, n, idle_s, cap):
    """n idle clients: the surplus is told busy, the rest closed idle."""
    socks, t0 = [], time.monotonic()
    for _ in range(n):
        socks.append(conn(path))
    outcome = {}
    deadline = t0 + idle_s * 3
    while len(outcome) < n and time.monotonic() < deadline:
        live = [s for s in socks if s not in outcome]
        r, _, _ = select.select(live, [], [], 0.1)
        for s in r:
            buf, how = read_all(s, 0.5)
            kind = "busy" if codes(buf) == ["busy"] else "closed:" + how
            outcome[s] = (kind, time.monotonic() - t0)
    busy = [t for k, t in outcome.values() if k == "busy"]
    closed = [t for k, t in outcome.values() if k == "closed:eof"]
    other = [k for k, t in outcome.values() if k not in ("busy", "closed:eof")]
    print(f"{n} idle clients: busy={len(busy)} idle-closed={len(closed)} "
          f"open={n - len(outcome)} other={other}; idle closes at "
          f"{min(closed, default=0):.2f}..{max(closed, default=0):.2f} s")
    if len(outcome) != n or other:
        fail("some clients neither refused nor closed")
    if len(busy) < n - cap or len(closed) > cap:
        fail(f"more than {cap} clients held")
    if closed and (min(closed) < idle_s * 0.8 or max(closed) > idle_s + 1.0):
        fail("idle clients not closed at idle_timeout")

def slowloris(path, n, hold):
    """n clients each send one byte and stay: cap and deadline hold."""
    socks = []
    for _ in range(n):
        s = conn(path)
        try:
            s.send(b"s")
        except OSError:
            pass
        socks.append(s)
    time.sleep(hold)
    alive = 0
    for s in socks:
        s.settimeout(0.01)
        buf, how = read_all(s, 0.05)
        alive += how == "timeout"
    print(f"{n} slowloris clients: {alive} still open after {hold} s")
    if alive != 0:
        fail("slowloris clients outlived the idle deadline")

def no_read(path, idle_s):
    """Requests status in a loop and never reads: held back, then closed."""
    s = conn(path)
    t0, sent = time.monotonic(), 0
    try:
        while time.monotonic() - t0 < 5:
            sent += s.send(b"status\n" * 64)
    except (BrokenPipeError, ConnectionResetError) as e:
        dt = time.monotonic() - t0
        print(f"never-reading client dropped after {dt*1000:.0f} ms, "
              f"{sent} bytes of requests sent ({e.__class__.__name__})")
        if dt > idle_s + 1.5:
            fail("not dropped by the idle deadline")
        return
    except socket.timeout:
        fail("send blocked: client neither served nor dropped")
    fail("never-reading client not dropped")

def pipeline(path, n):
    """n requests in one write, read slowly: every reply arrives."""
    s = conn(path)
    s.sendall(b"status\n" * n)
    buf = b""
    while buf.count(b"\n") < n:
        time.sleep(0.001)
        chunk = s.recv(16384)
        if not chunk:
            break
        buf += chunk
    c = codes(buf)
    print(f"{n} pipelined requests: {len(c)} replies, {len(buf)} bytes")
    if c != ["reply"] * n:
        fail("pipelined replies lost")

def hammer(path, procs, n):
    """procs clients, n queries each, one connection per query: at the
    rate of real clients nobody is told busy, though connections come
    and go faster than 16 at a time."""
    import multiprocessing
    def worker(q):
        bad = 0
        for _ in range(n):
            try:
                s = conn(path)
                s.sendall(b"ping\n")
                buf, how = read_one(s)
                s.close()
                bad += codes(buf) != ["reply"]
            except OSError:
                bad += 1
        q.put(bad)
    q = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=worker, args=(q,)) for _ in range(procs)]
    t0 = time.monotonic()
    for p in ps:
        p.start()
    bad = sum(q.get() for _ in ps)
    for p in ps:
        p.join()
    dt = time.monotonic() - t0
    print(f"{procs} x {n} queries in {dt:.2f} s ({procs * n / dt:.0f}/s): {bad} failed")
    if bad:
        fail("queries refused or lost")

def read_one(s):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            return buf, "eof"
        buf += chunk
    return buf, "line"

def expect(path, req, want):
    s = conn(path)
    try:
        s.sendall(req.encode() + b"\n")
        s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError):
        pass    # a refusal may be sent and closed before we write
    buf, how = read_all(s)
    c = codes(buf)
    print(f"uid {os.getuid()} gid {os.getgid()} groups {os.getgroups()}: "
          f"{req} -> {c} end={how}")
    if c != [want]:
        fail(f"want {want}")

def pin(path, n, settle):
    """n clients pipeline status and never read, so every slot is owed a
    reply; after settle s a newcomer must still be served, by closing
    one of them, rather than be told busy until the idle deadline."""
    socks = []
    for _ in range(n):
        s = conn(path)
        s.setblocking(False)
        try:
            while True:
                s.send(b"status\n" * 64)
        except BlockingIOError:
            pass
        socks.append(s)
    time.sleep(settle)
    t0 = time.monotonic()
    s = conn(path)
    s.sendall(b"ping\n")
    s.shutdown(socket.SHUT_WR)
    buf, how = read_all(s, 5.0)
    dt = time.monotonic() - t0
    closed = 0
    for p in socks:
        try:
            while p.recv(65536):
                pass
            closed += 1
        except BlockingIOError:
            pass                # still open: more replies to come
        except ConnectionResetError:
            closed += 1
    c = codes(buf)
    print(f"{n} never-reading pipeliners: newcomer got {c} end={how} "
          f"after {dt*1000:.0f} ms; {closed} pipeliner(s) closed")
    if c != ["reply"] or dt >= 3.0:
        fail("newcomer not served within 3 s")
    if closed != 1:
        fail("want exactly one pipeliner closed for room")

def hold(path, n, secs, out):
    """Opens up to n connections, holds them secs, then closes them."""
    socks = []
    for _ in range(n):
        try:
            socks.append(conn(path, 0.5))
        except OSError:
            break
    open(out, "w").write(str(len(socks)))
    time.sleep(secs)
    for s in socks:
        s.close()
    print(f"held {len(socks)} connections for {secs} s")

cmd, args = sys.argv[1], sys.argv[2:]
{
    "too_long": lambda: too_long(args[0], int(args[1]), args[2]),
    "reply": lambda: reply(args[0], args[1], args[2]),
    "half_close": lambda: half_close(args[0]),
    "rst": lambda: rst(args[0]),
    "idle": lambda: idle(args[0], int(args[1]), float(args[2]), int(args[3])),
    "slowloris": lambda: slowloris(args[0], int(args[1]), float(args[2])),
    "no_read": lambda: no_read(args[0], float(args[1])),
    "pipeline": lambda: pipeline(args[0], int(args[1])),
    "hammer": lambda: hammer(args[0], int(args[1]), int(args[2])),
    "expect": lambda: expect(args[0], args[1], args[2]),
    "hold": lambda: hold(args[0], int(args[1]), float(args[2]), args[3]),
    "pin": lambda: pin(args[0], int(args[1]), float(args[2])),
}[cmd]()
PY
chmod 0644 "$T/abuse.py"
abuse() { python3 "$T/abuse.py" "$@"; }

# ---------------------------------------------------------------------
# The prober: the real client, every 50 ms, until $T/stop.<name> exists.
# Each line: "ok MS" or "FAIL rc=RC MS output".
prober() { # prober NAME SOCK
	local name=$1 s=$2 t0 t1 out rc ms
	while [[ ! -e "$T/stop.$name" ]]; do
		t0=$EPOCHREALTIME
		out=$(timeout 5 "$XSMONCTL" -s "$s" --json status 2>&1) && rc=0 || rc=$?
		t1=$EPOCHREALTIME
		ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
		if ((rc <= 2)) && python3 -c 'import json,sys; json.loads(sys.argv[1])["schema"]' "$out" 2>/dev/null \
		    && ((ms < 3000)); then
			echo "ok $ms"
		else
			echo "FAIL rc=$rc $ms ${out:0:200}"
		fi
		sleep 0.05
	done >>"$T/probe.$name"
}
start_prober() {
	rm -f "$T/stop.$1"; : >"$T/probe.$1"
	prober "$1" "$2" &
	PROBER_PID=$!
	PIDS+=("$PROBER_PID")
}
stop_prober() { # stop_prober NAME: waits for it, then reports
	touch "$T/stop.$1"
	wait "$PROBER_PID" 2>/dev/null || true
	local n bad
	n=$(wc -l <"$T/probe.$1")
	bad=$(grep -c FAIL "$T/probe.$1" || true)
	python3 - "$T/probe.$1" "$1" <<'PYS'
import sys
ms = sorted(int(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("ok"))
if ms:
    print(f"# prober {sys.argv[2]}: {len(ms)} answers, median {ms[len(ms)//2]} ms, "
          f"p99 {ms[min(len(ms)-1, len(ms)*99//100)]} ms, max {ms[-1]} ms")
PYS
	grep FAIL "$T/probe.$1" | head -3 || true
	check "prober $1: $n xsmonctl status answered, all < 3 s as JSON ($bad bad)" \
		test "$n" -gt 0 -a "$bad" -eq 0
}

# ---------------------------------------------------------------------
XSMOND_DEBUG=1 start_xsmond "$T/x.conf" "$sock"
pid=$XSMOND_PID
check "socket is 0660" test "$(stat -c %a "$sock")" = 660
[[ -n "$GROUP" ]] && check "socket group is $GROUP" test "$(stat -c %G "$sock")" = "$GROUP"
check "xsmonctl answers before the abuse" "$XSMONCTL" -s "$sock" --json status >/dev/null

start_prober main "$sock"

# Test 10: malformed requests.
check "1 MiB without a newline: request_too_long, closed" abuse too_long "$sock" 1048576 x
check "100k '[': request_too_long, closed" abuse too_long "$sock" 100000 [
check "4095 bytes + newline fit the cap: unknown_request" \
	abuse reply "$sock" "$(python3 -c 'print("5b" * 4095 + "0a")')" unknown_request
check "NUL and binary bytes: bad_request" abuse reply "$sock" 7374617400747573010aff0a bad_request,bad_request
check "invalid UTF-8: bad_request" abuse reply "$sock" c0af7374617475730a bad_request
check "unknown command: unknown_request" abuse reply "$sock" 66726f62206e6963617465 unknown_request
check "usage error, then a good request on the same connection" \
	abuse reply "$sock" 73686f770a70696e670a usage,reply
check "empty lines are ignored" abuse reply "$sock" 0a0d0a0a70696e670d0a reply
check "half-closed socket still gets its reply" abuse half_close "$sock"
check "RST in mid-reply" abuse rst "$sock"
rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
check "never-reading client held back, then dropped at the deadline" abuse no_read "$sock" "$IDLE"
rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
echo "# RSS around the never-reading client: $rss0 -> $rss1 KiB"
# Under valgrind the RSS is valgrind's own; under ASan it includes the
# quarantine, which keeps every freed block (each reply's) for a while.
exe=$(readlink "/proc/$pid/exe")
if [[ $exe != *valgrind* && $exe != *memcheck* ]] && ! grep -q libasan "/proc/$pid/maps"; then
	check "never-reading client cost < 1 MiB of RSS" test $((rss1 - rss0)) -lt 1024
fi
check "585 pipelined requests (4 KiB) all answered, past the 64K output cap" \
	abuse pipeline "$sock" 585

# Test 9: over the cap, idle and slowloris clients.
check "8 busy clients, a connection per query: none refused" abuse hammer "$sock" 8 2000
check "100 idle clients: cap 16, busy, idle closed after ${IDLE}s" abuse idle "$sock" 100 "$IDLE" 16
check "1000 slowloris clients closed by the deadline" abuse slowloris "$sock" 1000 $((IDLE * 2 + 1))
refused=$(jget "$sock" status 'd["daemon"]["clients_refused"]')
check "status counts refusals and evictions (clients_refused=$refused)" test "$refused" -ge 1068
stop_prober main

# Test 11: an unauthorized peer on a world-writable socket.
chmod 0711 "$T"
chmod 0666 "$sock"
# The system python: a per-user shim under /root is not for uid 65534.
PY=/usr/bin/python3
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
check "uid 65534 without the group: forbidden" "${nobody[@]}" $PY "$T/abuse.py" expect "$sock" status forbidden
out=$("${nobody[@]}" "$XSMONCTL" -s "$sock" --json status 2>&1) && rc=0 || rc=$?
echo "# xsmonctl as uid 65534: rc=$rc ${out:0:120}"
check "xsmonctl as uid 65534: refused (rc=$rc)" bash -c '(( $1 > 2 )) && [[ "$2" == *forbidden* ]]' _ "$rc" "$out"
if [[ -n "$GROUP" ]]; then
	gid=$(getent group "$GROUP" | cut -d: -f3)
	check "uid 65534 with $GROUP as a supplementary group: served" \
		setpriv --reuid=65534 --regid=65534 --groups="$gid" $PY "$T/abuse.py" expect "$sock" ping reply
	check "uid 65534 with $GROUP as its primary group: served" \
		setpriv --reuid=65534 --regid="$gid" --clear-groups $PY "$T/abuse.py" expect "$sock" ping reply
	check "uid 65534 in $GROUP may not reload" \
		setpriv --reuid=65534 --regid="$gid" --clear-groups $PY "$T/abuse.py" expect "$sock" reload forbidden
fi

# The socket's directory as systemd's RuntimeDirectory= leaves it
# (root:root 0750): xsmond hands it to the group, so a member gets in.
# Idle clients here live 20 s, so only eviction can free a slot.
sed -e 's/^idle_timeout = .*/idle_timeout = 20s/' "$T/x.conf.orig" >"$T/g.conf"
mkdir -m 0750 "$T/run"
gsock=$T/run/g.sock
XSMOND_DEBUG=1 "$XSMOND" -d -f "$T/g.conf" -s "$gsock" 2>>"$T/g.log" &
gpid=$!
PIDS+=("$gpid")
wait_for 5 test -S "$gsock"
if [[ -n "$GROUP" ]]; then
	mode=$(stat -c '%U:%G %a' "$T/run")
	check "root:root 0750 socket dir handed to the group ($mode)" \
		test "$mode" = "root:$GROUP 750"
	check "uid 65534 with $GROUP as its primary group reaches the socket in it" \
		setpriv --reuid=65534 --regid="$gid" --clear-groups $PY "$T/abuse.py" expect "$gsock" ping reply
fi
check "16 pipeliners that never read: a newcomer is still served" abuse pin "$gsock" 16 1.5
kill -TERM "$gpid"
wait "$gpid" && rc=0 || rc=$?
check "pipeline daemon exits 0 on SIGTERM (rc=$rc)" test "$rc" -eq 0
if [[ -n "$GROUP" ]]; then
	# A private root directory that holds more than the socket is not
	# xsmond's to hand out.
	mkdir -m 0700 "$T/priv"
	: >"$T/priv/other"
	"$XSMOND" -d -f "$T/g.conf" -s "$T/priv/p.sock" 2>>"$T/g.log" &
	ppid=$!
	PIDS+=("$ppid")
	wait_for 5 test -S "$T/priv/p.sock"
	mode=$(stat -c '%U:%G %a' "$T/priv")
	check "a directory holding other files is left alone ($mode)" test "$mode" = "root:root 700"
	kill -TERM "$ppid"; wait "$ppid" || true
fi
if [[ -n "$GROUP" ]] && command -v systemd-socket-activate >/dev/null; then
	# Socket activation: systemd's socket keeps the unit's group; xsmond
	# says once that SocketGroup= must match.
	mkdir -m 0750 "$T/act"
	systemd-socket-activate -l "$T/act/a.sock" "$XSMOND" -d -f "$T/g.conf" \
		-s "$T/act/unused.sock" 2>>"$T/a.log" &
	apid=$!
	PIDS+=("$apid")
	check "activated: served" wait_json 5 "$T/act/a.sock" ping 'd["pong"]' True
	check "activated: a socket group other than $GROUP is reported" \
		grep -q "SocketGroup=$GROUP" "$T/a.log"
	check "activated: reported once" test "$(grep -c SocketGroup= "$T/a.log")" = 1
	kill -TERM "$apid"; wait "$apid" || true
fi

# Reload: new limits apply to new clients; the group change at once.
sed -e 's/^max_clients = 16/max_clients = 2/' -e 's/^group = .*/group =/' \
	"$T/x.conf" >"$T/x.conf.new"
mv "$T/x.conf.new" "$T/x.conf"
kill -HUP "$pid"
check "reload applied" wait_json 5 "$sock" status 'd["daemon"]["reloads"]' 1
check "after reload: the cap is 2" abuse idle "$sock" 10 "$IDLE" 2
if [[ -n "$GROUP" ]]; then
	check "after reload: $GROUP is no longer enough" \
		setpriv --reuid=65534 --regid="$gid" --clear-groups $PY "$T/abuse.py" expect "$sock" ping forbidden
fi
chmod 0660 "$sock"; chmod 0700 "$T"

# The daemon survived and its books balance.
check "xsmond still running" kill -0 "$pid"
# (status is cached per second, so its client count may lag a moment)
check "only the asking client is connected" wait_json 3 "$sock" status 'd["daemon"]["clients"]' 1

# Test 9, EMFILE variant: a second daemon with 32 descriptors.
esock=$T/e.sock
sed -e 's/^max_clients = 16/max_clients = 64/' "$T/x.conf.orig" >"$T/e.conf"
XSMOND_DEBUG=1 prlimit --nofile=32 "$XSMOND" -d -f "$T/e.conf" -s "$esock" 2>>"$T/e.log" &
epid=$!
PIDS+=("$epid")
wait_for 5 test -S "$esock"
abuse hold "$esock" 60 3 "$T/held" &
hpid=$!
PIDS+=("$hpid")
check "EMFILE reached and accept paused" wait_for 3 grep -q "pausing" "$T/e.log"
t0=$(awk '{print $14 + $15}' "/proc/$epid/stat")
sleep 1
t1=$(awk '{print $14 + $15}' "/proc/$epid/stat")
check "no busy loop while paused ($((t1 - t0)) ticks in 1 s)" test $((t1 - t0)) -lt 20
wait "$hpid"
echo "# EMFILE: $(cat "$T/held") connections held against nofile=32"
start_prober emfile "$esock"
sleep 1.5
stop_prober emfile
check "accepting again after EMFILE" grep -q "accepting clients again" "$T/e.log"
check "EMFILE daemon still serves ping" test "$(jget "$esock" ping 'd["pong"]')" = True
kill -TERM "$epid"
wait "$epid" && rc=0 || rc=$?
check "EMFILE daemon exits 0 on SIGTERM (rc=$rc)" test "$rc" -eq 0

# SIGTERM: exit 0, socket removed.
kill -TERM "$pid"
wait "$pid" && rc=0 || rc=$?
check "SIGTERM exits 0 (rc=$rc)" test "$rc" -eq 0
check "socket removed on stop" test ! -e "$sock"
logs=("$T/xsmond.log" "$T/e.log" "$T/g.log")
[[ -e "$T/a.log" ]] && logs+=("$T/a.log")
if grep -qE "AddressSanitizer|runtime error|LeakSanitizer" "${logs[@]}"; then
	not_ok "sanitizer reports"; grep -E "ERROR|runtime error" "${logs[@]}" | head
fi
finish
