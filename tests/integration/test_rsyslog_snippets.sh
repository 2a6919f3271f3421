#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The shipped conf/rsyslog.d snippets: each passes `rsyslogd -N1` (as a
# dom0's rsyslog.conf would include it, with a workDirectory), and a real
# rsyslogd running both (paths and target moved into $T and 127.0.0.1)
# writes impstats JSON that xsmond reads: the named action
# "xsmon-central" and its queue appear in checks.rsyslog; with the
# collector down its queue is reported as not draining.

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
trap 'rs_cleanup; cleanup' EXIT
SOCK=$T/sock
SNIP=${XSMON_SRC:-$(dirname "$0")/../..}/conf/rsyslog.d

mkdir -p "$RS/work" "$RS/rs.d"
for f in "$SNIP"/*.conf; do
	# As rsyslog.conf includes it: a workDirectory and a local file rule.
	printf 'global(workDirectory="%s")\ninclude(file="%s")\n*.* action(type="omfile" file="%s")\n' \
		"$RS/work" "$f" "$RS/n1.out" >"$T/n1.conf"
	check "rsyslogd -N1 accepts $(basename "$f")" "$RSYSLOGD" -N1 -f "$T/n1.conf"
done
check "two snippets shipped" test "$(ls "$SNIP"/*.conf | wc -l)" -ge 2

# Both snippets live: paths into $T, the collector on 127.0.0.1.
RS_FWD_PORT=$(rs_free_port)
sed -e "s|/var/log/rsyslog-stats.json|$RS/stats.json|" \
    -e 's|interval="300"|interval="1"|' "$SNIP/10-xsmon-impstats.conf" >"$RS/rs.d/10.conf"
sed -e 's|collector.example.com|127.0.0.1|' -e "s|port=\"514\"|port=\"$RS_FWD_PORT\"|" \
    -e 's|action.resumeInterval="30"|action.resumeInterval="1"|' \
    "$SNIP/60-xsmon-forward.conf" >"$RS/rs.d/60.conf"
cat >"$RS/rs.conf" <<EOC
global(workDirectory="$RS/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$RS/log.sock" CreatePath="on")
include(file="$RS/rs.d/10.conf")
*.* action(type="omfile" file="$RS/messages")
include(file="$RS/rs.d/60.conf")
EOC
check "rsyslogd -N1 accepts the live config" "$RSYSLOGD" -N1 -f "$RS/rs.conf"
rs_recv_start || { echo "FAIL: receiver"; exit 1; }
rs_start || { echo "FAIL: rsyslogd"; cat "$RS/rsyslogd.err"; exit 1; }
rs_xsmond_conf "$T/x.conf"
start_xsmond "$T/x.conf" "$SOCK" || { echo "FAIL: xsmond"; exit 1; }
check "ok with the snippets" rs_wait 10 "r['status']" ok
check "action xsmon-central listed" rs_wait 5 "'xsmon-central' in [a['name'] for a in r['actions']]" True
check "its queue listed" rs_is "'xsmon-central queue' in [q['name'] for q in r['queues']]" True
check "forwarded to the collector" wait_for 10 grep -q "xsmon canary" "$T/recv/messages"
rs_recv_stop
check "collector down: warning naming xsmon-central" rs_wait 20 "r['status'], \"action 'xsmon-central'\" in r['reason']" "('warning', True)"
finish
