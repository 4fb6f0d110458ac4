#!/usr/bin/env bash
# tests/integration/systemd_unit.sh CMAKE BUILD_DIR: `cmake --install` into two
# different prefixes; for each, the installed unit names that prefix's binary
# and documentation, passes `systemd-analyze verify` (which checks that the
# ExecStart= binary exists and the man: pages are found) and scores an
# exposure under 2.0 ("OK") in `systemd-analyze security --offline=true`.
set -u
cmake=$1 build=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { # ok NAME CMD...
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}

for prefix in "$work/usr" "$work/opt/schemad"; do
	"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
		{ cat "$work/install.log"; exit 1; }
	unit="$prefix/lib/systemd/system/schemad.service"
	ok "$prefix: unit installed" test -f "$unit"
	ok "$prefix: ExecStart is this prefix's binary" \
		grep -qxF "ExecStart=$prefix/bin/schemad run --config /etc/schemad/schemad.yml" "$unit"
	ok "$prefix: ExecStartPre too" grep -qF "ExecStartPre=$prefix/bin/schemad validate" "$unit"
	doc=$(sed -n 's/^Documentation=.* file:\/\/\(.*\)$/\1/p' "$unit")
	ok "$prefix: Documentation= file exists ($doc)" test -f "$doc"
	(cd "$work" && MANPATH="$prefix/share/man" systemd-analyze verify "$unit") >"$work/verify" 2>&1
	ok "$prefix: systemd-analyze verify" test $? -eq 0 -a ! -s "$work/verify"
	cat "$work/verify"
	out=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1)
	score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	echo "$prefix: exposure ${score:-?}"
	ok "$prefix: exposure < 2.0" awk -v s="${score:-99}" 'BEGIN { exit !(s < 2.0) }'
	ok "$prefix: sysusers and tmpfiles snippets" \
		test -f "$prefix/lib/sysusers.d/schemad.conf" -a -f "$prefix/lib/tmpfiles.d/schemad.conf"
	ok "$prefix: man pages" test -f "$prefix/share/man/man1/schemad.1.gz" -a \
		-f "$prefix/share/man/man5/schemad.yml.5.gz"
	ok "$prefix: shipped configuration valid" \
		"$prefix/bin/schemad" validate --config "$prefix/share/doc/schemad/examples/schemad.default.yml"
done >"$work/log" 2>&1
cat "$work/log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
