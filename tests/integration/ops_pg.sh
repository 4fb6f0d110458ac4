#!/usr/bin/env bash
# tests/integration/ops_pg.sh SCHEMAD
# A migration's lock on a PostgreSQL server this script starts: a check
# that times out on the lock is recorded as deferred, naming the blocking
# session (pid, since, query), and retried sooner than the interval. A
# lock held for three deferred checks under a 30s grace sends no alert at
# all; a lock held past a (shortened, 6s) grace sends one pair.unreachable,
# then one pair.recovered. The status page and /metrics show the deferred
# check. Locks are released by the test once what they are for was seen,
# not after a fixed time a slow machine could outlast.
# A refused password is reason "auth", not a network failure.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d /tmp/schemad-opg.XXXXXX)
chmod 755 "$work"
pid= rpid= locker=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null
	[ -n "$locker" ] && kill "$locker" 2>/dev/null
	"$here/pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
q() { sqlite3 -cmd '.timeout 5000' "$work/state.db" "$1" 2>/dev/null; }
count() {
	/usr/bin/python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["headers"].get("x-schemad-event") == sys.argv[2]))' "$work/requests" "$1"
}
wait_for() { # wait_for SECONDS SQL EXPECTED
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -le $deadline ]; do
		[ "$(q "$2")" = "$3" ] && return 0
		sleep 0.2
	done
	echo "    waited $1s for [$2] = [$3], last: [$(q "$2")]"
	return 1
}
psql_pb() { psql -X -q -h "$work/pg" -U postgres -d pb "$@"; }
# lock: a migration holds ACCESS EXCLUSIVE on accounts (granted); its backend pid in $lpid
lock() {
	PGAPPNAME=migration psql_pb -c "BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
	locker=$!
	sd_await 30 "the migration's lock on accounts is granted" sd_pg_lock_holder "$work/pg" pb accounts
	lpid=$(sd_pg_lock_holder "$work/pg" pb accounts)
}
unlock() { # ends the migration's session (its client would wait out pg_sleep)
	psql_pb -c "SELECT pg_terminate_backend($lpid)" >/dev/null
	wait "$locker" 2>/dev/null
	locker=
}

"$here/pg/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
psql -X -q -h "$work/pg" -U postgres -d postgres -c "CREATE DATABASE pa" -c "CREATE DATABASE pb" >/dev/null
for db in pa pb; do
	psql -X -q -h "$work/pg" -U postgres -d $db -c "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE CHECK (email <> ''))" >/dev/null
done
# A role that must give its password; the daemon is given a wrong one.
psql -X -q -h "$work/pg" -U postgres -d postgres -c "CREATE ROLE app LOGIN PASSWORD 'right-Pa55'" >/dev/null
sed -i '1i local all app scram-sha-256' "$work/pg/data/pg_hba.conf"
psql -X -q -h "$work/pg" -U postgres -d postgres -c "SELECT pg_reload_conf()" >/dev/null
: >"$work/requests"
/usr/bin/python3 "$here/receiver.py" "$work/port" "$work/requests" &
rpid=$!
sd_await 30 "the HTTP receiver writes its port" test -s "$work/port"
config() { # config GRACE
	cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
log_level: debug
http: {listen: "127.0.0.1:0"}
environments:
  - {name: pa, url: "postgres://postgres@/pa?host=$work/pg"}
  - {name: pb, url: "postgres://postgres@/pb?host=$work/pg"}
  - {name: wrongpw, url: "postgres://app@/pa?host=$work/pg", password: "wrong-Pa55word"}
timeouts: {lock: 1s}
pairs:
  - {name: pg, reference: pa, target: pb, interval: 1s, grace: $1, alerts: [hook]}
  - {name: auth, reference: pa, target: wrongpw, interval: 30s}
alerts:
  - {name: hook, type: webhook, url: "http://127.0.0.1:$(cat "$work/port")/hook"}
YAML
}
config 30s
"$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!
ok "first check: no drift" wait_for 30 "SELECT status FROM pair_state WHERE pair='pg'" ok
ok "wrong password: reason auth" wait_for 30 "SELECT reason FROM checks WHERE pair='auth' LIMIT 1" auth
ok "wrong password: the server's words" grep -q 'password authentication failed for user "app"' <<<"$(q "SELECT error FROM checks WHERE pair='auth' LIMIT 1")"
ok "wrong password: never shown" sh -c "! grep -q 'wrong-Pa55word' '$work/log' && ! sqlite3 '$work/state.db' .dump | grep -q 'wrong-Pa55word'"

# Three deferred checks under a 30 s grace: no alert.
lock
ok "deferred while locked" wait_for 30 "SELECT count(*) > 0 FROM checks WHERE pair='pg' AND status='deferred'" 1
err=$(q "SELECT error FROM checks WHERE pair='pg' AND status='deferred' ORDER BY id DESC LIMIT 1")
echo "     deferred: $err"
ok "the deferred check names the blocking pid ($lpid)" grep -q "locked by pid $lpid since 20[0-9-]*T[0-9:]*Z (.*LOCK TABLE accounts" <<<"$err"
ok "reason: locked" test "$(q "SELECT reason FROM checks WHERE pair='pg' AND status='deferred' LIMIT 1")" = locked
port=$(grep -o 'http: listening on .* (port [0-9]*' "$work/log" | grep -o '[0-9]*$')
[ -n "$port" ] || { echo "FAIL no HTTP port in the daemon's log"; exit 1; }
ok "status page shows the pair deferred" sh -c "curl -s http://127.0.0.1:$port/ | grep -q 'class=\"state deferred\"'"
ok "metrics count the lock" sh -c "curl -s http://127.0.0.1:$port/metrics | grep -q '^schemad_check_errors_total{pair=\"pg\",reason=\"locked\"} [1-9]'"
ok "three deferred checks in a row" wait_for 30 "SELECT count(*) >= 3 FROM checks WHERE pair='pg' AND status='deferred'" 1
unlock
ok "checks resume after the lock" wait_for 30 "SELECT status FROM pair_state WHERE pair='pg'" ok
retry=$(q "SELECT min(b.started_at - (a.started_at + a.duration_ms)) FROM checks a JOIN checks b ON b.id = (SELECT min(id) FROM checks WHERE pair='pg' AND id > a.id) WHERE a.pair='pg' AND a.status='deferred'")
echo "     retried ${retry}ms after a deferred check"
ok "retried sooner than 30s" test "${retry:-99999}" -lt 10000
sleep 1.5
ok "8s under a 30s grace: no pair.unreachable" test "$(count pair.unreachable)" = 0
ok "8s under a 30s grace: no pair.recovered" test "$(count pair.recovered)" = 0

# A 6 s grace (reloaded), the lock held past it: one pair.unreachable, then one pair.recovered.
config 6s
kill -HUP "$pid"
sd_await 30 "the 6s grace is reloaded" grep -q "reloaded: " "$work/log"
lock
ok "past the grace: pair.unreachable" wait_for 40 "SELECT count(*) FROM outbox WHERE type='pair.unreachable'" 1
unlock
ok "recovered after the lock" wait_for 30 "SELECT count(*) FROM outbox WHERE type='pair.recovered'" 1
ok "delivered" wait_for 30 "SELECT count(*) FROM outbox WHERE state='pending'" 0
ok "one pair.unreachable sent" test "$(count pair.unreachable)" = 1
ok "one pair.recovered sent" test "$(count pair.recovered)" = 1
ok "the alert names the blocker" grep -q 'locked by pid' "$work/requests"
ok "pair.unreachable: reason locked, valid schemad.event" /usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
for line in open(sys.argv[1]):
    r = json.loads(line)
    ev = json.loads(r["body"])
    jsonschema.validate(ev, schema)
    if ev["type"] == "pair.unreachable":
        assert ev["status"] == "deferred" and ev["reason"] == "locked", ev
' "$work/requests" "$here/../../docs/event.schema.json"
sd_stop "$pid"
ok "SIGTERM: exit 0 (clean under sanitizers)" test $? -eq 0
pid=
if [ $fail -ne 0 ]; then sed 's/^/    log: /' "$work/log" | grep -v debug | tail -30; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
