#!/usr/bin/env bash
# tests/integration/systemd_unit.sh UNIT_FILE: the unit's exposure score is under 2.0 ("OK").
set -u
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
out=$(systemd-analyze security --offline=yes --no-pager "$1" 2>&1)
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
echo "exposure: ${score:-?}"
[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s < 2.0) }' && { echo "1 passed, 0 failed"; exit 0; }
printf '%s\n' "$out" | grep '✗'
echo "0 passed, 1 failed"
exit 1
