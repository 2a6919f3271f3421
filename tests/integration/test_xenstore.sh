#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The xenstore watcher against Debian's real C xenstored (shimmed: only
# the hypervisor handles are fake), driven like a toolstack: the keys xl
# writes, XS_INTRODUCE / XS_RELEASE, then faults (fault tests 1 and 2):
#  - domains appear and disappear; per-domain key changes are visible;
#  - a device outside Connected longer than device_stuck is flagged;
#  - kill -9 of xenstored: critical "reconnecting" at once (the watch fd
#    stays silent, the sentinel sees EOF), then after a restart: ok,
#    reconnects 1, the new store's domains resynced;
#  - SIGSTOP: status still answered quickly, "xenstored not answering"
#    (critical); SIGCONT recovers;
#  - idle: main thread + libxenstore's watch reader, no more.
# XS_FLAVOR=oxenstored runs the same against oxenstored (see
# test_xenstore_oxenstored.sh).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib_xenstore.sh"
xs_need

S="$T/sock"
xs_start
xs_domain 5 web-01
xs_conf "$T/xsmond.conf"
start_xsmond "$T/xsmond.conf" "$S"

check "xenstore ok once synced" wait_json 5 "$S" status \
    "d['checks']['xenstore']['status']" ok
check "domains_count counts dom0 and domain 5" wait_json 5 "$S" status \
    "d['checks']['xenstore']['domains_count']" 2
check "domain 5's facts" wait_xjs 5 "$S" domains \
    "[dom(d,5)[k] for k in ('name','uuid','memory_target_kib','memory_static_max_kib')]" \
    "['web-01', '00000005-1111-4222-8333-444455556666', 1048576, 2097152]"
check "tools and features" xjs_is "$S" domains \
    "(dom(d,5)['tools'], dom(d,5)['features'])" \
    "({'present': True, 'version': '8.2.1', 'data_updated': True}, ['poweroff', 'reboot'])"
check "devices with backend states" xjs_is "$S" domains \
    "[(x['kind'], x['devid'], x['state'], x['backend_state']) for x in dom(d,5)['devices']]" \
    "[('vbd', 51712, 4, 4), ('vif', 0, 4, 4)]"
check "entries counted" wait_xjs 5 "$S" domains "dom(d,5)['entries'] > 20" True
check "idle threads: main + libxenstore's reader" test "$(threads_of "$XSMOND_PID")" -le 2
echo "# idle threads: $(threads_of "$XSMOND_PID")"

# The alerts of what follows, as a subscriber sees them.
"$XSMONCTL" -s "$S" watch --json >"$T/watch.out" 2>"$T/watch.err" &
PIDS+=("$!")
wait_for 5 grep -q '"subscribed":true' "$T/watch.out"

# A new domain appears, keys change, a device gets stuck.
xs_domain 7 db-01
check "domain 7 appears" wait_xjs 5 "$S" domains "dom(d,7)['name']" db-01
xenstore-write /local/domain/7/memory/target 524288
check "memory target change visible" wait_xjs 5 "$S" domains \
    "dom(d,7)['memory_target_kib']" 524288
xenstore-write /local/domain/7/name db-02
check "rename visible" wait_xjs 5 "$S" domains "dom(d,7)['name']" db-02
xenstore-write /local/domain/0/backend/vbd/7/51712/state 3
check "backend state change visible" wait_xjs 5 "$S" domains \
    "dom(d,7)['devices'][0]['backend_state']" 3
check "stuck device flagged after device_stuck" wait_xjs 6 "$S" domains \
    "(dom(d,7)['status'], dom(d,7)['reason'][:32])" \
    "('warning', 'vbd/51712 backend in Initialised')"
check "check warning, domain listed as not ok" wait_json 2 "$S" status \
    "[x['domid'] for x in d['checks']['xenstore']['domains_not_ok']]" "[7]"
xenstore-write /local/domain/0/backend/vbd/7/51712/state 4
check "connected again: ok" wait_json 5 "$S" status "d['checks']['xenstore']['status']" ok

# Release + removal: gone.
xs_domain_gone 7
check "domain 7 disappears" wait_xjs 5 "$S" domains "dom(d,7)" None
check "domains_count back to 2" wait_json 5 "$S" status \
    "d['checks']['xenstore']['domains_count']" 2

# domain_alerts: domain 7's alerts, "event old->new name" in seq order.
domain_alerts() {
	python3 -c '
import json, sys
seqs = []
out = []
for line in open(sys.argv[1]):
    a = json.loads(line)
    if "event" not in a:
        continue
    seqs.append(a["seq"])
    if a["subject"] == "domain 7":
        f = a["figures"]
        out.append("%s %s->%s %s %d" % (a["event"], a["old"], a["new"], f["name"], f["domid"]))
assert seqs == sorted(seqs), seqs
print("; ".join(out))' "$T/watch.out"
}
want="xsmon.domain.introduced unknown->ok db-01 7; xsmon.domain.warning ok->warning db-02 7"
want="$want; xsmon.domain.recovered warning->ok db-02 7; xsmon.domain.released ok->ok db-02 7"
# (re-read on every try: "$(domain_alerts)" as an argument is read once)
alerts_are() { [[ "$(domain_alerts)" == "$1" ]]; }
check "domain alerts: introduced, stuck, recovered, released, in seq order" \
    wait_for 3 alerts_are "$want"
echo "# domain 7's alerts: $(domain_alerts)"

# kill -9: seen at once, reconnect and resync after a restart.
xs_kill
check "killed: critical, reconnecting" wait_json 3 "$S" status \
    "(d['checks']['xenstore']['status'], d['checks']['xenstore']['connected'], d['checks']['xenstore']['reason'][:30])" \
    "('critical', False, 'xenstored unreachable, reconne')"
sleep 1
xs_start
xs_domain 9 app-01   # the new store has only what is written again
check "restarted: ok again" wait_json 8 "$S" status \
    "(d['checks']['xenstore']['status'], d['checks']['xenstore']['reconnects'])" "('ok', 1)"
check "resync: the new store's domains only" wait_xjs 5 "$S" domains \
    "sorted(x['domid'] for x in d['domains'])" "[0, 9]"
xenstore-write /local/domain/9/memory/target 4096
check "watches re-registered" wait_xjs 5 "$S" domains "dom(d,9)['memory_target_kib']" 4096

# SIGSTOP: xsmond answers, says so; SIGCONT recovers.
kill -STOP "$XS_PID"
check "hung: not answering, critical" wait_json 5 "$S" status \
    "(d['checks']['xenstore']['status'], d['checks']['xenstore']['reason'][:27])" \
    "('critical', 'xenstored not answering for')"
worst=0
for _ in $(seq 20); do
	ms=$(ms_of query "$S" status)
	((ms > worst)) && worst=$ms
done
echo "# status while xenstored is stopped: worst of 20 queries ${worst} ms (python client)"
check "status answered while hung (worst < 1000 ms)" test "$worst" -lt 1000
check "domains answered while hung" xjs_is "$S" domains "dom(d,9)['name']" app-01
kill -CONT "$XS_PID"
check "SIGCONT: ok again" wait_json 5 "$S" status "d['checks']['xenstore']['status']" ok
xenstore-write /local/domain/9/memory/target 8192
check "changes seen after SIGCONT" wait_xjs 5 "$S" domains "dom(d,9)['memory_target_kib']" 8192
check "xsmond alive" kill -0 "$XSMOND_PID"
stop_xsmond
grep -E "xenstore" "$T/xsmond.log" | sed 's/^/# /'
finish
