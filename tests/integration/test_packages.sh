#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# cpack makes a .deb and an .rpm with the binaries, units, the config as a
# config file, gzipped man pages, bash completion and the rsyslog
# snippets (as documentation, never active). Contents and metadata only:
# nothing is installed. cpack reads $XSMON_BUILD's CPackConfig.cmake and
# writes its staging tree and the packages under $T (-B).
# Skips (77) without cpack, dpkg-deb or rpmbuild.
source "$(dirname "$0")/lib.sh"
: "${XSMON_BUILD:?XSMON_BUILD must point at the build directory}"
for t in cpack dpkg-deb rpmbuild rpm; do
	if ! command -v "$t" >/dev/null; then
		echo "SKIP: $t not installed (scripts/setup-deps)"
		exit 77
	fi
done

# -B: packages and cpack's staging go to $T, the build dir stays as it is.
if ! (cd "$XSMON_BUILD" && cpack -B "$T/pkg" >"$T/cpack.log" 2>&1); then
	not_ok "cpack"; tail -20 "$T/cpack.log"; finish; exit 1
fi
deb=$(ls "$T"/pkg/xsmon_*.deb 2>/dev/null | head -1)
rpmf=$(ls "$T"/pkg/xsmon-*.rpm 2>/dev/null | head -1)
check "cpack made a .deb" test -n "$deb"
check "cpack made an .rpm" test -n "$rpmf"
[[ -n $deb && -n $rpmf ]] || { finish; exit 1; }

dpkg-deb -c "$deb" | awk '{ sub(/^\./, "", $6); print $6 }' >"$T/deb.list"
rpm -qlp "$rpmf" 2>/dev/null >"$T/rpm.list"
has() { grep -qx -- "$2" "$T/$1.list"; }
common=(/usr/sbin/xsmond /usr/bin/xsmonctl /etc/xsmond.conf
	/usr/share/man/man8/xsmond.8.gz /usr/share/man/man8/xsmonctl.8.gz
	/usr/share/man/man5/xsmond.conf.5.gz
	/usr/share/bash-completion/completions/xsmonctl
	/usr/share/doc/xsmon/rsyslog.d/10-xsmon-impstats.conf
	/usr/share/doc/xsmon/rsyslog.d/60-xsmon-forward.conf
	/usr/share/doc/xsmon/systemd/el7/xsmond.service
	/usr/share/doc/xsmon/systemd/dropins/deleted-open-holders.conf
	/usr/share/doc/xsmon/systemd/dropins/control-group.conf)
for f in "${common[@]}" /lib/systemd/system/xsmond.service /lib/systemd/system/xsmond.socket; do
	check "deb holds $f" has deb "$f"
done
for f in "${common[@]}" /usr/lib/systemd/system/xsmond.service /usr/lib/systemd/system/xsmond.socket; do
	check "rpm holds $f" has rpm "$f"
done
check "deb: units only in /lib/systemd/system" bash -c "! grep -q '^/usr/lib/systemd' '$T/deb.list'"
check "rpm: units only in /usr/lib/systemd/system" bash -c "! grep -q '^/lib/' '$T/rpm.list'"
# Nothing activates an rsyslog snippet (the forward one needs a target).
check "deb: nothing in /etc/rsyslog.d" bash -c "! grep -q '^/etc/rsyslog.d/.' '$T/deb.list'"
check "rpm: nothing in /etc/rsyslog.d" bash -c "! grep -q '^/etc/rsyslog.d/.' '$T/rpm.list'"

# Config file: deb conffiles, rpm %config(noreplace).
check "deb conffiles: /etc/xsmond.conf" \
    bash -c "dpkg-deb -I '$deb' conffiles | grep -qx /etc/xsmond.conf"
check "rpm --configfiles: /etc/xsmond.conf" \
    bash -c "rpm -qp --configfiles '$rpmf' 2>/dev/null | grep -qx /etc/xsmond.conf"
check "rpm: the config is noreplace" \
    bash -c "rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' '$rpmf' 2>/dev/null | grep -q '^/etc/xsmond.conf c.*n'"

# deb metadata: the libraries xsmond links, by their Debian 12 names.
depends=$(dpkg-deb -f "$deb" Depends)
for p in libc6 libev4 libyajl2 libxenstore4 libmnl0 libinih1; do
	check "deb Depends: $p" grep -qw "$p" <<<"$depends"
done
check "deb Package: xsmon" test "$(dpkg-deb -f "$deb" Package)" = xsmon
# rpm: automatic requires (sonames), the same libraries.
rpm -qp --requires "$rpmf" 2>/dev/null >"$T/requires"
for so in libev.so.4 libyajl.so.2 libxenstore.so.4 libmnl.so.0 libinih.so.1; do
	check "rpm Requires: $so" grep -q "^$so" "$T/requires"
done

# The packaged unit is the shipped one, and the man pages are gzip.
mkdir -p "$T/x"
dpkg-deb -x "$deb" "$T/x"
check "deb's xsmond.service is systemd/xsmond.service" \
    cmp -s "$T/x/lib/systemd/system/xsmond.service" "${XSMON_SRC:-.}/systemd/xsmond.service"
check "man pages are gzip" gzip -t "$T/x/usr/share/man/man8/xsmond.8.gz"
check "packaged xsmond runs (-V)" "$T/x/usr/sbin/xsmond" -V
finish
