#!/bin/bash
# SPDX-License-Identifier: ISC
#
# Netlink ENOBUFS (fault test 4): with rcvbuf = 4K, 300 veth pairs are
# created and flapped in a burst. The multicast socket overruns; xsmond
# must log the resync once, count it, end with a table equal to
# `ip -j link` (names, ifindex, operstate, mtu, carrier) and addresses
# equal to `ip -j addr`, and the check must not have changed meanwhile
# (the roles were fine all along).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_nics.sh"
nics_reexec "$@"

SOCK=$T/sock
nics_dom0
nics_conf "$T/c.conf" "management = xenbr0" "storage = eth1" "rcvbuf = 4K"
start_xsmond "$T/c.conf" "$SOCK"
check "starts ok" nwait 5 "d['status']" "ok"
check "rcvbuf read back small" nq_is "d['rcvbuf'] < 65536" True
tr_before=$(jget "$SOCK" status "d['checks']['nics']['transitions']")

{
	for i in $(seq 300); do echo "link add va$i type veth peer name vb$i"; done
	for i in $(seq 300); do echo "link set va$i up"; echo "link set vb$i up"; done
	for i in $(seq 1 2 300); do echo "link set vb$i down"; echo "link set va$i mtu 1400"; done
	for i in $(seq 1 4 300); do echo "link set vb$i up"; done
	for i in $(seq 2 10 300); do echo "link del va$i"; done
} >"$T/batch"
ip -batch "$T/batch"

# compare: xsmond's table against the kernel's, field by field.
cat >"$T/cmp.py" <<'PY'
import json, subprocess, sys
sys.path.insert(0, sys.argv[2])
from xsmq import query
d = json.loads(query(sys.argv[1], "show nics", 10))["nics"]
ours = {i["ifindex"]: i for i in d["interfaces"] if i.get("ifindex")}
kern = json.loads(subprocess.check_output(["ip", "-j", "link"]))
diff = []
if set(ours) != {k["ifindex"] for k in kern}:
    diff.append("ifindex sets differ: %d vs %d links" % (len(ours), len(kern)))
for k in kern:
    o = ours.get(k["ifindex"])
    if o is None:
        continue
    up = "UP" in k["flags"]
    want = (k["ifname"].split("@")[0], k["operstate"].lower(), k["mtu"])
    got = (o["name"], o["operstate"], o["mtu"])
    if want != got or (up and o["carrier"] != ("LOWER_UP" in k["flags"])):
        diff.append("%s: kernel %s carrier %s, xsmond %s carrier %s" % (
            k["ifindex"], want, "LOWER_UP" in k["flags"], got, o["carrier"]))
print("same" if not diff else "; ".join(diff[:5]))
PY
same() { [[ $(python3 "$T/cmp.py" "$SOCK" "$XSMQ_DIR") == same ]]; }
XSMQ_DIR=$(cd "$(dirname "$0")" && pwd)
check "table equals ip -j link after the storm" wait_for 30 same
python3 "$T/cmp.py" "$SOCK" "$XSMQ_DIR"
check "the check made no transition during the storm" json_is "$SOCK" status \
	"d['checks']['nics']['transitions']" "$tr_before"

# addresses: xsmond's against `ip -j addr`, for every link.
cat >"$T/addrs.py" <<'PY'
import json, subprocess, sys
sys.path.insert(0, sys.argv[2])
from xsmq import query
d = json.loads(query(sys.argv[1], "show nics", 10))["nics"]
ours = {i["ifindex"]: sorted(i["addresses"]) for i in d["interfaces"] if i.get("ifindex")}
kern = {}
for k in json.loads(subprocess.check_output(["ip", "-j", "addr"])):
    kern[k["ifindex"]] = sorted("%s/%d" % (a["local"], a["prefixlen"])
        for a in k.get("addr_info", []) if "local" in a)
diff = ["%s: kernel %s, xsmond %s" % (i, kern[i], ours.get(i))
        for i in kern if kern[i] != ours.get(i)]
print("same" if not diff else "; ".join(diff[:5]))
PY
same_addrs() { [[ $(python3 "$T/addrs.py" "$SOCK" "$XSMQ_DIR") == same ]]; }
check "addresses equal ip -j addr after the storm" wait_for 10 same_addrs
python3 "$T/addrs.py" "$SOCK" "$XSMQ_DIR"
check "a resync was counted" nq_is "d['resyncs'] >= 1" True
check "the overrun was logged" grep -q "receive buffer overrun" "$T/xsmond.log"
check "logged once for the storm, not per overrun" test "$(grep -c 'receive buffer overrun' "$T/xsmond.log")" -eq 1
check "roles still judged ok" nq_is "d['status']" "ok"
check "links counted" nq_is "d['links']" "$(ip -j link | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "daemon alive" kill -0 "$XSMOND_PID"
finish
