#!/bin/bash
# SPDX-License-Identifier: ISC
#
# test_config_golden.sh: `xsmond -n` against tests/config/NAME.in + NAME.ok.
#
#   NAME.in      valid: `xsmond -nv -f NAME.in` exits 0, stdout == NAME.ok,
#                and that output fed back through -nv prints the same text
#                (the round trip).
#   err-NAME.in  invalid: `xsmond -n -f err-NAME.in` exits non-zero and
#                stderr == err-NAME.ok ("FILE:LINE: message" lines).
#
# Runs from tests/config with relative names so the golden text does not
# depend on where the tree lives. Also checks that the shipped
# conf/xsmond.conf is valid and means exactly the defaults. Needs no root.
set -u

: "${XSMOND:?XSMOND must name the xsmond binary}"
: "${XSMON_SRC:?XSMON_SRC must name the source tree}"

# We cd below: make a relative binary path absolute first.
case $XSMOND in
/*) ;;
*/*) XSMOND=$PWD/$XSMOND ;;
esac
golden="$XSMON_SRC/tests/config"
tmp=$(mktemp -d /tmp/xsmon-golden.XXXXXX) || exit 1
trap 'rm -rf -- "$tmp"' EXIT

failures=0
checked=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# Shows how out differs from the expected file.
show_diff() {
	diff -u "$1" "$2" | sed 's/^/    /' | head -40
}

check_valid() {
	local name=$1 rc

	"$XSMOND" -nv -f "$name.in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: exit $rc, want 0"
		sed 's/^/    /' "$tmp/err"
		return
	fi
	if [ -s "$tmp/err" ]; then
		fail "$name: unexpected stderr"
		sed 's/^/    /' "$tmp/err"
	fi
	if ! cmp -s "$name.ok" "$tmp/out"; then
		fail "$name: stdout differs from $name.ok"
		show_diff "$name.ok" "$tmp/out"
		return
	fi
	# The normalised text must parse to itself.
	cp "$tmp/out" "$tmp/again.in"
	if ! "$XSMOND" -nv -f "$tmp/again.in" >"$tmp/again" 2>"$tmp/err"; then
		fail "$name: printed config does not parse again"
		sed 's/^/    /' "$tmp/err"
	elif ! cmp -s "$tmp/out" "$tmp/again"; then
		fail "$name: round trip changed the text"
		show_diff "$tmp/out" "$tmp/again"
	fi
}

check_invalid() {
	local name=$1 rc

	"$XSMOND" -n -f "$name.in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		fail "$name: exit 0, want an error"
		return
	fi
	if [ -s "$tmp/out" ]; then
		fail "$name: unexpected stdout"
	fi
	if ! cmp -s "$name.ok" "$tmp/err"; then
		fail "$name: stderr differs from $name.ok"
		show_diff "$name.ok" "$tmp/err"
	fi
}

cd "$golden" || exit 1
for in in *.in; do
	name=${in%.in}
	if [ ! -f "$name.ok" ]; then
		fail "$name: no $name.ok"
		continue
	fi
	case $name in
	err-*) check_invalid "$name" ;;
	*) check_valid "$name" ;;
	esac
	checked=$((checked + 1))
done
for ok in *.ok; do
	[ -f "${ok%.ok}.in" ] || fail "$ok has no .in"
done

# The shipped, annotated config is valid and is the defaults, spelled out.
if ! "$XSMOND" -nv -f "$XSMON_SRC/conf/xsmond.conf" >"$tmp/shipped" 2>"$tmp/err"; then
	fail "conf/xsmond.conf does not parse"
	sed 's/^/    /' "$tmp/err"
elif [ -s "$tmp/err" ]; then
	fail "conf/xsmond.conf: unexpected stderr"
	sed 's/^/    /' "$tmp/err"
fi
"$XSMOND" -nv -f /dev/null >"$tmp/defaults" 2>&1 || fail "-nv of an empty file failed"
if ! cmp -s "$tmp/defaults" "$tmp/shipped"; then
	fail "conf/xsmond.conf is not the defaults"
	show_diff "$tmp/defaults" "$tmp/shipped"
fi
# Its commented-out settings ("#key = value") are every key, at its
# real default: uncommented, they still mean the defaults.
sed 's/^#\([a-z_]* =\)\( \|$\)/\1\2/' "$XSMON_SRC/conf/xsmond.conf" >"$tmp/uncommented.conf"
sed -n 's/^\([a-z_]*\) = .*/\1/p;s/^\([a-z_]*\) =$/\1/p' "$tmp/uncommented.conf" | sort >"$tmp/keys.doc"
sed -n 's/^\([a-z_]*\) =.*/\1/p' "$tmp/defaults" | sort >"$tmp/keys.all"
if ! cmp -s "$tmp/keys.all" "$tmp/keys.doc"; then
	fail "conf/xsmond.conf does not show every key once"
	show_diff "$tmp/keys.all" "$tmp/keys.doc"
fi
if ! "$XSMOND" -nv -f "$tmp/uncommented.conf" >"$tmp/settings" 2>"$tmp/err"; then
	fail "conf/xsmond.conf, uncommented, does not parse"
	sed 's/^/    /' "$tmp/err"
elif ! cmp -s "$tmp/defaults" "$tmp/settings"; then
	fail "conf/xsmond.conf documents defaults that are not the defaults"
	show_diff "$tmp/defaults" "$tmp/settings"
fi
if ! cmp -s "$tmp/defaults" defaults-empty.ok; then
	fail "-nv of /dev/null differs from defaults-empty.ok"
fi
checked=$((checked + 1))

if [ "$checked" -lt 10 ]; then
	fail "only $checked cases found in $golden"
fi
echo "$checked config cases, $failures failures"
[ "$failures" -eq 0 ]
