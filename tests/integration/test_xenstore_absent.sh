#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Not a Xen host: no xenstored behind the configured socket. The check is
# unknown "no xenstore: ..." (never critical, never a crash), the other
# checks and the control socket carry on, and xsmond keeps retrying with
# backoff: when a xenstored appears on that socket later it connects on
# its own, within reconnect_max, and the check turns ok. A stale socket
# file with nobody listening (a crashed xenstored's leftover) counts as
# absent too.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib_xenstore.sh"
xs_need

S="$T/sock"
mkdir -p "$XS_DIR"
xs_conf "$T/xsmond.conf"
start_xsmond "$T/xsmond.conf" "$S"

check "no socket: unknown, 'no xenstore' with the path" wait_json 5 "$S" status \
    "(d['checks']['xenstore']['status'], d['checks']['xenstore']['reason'].startswith('no xenstore: $XS_DIR/socket'))" \
    "('unknown', True)"
check "not connected, no domains" json_is "$S" status \
    "(d['checks']['xenstore']['connected'], d['checks']['xenstore']['domains_count'])" \
    "(False, 0)"
check "overall status not made worse than unknown by it" json_is "$S" status \
    "d['status'] in ('ok', 'unknown')" True
check "domains request answers with an empty list" wait_xjs 5 "$S" domains \
    "(d['xenstore']['status'], d['domains'])" "('unknown', [])"
sleep 2
check "still unknown after retries (no flapping to critical)" json_is "$S" status \
    "(d['checks']['xenstore']['status'], d['checks']['xenstore']['transitions'])" \
    "('unknown', 0)"

# A stale socket file: connect() is refused.
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$XS_DIR/socket"
sleep 1.5
check "stale socket file: still unknown" json_is "$S" status \
    "d['checks']['xenstore']['status']" unknown
rm -f "$XS_DIR/socket"

# xenstored starts later: the retry (reconnect_max = 1s) finds it.
xs_start
xs_domain 5 web-01
check "xenstored appears: connected and ok" wait_json 5 "$S" status \
    "(d['checks']['xenstore']['status'], d['checks']['xenstore']['connected'])" \
    "('ok', True)"
check "its domains listed" wait_json 5 "$S" status \
    "d['checks']['xenstore']['domains_count']" 2
check "a first connection is not a reconnect" json_is "$S" status \
    "d['checks']['xenstore']['reconnects']" 0
check "xsmond alive" kill -0 "$XSMOND_PID"
stop_xsmond
finish
