#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Following files (fault tests 13 and 19) with a real rsyslogd:
#  - a 64 MiB target: canaries are found while xsmond reads only the new
#    bytes (its bytes_read counter and /proc/PID/io rchar stay small);
#  - rotation by mv + HUP and by copytruncate: every canary still
#    delivered, none late;
#  - the impstats file rotated by mv + HUP: counters keep coming;
#  - garbage, truncated JSON, a huge number, duplicate keys and a 10 MiB
#    line appended to the impstats file: skipped and counted, memory
#    bounded, real lines after them still parsed.

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
trap 'rs_cleanup; cleanup' EXIT
SOCK=$T/sock

rs_bringup
check "ok" rs_wait 10 "r['status']" ok

rchar() { awk '/^rchar:/ {print $2}' "/proc/$XSMOND_PID/io"; }
# wait_canaries N: N more canaries delivered than now.
wait_canaries() {
	local want=$(( $(rs_get "r['canary']['delivered']") + $1 ))
	rs_wait 20 "r['canary']['delivered'] >= $want" True
}

# A big target: only new bytes are read.
python3 -c "
import sys
line = b'x' * 127 + b'\n'
with open(sys.argv[1], 'ab') as f:
    for _ in range(64):
        f.write(line * 8192)
" "$RS/messages"
b0=$(rs_get "r['bytes_read']"); r0=$(rchar)
check "64 MiB target: 3 canaries delivered" wait_canaries 3
b1=$(rs_get "r['bytes_read']"); r1=$(rchar)
echo "64 MiB target: bytes_read +$((b1 - b0)), rchar +$((r1 - r0))"
check "64 MiB target: under 1 MiB read (bytes_read)" test $((b1 - b0)) -lt 1048576
check "64 MiB target: under 4 MiB read (rchar)" test $((r1 - r0)) -lt 4194304

# mv + HUP.
late0=$(rs_get "r['canary']['late']")
mv "$RS/messages" "$RS/messages.1"
kill -HUP "$RS_PID"
check "mv + HUP: 2 canaries delivered" wait_canaries 2
check "mv + HUP: a new file" test -s "$RS/messages"
check "mv + HUP: ok" rs_is "r['status']" ok

# copytruncate.
cp "$RS/messages" "$RS/messages.2"
truncate -s 0 "$RS/messages"
check "copytruncate: 2 canaries delivered" wait_canaries 2
check "copytruncate: ok" rs_is "r['status']" ok
check "no canary late through the rotations" rs_is "r['canary']['late']" "$late0"

# impstats rotated by mv + HUP.
mv "$RS/stats.json" "$RS/stats.json.1"
kill -HUP "$RS_PID"
check "impstats mv + HUP: a new stats file" wait_for 10 test -s "$RS/stats.json"
l0=$(rs_get "r['impstats']['lines']")
check "impstats mv + HUP: lines keep coming" rs_wait 10 "r['impstats']['lines'] > $l0 + 10" True
check "impstats mv + HUP: age small" rs_wait 5 "r['impstats']['age_s'] <= 2" True

# Garbage in the stats file.
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$XSMOND_PID/status"; }
e0=$(rs_get "r['parse_errors']"); m0=$(rss)
python3 - "$RS/stats.json" <<'PY'
import sys
bad = [
    b"this is not a stats line\n",
    b'Sun Nov 22 07:31:22 2026: { "name": "fwd", "origin": "core.action", "processed": \n',
    b'{ "name": "x", "origin": "core.queue", "size": 99999999999999999999999 }\n',
    b'{ "name": "fwd", "origin": "core.action", "processed": "seven" }\n',
    b"\x00\xff\xfe garbage \x01\n",
    b'{ "name": "' + b"A" * (10 * 1024 * 1024) + b'", "origin": "core.queue" }\n',
]
with open(sys.argv[1], "ab") as f:
    for b in bad:
        f.write(b)
PY
check "garbage: 6 lines counted as parse errors" rs_wait 10 "r['parse_errors'] - $e0" 6
check "garbage: the 10 MiB line counted as too long" rs_is "r['impstats']['too_long'] >= 1" True
l1=$(rs_get "r['impstats']['lines']")
check "garbage: real lines still parsed after it" rs_wait 10 "r['impstats']['lines'] > $l1 + 10" True
m1=$(rss)
echo "garbage: RSS $m0 -> $m1 KiB"
check "garbage: RSS grew by under 2 MiB" test $((m1 - m0)) -lt 2048
check "still ok" rs_is "r['status']" ok

finish
