#!/bin/bash
# SPDX-License-Identifier: ISC
#
# The target changes under a canary that is still pending (rsyslogd is
# stopped with SIGSTOP after the canary went into its socket, so the
# canary is written only after the change):
#  - copytruncate: the target is cut to a size below the offset xsmond
#    positioned at, and rsyslogd then writes the canary from offset 0.
#    Only the truncation branch of the follower (size < offset: start
#    again at 0) finds it;
#  - mv + HUP: the canary lands in the old inode or the new file,
#    wherever rsyslogd puts it; both are followed.
# Each canary must be delivered, none late.

set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_rsyslog.sh"
set +e
rs_need
trap 'rs_cleanup; cleanup' EXIT
SOCK=$T/sock

# Room to stop rsyslogd under a pending canary without it going late.
RS_CANARY_INTERVAL=6s RS_CANARY_TIMEOUT=5s rs_bringup
check "ok" rs_wait 10 "r['status']" ok

# Text before the canary, so the offset xsmond positions at is far
# beyond what the file holds after the truncation.
python3 -c "
import sys
with open(sys.argv[1], 'ab') as f:
    f.write((b'y' * 99 + b'\n') * 2000)
" "$RS/messages"

# pending_under_stop: waits for a delivered canary, stops rsyslogd, then
# waits for the next canary to be sent (pending, unwritten). Sets D0.
pending_under_stop() {
	local sent
	rs_wait 15 "r['canary']['state']" delivered || return 1
	D0=$(rs_get "r['canary']['delivered']")
	sent=$(rs_get "r['canary']['sent']")
	kill -STOP "$RS_PID"
	rs_wait 10 "r['canary']['sent'] > $sent and \
r['canary']['state'] == 'pending'" True
}

late0=$(rs_get "r['canary']['late']")

# copytruncate under a pending canary.
check "truncate: a canary pending, rsyslogd stopped" pending_under_stop
size=$(stat -c %s "$RS/messages")
cp "$RS/messages" "$RS/messages.1"
truncate -s 0 "$RS/messages"
sleep 0.3       # xsmond sees the truncation before rsyslogd writes again
kill -CONT "$RS_PID"
check "truncate: the file had grown past 100 KiB" test "$size" -gt 100000
check "truncate: the pending canary delivered" \
	rs_wait 5 "r['canary']['delivered'] > $D0" True
check "truncate: the canary is in the truncated file" \
	grep -q "$(rs_get "r['canary']['token']")" "$RS/messages"
check "truncate: not late" rs_is "r['canary']['late']" "$late0"

# mv + HUP under a pending canary.
check "mv + HUP: a canary pending, rsyslogd stopped" pending_under_stop
mv "$RS/messages" "$RS/messages.2"
kill -HUP "$RS_PID"
kill -CONT "$RS_PID"
check "mv + HUP: the pending canary delivered" \
	rs_wait 5 "r['canary']['delivered'] > $D0" True
check "mv + HUP: not late" rs_is "r['canary']['late']" "$late0"
check "mv + HUP: next canary delivered too" \
	rs_wait 15 "r['canary']['delivered'] > $D0 + 1" True
check "ok at the end" rs_is "r['status']" ok

finish
