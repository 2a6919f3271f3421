#!/bin/bash
# SPDX-License-Identifier: ISC
#
# xsmonctl must not trust the daemon: a test server on a UNIX socket sends
# hostile replies (bad framing, oversized, NUL bytes, wrong schema, wrong
# types, deep nesting, escape sequences) and each time xsmonctl must exit 3
# with a message that says what was wrong, and never crash or hang.
# Needs no root: only a socket in a temp dir.
set -u

: "${XSMONCTL:?XSMONCTL must point at the xsmonctl binary}"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }

T=$(mktemp -d /tmp/xsmonctl-val.XXXXXX)
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# The server answers every connection with the bytes of $T/reply, or hangs
# on "HANG", then closes. It never reads more than the request line.
cat >"$T/server.py" <<'PY'
import os, socket, sys, time
sock, reply = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(sock)
s.listen(8)
while True:
    c, _ = s.accept()
    try:
        c.settimeout(2)
        c.recv(4096)
        data = open(reply, "rb").read()
        if data == b"HANG":
            time.sleep(8)
        else:
            c.sendall(data)
    except OSError:
        pass
    c.close()
PY
python3 "$T/server.py" "$T/sock" "$T/reply" &
SRV=$!
for _ in $(seq 50); do [ -S "$T/sock" ] && break; sleep 0.1; done
[ -S "$T/sock" ] || { echo "FAIL: test server did not start"; exit 1; }

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# reply TEXT: the next reply, written with printf %b (so \n, \0 work).
reply() { printf '%b' "$1" >"$T/reply"; }

# expect NAME RC PATTERN [ARGS...]: run xsmonctl, check rc and that stderr
# matches PATTERN (extended regexp), or is empty for the pattern EMPTY.
expect() {
	local name=$1 rc=$2 pat=$3 got
	shift 3
	"$XSMONCTL" -s "$T/sock" "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$rc" ]; then
		fail "$name: exit $got, want $rc; stderr: $(head -c 300 "$T/err")"
	elif [ "$pat" = EMPTY ] && [ -s "$T/err" ]; then
		fail "$name: unexpected stderr: $(head -c 300 "$T/err")"
	elif [ "$pat" != EMPTY ] && ! grep -Eq -- "$pat" "$T/err"; then
		fail "$name: stderr does not match /$pat/: $(head -c 300 "$T/err")"
	else
		echo "ok: $name: $(head -c 200 "$T/err")"
	fi
}

STATUS='{"schema":1,"version":"0.1.0","host":"h","status":"warning","reason":"r","checks":{"logfs":{"status":"warning","reason":"85%% used","since_age_s":9}}}'
SHOW_HEAD='{"schema":1,"version":"0.1.0","host":"h","check":"logfs","logfs":{"status":"ok","reason":"fine"'

# A well-formed reply first, so that the server and the harness are known
# to work and the failures below are xsmonctl's verdicts.
reply "$STATUS\n"
expect "valid status" 1 EMPTY status
grep -q logfs "$T/out" || fail "valid status: no logfs row"

reply "$STATUS"
expect "no final newline" 3 'no final newline'
reply "$STATUS\n{}\n"
expect "two lines" 3 'more than one line'
python3 -c 'import sys; sys.stdout.write("{\"schema\":1,\"x\":\"" + "a" * (9 << 20) + "\"}\n")' >"$T/reply"
expect "9 MiB line" 3 'larger than 8 MiB'
reply '{"schema":1,\0"version":"0.1.0"}\n'
expect "NUL byte" 3 'NUL byte' version
reply ''
expect "closed without reply" 3 'without a reply'
reply 'hello\n'
expect "not JSON" 3 'not valid JSON'
reply '[1,2]\n'
expect "non-object" 3 'not a JSON object'
python3 -c 'print("[" * 200000)' >"$T/reply"
expect "deep nesting" 3 'nests deeper'
reply '{"version":"0.1.0","pong":true}\n'
expect "no schema" 3 'no schema' ping
reply '{"schema":2,"version":"0.1.0"}\n'
expect "schema 2" 3 'unsupported schema 2' version
reply '{"schema":"1","version":"0.1.0"}\n'
expect "schema string" 3 'schema is not an integer' version
reply '{"schema":1,"version":"0.1.0","host":"h","status":5,"reason":"r","checks":{}}\n'
expect "status not a string" 3 'status is not a string'
reply '{"schema":1,"version":"0.1.0","host":"h","status":"purple","reason":"r","checks":{}}\n'
expect "unknown status word" 3 'status is not a known status'
reply '{"schema":1,"version":"0.1.0","host":"h","status":"ok","reason":"r","checks":[]}\n'
expect "checks not an object" 3 'checks is not an object'
reply '{"schema":1,"version":"0.1.0","host":"h","status":"ok","reason":"r","checks":{"logfs":{"status":"ok","reason":"r","since_age_s":"9"}}}\n'
expect "since_age_s string" 3 'checks.logfs.since_age_s is not'
reply '{"schema":1,"version":"0.1.0","host":"h","status":"ok","reason":"r","checks":{"logfs":{"status":"ok"}}}\n'
expect "reason missing" 3 'checks.logfs.reason is missing'
reply "$SHOW_HEAD"',"bytes":{"used":-5}}}\n'
expect "negative bytes" 3 'logfs.bytes.used is not a non-negative integer' show logfs
reply "$SHOW_HEAD"',"scan":{"largest_files":[{"path":"a","bytes":1.5}]}}}\n'
expect "fractional size" 3 'largest_files\[0\].bytes' show logfs
reply "$SHOW_HEAD"',"scan":{"deleted_open":[7]}}}\n'
expect "list item not an object" 3 'deleted_open\[0\] is not an object' show logfs
reply "$SHOW_HEAD"',"growth":{"rate_bps":"fast"}}}\n'
expect "rate not a number" 3 'rate_bps is not a number' show logfs
reply '{"schema":1,"version":"0.1.0","host":"h","check":"other","other":{"status":"ok","reason":"r"}}\n'
expect "reply for another check" 3 'another check' show logfs
reply '{"schema":1,"version":"0.1.0","pong":false}\n'
expect "pong false" 3 'pong is false' ping
reply '{"schema":1,"reload":"maybe"}\n'
expect "reload not ok" 3 'reload is not' reload
reply '{"error":{"code":"unknown_check","message":"no check named nosuch"}}\n'
expect "error document" 3 '^xsmonctl: unknown_check: no check named nosuch$' show nosuch
reply '{"error":"boom"}\n'
expect "malformed error document" 3 'error is not an object'
reply '{"error":{"code":"x\\u001b[2J","message":"m"}}\n'
expect "escape in error code" 3 'x\?\[2J'
grep -q $'\033' "$T/err" && fail "escape in error code: ESC reached the terminal"

# A repeated key is ambiguous: xsmonctl would read the first, jq the last,
# so "ok" here and "critical" in a script. Refused wherever it is.
H='{"schema":1,"version":"0.1.0","host":"h"'
reply "$H"',"status":"ok","reason":"r","checks":{},"status":"critical"}\n'
expect "duplicate top-level key" 3 'duplicate key "status"'
reply "$H"',"status":"ok","reason":"r","checks":{"logfs":{"status":"ok","reason":"r","status":"critical"}}}\n'
expect "duplicate key in a check" 3 'duplicate key "status"'
reply "$H"',"status":"ok","reason":"r","checks":{"logfs":{"status":"ok","reason":"r"},"logfs":{"status":"critical","reason":"r"}}}\n'
expect "duplicate check" 3 'duplicate key "logfs"'
reply "$SHOW_HEAD"',"scan":{"largest_files":[{"path":"a","bytes":1,"bytes":2}]}}}\n'
expect "duplicate key in a list row" 3 'duplicate key "bytes"' show logfs

# Absurd numbers: refused where they have a range, kept short where not.
reply "$SHOW_HEAD"',"bytes":{"used_pct":1e300}}}\n'
expect "percentage out of range" 3 'logfs.bytes.used_pct is not a percentage' show logfs
reply "$SHOW_HEAD"',"growth":{"rate_bps":-1e300}}}\n'
expect "huge rate" 0 EMPTY show logfs
line=$(grep 'growth:' "$T/out")
[ "${#line}" -lt 80 ] || fail "huge rate: growth line is ${#line} bytes: ${line:0:100}"
grep -qF -- '-8.67e+281 EiB/s' "$T/out" || fail "huge rate: $line"

# Columns are counted in characters, and a long name is cut to the column:
# the STATUS column starts at the same place on every row.
cat >"$T/cols.py" <<'PY'
import re, sys
want = int(sys.argv[2])
cols = set()
for line in open(sys.argv[1], encoding="utf-8").read().splitlines()[1:]:
    m = re.match(r"^(\S+ *)  (STATUS|ok|warning) ", line)
    if not m:
        sys.exit("unexpected row: " + line)
    cols.add(len(m.group(1)))
    if m.group(1).startswith("nnn") and not m.group(1).startswith("n" * 29 + "..."):
        sys.exit("long name not cut to 29 + ...: " + line)
if cols != {want}:
    sys.exit("STATUS column at %s, want %d on every row" % (sorted(cols), want))
PY
columns() { # columns NAME WIDTH CHECK-NAMES...: a status reply, then the check
	local name=$1 width=$2 checks= c
	shift 2
	for c in "$@"; do
		checks="$checks${checks:+,}\"$c\":{\"status\":\"ok\",\"reason\":\"r\"}"
	done
	reply "$H"',"status":"ok","reason":"r","checks":{'"$checks"'}}\n'
	expect "$name" 0 EMPTY
	python3 "$T/cols.py" "$T/out" "$width" || fail "$name: $(cat "$T/out")"
}
long=$(printf 'n%.0s' $(seq 40))
utf=$(printf '\xc3\xa9%.0s' $(seq 12))
columns "columns: UTF-8 name" 12 logfs "$utf"
columns "columns: long name" 32 logfs "$long" "$utf"

# Hostile text in an otherwise valid reply: printed, but defused.
reply '{"schema":1,"version":"0.1.0","host":"h\\u001b]0;owned\\u0007","status":"ok","reason":"\\u009b31m","checks":{}}\n'
expect "escapes in text" 0 EMPTY --no-color
if grep -q $'\033\|\007\|\xc2\x9b' "$T/out"; then
	fail "escapes in text: control characters reached stdout"
fi

# Long lists: printed up to a cap with the rest counted; past a sanity
# bound (per list, and in total) the reply is refused before yajl builds a
# tree of millions of nodes.
rows() {
	python3 - "$T/reply" "$1" "$2" <<'PY'
import json, sys
n, lists = int(sys.argv[2]), int(sys.argv[3])
rows = [{"path": "f%d" % i, "bytes": i} for i in range(n)]
scan = {"largest_files": rows}
for i in range(lists - 1):
    scan["x%d" % i] = list(range(n))
doc = {"schema": 1, "version": "0.1.0", "host": "h", "check": "logfs",
       "logfs": {"status": "critical", "reason": "r", "scan": scan}}
open(sys.argv[1], "w").write(json.dumps(doc) + "\n")
PY
}
rows 1000 1
expect "long list" 2 EMPTY show logfs
grep -q '968 more not shown' "$T/out" || fail "long list: rows not capped: $(grep -c . "$T/out") lines"
rows 200000 1
expect "huge list" 3 'more than 10000 items' show logfs
rows 9000 30
expect "many values" 3 'more than 200000 values' show logfs

# domains: the table, its exit code (the xenstore check's), and hostile rows.
D='{"schema":1,"version":"0.1.0","host":"h","generated_at":"2026-11-22T07:00:00Z"'
reply "$D"',"xenstore":{"status":"warning","reason":"1 domain not ok"},"domains":[{"domid":0,"name":"Domain-0","uuid":"00000000-0000-0000-0000-000000000000","status":"ok","reason":"","memory_target_kib":1048576,"memory_static_max_kib":4194304,"tools":{"present":false},"devices":[]},{"domid":7,"name":"web\\u001b[2J","status":"warning","reason":"vbd 51712 stuck in state 3 for 90s","memory_target_kib":"x","tools":{"present":true,"version":"7.2.0"},"devices":[{"kind":"vbd","devid":51712,"state":3,"stuck_s":90},{"kind":"vif","devid":0,"state":4}]}]}\n'
expect "domains table" 1 EMPTY --no-color domains
grep -q '^xenstore: WARNING (1 domain not ok), 2 domains$' "$T/out" || fail "domains: headline: $(head -1 "$T/out")"
grep -Eq '^ +0  Domain-0 +ok +1\.0 GiB/4\.0 GiB +no +- +00000000-' "$T/out" || fail "domains: dom0 row: $(sed -n 3p "$T/out")"
grep -Eq '^ +7  web\?\[2J +warning +-/- +7\.2\.0 +1/2 \(1 stuck\)' "$T/out" || fail "domains: domU row: $(sed -n 4p "$T/out")"
grep -q 'vbd 51712 stuck in state 3 for 90s' "$T/out" || fail "domains: reason line missing"
if grep -q $'\033' "$T/out"; then fail "domains: escape reached the terminal"; fi
reply "$D"',"xenstore":{"status":"ok"},"domains":{"0":{}}}\n'
expect "domains not an array" 3 'domains is not an array' domains
reply "$D"',"xenstore":{"status":"ok"},"domains":[{"domid":-1,"status":"ok"}]}\n'
expect "domains bad domid" 3 'domains\[0\]\.domid is not a non-negative integer' domains
reply "$D"',"domains":[]}\n'
expect "domains no xenstore" 3 'xenstore is missing' domains
reply "$D"',"xenstore":{"status":"fine"},"domains":[]}\n'
expect "domains bad status" 3 'xenstore.status is not a known status' domains

# A stale socket file with nobody listening: refused, and the path named.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale"
"$XSMONCTL" -s "$T/stale" ping >/dev/null 2>"$T/err"
rc=$?
[ $rc = 3 ] || fail "stale socket: exit $rc, want 3"
grep -qx "xsmonctl: cannot connect to $T/stale: Connection refused" "$T/err" ||
	fail "stale socket: $(cat "$T/err")"

# A daemon that accepts and never answers: bounded by the 5 s timeout.
reply 'HANG'
start=$(date +%s%N)
expect "hung daemon" 3 'no complete reply within 5000 ms'
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 7000 ] || fail "hung daemon: took $ms ms"

if [ "$fails" -ne 0 ]; then
	echo "$fails failure(s)"
	exit 1
fi
echo "all passed"
