#!/usr/bin/env bash
# tests/integration/hostile/secrets.sh SCHEMAD: a password holding an
# unencoded '#' and '?' (libpq accepts it) never reaches stderr, the daemon
# log, the state store or a webhook payload: not on a drift, not when the
# database cannot be reached (libpq's message), not in `inspect`, `diff`,
# `status` or `history`.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d /tmp/schemad-secrets.XXXXXX)
chmod 755 "$work"
pid= rpid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null
	"$here/../pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
"$here/../pg/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 2; }
psql -X -q -h "$work/pg" -U postgres -d postgres -c "CREATE DATABASE pa" -c "CREATE DATABASE pb" >/dev/null
psql -X -q -h "$work/pg" -U postgres -d pb -c "CREATE TABLE t (id int)" >/dev/null
secret='Hunter#2?zz'
url() { echo "postgres://postgres:$secret@localhost/$1?host=$work/pg"; } # trust: any password logs in
leaks() { grep -rlF -e "$secret" -e 'Hunter' "$@" 2>/dev/null; } # the files that hold it
touch "$work/gate"
: >"$work/requests"
python3 "$here/../receiver.py" "$work/port" "$work/requests" &
rpid=$!
sd_await 30 "the receiver writes its port" test -s "$work/port"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
log_level: debug
environments:
  - {name: a, url: "$(url pa)"}
  - {name: b, url: "$(url pb)"}
  - {name: gone, url: "$(url nope)"}
pairs:
  - {name: drift, reference: a, target: b, interval: 1s, alerts: [hook]}
  - {name: down, reference: a, target: gone, interval: 1s, alerts: [hook]}
alerts:
  - {name: hook, type: webhook, url: "http://127.0.0.1:$(cat "$work/port")/hook"}
YAML
chmod 600 "$work/schemad.yml"
"$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!
sd_check "a drift event is delivered" sd_wait_for 60 grep -q 'drift.detected' "$work/requests"
sd_check "an unreachable event is delivered" sd_wait_for 60 grep -q 'pair.unreachable' "$work/requests"
sd_stop "$pid"
pid=
"$schemad" status --config "$work/schemad.yml" >"$work/status" 2>&1
"$schemad" history down --config "$work/schemad.yml" >"$work/history" 2>&1
"$schemad" inspect "$(url nope)" >"$work/inspect.out" 2>"$work/inspect.err"
"$schemad" diff "$(url pa)" "$(url pb)" --format json >"$work/diff.json" 2>"$work/diff.err"
"$schemad" check --config "$work/schemad.yml" >"$work/check.out" 2>"$work/check.err"
sqlite3 "$work/state.db" .dump >"$work/state.sql"
sd_check "the daemon log says why 'down' is unreachable" grep -q 'database "nope" does not exist' "$work/log"
sd_check "no password in the daemon log" test -z "$(leaks "$work/log")"
sd_check "no password in a webhook payload" test -z "$(leaks "$work/requests")"
sd_check "no password in the state store" test -z "$(leaks "$work/state.sql" "$work/state.db")"
sd_check "no password from status, history, check" test -z "$(leaks "$work/status" "$work/history" "$work/check.out" "$work/check.err")"
sd_check "inspect of an unreachable URL fails with the redacted URL" grep -qF 'postgres://postgres:***@' "$work/inspect.err"
sd_check "no password from inspect or diff" test -z "$(leaks "$work/inspect.out" "$work/inspect.err" "$work/diff.json" "$work/diff.err")"
sd_finish
