#!/bin/bash
# SPDX-License-Identifier: ISC
#
# test_alerts.sh: alerts reach a real rsyslogd with every field parsed.
# A logfs alert on a 1 MiB tmpfs filled by dd goes (1) as @cee to an
# imuxsock input with the default (special) parser, parsed by
# mmjsonparse, and (2) as RFC 5424 to an input with UseSpecialParser
# off, parsed by mmpstrucdata; both write the parsed fields with a
# template and we compare them with what xsmond said. Then rsyslogd is
# stopped (SIGSTOP) during a burst: xsmond keeps answering and counts
# the alerts it dropped.
#
# Runs in private mount and network namespaces (the tmpfs, and a small
# net.unix.max_dgram_qlen so a short burst fills the socket).
set -u
if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root"; exit 77; fi
if [ -z "${XSMON_ALERTS_NS:-}" ]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_ALERTS_NS=1 exec unshare -m -n --propagation private bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_rsyslog.sh"
rs_need
trap 'rs_cleanup; cleanup' EXIT
sysctl -qw net.unix.max_dgram_qlen=8

mkdir -p "$T/logs" "$RS/work"
mount -t tmpfs -o size=1m tmpfs "$T/logs"
MOUNTS+=("$T/logs")
SOCK=$T/sock
HOST=$(hostname)

cat >"$RS/rs.conf" <<EOC
global(workDirectory="$RS/work")
module(load="imuxsock" SysSock.Use="off")
module(load="mmjsonparse")
module(load="mmpstrucdata")
input(type="imuxsock" Socket="$RS/cee.sock" CreatePath="on" ruleset="cee")
input(type="imuxsock" Socket="$RS/5424.sock" CreatePath="on"
      UseSpecialParser="off" ruleset="r5424")
template(name="cee" type="list") {
  property(name="\$!event") constant(value="|") property(name="\$!seq")
  constant(value="|") property(name="\$!host") constant(value="|")
  property(name="\$!check") constant(value="|") property(name="\$!subject")
  constant(value="|") property(name="\$!severity") constant(value="|")
  property(name="\$!old") constant(value="|") property(name="\$!new")
  constant(value="|") property(name="\$!reason") constant(value="|")
  property(name="\$!figures!used_pct") constant(value="|")
  property(name="\$!run") constant(value="|") property(name="syslogseverity-text")
  constant(value="\n")
}
template(name="r5424" type="list") {
  property(name="\$!rfc5424-sd!xsmon@32473!event") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!seq") constant(value="|")
  property(name="hostname") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!check") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!subject") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!severity") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!old") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!new") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!reason") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!used_pct") constant(value="|")
  property(name="\$!rfc5424-sd!xsmon@32473!run") constant(value="|")
  property(name="syslogseverity-text") constant(value="\n")
}
ruleset(name="cee") {
  action(type="mmjsonparse")
  if \$parsesuccess == "OK" then action(type="omfile" file="$RS/cee.out" template="cee")
}
ruleset(name="r5424") {
  action(type="mmpstrucdata")
  action(type="omfile" file="$RS/5424.out" template="r5424")
}
EOC
"$RSYSLOGD" -n -f "$RS/rs.conf" -i "$RS_PIDFILE" 2>>"$RS/rsyslogd.err" &
RS_PID=$!
wait_for 10 test -S "$RS/5424.sock" || { echo "FAIL: rsyslogd"; exit 1; }

conf() { # conf FILE FORMAT SOCKET
	cat >"$1" <<EOC
[nics]
enabled = no
[xenstore]
enabled = no
[rsyslog]
enabled = no
[logfs]
path = $T/logs
warning = 50
critical = 95
settle = 10ms
[alerts]
format = $2
socket = $3
EOC
}

# fields FILE EVENT: the last line of FILE for EVENT.
fields() { grep "^$2|" "$1" | tail -1; }

dd if=/dev/zero of="$T/logs/big" bs=1k count=700 status=none

# 1. @cee, the default format.
conf "$T/cee.conf" cee "$RS/cee.sock"
start_xsmond "$T/cee.conf" "$SOCK"
check "cee: warning alert arrives" wait_for 5 grep -q '^xsmon.logfs.warning|' "$RS/cee.out"
IFS='|' read -r ev seq host chk subj sev old new reason used run pri \
	<<<"$(fields "$RS/cee.out" xsmon.logfs.warning)"
check "cee: seq is a number" test "$seq" -ge 1
check "cee: host" test "$host" = "$HOST"
check "cee: check/subject" test "$chk/$subj" = "logfs/"
check "cee: severity/old/new" test "$sev/$old/$new" = "warning/unknown/warning"
check "cee: reason" grep -q "used (warning at 50%)" <<<"$reason"
check "cee: used_pct figure" python3 -c "import sys; sys.exit(not 60 < float('$used') < 80)"
check "cee: run id" test "${#run}" = 32
check "cee: syslog severity" test "$pri" = warning
rm -f "$T/logs/big"
check "cee: recovered arrives" wait_for 5 grep -q '^xsmon.logfs.recovered|' "$RS/cee.out"
IFS='|' read -r _ seq2 _ _ _ sev2 old2 new2 _ <<<"$(fields "$RS/cee.out" xsmon.logfs.recovered)"
check "cee: recovered ok/warning->ok, notice" test "$sev2/$old2/$new2" = "ok/warning/ok"
check "cee: seq strictly increasing" test "$seq2" -gt "$seq"
check "cee: not logged twice" test "$(grep -c . "$RS/cee.out")" -le 3
stop_xsmond

# 2. RFC 5424 on the parser that reads it.
dd if=/dev/zero of="$T/logs/big" bs=1k count=700 status=none
conf "$T/5424.conf" rfc5424 "$RS/5424.sock"
start_xsmond "$T/5424.conf" "$SOCK"
check "5424: warning alert arrives" wait_for 5 grep -q '^xsmon.logfs.warning|' "$RS/5424.out"
IFS='|' read -r ev seq host chk subj sev old new reason used run pri \
	<<<"$(fields "$RS/5424.out" xsmon.logfs.warning)"
check "5424: seq" test "$seq" -ge 1
check "5424: host" test "$host" = "$HOST"
check "5424: check/subject" test "$chk/$subj" = "logfs/"
check "5424: severity/old/new" test "$sev/$old/$new" = "warning/unknown/warning"
check "5424: reason" grep -q "used (warning at 50%)" <<<"$reason"
check "5424: used_pct" python3 -c "import sys; sys.exit(not 60 < float('$used') < 80)"
check "5424: run id" test "${#run}" = 32
check "5424: syslog severity" test "$pri" = warning

# 3. A stopped rsyslogd and a burst: never blocking, drops counted.
kill -STOP "$RS_PID"
for i in $(seq 1 20); do
	rm -f "$T/logs/big"; sleep 0.05
	dd if=/dev/zero of="$T/logs/big" bs=1k count=700 status=none; sleep 0.05
done
check "burst: status still answers" wait_json 2 "$SOCK" status 'd["daemon"]["alerts_dropped"] > 0' True
sent=$(jget "$SOCK" status 'd["daemon"]["alerts_sent"]')
check "burst: some were sent before the queue filled" test "$sent" -ge 2
kill -CONT "$RS_PID"
rm -f "$T/logs/big"
check "after: alerts flow again" wait_for 5 bash -c \
	"[ \$(grep -c '^xsmon.logfs' '$RS/5424.out') -gt 3 ]"
stop_xsmond

# 4. renotify: a check still critical is re-sent every renotify, marked
# "renotify":true (old = new = critical), and no more once it clears.
conf "$T/rn.conf" cee "$RS/cee.sock"
sed -i 's/^critical = 95$/critical = 60/' "$T/rn.conf"
echo "renotify = 1s" >>"$T/rn.conf"
start_xsmond "$T/rn.conf" "$SOCK"
"$XSMONCTL" -s "$SOCK" watch --json >"$T/rn.out" 2>/dev/null &
PIDS+=("$!")
wait_for 5 grep -q '"subscribed":true' "$T/rn.out"
dd if=/dev/zero of="$T/logs/big" bs=1k count=700 status=none
# reminders FILE: "N EVENT/OLD/NEW" of the renotify alerts, all alike.
reminders() {
	python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
r = [a for a in r if a.get("renotify")]
kinds = sorted(set("%s/%s/%s" % (a["event"], a["old"], a["new"]) for a in r))
print(len(r), ",".join(kinds))' "$1"
}
reminders_ge() { (( $(reminders "$T/rn.out" | cut -d' ' -f1) >= $1 )); }
check "renotify: reminders every second while critical" wait_for 6 reminders_ge 3
check "renotify: they repeat the critical state" test \
	"$(reminders "$T/rn.out" | cut -d' ' -f2)" = "xsmon.logfs.critical/critical/critical"
rm -f "$T/logs/big"
check "renotify: the recovery arrives" wait_for 5 grep -q '"event":"xsmon.logfs.recovered"' "$T/rn.out"
n=$(reminders "$T/rn.out" | cut -d' ' -f1)
sleep 2.5
check "renotify: no reminder after recovery" test "$(reminders "$T/rn.out" | cut -d' ' -f1)" = "$n"
stop_xsmond
check "rsyslogd lived through every alert" kill -0 "$RS_PID"
kill -0 "$RS_PID" 2>/dev/null || sed 's/^/# /' "$RS/rsyslogd.err"
rs_stop
finish
