# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# Shared by the benchmarks in scripts/bench/ (sourced, not run): the build
# directory, a private temp dir, the tmpfs mounts and processes a bench
# starts, and their cleanup (by PID and by our own mount points only).
# Figures go to stdout; when XSMON_BENCH_OUT names a file (run-all sets
# it), each bench also appends "key<TAB>value" lines there for the summary.

BENCH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR=$BENCH_TOP/scripts/bench
BENCH_NAME=$(basename "$0")
BENCH_T=
BENCH_PIDS=()
BENCH_MOUNTS=()
BENCH_NAP_PID=
XSMOND=
XSMONCTL=
QLOAD=

bench_die() {
	echo "$BENCH_NAME: cannot measure: $*" >&2
	exit 1
}

bench_cleanup() {
	local p m busy=
	[[ -n $BENCH_NAP_PID ]] && kill "$BENCH_NAP_PID" 2>/dev/null
	if [[ -n ${XSMOND_PID:-} ]]; then
		kill "$XSMOND_PID" 2>/dev/null && wait "$XSMOND_PID" 2>/dev/null
	fi
	for p in "${BENCH_SCENES[@]}"; do "demo_${p}_cleanup" >/dev/null 2>&1 || true; done
	for p in "${demo_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${demo_pids[@]}"; do wait "$p" 2>/dev/null || true; done
	for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${BENCH_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	for m in "${BENCH_MOUNTS[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		if mountpoint -q "$m"; then
			busy=1
			echo "$BENCH_NAME: could not unmount $m" >&2
		fi
	done
	# Never recurse into a tmpfs that is still mounted.
	[[ -z $busy && -n $BENCH_T ]] && rm -rf "$BENCH_T"
	return 0
}

# bench_init BUILD_DIR: checks root and the binaries, makes $BENCH_T and
# installs the traps. BUILD_DIR defaults to build/ at the repo top.
bench_init() {
	local build=${1:-$BENCH_TOP/build}
	((EUID == 0)) || bench_die "needs root (it mounts tmpfs)"
	[[ -d $build ]] || bench_die "no build directory $build (scripts/bench/run-all builds one)"
	build=$(cd "$build" && pwd)
	BENCH_BUILD=$build
	XSMOND=$build/xsmond
	XSMONCTL=$build/xsmonctl
	[[ -x $XSMOND && -x $XSMONCTL ]] ||
		bench_die "no xsmond/xsmonctl in $build (scripts/bench/run-all builds them)"
	BENCH_T=$(mktemp -d "/tmp/xsmon-bench-$BENCH_NAME.XXXXXX")
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
	# Other work on the host skews every figure: say how busy it was.
	echo "$BENCH_NAME: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
		"binaries from $build"
}

# bench_nap SECONDS: a sleep that a signal interrupts at once.
bench_nap() {
	sleep "$1" &
	BENCH_NAP_PID=$!
	wait "$BENCH_NAP_PID"
	BENCH_NAP_PID=
}

bench_qload() {
	QLOAD=$BENCH_T/qload
	cc -O2 -o "$QLOAD" "$BENCH_DIR/qload.c" -lpthread ||
		bench_die "cannot compile qload.c"
}

# bench_tmpfs DIR SIZE: a fresh tmpfs of our own.
bench_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2,mode=0755" xsmon-bench "$1" || bench_die "cannot mount tmpfs on $1"
	BENCH_MOUNTS+=("$1")
}

# bench_fill_logs DIR: a few ordinary dom0 logs (about 1.5 MiB).
bench_fill_logs() {
	local f
	mkdir -p "$1/xen"
	for f in messages:300 daemon.log:200 xensource.log:400 SMlog:300 xen/hypervisor.log:100; do
		head -c "${f#*:}K" /dev/urandom | base64 >"$1/${f%:*}"
	done
}

# bench_start_xsmond CONF SOCK: xsmond -d in the background (stderr to
# $BENCH_T/xsmond.log); sets XSMOND_PID once the socket is there.
bench_start_xsmond() {
	"${BENCH_PREFIX[@]}" "$XSMOND" -d -f "$1" 2>>"$BENCH_T/xsmond.log" &
	XSMOND_PID=$!
	BENCH_PIDS+=("$XSMOND_PID")
	for _ in $(seq 100); do
		[[ -S $2 ]] && return 0
		kill -0 "$XSMOND_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$BENCH_T/xsmond.log" >&2
	bench_die "xsmond did not open $2"
}

# bench_dom0 CONF: the demo dom0's scenes (scripts/demo.d: a shimmed real
# xenstored with guests, a private rsyslogd forwarding to a second one, a
# management bridge and a storage NIC in a network namespace) set up under
# $BENCH_T, each section appended to CONF with only what says where things
# are: every interval and threshold stays at its default, so the figures
# are those of a default config. xsmond then runs in the scene's network
# namespace (BENCH_PREFIX). Dies if a scene cannot be set up.
BENCH_PREFIX=()
BENCH_SCENES=()
demo_pids=()
bench_dom0() {
	local conf=$1 s out
	# The names the fragments expect (scripts/demo sets the same).
	demo=$BENCH_T/dom0 top=$BENCH_TOP build=$BENCH_BUILD
	xsmond=$XSMOND xsmonctl=$XSMONCTL sock=$BENCH_T/run/xsmond.sock
	mkdir -p "$demo/var/log"
	# rsyslogd's impstats at the shipped snippet's interval, not the
	# demo's 1 s: every update wakes xsmond's stats follower.
	demo_rs_impstats_interval=$(sed -n 's/.*interval="\([0-9]*\)".*/\1/p' \
		"$BENCH_TOP/conf/rsyslog.d/10-xsmon-impstats.conf")
	for s in xenstore rsyslog nics; do
		# shellcheck source=/dev/null
		. "$BENCH_TOP/scripts/demo.d/$s.sh"
		BENCH_SCENES+=("$s")
		out=$BENCH_T/scene-$s.conf
		"demo_${s}_setup" >"$out" </dev/null || bench_die "the $s scene could not be set up"
		grep -E '^\[|^(path|management|storage|inventory|pidfile|syslog_socket|target|impstats) *=' \
			"$out" >>"$conf"
	done
	BENCH_PREFIX=(ip netns exec "$demo_nics_netns")
}

# bench_forget PID: a process we started has been waited for; drop it so
# cleanup never signals a PID the system may have reused since.
bench_forget() {
	local p keep=()
	for p in "${BENCH_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
	BENCH_PIDS=("${keep[@]}")
}

# bench_stop PID: stops one process we started, and waits for it.
bench_stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	bench_forget "$1"
}

# CPU time of all of PID's threads in ns (sum_exec_runtime, schedstat).
bench_cpu_ns() {
	cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# utime+stime of the process in clock ticks (exited threads included).
bench_cpu_ticks() {
	local stat
	stat=$(<"/proc/$1/stat")
	# Fields after "(comm) ": state is 3, utime 14 and stime 15.
	awk '{ print $12 + $13 }' <<<"${stat##*) }"
}

# "voluntary involuntary" context switches summed over PID's threads.
bench_ctxsw() {
	cat /proc/"$1"/task/*/status | awk '
		/^voluntary_ctxt_switches:/ { v += $2 }
		/^nonvoluntary_ctxt_switches:/ { n += $2 }
		END { print v, n }'
}

# bench_result KEY VALUE: one figure for run-all's summary.
bench_result() {
	if [[ -n ${XSMON_BENCH_OUT:-} ]]; then
		printf '%s\t%s\n' "$1" "$2" >>"$XSMON_BENCH_OUT"
	fi
}

# Median and maximum of numbers on stdin, "median max" with 1 decimal.
bench_median_max() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f\n", m, v[NR] }'
}

# bench_number NAME VALUE: VALUE must be a positive number.
bench_number() {
	if ! [[ $2 =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk -v x="$2" 'BEGIN { exit !(x > 0) }'; then
		bench_die "$1 wants a positive number, not '$2'"
	fi
}
