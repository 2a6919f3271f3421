#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The live alert stream (issue 6): `subscribe` and `xsmonctl watch`
# against a real xsmond whose alerts come from a real 1 MiB tmpfs pushed
# over its warning threshold and back with fallocate/truncate.
#  1. `xsmonctl watch --json` gets the acknowledgement, then the alert of
#     the crossing and of its recovery, in seq order, seq after the
#     acknowledged one; the text form prints one line per alert.
#  2. Idle subscribers outlive idle_timeout; status counts a new
#     subscriber at once (its daemon counters are never cached).
#  3. With half the slots subscribed (the most allowed) and the rest held
#     by idle peers, one more subscribe gets busy and `xsmonctl status`
#     still answers.
#  4. A subscriber that never reads, during a burst of alerts, is cut
#     off: slow_subscriber is its last line, subscribers_dropped counts
#     it, status answers throughout, the reading subscriber misses no
#     alert (seq without a gap), and xsmond's RSS stays bounded.
#  5. watch exits 0 on SIGINT, 3 with a message when xsmond goes away.
#
# Runs in a private mount namespace of its own (unshare -m).
if ((EUID == 0)) && [[ -z "${XSMON_WATCH_NS:-}" ]]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_WATCH_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need_root
set +e  # exit codes are checked one by one

mkdir -p "$T/logs"
mount -t tmpfs -o size=1m xsmon-test "$T/logs" || { echo "SKIP: cannot mount tmpfs"; exit 77; }
MOUNTS+=("$T/logs")
sock=$T/sock
# output_max 64K: a subscriber's backlog cap is a quarter, 16 KiB.
cat >"$T/conf" <<CONF
[control]
max_clients = 6
idle_timeout = 2s
output_max = 64K
[logfs]
path = $T/logs
settle = 20ms
safety_interval = 1h
scan_interval = 1h
[nics]
enabled = no
[rsyslog]
enabled = no
[xenstore]
enabled = no
CONF

cat >"$T/w.py" <<'PY'
import json, os, socket, subprocess, sys, time
sys.path.insert(0, os.environ["XSMQ_DIR"])
from xsmq import query
import fillfs

T = os.environ["T"]
sock = T + "/sock"
logs = T + "/logs"

def status():
    return json.loads(query(sock, "status", 3))

def fill(pct):
    fillfs.fill(logs, pct)

def wait_status(want, timeout=3.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if status()["checks"]["logfs"]["status"] == want:
            return True
        time.sleep(0.01)
    return False

def subscribe():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sock)
    s.sendall(b"subscribe\n")
    return s, s.makefile("rb")

def read_all(f):
    out = []
    try:
        for line in f:
            out.append(line)
    except (ConnectionResetError, socket.timeout):
        pass
    return out

cmd = sys.argv[1]
if cmd == "cross":
    # cross PCT WANT: one crossing, waited for in status.
    fill(float(sys.argv[2]))
    sys.exit(0 if wait_status(sys.argv[3]) else 1)
elif cmd == "burst":
    # burst: crossings until a subscriber is dropped; prints the count
    # and every status round trip over 1 s (status must keep answering).
    slow, n = 0, 0
    while n < 400 and status()["daemon"]["subscribers_dropped"] == 0:
        for pct, want in ((85, "warning"), (70, "ok")):
            fill(pct)
            t0 = time.monotonic()
            if not wait_status(want):
                sys.exit("no %s after %d crossings" % (want, n))
            slow += time.monotonic() - t0 > 1.0
            n += 1
    print(n, slow)
elif cmd == "slow":
    # slow READY GO: subscribes, never reads until GO exists (a
    # subscriber was dropped), then reads what is left: prints the last
    # line. It polls a file, not status: its queries would take slots.
    s, f = subscribe()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    f.readline()
    open(sys.argv[2], "w").close()
    while not os.path.exists(sys.argv[3]):
        time.sleep(0.02)
    s.settimeout(10)
    lines = read_all(f)
    print(lines[-1].decode().strip() if lines else "nothing")
elif cmd == "fresh":
    # fresh BASE: status counts a subscriber (and its going) at once,
    # not from a document cached a moment earlier. Five rounds, each
    # well inside one second, so a cached count cannot pass by luck.
    base = int(sys.argv[2])
    for _ in range(5):
        t0 = time.monotonic()
        while status()["daemon"]["subscribers"] != base:
            if time.monotonic() - t0 > 3:
                sys.exit("subscribers did not return to %d" % base)
            time.sleep(0.01)
        s, f = subscribe()
        f.readline()
        got = status()["daemon"]["subscribers"]
        f.close()
        s.close()
        if got != base + 1:
            sys.exit("status said %d subscribers right after one more "
                     "subscribed, not %d" % (got, base + 1))
elif cmd == "busy":
    # busy: the reply to a subscribe over the subscriber limit.
    s, f = subscribe()
    print(f.readline().decode().strip())
elif cmd == "hold":
    # hold N READY: N connections that send nothing, held until killed.
    held = []
    for _ in range(int(sys.argv[2])):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(sock)
        held.append(c)
    open(sys.argv[3], "w").close()
    time.sleep(60)
elif cmd == "order":
    # order FILE ALERTS: FILE is ack + alerts, seq after the ack's and
    # without a gap; prints the alerts' "old>new" list.
    lines = [json.loads(l) for l in open(sys.argv[2])]
    ack, alerts = lines[0], lines[1:]
    assert ack["subscribed"] is True and ack["schema"] == 1, ack
    seqs = [a["seq"] for a in alerts]
    assert seqs == list(range(ack["seq"] + 1, ack["seq"] + 1 + len(seqs))), seqs
    assert all(a["check"] == "logfs" for a in alerts), alerts
    print(" ".join("%s>%s" % (a["old"], a["new"]) for a in alerts))
PY
export T XSMQ_DIR=$(cd "$(dirname "$0")" && pwd)
w() { python3 "$T/w.py" "$@"; }
nlines() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }
has_lines() { test "$(nlines "$2")" "-$1" "$3"; }  # has_lines ge|eq FILE N
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$XSMOND_PID/status"; }

start_xsmond "$T/conf" "$sock" || { cat "$T/xsmond.log"; exit 1; }
wait_json 5 "$sock" status 'd["checks"]["logfs"]["status"]' ok ||
	not_ok "logfs ok at start"

# 1. A crossing and its recovery, as NDJSON and as text.
"$XSMONCTL" -s "$sock" watch --json >"$T/w1.json" 2>"$T/w1.err" &
W1=$!; PIDS+=("$W1")
"$XSMONCTL" -s "$sock" --no-color watch >"$T/w2.txt" 2>"$T/w2.err" &
W2=$!; PIDS+=("$W2")
check "watch --json prints the acknowledgement" wait_for 5 has_lines ge "$T/w1.json" 1
wait_for 5 json_is "$sock" status 'd["daemon"]["subscribers"]' 2
check "two subscribers counted" json_is "$sock" status 'd["daemon"]["subscribers"]' 2
check "85% -> warning" w cross 85 warning
check "70% -> ok" w cross 70 ok
check "watch --json gets both alerts" wait_for 5 has_lines ge "$T/w1.json" 3
order=$(w order "$T/w1.json" 2>&1)
check "alerts in seq order, after the acknowledged seq: $order" \
	test "$order" = "ok>warning warning>ok"
check "text: one line per alert" wait_for 3 has_lines eq "$T/w2.txt" 2
check "text: the warning line" grep -Eq '^[0-9-]+T[0-9:.]+Z  WARNING   logfs +[a-z0-9_.]+  ' "$T/w2.txt"
check "text: the recovery line" grep -Eq '^[0-9-]+T[0-9:.]+Z  OK        logfs ' "$T/w2.txt"
sed 's/^/    /' "$T/w2.txt"

# 2. Idle subscribers are not closed by idle_timeout (2 s).
sleep 3
check "idle subscribers outlive idle_timeout" kill -0 "$W1" "$W2"
check "still two subscribers" json_is "$sock" status 'd["daemon"]["subscribers"]' 2
fresh=$(w fresh 2 2>&1)
check "status counts a new subscriber at once ${fresh:+($fresh)}" test -z "$fresh"

# 3. Three subscribers (max_clients / 2) and three idle peers fill the
#    six slots: one more subscribe is busy, status still answers.
python3 "$T/w.py" slow "$T/slow.ready" "$T/slow.go" >"$T/slow.out" 2>&1 &
SLOW=$!; PIDS+=("$SLOW")
wait_for 5 test -f "$T/slow.ready"
busy=$(w busy)
check "a fourth subscriber gets busy: $busy" grep -q '"code":"busy"' <<<"$busy"
python3 "$T/w.py" hold 3 "$T/hold.ready" &
HOLD=$!; PIDS+=("$HOLD")
wait_for 5 test -f "$T/hold.ready"
# The query's own connection takes the sixth slot by evicting a holder.
slots=$(jget "$sock" status '(d["daemon"]["subscribers"], d["daemon"]["clients"])')
check "every slot taken: (subscribers, clients) = $slots" test "$slots" = "(3, 6)"
for i in 1 2 3; do
	"$XSMONCTL" -s "$sock" --json status >"$T/st.$i" 2>&1
	rc=$?
	check "status answers at the cap ($i, exit $rc)" test "$rc" -le 2
done
kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null

# 4. The never-reading subscriber during a burst of alerts.
rss0=$(rss_kib)
burst=$(w burst 2>&1) || true
touch "$T/slow.go"
read -r crossings slow_answers <<<"$burst"
rss1=$(rss_kib)
echo "    burst: $burst (crossings, status answers over 1 s); RSS ${rss0} -> ${rss1} KiB"
check "a burst made the silent subscriber be dropped" test -n "$slow_answers"
check "status answered within 1 s throughout" test "${slow_answers:-1}" -eq 0
wait "$SLOW"
last=$(cat "$T/slow.out")
check "its last line is slow_subscriber: $last" grep -q '"code":"slow_subscriber"' <<<"$last"
check "subscribers_dropped counts it" json_is "$sock" status 'd["daemon"]["subscribers_dropped"]' 1
check "RSS bounded (+$((rss1 - rss0)) KiB)" test $((rss1 - rss0)) -lt 2048
expected=$((2 + crossings))
check "the reading subscriber got all $expected alerts" \
	wait_for 5 has_lines ge "$T/w1.json" $((expected + 1))
in_order() { w order "$1" >/dev/null; }
check "... with no gap in seq" in_order "$T/w1.json"
check "the reading subscribers were not cut off" kill -0 "$W1" "$W2"

# 5. SIGINT ends watch with 0; xsmond going away ends it with 3.
kill -INT "$W1"
wait "$W1"; rc=$?
check "watch exits 0 on SIGINT (got $rc)" test "$rc" -eq 0
kill "$XSMOND_PID"
wait "$W2"; rc=$?
check "watch exits 3 when xsmond goes away (got $rc)" test "$rc" -eq 3
check "... and says so" grep -q "closed the stream" "$T/w2.err"
finish
