#!/usr/bin/env bash
# scripts/package.sh [--build-only]: build the Debian package with CPack
# (cmake/install.cmake), list its contents and run lintian (no error
# allowed). Then, unless --build-only, install it on this machine with
# `dpkg -i` and check it the way an administrator would use it where systemd
# is not running (CI, a container): the user and folders exist, the shipped
# configuration validates, a foreground `schemad run` as the schemad user
# starts, writes its state store and stops on SIGTERM, `man schemad` works,
# bash completion loads and the installed unit verifies. Then the package
# is purged, and its postinst run once more where systemd's tools are
# missing (the adduser fallback); the machine is left as it was, but for
# the schemad system user, which Debian keeps.
# Prints "N passed, M failed"; exit 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true
sudo="" # installing needs root; sudo relays SIGTERM to what it runs
[ "$(id -u)" -eq 0 ] || sudo=sudo
scripts/deps.sh --package || exit 2
build=build/pkg-build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { # ok NAME CMD...: one assertion
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}

echo "== build the package"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSD_WERROR=ON -DBUILD_TESTING=OFF \
	-DCMAKE_INSTALL_PREFIX=/usr -DSD_SYSTEMD_UNITDIR=/lib/systemd/system -DSD_INSTALL_ETC=ON >/dev/null &&
	cmake --build "$build" -j"$(nproc)" >/dev/null &&
	rm -rf "$build/pkg" && (cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) ||
	{ cat "$work/cpack.log" 2>/dev/null; echo "package build failed"; exit 2; }
deb=$(ls "$build"/pkg/schemad_*.deb)
echo "$deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
echo "== contents"
dpkg-deb --contents "$deb" | awk '{ print $1, $2, $6, $7, $8 }'
dpkg-deb --contents "$deb" >"$work/contents"
for f in ./usr/bin/schemad ./lib/systemd/system/schemad.service ./usr/lib/sysusers.d/schemad.conf \
	./usr/lib/tmpfiles.d/schemad.conf ./etc/schemad/schemad.yml ./usr/share/man/man1/schemad.1.gz \
	./usr/share/man/man5/schemad.yml.5.gz ./usr/share/bash-completion/completions/schemad \
	./usr/share/doc/schemad/copyright ./usr/share/doc/schemad/docs/install.md; do
	ok "package holds $f" grep -q " $f\$" "$work/contents"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles"
ok "the configuration is a conffile" grep -qx /etc/schemad/schemad.yml "$work/conffiles"

echo "== lintian"
lintian --fail-on error --tag-display-limit 0 "$deb"
ok "lintian: no error" test $? -eq 0

if $build_only; then
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

echo "== install with dpkg -i"
# Some container images exclude /usr/share/man from every package
# (path-exclude in /etc/dpkg/dpkg.cfg.d); our own man pages come back in.
grep -rs 'path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d && echo "(man pages re-included)"
$sudo env DEBIAN_FRONTEND=noninteractive dpkg --path-include='/usr/share/man/*/schemad*' -i "$deb"
ok "dpkg -i" test $? -eq 0
ok "user schemad" getent passwd schemad >/dev/null
ok "group schemad" getent group schemad >/dev/null
ok "/var/lib/schemad is schemad's, 0750" test "$(stat -c '%U:%G %a' /var/lib/schemad)" = "schemad:schemad 750"
ok "/etc/schemad is root:schemad, 0750" test "$(stat -c '%U:%G %a' /etc/schemad)" = "root:schemad 750"
ok "schemad on PATH" test "$(command -v schemad)" = /usr/bin/schemad
ok "schemad validate (root)" $sudo schemad validate >/dev/null
ok "schemad validate (as schemad)" $sudo runuser -u schemad -- schemad validate >/dev/null

echo "== a foreground run as the schemad user"
# setpriv execs schemad itself (runuser would stay between and eat SIGTERM).
$sudo setpriv --reuid=schemad --regid=schemad --init-groups schemad run 2>"$work/run.log" &
pid=$!
for _ in $(seq 50); do grep -q ' up: ' "$work/run.log" && break; sleep 0.1; done
ok "run: up" grep -q ' up: 0 pairs' "$work/run.log"
ok "run: state store created by schemad" test "$($sudo stat -c %U /var/lib/schemad/state.db 2>/dev/null)" = schemad
kill -TERM "$pid"
wait "$pid"
ok "run: SIGTERM stops it with exit 0" test $? -eq 0
cat "$work/run.log"

echo "== man, completion, unit"
ok "man -w schemad" test "$(man -w schemad)" = /usr/share/man/man1/schemad.1.gz
MANPAGER=cat MANWIDTH=80 man schemad 2>&1 | grep -q 'schemad - schema drift monitor'
ok "man schemad" test $? -eq 0
MANPAGER=cat man schemad.yml 2>&1 | grep -q 'state_path'
ok "man schemad.yml" test $? -eq 0
bash -c '. /usr/share/bash-completion/completions/schemad && complete -p schemad' >/dev/null
ok "bash completion loads" test $? -eq 0
if command -v systemd-analyze >/dev/null; then
	(cd "$work" && systemd-analyze verify /lib/systemd/system/schemad.service)
	ok "installed unit: systemd-analyze verify" test $? -eq 0
fi

echo "== purge"
$sudo env DEBIAN_FRONTEND=noninteractive dpkg --purge schemad >/dev/null
ok "purge" test $? -eq 0
ok "purge: binary gone" test ! -e /usr/bin/schemad
ok "purge: state gone" test ! -e /var/lib/schemad
ok "purge: configuration gone" test ! -e /etc/schemad/schemad.yml

echo "== postinst where systemd-sysusers and systemd-tmpfiles are missing (adduser)"
# The same script dpkg ran, with a PATH that lacks systemd's tools, after
# the user is gone: the fallback must make the same user and folders.
$sudo userdel schemad 2>/dev/null
$sudo groupdel schemad 2>/dev/null
mkdir "$work/bin"
for tool in sh getent adduser install; do ln -s "$(command -v "$tool" || echo "/usr/sbin/$tool")" "$work/bin/"; done
$sudo env PATH="$work/bin" sh packaging/postinst configure >"$work/postinst.log" 2>&1
ok "fallback postinst" test $? -eq 0
ok "fallback: user schemad" getent passwd schemad >/dev/null
ok "fallback: /var/lib/schemad is schemad's, 0750" test "$(stat -c '%U:%G %a' /var/lib/schemad)" = "schemad:schemad 750"
ok "fallback: /etc/schemad is root:schemad, 0750" test "$(stat -c '%U:%G %a' /etc/schemad)" = "root:schemad 750"
$sudo rm -rf /var/lib/schemad
$sudo rmdir /etc/schemad

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
