#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The shipped units, offline (no systemd as PID 1 needed):
# - systemd-analyze security of systemd/xsmond.service is at most 1.2,
#   and the documented drop-ins cost what the README says;
# - systemd-analyze verify accepts the units with ExecStart= pointing at
#   the real binary, without a warning;
# - systemd/el7/xsmond.service and xsmond.socket use only directives and
#   values systemd 219 (XCP-ng 8.x) knows.
# Skips (77) without systemd-analyze.
source "$(dirname "$0")/lib.sh"

if ! command -v systemd-analyze >/dev/null; then
	echo "SKIP: systemd-analyze not installed"
	exit 77
fi
SRC=${XSMON_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
UNITS=$SRC/systemd
MAX=${XSMON_EXPOSURE_MAX:-1.2}

# exposure FILE: prints the overall exposure ("1.2"); the exit status of
# systemd-analyze (non-zero above --threshold) goes to $T/rc.
exposure() {
	local out rc=0
	out=$(systemd-analyze security --offline=yes --threshold=12 "$1" 2>&1) || rc=$?
	echo "$rc" >"$T/rc"
	printf '%s\n' "$out" >"$T/security.out"
	printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p'
}
# le A B: A <= B for one-decimal numbers.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

# --- exposure of the shipped unit and of unit + drop-in --------------------
e=$(exposure "$UNITS/xsmond.service")
if [[ -n $e ]] && le "$e" "$MAX" && [[ $(cat "$T/rc") == 0 ]]; then
	ok "xsmond.service exposure $e <= $MAX"
else
	not_ok "xsmond.service exposure '${e:-unparsed}' > $MAX (rc $(cat "$T/rc"))"
	grep '✗' "$T/security.out" || cat "$T/security.out"
fi

# A drop-in's assignments come after the unit's: concatenating them is
# what systemd does with /etc/systemd/system/xsmond.service.d/.
for d in deleted-open-holders:1.6 control-group:1.3 metrics-textfile:1.2; do
	name=${d%%:*} want=${d##*:}
	cat "$UNITS/xsmond.service" "$UNITS/dropins/$name.conf" >"$T/xsmond.service"
	e=$(exposure "$T/xsmond.service")
	if [[ -n $e ]] && le "$e" "$want"; then
		ok "with $name.conf: exposure $e <= $want (as documented)"
	else
		not_ok "with $name.conf: exposure '${e:-unparsed}' > $want"
	fi
done

# --- systemd-analyze verify ------------------------------------------------
# verify wants ExecStart='s binary to exist: point it at the built one.
# Prints warnings (unknown keys, bad values) but exits 0 on them, so any
# output is a failure, bar the known note on el7's MemoryLimit=.
verify_dir() { # verify_dir SERVICE_FILE ALLOWED_REGEX
	local dir=$T/verify.$RANDOM out
	mkdir -p "$dir"
	sed "s|/usr/sbin/xsmond|$XSMOND|g" "$1" >"$dir/xsmond.service"
	cp "$UNITS/xsmond.socket" "$dir/"
	out=$(systemd-analyze verify --man=no "$dir/xsmond.service" \
	    "$dir/xsmond.socket" 2>&1 | grep -Ev "$2" || true)
	printf '%s' "$out"
}
out=$(verify_dir "$UNITS/xsmond.service" '^$')
check "verify xsmond.service + xsmond.socket: no warning${out:+ ($out)}" test -z "$out"
out=$(verify_dir "$UNITS/el7/xsmond.service" 'MemoryLimit=; please use MemoryMax=|^$')
check "verify el7/xsmond.service + xsmond.socket: no warning${out:+ ($out)}" test -z "$out"
# verify must notice a missing binary, or the checks above prove nothing.
dir=$T/verify.missing; mkdir -p "$dir"
sed "s|/usr/sbin/xsmond|$T/nonexistent|g" "$UNITS/xsmond.service" >"$dir/xsmond.service"
cp "$UNITS/xsmond.socket" "$dir/"
check "verify notices a missing ExecStart binary" \
    bash -c "! systemd-analyze verify --man=no '$dir/xsmond.service' '$dir/xsmond.socket' >/dev/null 2>&1"

# --- systemd 219 -------------------------------------------------------------
# Directives systemd 219 parses (its load-fragment-gperf.gperf, for the
# sections we use); anything else is "Unknown lvalue" there.
known219="
Unit:Description Documentation Requires Requisite Wants BindsTo PartOf
 Conflicts Before After OnFailure PropagatesReloadTo ReloadPropagatedFrom
 JoinsNamespaceOf RequiresMountsFor StopWhenUnneeded RefuseManualStart
 RefuseManualStop AllowIsolate DefaultDependencies OnFailureJobMode
 IgnoreOnIsolate IgnoreOnSnapshot JobTimeoutSec JobTimeoutAction
 ConditionPathExists ConditionPathIsDirectory ConditionVirtualization
 ConditionKernelCommandLine ConditionFileNotEmpty ConditionPathExistsGlob
 ConditionSecurity ConditionCapability ConditionHost ConditionACPower
 ConditionArchitecture ConditionNeedsUpdate ConditionFirstBoot
 AssertPathExists StartLimitInterval StartLimitBurst StartLimitAction
 RebootArgument SourcePath
Install:WantedBy RequiredBy Alias Also DefaultInstance
Service:Type ExecStartPre ExecStart ExecStartPost ExecReload ExecStop
 ExecStopPost Restart RestartSec TimeoutSec TimeoutStartSec TimeoutStopSec
 WatchdogSec RestartPreventExitStatus RestartForceExitStatus
 SuccessExitStatus PermissionsStartOnly RootDirectoryStartOnly
 RemainAfterExit GuessMainPID PIDFile BusName BusPolicy NotifyAccess
 Sockets FailureAction FileDescriptorStoreMax
 WorkingDirectory RootDirectory User Group SupplementaryGroups Nice
 OOMScoreAdjust IOSchedulingClass IOSchedulingPriority CPUSchedulingPolicy
 CPUSchedulingPriority CPUSchedulingResetOnFork CPUAffinity UMask
 Environment EnvironmentFile PassEnvironment StandardInput StandardOutput
 StandardError TTYPath TTYReset TTYVHangup TTYVTDisallocate SyslogIdentifier
 SyslogFacility SyslogLevel SyslogLevelPrefix SecureBits
 CapabilityBoundingSet Capabilities TimerSlackNSec NoNewPrivileges
 SystemCallFilter SystemCallArchitectures SystemCallErrorNumber
 RestrictAddressFamilies LimitCPU LimitFSIZE LimitDATA LimitSTACK LimitCORE
 LimitRSS LimitNOFILE LimitAS LimitNPROC LimitMEMLOCK LimitLOCKS
 LimitSIGPENDING LimitMSGQUEUE LimitNICE LimitRTPRIO LimitRTTIME
 ReadWriteDirectories ReadOnlyDirectories InaccessibleDirectories
 PrivateTmp PrivateDevices PrivateNetwork ProtectSystem ProtectHome
 MountFlags Personality RuntimeDirectory RuntimeDirectoryMode
 IgnoreSIGPIPE UtmpIdentifier PAMName SELinuxContext AppArmorProfile
 SmackProcessLabel KillMode KillSignal SendSIGKILL SendSIGHUP
 CPUAccounting CPUShares StartupCPUShares CPUQuota MemoryAccounting
 MemoryLimit DeviceAllow DevicePolicy BlockIOAccounting BlockIOWeight
 StartupBlockIOWeight BlockIODeviceWeight BlockIOReadBandwidth
 BlockIOWriteBandwidth Delegate Slice
Socket:ListenStream ListenDatagram ListenSequentialPacket ListenFIFO
 ListenNetlink ListenSpecial ListenMessageQueue BindIPv6Only Backlog
 BindToDevice SocketUser SocketGroup SocketMode DirectoryMode Accept
 MaxConnections KeepAlive KeepAliveTimeSec KeepAliveIntervalSec
 KeepAliveProbes NoDelay Priority ReceiveBuffer SendBuffer IPTOS IPTTL
 Mark PipeSize FreeBind Transparent Broadcast PassCredentials
 PassSecurity TCPCongestion ReusePort MessageQueueMaxMessages
 MessageQueueMessageSize RemoveOnStop Symlinks Service SmackLabel
 SmackLabelIPIn SmackLabelIPOut SELinuxContextFromNet ExecStartPre
 ExecStartPost ExecStopPre ExecStopPost TimeoutSec
"
declare -A known
while read -r line; do
	[[ -z $line ]] && continue
	if [[ $line == *:* ]]; then sec=${line%%:*}; line=${line#*:}; fi
	for k in $line; do known[$sec.$k]=1; done
done <<<"$known219"

# unknown219 FILE: prints "file:line: Section.Key" for what 219 would not
# parse, and values it would not take.
unknown219() {
	local f=$1 n=0 sec="" line key val
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		[[ $line =~ ^[[:space:]]*([#\;]|$) ]] && continue
		if [[ $line =~ ^\[([A-Za-z]+)\] ]]; then sec=${BASH_REMATCH[1]}; continue; fi
		key=${line%%=*} val=${line#*=}
		if [[ -z ${known[$sec.$key]:-} ]]; then
			echo "$f:$n: $sec.$key unknown to 219"
			continue
		fi
		case $key=$val in
		ProtectSystem=strict) echo "$f:$n: ProtectSystem=strict is 231" ;;
		ProtectHome=read-only|ProtectHome=tmpfs) echo "$f:$n: ProtectHome=$val is newer" ;;
		SystemCallFilter=*@*) echo "$f:$n: SystemCallFilter @groups are 231" ;;
		esac
		# Exec lines: no prefixes 219 lacks (+ ! !! are 231/235).
		if [[ $key == Exec* && $val =~ ^[-@]*[+!] ]]; then
			echo "$f:$n: $key prefix is newer"
		fi
	done <"$f"
	return 0
}
for f in "$UNITS/el7/xsmond.service" "$UNITS/xsmond.socket" \
    "$UNITS/dropins/deleted-open-holders.conf"; do
	out=$(unknown219 "$f")
	check "${f#"$SRC"/}: only systemd 219 directives${out:+ ($out)}" test -z "$out"
done
# The checker must catch a 231 directive, or it proves nothing.
printf '[Service]\nProtectSystem=strict\nMemoryMax=1M\n' >"$T/new.service"
check "the 219 checker flags MemoryMax= and ProtectSystem=strict" \
    test "$(unknown219 "$T/new.service" | wc -l)" -eq 2
# The main unit is not meant for 219: it must hold newer directives (a
# sanity check that the two units did not get swapped).
check "xsmond.service is the newer variant" \
    test -n "$(unknown219 "$UNITS/xsmond.service")"

# xsmond sets no_new_privs itself (the manager may be too old to).
check "xsmond calls PR_SET_NO_NEW_PRIVS itself" \
    grep -q 'prctl(PR_SET_NO_NEW_PRIVS, 1' "$SRC/daemon/main.c"

finish
