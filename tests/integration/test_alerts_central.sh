#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The fleet path (issue 6), for real: xsmond's own alerts, through a
# host rsyslogd running the SHIPPED conf/rsyslog.d/60-xsmon-forward.conf
# (target and port substituted, nothing else), over TCP to a central
# rsyslogd (imtcp + mmjsonparse) in a network namespace of its own,
# reached over a veth pair with TEST-NET-1 addresses. The whole test runs
# in a private network namespace (unshare -n), so every link is ours.
#  - logfs (a 4 MiB tmpfs filled with dd and emptied), nics (the
#    management veth's peer down and up), rsyslog (a second target the
#    host rsyslogd never writes: critical while alerts still flow) and
#    xenstore (Debian's xenstored under the shim; a domain introduced,
#    then its vbd stuck: the check's alert and the domain's own) alerts arrive centrally with every field
#    parsed, and the syslog header agrees with them;
#  - every alert xsmond sent arrives exactly once, seq 1..N in order;
#  - outage 1: the collector stopped (FIN) during a burst of 50+ alerts
#    and started again: every alert arrives once, in order;
#  - outage 2: the collector's link down during a burst, then up: the
#    same.
# Not tested because the snippet does not guarantee it: a collector that
# vanishes without a FIN (crash, reboot, or a restart while its link is
# down) makes rsyslog's plain-TCP omfwd lose what it had already written
# into the kernel's socket buffer (see README, "Fleet").

if [[ -z ${XSMON_CENTRAL_NS:-} ]]; then
	((EUID == 0)) || { echo "SKIP: needs root"; exit 77; }
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	XSMON_CENTRAL_NS=1 exec unshare -n bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_xenstore.sh"
. "$(dirname "$0")/lib_central.sh"
set +e
central_need
xs_need
trap 'central_cleanup; xs_cleanup; cleanup' EXIT
SOCK=$T/sock

# --- the collector, the host rsyslogd, xenstored, the NICs, /var/log
central_net || { echo "FAIL: collector network"; exit 1; }
central_start || { echo "FAIL: central rsyslogd"; cat "$C/err"; exit 1; }
host_start || { echo "FAIL: host rsyslogd"; cat "$H/err"; exit 1; }
logger -u "$H/log.sock" -t probe "hello collector"
check "host rsyslogd forwards to the collector" wait_for 10 grep -q "hello collector" "$C/all"
xs_start || exit 1
ip link add mgmt0 type veth peer name mgmt0p
ip link add stor0 type veth peer name stor0p
for l in mgmt0 mgmt0p stor0 stor0p; do ip link set "$l" up; done
ip addr add 192.0.2.17/28 dev mgmt0
ip addr add 192.0.2.33/28 dev stor0
mkdir -p "$T/logfs"
mount -t tmpfs -o size=4m xsmon-central "$T/logfs" || { echo "FAIL: tmpfs"; exit 1; }
MOUNTS+=("$T/logfs")

cat >"$T/x.conf" <<EOC
[control]
socket = $SOCK
[logfs]
path = $T/logfs
warning = 50
critical = 75
[nics]
management = mgmt0
storage = stor0
; edges here are deliberate: no flapping episode may fold them
flap_count = 64
flap_window = 1s
[rsyslog]
pidfile = $H/rs.pid
syslog_socket = $H/log.sock
; the host rsyslogd never writes $T/never: critical "not writing"
target = $H/messages, $T/never
canary_interval = 2s
canary_timeout = 1s
liveness_interval = 500ms
[xenstore]
path = $XS_DIR/socket
probe_interval = 500ms
probe_warning = 500ms
probe_timeout = 1s
reconnect_max = 1s
device_stuck = 2s
[alerts]
socket = $H/log.sock
EOC
start_xsmond "$T/x.conf" "$SOCK" || { echo "FAIL: xsmond"; cat "$T/xsmond.log"; exit 1; }
RUN=
dq() { jget "$SOCK" status "$1"; }
sent() { dq "d['daemon']['alerts_sent']"; }
st() { dq "d['checks']['$1']['status']"; }
# latest CHECK SUBJECT NEW: the last central alert for it has new == NEW.
latest() {
	calerts "[a['alert']['new'] for a in A if a['alert']['check'] == '$1' and a['alert']['subject'] == '$2'][-1:]"
}
latest_is() { [[ "$(latest "$1" "$2")" == "['$3']" ]]; }
lwait() { local s=$1; shift; wait_for "$s" latest_is "$@"; }
st_is() { [[ "$(st "$1")" == "$2" ]]; }
settled() {
	[[ $(dq "[d['checks'][c]['status'] for c in ('logfs', 'nics', 'xenstore', 'rsyslog')]") == \
	    "['ok', 'ok', 'ok', 'critical']" ]]
}

check "checks settle: logfs, nics, xenstore ok; rsyslog critical" wait_for 15 settled
check "first alerts arrive centrally" cwait 15 "len(A) > 0" True
RUN=$(calerts "A[0]['alert']['run']")

# --- one alert of each check, with every field parsed
dd if=/dev/zero of="$T/logfs/runaway.log" bs=64k count=52 status=none
check "logfs critical" wait_for 10 st_is logfs critical
check "logfs critical alert arrives centrally" lwait 15 logfs "" critical
rm -f "$T/logfs/runaway.log"
check "logfs ok again, centrally" lwait 15 logfs "" ok

ip link set mgmt0p down
check "mgmt0 carrier lost: alert for the interface" lwait 15 nics mgmt0 critical
check "... and for the check" lwait 15 nics "" critical
ip link set mgmt0p up
check "mgmt0 back: ok centrally" lwait 15 nics mgmt0 ok

check "rsyslog not writing: critical alert naming the target" cwait 15 \
	"any(a['alert']['check'] == 'rsyslog' and a['alert']['new'] == 'critical' and '$T/never' in a['alert']['reason'] for a in A)" True

# A domain introduced (XS_INTRODUCE through the shim), then its vbd's
# backend stuck outside Connected for device_stuck.
xs_domain 5 guest-5
xenstore-write /local/domain/0/backend/vbd/5/51712/state 2
check "domain 5 device stuck: xenstore warning centrally, naming it" cwait 15 \
	"[a['alert']['reason'].split('; ')[-1] for a in A if a['alert']['check'] == 'xenstore' and a['alert']['new'] == 'warning'][-1:]" \
	"['domain 5 (guest-5): vbd/51712 backend in InitWait for 2s']"
check "... and an alert for the domain itself (subject 'domain 5')" lwait 5 xenstore "domain 5" warning
xenstore-write /local/domain/0/backend/vbd/5/51712/state 4
check "domain 5 device connected again: xenstore ok centrally" lwait 15 xenstore "" ok

# Every field, parsed by mmjsonparse, on the logfs critical alert.
fields() {
	calerts "[(a['hostname'] == x['host'], a['app'], a['severity'], a['facility'],
	  x['schema'], x['event'].startswith('xsmon.logfs.'), type(x['seq']).__name__,
	  x['run'] == '$RUN', len(x['time']) > 19 and x['time'].endswith('Z'),
	  x['check'], x['subject'], x['severity'], x['old'], x['new'],
	  '$T/logfs' in x['reason'] and '%' in x['reason'], x['renotify'],
	  isinstance(x['figures'], dict) and len(x['figures']) > 0)
	  for a in A for x in [a['alert']] if x['check'] == 'logfs' and x['new'] == 'critical'][0]"
}
check "logfs alert: every field parsed centrally" test "$(fields)" = \
	"(True, 'xsmond', 'crit', 'daemon', 1, True, 'int', True, True, 'logfs', '', 'critical', 'ok', 'critical', True, False, True)"
echo "# $(calerts "[a['alert'] for a in A if a['alert']['check'] == 'logfs' and a['alert']['new'] == 'critical'][0]")"
check "nics alert: figures parsed (an object)" cwait 1 \
	"[isinstance(a['alert']['figures'], dict) for a in A if a['alert']['subject'] == 'mgmt0'][:1]" "[True]"
check "severity of an ok alert is notice" cwait 1 \
	"[a['severity'] for a in A if a['alert']['check'] == 'logfs' and a['alert']['new'] == 'ok'][-1:]" "['notice']"

# every_once N: seq 1..N of this run arrived exactly once, in order.
every_once() { calerts "seqs('$RUN') == list(range(1, $1 + 1))"; }
n=$(sent)
check "all $n alerts so far arrived once, in seq order" cwait 15 \
	"seqs('$RUN') == list(range(1, $n + 1))" True
check "no alert dropped by xsmond" test "$(dq "d['daemon']['alerts_dropped']")" = 0

# burst COUNT: storage down and up until COUNT more alerts were sent,
# each edge seen by xsmond before the next (so none is coalesced).
burst() {
	local want=$(( $(sent) + $1 )) i=0
	while (( $(sent) < want && i < 200 )); do
		ip link set stor0 down
		wait_for 5 st_is nics critical
		ip link set stor0 up
		wait_for 5 st_is nics ok
		i=$((i + 1))
	done
	(( $(sent) >= want ))
}

# --- outage 1: the collector stopped (its sockets close with a FIN)
first=$(( $(sent) + 1 ))
central_stop TERM
check "burst of 50 alerts while the collector is stopped" burst 50
last=$(sent)
check "burst: none of them reached the stopped collector" test \
	"$(calerts "max(seqs('$RUN'))")" -lt "$first"
central_start || not_ok "central rsyslogd restarts"
t0=$(date +%s)
# resumeInterval is 30 s in the snippet: allow for two retries.
check "after the restart: seq $first..$last all arrived" cwait 90 \
	"set(range($first, $last + 1)) <= set(seqs('$RUN'))" True
echo "# outage 1: $((last - first + 1)) alerts sent; waited $(( $(date +%s) - t0 )) s after the collector came back"
check "outage 1: every alert exactly once, in seq order (1..$last)" test "$(every_once "$last")" = True

# --- outage 2: the collector's link down, the collector itself alive
first=$(( $(sent) + 1 ))
ip netns exec "$CNS" ip link set cx1 down
check "burst of 50 alerts while the collector's link is down" burst 50
last=$(sent)
ip netns exec "$CNS" ip link set cx1 up
t0=$(date +%s)
check "link up: seq $first..$last all arrived" cwait 90 \
	"set(range($first, $last + 1)) <= set(seqs('$RUN'))" True
echo "# outage 2: $((last - first + 1)) alerts sent; waited $(( $(date +%s) - t0 )) s after the link came back"
n=$(sent)
check "in all: every alert ($n) exactly once, in seq order" cwait 15 \
	"seqs('$RUN') == list(range(1, $n + 1))" True
check "still no alert dropped by xsmond" test "$(dq "d['daemon']['alerts_dropped']")" = 0
echo "# $(calerts "len(A)") alerts arrived centrally"
stop_xsmond
finish
