#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Runs INSIDE the QEMU dom0 (scripts/dom0/run-in-dom0): xsmond against a
# real Xen 4.17 and the xenstored the boot chose (oxenstored or C).
#  1. The xenstore check is ok and domain 0 is listed.
#  2. `xl create -p` of a tiny paused PV guest (no disk, no vif, no
#     ramdisk) makes domain 1 appear in `xsmonctl domains`; `xl destroy`
#     removes it. The alert stream (`xsmonctl watch --json`) carries
#     xsmon.domain.introduced / released for "domain 1".
. "$(dirname "$0")/lib.sh"

SOCK=/run/xsmond-test/xsmond.sock
mkdir -p /run/xsmond-test /var/log
xsd=$(ps -eo comm | grep -E '^o?xenstored$' | head -1)
echo "# dom0: $(uname -r), $(xl info 2>/dev/null | awk '/^xen_version/ {print "Xen " $3}'), xenstored: ${xsd:-none}"
check "the chosen xenstored runs (${XENSTORED_CHOICE:-?})" \
	test "$xsd" = "${XENSTORED_CHOICE:-$xsd}"

# No NIC in the guest (-nic none): the management role is a dummy link.
modprobe dummy 2>/dev/null
ip link add xsm-mgmt type dummy
ip link set xsm-mgmt up
ip addr add 192.0.2.10/24 dev xsm-mgmt
rsyslog=no
pidof rsyslogd >/dev/null && rsyslog=yes
cat >"$T/xsmond.conf" <<CONF
[control]
socket = $SOCK
[logfs]
path = /var/log
[nics]
management = xsm-mgmt
; openvswitch-switch is installed but not started here: a present but
; stopped ovs-appctl is a nics warning, so point xsmond away from it.
ovs_appctl = /nonexistent/ovs-appctl
[rsyslog]
enabled = $rsyslog
CONF
check "config valid" "$XSMOND" -n -f "$T/xsmond.conf"
t=$SECONDS
check "xsmond starts" start_xsmond "$T/xsmond.conf"
start_watch || not_ok "xsmonctl watch subscribes"

check "xenstore check ok" wait_xj 30 status "d['checks']['xenstore']['status']" ok
echo "   xenstore: $(xj status "d['checks']['xenstore'].get('reason')")" \
	"(ok after $((SECONDS - t)) s)"
check "domain 0 listed" wait_xj 10 domains "dom(d,0) is not None" True
check "domain 0 named Domain-0" xj_is domains "dom(d,0)['name']" Domain-0
check "nics check sees the dummy management link" \
	wait_xj 20 status "d['checks']['nics']['status']" ok
echo "--- xsmonctl status"; "$XSMONCTL" -s "$SOCK" --no-color status
echo "--- xsmonctl domains"; "$XSMONCTL" -s "$SOCK" --no-color domains

kernel=$(ls -1 /boot/vmlinuz-* | sort -V | tail -1)
cat >"$T/tiny.cfg" <<CFG
name = "xsm-tiny"
type = "pv"
kernel = "$kernel"
memory = 128
vcpus = 1
extra = "console=hvc0"
CFG
t=$SECONDS
if xl create -p "$T/tiny.cfg" >"$T/xl-create.log" 2>&1; then
	ok "xl create -p ($((SECONDS - t)) s)"
else
	not_ok "xl create -p: $(tail -3 "$T/xl-create.log")"
fi
domid=$(xl domid xsm-tiny 2>/dev/null)
echo "# xl list:"; xl list
t=$SECONDS
check "domain $domid appears in xsmonctl domains" \
	wait_xj 30 domains "(dom(d,$domid) or {}).get('name')" xsm-tiny
echo "   domain $domid seen after $((SECONDS - t)) s"
check "domains_count is 2" \
	wait_xj 10 status "d['checks']['xenstore']['domains_count']" 2
echo "--- xsmonctl domains"; "$XSMONCTL" -s "$SOCK" --no-color domains

t=$SECONDS
check "xl destroy" xl destroy xsm-tiny
check "domain $domid gone from xsmonctl domains" \
	wait_xj 30 domains "dom(d,$domid)" None
echo "   domain $domid gone after $((SECONDS - t)) s"
check "domains_count back to 1" \
	wait_xj 10 status "d['checks']['xenstore']['domains_count']" 1
check "xenstore check still ok" xj_is status "d['checks']['xenstore']['status']" ok

# Alerts for the domain's arrival and departure.
check "alert xsmon.domain.introduced for domain $domid" \
	wait_for 5 alert_seen xsmon.domain.introduced "domain $domid"
check "alert xsmon.domain.released for domain $domid" \
	wait_for 10 alert_seen xsmon.domain.released "domain $domid"
echo "--- alert stream"; cat "$T/watch.ndjson"
check "xsmond still running" kill -0 "$XSMOND_PID"
echo "--- xsmond -d log"; cat "$T/xsmond.log"
finish
