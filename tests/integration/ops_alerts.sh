#!/usr/bin/env bash
# tests/integration/ops_alerts.sh SCHEMAD
# Alerts people keep on, against a local HTTP receiver (127.0.0.1 only):
# an acknowledged drift sends nothing until the drift changes (and not
# when it comes back), a mute silences every event until it ends, a sink
# gets only the event types it lists, min_risk holds for drift.resolved
# too, and retention keeps the state store bounded while it keeps every
# state change.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
pid= rpid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
q() { sqlite3 -cmd '.timeout 5000' "$work/state.db" "$1" 2>/dev/null; }
# count PATH TYPE: requests the receiver got on PATH for event TYPE
count() {
	/usr/bin/python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["path"] == sys.argv[2]
          and json.loads(l)["headers"].get("x-schemad-event") == sys.argv[3]))' "$work/requests" "$1" "$2"
}
wait_for() { # wait_for SECONDS SQL EXPECTED
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -le $deadline ]; do
		[ "$(q "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	echo "    waited $1s for [$2] = [$3], last: [$(q "$2")]"
	return 1
}
# settle: the current drift was checked twice more and the outbox was drained
settle() {
	local n
	n=$(q "SELECT max(id) FROM checks WHERE pair='lite'") # ids, not a count: retention deletes rows
	[ -n "$n" ] || { echo "    no check id read from the state store"; return 1; }
	wait_for 30 "SELECT max(id) >= $((n + 2)) FROM checks WHERE pair='lite'" 1 &&
		wait_for 30 "SELECT count(*) FROM outbox WHERE state='pending'" 0
}
fp() { q "SELECT fingerprint FROM pair_state WHERE pair='lite'"; }

: >"$work/requests"
/usr/bin/python3 "$here/receiver.py" "$work/port" "$work/requests" &
rpid=$!
sd_await 30 "the HTTP receiver writes its port" test -s "$work/port"
base="http://127.0.0.1:$(cat "$work/port")"
sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
log_level: debug
retention: 4s
environments:
  - {name: staging, url: "sqlite://$work/staging.db"}
  - {name: prod, url: "sqlite://$work/prod.db"}
pairs:
  - {name: lite, reference: staging, target: prod, interval: 1s, alerts: [all, detected_only, critical_only]}
alerts:
  - {name: all, type: webhook, url: "$base/all"}
  - {name: detected_only, type: webhook, url: "$base/detected", events: [drift.detected]}
  - {name: critical_only, type: webhook, url: "$base/critical", min_risk: critical}
YAML
"$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!
ok "first check" wait_for 20 "SELECT status FROM pair_state WHERE pair='lite'" ok

# Drift A (a high-risk dropped column): alerted once.
sqlite3 "$work/prod.db" "ALTER TABLE users ADD COLUMN a TEXT;"
ok "drift A recorded" wait_for 20 "SELECT status FROM pair_state WHERE pair='lite'" drift
ok "drift A settled" settle
fp_a=$(fp)
ok "drift A: drift.detected to all" test "$(count /all drift.detected)" = 1
ok "drift A: the sink that asked only for drift.detected got it" test "$(count /detected drift.detected)" = 1
ok "drift A: min_risk critical: nothing for a high drift" test "$(wc -l <"$work/requests")" = 2

# Acknowledge A.
"$schemad" ack lite --reason "hotfix column, backport next week" --config "$work/schemad.yml" >"$work/ack.out" 2>&1
ok "ack names the drift" grep -q "drift ${fp_a:0:12} acknowledged by" "$work/ack.out"
"$schemad" status --config "$work/schemad.yml" >"$work/status.out"
ok "status shows acknowledged" grep -q '^lite  *drift (acked)' "$work/status.out"
ok "settled" settle
ok "acked drift: nothing sent while it stays" test "$(wc -l <"$work/requests")" = 2

# A different drift B alerts again.
sqlite3 "$work/prod.db" "ALTER TABLE users ADD COLUMN b TEXT;"
ok "drift B recorded" wait_for 20 "SELECT fingerprint <> '$fp_a' FROM pair_state WHERE pair='lite'" 1
ok "settled" settle
ok "drift B: drift.changed to all" test "$(count /all drift.changed)" = 1
ok "drift B: the drift.detected-only sink is not told" test "$(count /detected drift.changed)" = 0
"$schemad" status --config "$work/schemad.yml" >"$work/status.out"
ok "status: B is not acknowledged" sh -c "! grep -q 'acked' '$work/status.out'"

# Back to A: the acknowledged drift, silenced.
sqlite3 "$work/prod.db" "ALTER TABLE users DROP COLUMN b;"
ok "back to drift A" wait_for 20 "SELECT fingerprint FROM pair_state WHERE pair='lite'" "$fp_a"
ok "settled" settle
ok "back to A: no drift.changed sent" test "$(count /all drift.changed)" = 1
ok "back to A: logged as silenced" grep -q 'drift.changed (silenced: acknowledged)' "$work/log"

# A mute silences everything, resolution included, until it ends.
# (Its end time is tested in tests/unit/test_ops.c; here it is cleared by hand.)
"$schemad" mute lite --until 1h --reason "maintenance" --config "$work/schemad.yml" >/dev/null
sqlite3 "$work/prod.db" "ALTER TABLE users DROP COLUMN a;"
ok "resolved while muted" wait_for 20 "SELECT status FROM pair_state WHERE pair='lite'" ok
ok "settled" settle
ok "muted: drift.resolved not sent" test "$(count /all drift.resolved)" = 0
"$schemad" mute lite --clear --config "$work/schemad.yml" >"$work/clear.out"
ok "mute cleared" grep -q 'pair lite: 1 mute(s) cleared' "$work/clear.out"
sqlite3 "$work/prod.db" "ALTER TABLE users ADD COLUMN c INTEGER NOT NULL DEFAULT 0;"
sqlite3 "$work/staging.db" "CREATE TABLE audit(id INTEGER PRIMARY KEY);"
ok "drift C after the mute" wait_for 20 "SELECT status FROM pair_state WHERE pair='lite'" drift
ok "settled" settle
ok "after the mute: drift.detected sent" test "$(count /all drift.detected)" = 2
"$schemad" history lite --config "$work/schemad.yml" --limit 500 >"$work/history.out"
ok "history: ack with who and why" grep -Eq 'acknowledged +by [^:]+: hotfix column, backport next week' "$work/history.out"
ok "history: mute with its end and who cleared it" grep -Eq 'muted +by [^:]+: maintenance; until .*; cleared ' "$work/history.out"

# min_risk on drift.resolved: the critical-only sink never heard of these drifts.
sqlite3 "$work/prod.db" "ALTER TABLE users DROP COLUMN c;"
sqlite3 "$work/staging.db" "DROP TABLE audit;"
ok "resolved" wait_for 20 "SELECT status FROM pair_state WHERE pair='lite'" ok
ok "settled" settle
ok "drift.resolved to all" test "$(count /all drift.resolved)" = 1
ok "min_risk: no drift.resolved for a drift below it" test "$(count /critical drift.resolved)" = 0

# Retention (4s): old checks go, state changes stay, the store stays bounded.
changes=$(q "SELECT count(*) FROM checks WHERE pair='lite' AND changed = 1")
# Until the last state change is past the retention and a prune pass (6 s)
# and the rows kept are bounded while checks go on (was: sleep 8). A store
# that keeps everything never gets there.
pruned() {
	total=$(grep -c '\[lite\] \(ok\|drift\)' "$work/log")
	kept=$(q "SELECT count(*) FROM checks WHERE pair='lite'")
	[ -n "$kept" ] && [ "$kept" -le $((changes + 8)) ] && [ "$total" -gt $((kept + 10)) ] &&
		[ "$(q "SELECT max(started_at) < (strftime('%s','now') - 6) * 1000 FROM checks WHERE pair='lite' AND changed = 1")" = 1 ]
}
sd_wait_for 40 pruned
ok "retention: every state change kept ($changes)" test "$(q "SELECT count(*) FROM checks WHERE pair='lite' AND changed = 1")" -ge "$changes"
ok "retention: the oldest state change is still there" test "$(q "SELECT count(*) FROM checks WHERE pair='lite' AND changed = 1 AND started_at < (strftime('%s','now') - 10) * 1000")" -ge 1
# 4s at 1s is 4 checks, plus the state changes and a prune pass's lag (1s).
ok "retention: $kept rows kept of $total checks" test "$kept" -le $((changes + 8)) -a "$total" -gt $((kept + 10))
sd_stop "$pid"
ok "SIGTERM: exit 0 (clean under sanitizers)" test $? -eq 0
pid=
if [ $fail -ne 0 ]; then sed 's/^/    log: /' "$work/log" | grep -v debug | tail -30; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
