#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The xenstore watcher at scale, against the real (shimmed) C xenstored
# (fault test 3):
#  - 1000 domains with 100 keys each: all listed with correct facts, the
#    initial sync of a fresh xsmond and its memory growth (generous
#    bounds; scripts/bench/xenstore-detect prints the exact figures);
#  - a storm of 100k writes to one domain: status answered throughout,
#    RSS bounded, the final table correct.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib_xenstore.sh"
xs_need

S="$T/sock"
xs_start
xs_conf "$T/xsmond.conf"
start_xsmond "$T/xsmond.conf" "$S"
check "ok on an empty store" wait_json 5 "$S" status "d['checks']['xenstore']['status']" ok
sleep 1
rss0=$(rss_kib "$XSMOND_PID")

# 1000 domains arrive while xsmond watches.
t0=$(date +%s%N)
"$XSDOMCTL" populate 1 1000 100
echo "# populated 1000 domains x 100 keys in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
check "1000 domains followed live" wait_json 30 "$S" status \
    "d['checks']['xenstore']['domains_count']" 1001
check "facts of the last domain" wait_xjs 10 "$S" domains \
    "(dom(d,1000)['name'], dom(d,1000)['memory_target_kib'], dom(d,1000)['tools']['version'])" \
    "('vm-1000', 1048576, '8.2.1')"
# 23 nodes xl-like (with ~/domid itself) + 88 padding keys under data/.
check "entries of every domain counted" wait_xjs 60 "$S" domains \
    "sorted(set(x['entries'] for x in d['domains'] if x['domid'] > 0))" "[111]"
rss1=$(rss_kib "$XSMOND_PID")
echo "# live: RSS ${rss0} KiB empty, ${rss1} KiB with 1000 domains"
check_rss "memory growth with 1000 domains < 4 MiB" $((rss1 - rss0)) 4096

# A fresh xsmond: the initial sync.
kill "$XSMOND_PID"; wait "$XSMOND_PID" 2>/dev/null || true
rm -f "$S"
start_xsmond "$T/xsmond.conf" "$S"
check "fresh xsmond synced 1000 domains" wait_json 10 "$S" "show xenstore" \
    "(d['xenstore']['synced'], d['xenstore']['domains_count'])" "(True, 1001)"
sync_ms=$(jget "$S" "show xenstore" "d['xenstore']['sync_ms']")
echo "# initial sync of 1000 domains: ${sync_ms} ms"
check "initial sync within 5 s" test "$sync_ms" -lt 5000

# A storm of 100k writes.
rss2=$(rss_kib "$XSMOND_PID")
"$XSDOMCTL" storm /local/domain/5/memory/target 100000 &
storm=$!
PIDS+=("$storm")
worst=0 n=0
while kill -0 "$storm" 2>/dev/null; do
	ms=$(ms_of query "$S" status)
	((ms > worst)) && worst=$ms
	n=$((n + 1))
done
wait "$storm"
rss3=$(rss_kib "$XSMOND_PID")
echo "# storm: $n status queries, worst ${worst} ms (python client); RSS ${rss2} -> ${rss3} KiB"
check "storm: status answered (worst < 1000 ms)" test "$worst" -lt 1000
check "storm: at least a few queries made during it" test "$n" -ge 3
check "storm: the final value" wait_xjs 10 "$S" domains "dom(d,5)['memory_target_kib']" 99999
check_rss "storm: RSS growth < 16 MiB" $((rss3 - rss2)) 16384
events=$(jget "$S" "show xenstore" "d['xenstore']['events']")
reads=$(jget "$S" "show xenstore" "d['xenstore']['reads']")
echo "# storm: $events events drained, $reads domain re-reads (coalesced)"
check "storm: events coalesced into fewer re-reads" test "$reads" -lt "$events"
check "xsmond alive" kill -0 "$XSMOND_PID"
stop_xsmond
finish
