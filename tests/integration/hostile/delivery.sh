#!/usr/bin/env bash
# tests/integration/hostile/delivery.sh SCHEMAD: the delivery guarantee of
# docs/events.md under faults, with time shortened through configuration
# (alert_retry_min 100ms, alert_retry_max 1s, alert_give_up_after 15s,
# alert_timeout 1s). One drift event goes to four sinks:
#   down      connection refused (the port bound, not listening) until two
#             attempts failed, then the receiver listens on it;
#   limited   429 with Retry-After: 0 for the first 6 requests;
#   hang      the first 2 requests get no answer (the 1 s timeout fires);
#   gated     503 for longer than the give-up period.
# Each of the first three arrives exactly once (one 200 for the event id);
# the gated one gives up with an error line naming the event, `status` says
# so, and after a restart with the gate open it arrives exactly once.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d)
pid= rpid= lpid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
count() { # count LOG PATH STATUS: requests on PATH answered STATUS ("*": any)
	python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["path"] == sys.argv[2] and r["headers"].get("x-schemad-event") == "drift.detected" and (sys.argv[3] == "*" or r["status"] == int(sys.argv[3])):
        n += 1
print(n)' "$@" 2>/dev/null || echo 0
}
ids() { # ids LOG PATH: the distinct delivery ids answered 200
	python3 -c '
import json, sys
print(len({r["headers"]["x-schemad-delivery"] for r in map(json.loads, open(sys.argv[1])) if r["path"] == sys.argv[2] and r["status"] == 200}))' "$@"
}
arrived() { test "$(count "$1" "$2" 200)" -ge 1; } # arrived LOG PATH
start_receiver() { # start_receiver LOG PORTFILE [DOWN_WHILE_FILE]
	RECEIVER_DOWN_WHILE=${3:-} python3 "$here/../receiver.py" "$2" "$1" "$work/gate" &
}
start_daemon() { "$schemad" run --config "$work/schemad.yml" 2>>"$work/log" & pid=$!; }

: >"$work/requests"
: >"$work/late"
touch "$work/gate"
start_receiver "$work/requests" "$work/port"
rpid=$!
sd_await 30 "the receiver writes its port" test -s "$work/port"
base="http://127.0.0.1:$(cat "$work/port")"
# The "down" receiver holds its port from now on, and listens once $work/down is gone.
touch "$work/down"
start_receiver "$work/late" "$work/lateport" "$work/down"
lpid=$!
sd_await 30 "the down receiver writes its port" test -s "$work/lateport"
down_port=$(cat "$work/lateport")
sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY);"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
alert_retry_min: 100ms
alert_retry_max: 1s
alert_give_up_after: 15s
alert_timeout: 1s
environments:
  - {name: staging, url: "sqlite://$work/staging.db"}
  - {name: prod, url: "sqlite://$work/prod.db"}
pairs:
  - {name: lite, reference: staging, target: prod, interval: 1s, alerts: [down, limited, hang, gated]}
alerts:
  - {name: down, type: webhook, url: "http://127.0.0.1:$down_port/down"}
  - {name: limited, type: webhook, url: "$base/ratelimit0-6"}
  - {name: hang, type: webhook, url: "$base/hang-2"}
  - {name: gated, type: webhook, url: "$base/gated"}
YAML
start_daemon
# Down until the daemon has met the refusal twice (was: 4 s, which a slow
# start could spend before the first attempt).
refused_twice() { [ "$(grep -c 'to down: .*attempt' "$work/log")" -ge 2 ]; }
sd_check "down: attempts refused, retried" sd_wait_for 60 refused_twice
sd_check "... nothing arrived while down" test ! -s "$work/late"
rm -f "$work/down"
sd_check "down, then up: the event arrives" sd_wait_for 30 arrived "$work/late" /down
sd_check "429 with Retry-After: 0, six times: the event arrives" \
	sd_wait_for 30 arrived "$work/requests" /ratelimit0-6
sd_check "... after the six 429s" test "$(count "$work/requests" /ratelimit0-6 429)" -eq 6
sd_check "... spaced by the backoff, not burnt in a burst (>= 300 ms from first to last)" python3 -c '
import json, sys
t = [r["time"] for r in map(json.loads, open(sys.argv[1])) if r["path"] == "/ratelimit0-6"]
sys.exit(0 if t[-1] - t[0] >= 0.3 else 1)' "$work/requests"
sd_check "a receiver that hangs twice: the event arrives" \
	sd_wait_for 30 arrived "$work/requests" /hang-2
sd_check "the gated sink gives up, with an error line naming the event" \
	sd_wait_for 60 grep -q 'drift.detected .* to gated: giving up after' "$work/log"
sleep 2 # a few more checks and retries, in case anything would be sent twice
"$schemad" status --config "$work/schemad.yml" >"$work/status"
sd_check "status counts the failed alert" grep -q 'alerts: 0 waiting for a retry, 1 failed' "$work/status"
sd_stop "$pid"
pid=
rm -f "$work/gate"
start_daemon
sd_check "after a restart with the gate open, the failed event arrives" \
	sd_wait_for 30 arrived "$work/requests" /gated
sleep 3 # as above: time for a second delivery, which must not come
sd_stop "$pid"
pid=
sd_check "down: exactly once" test "$(count "$work/late" /down 200)" -eq 1
sd_check "limited: exactly once" test "$(count "$work/requests" /ratelimit0-6 200)" -eq 1
sd_check "hang: exactly once" test "$(count "$work/requests" /hang-2 200)" -eq 1
sd_check "gated: exactly once" test "$(count "$work/requests" /gated 200)" -eq 1
sd_check "one event id per sink" test "$(ids "$work/requests" /gated)$(ids "$work/late" /down)" = 11
sd_check "every retry logged (a warning per failed attempt)" \
	test "$(grep -c 'to limited: HTTP 429' "$work/log")" -eq 6
sd_finish
