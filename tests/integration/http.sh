#!/usr/bin/env bash
# tests/integration/http.sh SCHEMAD DOCS_DIR
# The daemon's HTTP listener against a running daemon: /metrics passes
# `promtool check metrics` and its counters move, /healthz and /readyz,
# the JSON API (the report validates against docs/report.schema.json), the
# status page escapes what it shows, unknown paths and methods are refused,
# a bearer token is enforced when configured and required off loopback,
# and no password appears in any response.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
docs=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
command -v promtool >/dev/null || { echo "promtool not found (apt-get install prometheus)"; exit 1; }
# get PATH [CURL ARGS...]: the body; the status code goes to $work/code
get() {
	local path=$1
	shift
	curl -s -o "$work/body" -w '%{http_code}' "$@" "http://127.0.0.1:$port$path" >"$work/code"
	cat "$work/body"
}
code() { cat "$work/code"; }
logged_port() { # logged_port LOG: the port the daemon logged
	local p
	p=$(grep -o 'http: listening on .* (port [0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$')
	[ -n "$p" ] && echo "$p"
}
wait_port() { # wait_port LOG: sets port, or fails the test
	sd_await 30 "the daemon logs its HTTP port" logged_port "$1"
	port=$(logged_port "$1")
}
# checks_total FILE: schemad_checks_total of lite's drift in a scrape
checks_total() { awk '/^schemad_checks_total{pair="lite",status="drift"}/ { print $2 }' "$1"; }

sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT, phone TEXT);
CREATE TABLE \"<script>alert(1)</script>\" (id INTEGER);"
export SCHEMAD_TEST_DB_PASSWORD='db-Pa55word-xyzzy'
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
log_level: debug
http: {listen: "127.0.0.1:0"}
environments:
  - {name: staging, url: "sqlite://$work/staging.db"}
  - {name: "prod<i>", url: "sqlite://$work/prod.db"}
  - {name: pgdown, url: "postgres://schemad@127.0.0.1:1/app?connect_timeout=1", password: "\${SCHEMAD_TEST_DB_PASSWORD}"}
pairs:
  - {name: lite, reference: staging, target: "prod<i>", interval: 1s}
  - {name: down, reference: staging, target: pgdown, interval: 2s}
  - {name: "</b>", reference: "prod<i>", target: staging, interval: 1s}
YAML
"$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!
wait_port "$work/log"

ok "healthz answers ok" sh -c "[ \"\$(curl -s http://127.0.0.1:$port/healthz)\" = ok ]"
ready() { [ "$(get /readyz; code)" = "ready
200" ]; }
ok "readyz: ready once every pair was checked" sd_wait_for 30 ready

get /metrics >"$work/m1"
ok "metrics content type" sh -c "curl -sI http://127.0.0.1:$port/metrics | grep -qi '^content-type: text/plain; version=0.0.4'"
ok "promtool check metrics passes" sh -c "promtool check metrics <'$work/m1' >'$work/promtool' 2>&1"
ok "pair state gauge: lite drifts" grep -q '^schemad_pair_state{pair="lite",state="drift"} 1$' "$work/m1"
ok "pair state gauge: down unreachable" grep -q '^schemad_pair_state{pair="down",state="unreachable"} 1$' "$work/m1"
ok "changes per band" grep -q '^schemad_pair_changes{pair="lite",band="high"} [1-9]' "$work/m1"
ok "score" grep -q '^schemad_pair_score{pair="lite"} [1-9]' "$work/m1"
ok "last success time" grep -q '^schemad_pair_last_success_timestamp_seconds{pair="lite"} 1[0-9]*' "$work/m1"
ok "check duration histogram" grep -q '^schemad_check_duration_seconds_bucket{pair="lite",le="+Inf"} [1-9]' "$work/m1"
ok "errors by reason: unreachable" grep -q '^schemad_check_errors_total{pair="down",reason="unreachable"} [1-9]' "$work/m1"
ok "build info" grep -q '^schemad_build_info{version="[0-9.]*",sqlite="[0-9.]*"} 1$' "$work/m1"
# Two more checks (history --limit 3 below wants three): scraped until seen.
n1=$(checks_total "$work/m1")
moved() { get /metrics >"$work/m2" && [ "$(checks_total "$work/m2")" -ge $((${n1:-0} + 2)) ]; }
sd_wait_for 30 moved
n2=$(checks_total "$work/m2")
ok "check counter moves between scrapes ($n1 -> $n2)" test "${n2:-0}" -gt "${n1:-0}"

get /api/pairs >"$work/pairs.json"
ok "api: pairs list" /usr/bin/python3 -c '
import json, sys
p = {x["name"]: x for x in json.load(open(sys.argv[1]))}
assert p["lite"]["state"] == "drift" and p["lite"]["band"] in ("high", "critical"), p["lite"]
assert p["down"]["state"] == "unreachable" and "127.0.0.1:1" in (p["down"]["error"] or ""), p["down"]
assert p["lite"]["since"] and p["lite"]["last_check"] and p["lite"]["next_check"]
' "$work/pairs.json"
get /api/pairs/lite/report >"$work/report.json"
ok "api: report is the CLI report schema" /usr/bin/python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
' "$work/report.json" "$docs/report.schema.json"
get /api/pairs/lite/history >"$work/history.json"
ok "api: history, newest first" /usr/bin/python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))
assert len(h) >= 2 and h[0]["kind"] == "check" and h[0]["at"] >= h[-1]["at"], h[:2]
' "$work/history.json"
get '/api/pairs/lite/history?limit=1' >"$work/one.json"
ok "api: history ?limit=1 gives one entry" /usr/bin/python3 -c '
import json, sys
assert len(json.load(open(sys.argv[1]))) == 1' "$work/one.json"
for bad in -1 0 1001 99999999999; do
	get "/api/pairs/lite/history?limit=$bad" >"$work/bad.txt"
	ok "api: history ?limit=$bad is refused (400, says the range)" \
		sh -c "[ \"\$(cat '$work/code')\" = 400 ] && grep -q 'from 1 to 1000' '$work/bad.txt'"
done
# A name holding a '/' (sent as %2F): its pair, history and report all answer.
get /api/pairs/%3C%2Fb%3E >"$work/slash.json"
ok "api: a pair named </b>" sh -c "[ \"\$(cat '$work/code')\" = 200 ] && grep -q '\"name\": \"</b>\"' '$work/slash.json'"
get /api/pairs/%3C%2Fb%3E/history >"$work/slash.json"
ok "api: the history of a pair named </b>" /usr/bin/python3 -c '
import json, sys
assert open(sys.argv[2]).read() == "200", "status"
h = json.load(open(sys.argv[1]))
assert h and h[0]["kind"] == "check", h[:1]
' "$work/slash.json" "$work/code"
get /api/pairs/%3C%2Fb%3E/report >/dev/null
ok "api: the report of a pair named </b>" test "$(code)" = 200
get /api/pairs/nosuch >/dev/null
ok "api: unknown pair is 404" test "$(code)" = 404
get /nowhere >/dev/null
ok "unknown path is 404" test "$(code)" = 404
get /api/pairs -X POST >/dev/null
ok "POST is 405" test "$(code)" = 405

get / >"$work/index.html"
ok "page: lists both pairs" sh -c "grep -q 'href=\"/pairs/lite\"' '$work/index.html' && grep -q 'href=\"/pairs/down\"' '$work/index.html'"
ok "page: states shown" sh -c "grep -q 'class=\"state drift\"' '$work/index.html' && grep -q 'class=\"state unreachable\"' '$work/index.html'"
ok "page: names escaped" sh -c "grep -q 'prod&lt;i&gt;' '$work/index.html' && ! grep -q 'prod<i>' '$work/index.html'"
ok "page: no script, no external resource" sh -c "! grep -Eqi '<script|src=\"http|href=\"http' '$work/index.html'"
get /pairs/lite >"$work/pair.html"
ok "pair page: the hostile table name is escaped" sh -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' '$work/pair.html' && ! grep -q '<script>' '$work/pair.html'"
ok "pair page: changes grouped by object" grep -q '<tr class="object"><th colspan="3">users</th>' "$work/pair.html"
ok "pair page: the plan" grep -q 'DROP COLUMN &quot;phone&quot;' "$work/pair.html"
ok "pair page: history" grep -q 'class="history"' "$work/pair.html"
for path in /metrics /api/pairs / /pairs/down /api/pairs/down /api/pairs/down/history; do
	get "$path" >"$work/resp"
	ok "no password in $path" sh -c "! grep -q 'Pa55word' '$work/resp'"
done
sd_stop "$pid"
ok "SIGTERM: exit 0 (clean under sanitizers)" test $? -eq 0
pid=

# The same store from the command line.
"$schemad" show lite --format json --config "$work/schemad.yml" >"$work/show.json"
ok "show: exit 1 for drift" test $? -eq 1
ok "show --format json: the API's report, the CLI schema" /usr/bin/python3 -c '
import json, sys, jsonschema
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jsonschema.validate(a, json.load(open(sys.argv[3])))
assert a["summary"] == b["summary"] and a["changes"] == b["changes"]
' "$work/show.json" "$work/report.json" "$docs/report.schema.json"
"$schemad" show lite --format sql --config "$work/schemad.yml" >"$work/show.sql"
ok "show --format sql: the plan" grep -q 'DROP COLUMN "phone"' "$work/show.sql"
"$schemad" show down --config "$work/schemad.yml" >/dev/null 2>"$work/show.err"
ok "show: a pair never read is an error naming why" grep -q 'show: pair down: no snapshot of environment pgdown yet' "$work/show.err"
"$schemad" status --format json --config "$work/schemad.yml" >"$work/status.json"
ok "status --format json" /usr/bin/python3 -c '
import json, sys
p = {x["name"]: x for x in json.load(open(sys.argv[1]))}
assert p["lite"]["state"] == "drift" and p["lite"]["since"] and p["down"]["state"] == "unreachable"
assert p["lite"]["next_check"] is None  # only the daemon knows its schedule
' "$work/status.json"
"$schemad" status --config "$work/schemad.yml" >"$work/status.txt"
ok "status text: state and since" grep -Eq '^lite +drift +20[0-9-]+T[0-9:]+Z' "$work/status.txt"
"$schemad" history lite --since 1h --limit 3 --format json --config "$work/schemad.yml" >"$work/h.json"
ok "history --since --limit --format json" /usr/bin/python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))
assert len(h) == 3 and all(e["kind"] == "check" for e in h)
' "$work/h.json"
"$schemad" history lite --since 2000-01-01 --format json --config "$work/schemad.yml" >/dev/null
ok "history --since DATE" test $? -eq 0
"$schemad" history lite --since tomorrow --config "$work/schemad.yml" 2>"$work/err" >/dev/null
ok "history --since junk: one clear error" grep -q 'history: --since "tomorrow": expected a date' "$work/err"
for f in show.json show.sql status.json status.txt h.json; do
	ok "no password in $f" sh -c "! grep -q 'Pa55word' '$work/$f'"
done

# A token: required everywhere but the health checks.
printf 'tok-0123456789abcdef-xyz\n' >"$work/token"
sed -e 's|http: {listen: "127.0.0.1:0"}|http: {listen: "127.0.0.1:0", token_file: "'"$work"'/token"}|' \
	"$work/schemad.yml" >"$work/token.yml"
"$schemad" run --config "$work/token.yml" 2>"$work/log2" &
pid=$!
wait_port "$work/log2"
get /api/pairs >/dev/null
ok "token: missing is 401" test "$(code)" = 401
get /metrics -H 'Authorization: Bearer wrong-token-0123456789' >/dev/null
ok "token: wrong is 401" test "$(code)" = 401
get /metrics -H 'Authorization: Bearer tok-0123456789abcdef-xyz' >/dev/null
ok "token: right is 200" test "$(code)" = 200
get /healthz >/dev/null
ok "token: healthz needs none" test "$(code)" = 200
sd_stop "$pid"
ok "SIGTERM: exit 0 (clean under sanitizers)" test $? -eq 0
pid=

# Off loopback without a token: the configuration is refused.
sed -e 's|listen: "127.0.0.1:0"|listen: "0.0.0.0:9187"|' "$work/schemad.yml" >"$work/open.yml"
"$schemad" validate --config "$work/open.yml" >"$work/out" 2>&1
ok "non-loopback without a token is a config error" grep -q 'open.yml:[0-9]*:[0-9]*: http.listen: 0.0.0.0 is not a loopback address' "$work/out"
if [ $fail -ne 0 ]; then sed 's/^/    log: /' "$work/log" | tail -20; cat "$work/promtool" 2>/dev/null; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
