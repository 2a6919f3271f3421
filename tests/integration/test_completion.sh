#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# conf/xsmonctl.bash-completion, sourced into this bash (without the
# bash-completion package's helpers: the file must work on its own),
# asked what it completes for a few command lines.
source "$(dirname "$0")/lib.sh"
SRC=${XSMON_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
# The completion function reads unset variables; lib.sh runs with -u.
set +u
source "$SRC/conf/xsmonctl.bash-completion"

# complete_as "LINE" WANT...: completes the last word of LINE (a trailing
# space means an empty word) and compares the sorted COMPREPLY with WANT.
complete_as() {
	local line=$1; shift
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
	COMPREPLY=()
	_xsmonctl xsmonctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	local got want
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[[ $got == "$want" ]] || { echo "  '$line': got [$got], want [$want]"; return 1; }
}

check "registered for xsmonctl" bash -c "source '$SRC/conf/xsmonctl.bash-completion'; complete -p xsmonctl | grep -q _xsmonctl"
check "commands" complete_as "xsmonctl " status show check domains ping version reload watch metrics
check "command prefix" complete_as "xsmonctl s" status show
check "options" complete_as "xsmonctl --j" --json
check "short options" complete_as "xsmonctl -" -s --socket -j --json --no-color -h --help -V --version
check "show CHECK" complete_as "xsmonctl show " logfs nics rsyslog xenstore
check "show after options" complete_as "xsmonctl -s /tmp/x.sock --json show r" rsyslog
check "check [CHECK]" complete_as "xsmonctl check x" xenstore
check "show takes one check" complete_as "xsmonctl show logfs "
check "metrics --textfile" complete_as "xsmonctl metrics --t" --textfile
mkdir -p "$T/textdir"
check "metrics --textfile DIR" complete_as "xsmonctl metrics --textfile $T/textd" "$T/textdir"
check "watch options" complete_as "xsmonctl watch --" --json --no-color
check "-s takes a path" complete_as "xsmonctl -s $T/textd" "$T/textdir"
check "-s's argument is not the command" complete_as "xsmonctl -s $T/x " status show check domains ping version reload watch metrics

# Every command xsmonctl accepts is completed, and nothing it refuses.
for c in status show check domains ping version reload watch metrics; do
	grep -q "\"$c\"" "$SRC/daemon/ctl/xsmonctl.c" ||
	    not_ok "completion offers $c, which xsmonctl.c does not know"
done
finish
