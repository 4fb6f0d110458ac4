#!/usr/bin/env bash
# tests/integration/daemon.sh SCHEMAD [PG_URL_A PG_URL_B]
# `schemad run` end to end: it records drift within one interval, then its
# resolution, one alert event per state change (not per check), keeps
# running on its old configuration after SIGHUP with a broken file, and
# exits 0 on SIGTERM. With two PostgreSQL URLs a PostgreSQL pair runs too.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pg_a=${2:-} pg_b=${3:-}
work=$(mktemp -d)
pid=
npid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$npid" ] && kill "$npid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
q() { sqlite3 "$work/state.db" "$1" 2>/dev/null; }
# wait_for SECONDS SQL EXPECTED: polls the state store until SQL returns EXPECTED
wait_for() {
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -le $deadline ]; do
		[ "$(q "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	echo "    waited $1s for [$2] = [$3], last: [$(q "$2")]"
	return 1
}

sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
workers: 2
jitter: 0s
log_level: debug
environments:
  - {name: staging, url: "sqlite://$work/staging.db"}
  - {name: prod, url: "sqlite://$work/prod.db"}
$( [ -n "$pg_a" ] && printf '  - {name: pg_a, url: "%s"}\n  - {name: pg_b, url: "%s"}\n' "$pg_a" "$pg_b")
pairs:
  - {name: lite, reference: staging, target: prod, interval: 1s, alerts: [log]}
$( [ -n "$pg_a" ] && printf '  - {name: pg, reference: pg_a, target: pg_b, interval: 1s, alerts: [log]}\n')
alerts:
  - {name: log, type: command, command: /bin/true}
YAML
chmod 600 "$work/schemad.yml"
cp "$work/schemad.yml" "$work/good.yml"
# A stand-in for systemd's notification socket: records every datagram.
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as f:
    while True:
        f.write(s.recv(4096).decode().replace("\n", " ") + "\n")
' "$work/notify.sock" "$work/notify.log" &
npid=$!
for _ in $(seq 50); do [ -S "$work/notify.sock" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$work/notify.sock WATCHDOG_USEC=1000000 "$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!

ok "first check recorded, no drift" wait_for 5 "SELECT status FROM pair_state WHERE pair='lite'" ok
sqlite3 "$work/prod.db" "ALTER TABLE users ADD COLUMN hotfix TEXT;"
start=$SECONDS
ok "drift recorded within one interval" wait_for 3 "SELECT status FROM pair_state WHERE pair='lite'" drift
ok "drift.detected queued" wait_for 2 "SELECT count(*) FROM outbox WHERE pair='lite' AND type='drift.detected'" 1
checks=$(q "SELECT count(*) FROM checks WHERE pair='lite'")
ok "more checks of the same drift" wait_for 4 "SELECT count(*) > $((checks + 2)) FROM checks WHERE pair='lite'" 1
ok "still one alert for the same drift" test "$(q "SELECT count(*) FROM outbox WHERE pair='lite'")" = 1
ok "fingerprint stored" test "$(q "SELECT length(fingerprint) FROM pair_state WHERE pair='lite'")" = 64

if [ -n "$pg_a" ]; then
	ok "pg pair checked" wait_for 10 "SELECT status FROM pair_state WHERE pair='pg'" ok
	psql -q "$pg_b" -c "CREATE TABLE drift_probe(id int)" >/dev/null
	ok "pg drift recorded" wait_for 5 "SELECT status FROM pair_state WHERE pair='pg'" drift
	psql -q "$pg_b" -c "DROP TABLE drift_probe" >/dev/null
	ok "pg drift resolved" wait_for 5 "SELECT status FROM pair_state WHERE pair='pg'" ok
fi

# SIGHUP with a broken file: logged, old configuration kept, checks go on.
printf 'pairs: [\n' >"$work/schemad.yml"
kill -HUP "$pid"
ok "reload failure logged with file:line" wait_for 3 "SELECT 1" 1
sleep 0.5
ok "reload error names file:line:col" grep -q "schemad.yml:2:1: " "$work/log"
ok "old configuration kept" grep -q "reload failed, keeping the previous configuration" "$work/log"
ok "still running" kill -0 "$pid"
checks=$(q "SELECT count(*) FROM checks WHERE pair='lite'")
ok "checks go on after the failed reload" wait_for 4 "SELECT count(*) > $checks FROM checks WHERE pair='lite'" 1

# Resolve the drift: the store records it, and one drift.resolved event.
sqlite3 "$work/prod.db" "ALTER TABLE users DROP COLUMN hotfix;"
ok "resolution recorded" wait_for 4 "SELECT status FROM pair_state WHERE pair='lite'" ok
ok "drift.resolved queued once" wait_for 2 "SELECT count(*) FROM outbox WHERE pair='lite' AND type='drift.resolved'" 1

# A good reload is applied; a new worker count is refused by name, the old one kept.
sed 's/interval: 1s, alerts/interval: 2s, alerts/; s/^workers: 2/workers: 5/' "$work/good.yml" >"$work/schemad.yml"
kill -HUP "$pid"
sleep 0.5
ok "good reload applied" grep -q "reloaded: " "$work/log"
ok "workers change on reload refused, naming the key" \
	grep -q "workers cannot change on reload (restart schemad to apply 5); keeping 2" "$work/log"

kill -TERM "$pid"
deadline=$((SECONDS + 10))
while kill -0 "$pid" 2>/dev/null && [ $SECONDS -le $deadline ]; do sleep 0.1; done
wait "$pid"
rc=$?
pid=
ok "SIGTERM exits 0" test "$rc" -eq 0
ok "clean stop logged" grep -q "stopped" "$work/log"
ok "no password in the log" sh -c "! grep -qi 'password=' '$work/log'"
if grep -q SD_WITH_SYSTEMD "$(dirname "$schemad")/CMakeCache.txt" 2>/dev/null &&
	grep -q 'SD_WITH_SYSTEMD:BOOL=ON' "$(dirname "$schemad")/CMakeCache.txt"; then
	ok "sd_notify READY=1" grep -q '^READY=1' "$work/notify.log"
	ok "sd_notify STATUS with drift count" grep -Eq '^STATUS=watching [0-9]+ pairs: [12] drifted' "$work/notify.log"
	ok "sd_notify RELOADING=1 on SIGHUP" grep -q '^RELOADING=1 MONOTONIC_USEC=' "$work/notify.log"
	ok "sd_notify STOPPING=1" grep -q '^STOPPING=1' "$work/notify.log"
	ok "sd_notify WATCHDOG=1 pings" test "$(grep -c "^WATCHDOG=1" "$work/notify.log")" -ge 5
fi
if [ $fail -ne 0 ]; then sed 's/^/    log: /' "$work/log" | tail -30; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
