#!/usr/bin/env bash
# tests/integration/alerts.sh SCHEMAD DOCS_DIR
# Alert delivery end to end against a local HTTP receiver (127.0.0.1 only):
# webhook and Slack payloads validate against docs/*.schema.json, the HMAC
# header verifies, identical drift alerts once, resolution alerts, 500 and
# 429 are retried (Retry-After honoured), a pending event survives SIGKILL,
# and no credential appears in any payload or log line.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
docs=$(cd "$2" && pwd)
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
# count PATH TYPE STATUS: receiver requests on PATH for event TYPE answered with STATUS
count() {
	/usr/bin/python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["path"] == sys.argv[2] and (sys.argv[3] == "*" or r["headers"].get("x-schemad-event") == sys.argv[3] or sys.argv[3] in r["body"]) and (sys.argv[4] == "*" or r["status"] == int(sys.argv[4])):
        n += 1
print(n)' "$work/requests" "$1" "$2" "$3" 2>/dev/null || echo 0
}
wait_count() { # wait_count SECONDS PATH TYPE STATUS N
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -le $deadline ]; do
		[ "$(count "$2" "$3" "$4")" -ge "$5" ] && return 0
		sleep 0.2
	done
	echo "    waited $1s for $5 x [$2 $3 $4], have $(count "$2" "$3" "$4")"
	return 1
}
q() { sqlite3 -cmd '.timeout 5000' "$work/state.db" "$1" 2>/dev/null; }
start_daemon() { "$schemad" run --config "$work/schemad.yml" 2>>"$work/log" & pid=$!; }

: >"$work/requests"
touch "$work/gate"
/usr/bin/python3 "$here/receiver.py" "$work/port" "$work/requests" "$work/gate" &
rpid=$!
sd_await 30 "the HTTP receiver writes its port" test -s "$work/port"
port=$(cat "$work/port")
base="http://127.0.0.1:$port"
sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
export SCHEMAD_TEST_DB_PASSWORD='db-Pa55word-xyzzy'
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
log_level: debug
environments:
  - {name: staging, url: "sqlite://$work/staging.db"}
  - {name: prod, url: "sqlite://$work/prod.db"}
  - {name: pgdown, url: "postgres://schemad@127.0.0.1:1/app?connect_timeout=1", password: "\${SCHEMAD_TEST_DB_PASSWORD}"}
pairs:
  - {name: lite, reference: staging, target: prod, interval: 1s, alerts: [hook, slack, flaky, limited, gated]}
  - {name: down, reference: staging, target: pgdown, interval: 30s, alerts: [hook]}
alerts:
  - {name: hook, type: webhook, url: "http://hookuser:hook-Secr3t-pw@127.0.0.1:$port/hook", secret: "hmac-key-1"}
  - {name: slack, type: slack, url: "$base/slack"}
  - {name: flaky, type: webhook, url: "$base/fail500-2"}
  - {name: limited, type: webhook, url: "$base/ratelimit"}
  - {name: gated, type: webhook, url: "$base/gated"}
YAML
chmod 600 "$work/schemad.yml"

"$schemad" alert test slack --config "$work/schemad.yml" >"$work/out" 2>>"$work/log"
ok "alert test accepted" grep -q "test event accepted" "$work/out"
ok "alert test reached the receiver" test "$(count /slack '*' 200)" = 1

start_daemon
ok "unreachable pair alerts" wait_count 30 /hook pair.unreachable 200 1
# The drift comes after a first check without it (was: sleep 1.5).
lite_is() { [ "$(q "SELECT status FROM pair_state WHERE pair='lite'")" = "$1" ]; }
ok "first check of lite: no drift" sd_wait_for 30 lite_is ok
sqlite3 "$work/prod.db" "ALTER TABLE users ADD COLUMN hotfix TEXT; CREATE INDEX users_email ON users(email);"
ok "webhook gets drift.detected" wait_count 30 /hook drift.detected 200 1
ok "slack gets drift.detected" wait_count 30 /slack "Schema drift detected" 200 1
ok "500, 500, then delivered" wait_count 30 /fail500-2 drift.detected 200 1
ok "two 500s before it" test "$(count /fail500-2 drift.detected 500)" = 2
ok "429 then delivered" wait_count 30 /ratelimit drift.detected 200 1
ok "gated endpoint failing" wait_count 30 /gated drift.detected 503 1

# Verify what the webhook received: schema, headers, signature, no secrets.
/usr/bin/python3 - "$work/requests" "$docs" <<'PY' >"$work/verify" 2>&1
import hashlib, hmac, json, sys
from jsonschema import Draft202012Validator
reqs = [json.loads(l) for l in open(sys.argv[1])]
event = Draft202012Validator(json.load(open(sys.argv[2] + "/event.schema.json")))
slack = Draft202012Validator(json.load(open(sys.argv[2] + "/slack.schema.json")))
fails = []
hooks = [r for r in reqs if r["path"] == "/hook"]
for r in hooks:
    for e in event.iter_errors(json.loads(r["body"])):
        fails.append(f"webhook payload: {list(e.path)}: {e.message}")
    signed = r["headers"].get("x-schemad-timestamp", "") + "." + r["body"]
    want = "sha256=" + hmac.new(b"hmac-key-1", signed.encode(), hashlib.sha256).hexdigest()
    if r["headers"].get("x-schemad-signature") != want:
        fails.append("bad or missing X-Schemad-Signature")
    if r["headers"].get("x-schemad-delivery") != json.loads(r["body"])["id"]:
        fails.append("X-Schemad-Delivery is not the event id")
    if r["headers"].get("x-schemad-event") != json.loads(r["body"])["type"]:
        fails.append("X-Schemad-Event is not the event type")
for r in reqs:
    if r["path"] == "/slack":
        for e in slack.iter_errors(json.loads(r["body"])):
            fails.append(f"slack message: {list(e.path)}: {e.message}")
# the riskiest change comes first and carries reasons
d = [json.loads(r["body"]) for r in hooks if json.loads(r["body"])["type"] == "drift.detected"]
if not d or d[0]["changes"][0]["risk"] < d[0]["changes"][-1]["risk"] or d[0]["change_count"] != 2:
    fails.append("drift.detected payload lacks its changes")
retry = [r for r in reqs if r["path"] == "/ratelimit"]
if len(retry) >= 2 and retry[1]["time"] - retry[0]["time"] < 0.9:
    fails.append("Retry-After: 1 not honoured")
for f in fails:
    print("  " + f)
print(len(fails))
PY
ok "payloads, signature and headers verify" test "$(tail -1 "$work/verify")" = 0
[ "$(tail -1 "$work/verify")" = 0 ] || cat "$work/verify"

checks=$(q "SELECT count(*) FROM checks WHERE pair='lite'")
more_checks() { [ "$(q "SELECT count(*) FROM checks WHERE pair='lite'")" -ge $((checks + 3)) ]; }
ok "three more checks of the same drift" sd_wait_for 30 more_checks
ok "identical drift: one webhook alert" test "$(count /hook drift.detected '*')" = 1

# SIGKILL with an event pending for the gated endpoint; it is delivered after restart.
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
ok "pending in the outbox" test "$(q "SELECT count(*) FROM outbox WHERE sink='gated' AND state='pending'")" -ge 1
rm -f "$work/gate"
start_daemon
ok "pending event delivered after restart" wait_count 30 /gated drift.detected 200 1
ok "no second drift.detected after restart" test "$(count /hook drift.detected '*')" = 1

sqlite3 "$work/prod.db" "DROP INDEX users_email; ALTER TABLE users DROP COLUMN hotfix;"
ok "drift.resolved delivered" wait_count 30 /hook drift.resolved 200 1
sd_stop "$pid"
ok "SIGTERM exits 0" test $? -eq 0
pid=

for secret in hook-Secr3t-pw "$SCHEMAD_TEST_DB_PASSWORD"; do
	ok "secret absent from payloads: ${secret:0:6}..." sh -c "! grep -q -- '$secret' '$work/requests'"
	ok "secret absent from logs: ${secret:0:6}..." sh -c "! grep -q -- '$secret' '$work/log'"
done
ok "basic auth still sent on the wire" grep -q '"authorization": "Basic ' "$work/requests"
[ $fail -eq 0 ] || tail -40 "$work/log" | sed 's/^/    log: /'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
