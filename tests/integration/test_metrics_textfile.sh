#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# xsmond keeps node_exporter's textfile itself ([metrics] textfile_dir):
# a real xsmond runs the real xsmonctl child against a real 1 MiB tmpfs
# pushed over its warning threshold and back.
#  1. The file appears at start and holds the exposition of the state.
#  2. A crossing shows in the file; nothing is rewritten while nothing
#     changes.
#  3. A burst of crossings is written at most once per textfile_interval,
#     and the last write shows the final state.
#  4. A directory that is gone: one warning in the log, no more; back:
#     written again, and that is logged once.
#  5. No xsmonctl child outlives xsmond; no temp file is left behind.
# Runs in a private mount namespace of its own (unshare -m).
if ((EUID == 0)) && [[ -z "${XSMON_TF_NS:-}" ]]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_TF_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need_root
set +e

mkdir -p "$T/logs" "$T/tf"
mount -t tmpfs -o size=1m xsmon-test "$T/logs" || { echo "SKIP: cannot mount tmpfs"; exit 77; }
MOUNTS+=("$T/logs")
sock=$T/sock
prom=$T/tf/xsmon.prom
write_conf() { # write_conf TEXTFILE_DIR
	{
		printf '[logfs]\npath = %s\nsettle = 20ms\n' "$T/logs"
		printf 'safety_interval = 1h\nscan_interval = 1h\n'
		watchers_off nics rsyslog xenstore
		printf '[metrics]\ntextfile_dir = %s\n' "$1"
		printf 'textfile_interval = 1s\nxsmonctl = %s\n' "$XSMONCTL"
	} >"$T/conf"
}
# fill PCT: logs/fill sized so that the fs is PCT% used, as df counts.
fill() { python3 "$(dirname "$0")/fillfs.py" "$T/logs" "$1"; }
logfs_in_file() { grep -qx "xsmon_check_status{check=\"logfs\"} $1" "$prom" 2>/dev/null; }
logfs_is() { json_is "$sock" status 'd["checks"]["logfs"]["status"]' "$1"; }
ino() { stat -c %i "$prom" 2>/dev/null || echo none; }
# rewrites SECONDS: how many times the file was replaced in that time.
rewrites() {
	local n=0 last cur end=$(( $(date +%s%N) + $1 * 1000000000 ))
	last=$(ino)
	while (( $(date +%s%N) < end )); do
		cur=$(ino)
		[[ $cur != "$last" ]] && n=$((n + 1)) && last=$cur
		sleep 0.02
	done
	echo "$n"
}

write_conf "$T/tf"
start_xsmond "$T/conf" "$sock" || { cat "$T/xsmond.log"; exit 1; }

# 1. At start.
check "the textfile appears" wait_for 5 test -s "$prom"
check "it shows logfs ok (0)" wait_for 5 logfs_in_file 0
check "it has HELP and TYPE lines" grep -q '^# TYPE xsmon_check_status gauge$' "$prom"
check "it ends with a newline" test "$(tail -c1 "$prom" | od -An -c | tr -d ' ')" = '\n'

# 2. A crossing; then quiet.
fill 85
check "85% -> warning in status" wait_for 5 logfs_is warning
check "... and in the file (1)" wait_for 5 logfs_in_file 1
n=$(rewrites 3)
check "nothing changes: no rewrite in 3 s (got $n)" test "$n" -eq 0

# 3. A burst: 10 crossings in about 2 s, interval 1 s.
(for i in 1 2 3 4 5; do fill 70; sleep 0.2; fill 85; sleep 0.2; done; fill 70) &
BURST=$!
n=$(rewrites 4)
wait "$BURST"
check "burst: at most one write per second (got $n in 4 s)" test "$n" -le 5
check "burst: at least one write" test "$n" -ge 1
check "burst: the final state, ok, is in the file" wait_for 5 logfs_in_file 0

# 4. The directory goes away (a reload points at one that is missing).
write_conf "$T/gone"
kill -HUP "$XSMOND_PID"
wait_for 5 grep -q "configuration reloaded" "$T/xsmond.log"
for pct in 85 70 85; do
	fill "$pct"
	sleep 1.2
done
warned=$(grep -c "metrics: cannot write $T/gone/xsmon.prom" "$T/xsmond.log")
check "a missing directory: warned once (got $warned)" test "$warned" -eq 1
mkdir "$T/gone"
fill 70
check "back: written again" wait_for 5 test -s "$T/gone/xsmon.prom"
check "... the state is right (ok)" wait_for 5 grep -qx 'xsmon_check_status{check="logfs"} 0' "$T/gone/xsmon.prom"
check "... and that is logged once" \
	test "$(grep -c "metrics: writing $T/gone/xsmon.prom again" "$T/xsmond.log")" -eq 1

# 5. Nothing left behind.
left=$(find "$T/tf" "$T/gone" -name '.xsmon.prom.*' | wc -l)
check "no temp file left behind ($left)" test "$left" -eq 0
stop_xsmond
orphans=$(pgrep -f "$XSMONCTL -s $sock metrics" | wc -l)
check "no xsmonctl child outlives xsmond ($orphans)" test "$orphans" -eq 0
finish
