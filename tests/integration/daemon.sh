#!/usr/bin/env bash
# tests/integration/daemon.sh SCHEMAD [PG_URL_A PG_URL_B]
# `schemad run` end to end: it records drift within one interval, then its
# resolution, one alert event per state change (not per check), keeps
# running on its old configuration after SIGHUP with a broken file, and
# exits 0 on SIGTERM. With two PostgreSQL URLs a PostgreSQL pair runs too.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pg_a=${2:-} pg_b=${3:-}
. "$(dirname "$0")/lib.sh"
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
q() { sqlite3 -cmd '.timeout 5000' "$work/state.db" "$1" 2>/dev/null; }
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
sd_await 30 "the notification socket is bound" test -S "$work/notify.sock"
NOTIFY_SOCKET=$work/notify.sock WATCHDOG_USEC=1000000 "$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!

# Bounds on waits are for a loaded machine; what is timed is asserted on the
# daemon's own check times.
ok "first check recorded, no drift" wait_for 30 "SELECT status FROM pair_state WHERE pair='lite'" ok
sqlite3 "$work/prod.db" "ALTER TABLE users ADD COLUMN hotfix TEXT;"
changed_at=$(date +%s%3N)
ok "drift recorded" wait_for 30 "SELECT status FROM pair_state WHERE pair='lite'" drift
# Every check that started after the change saw it: the first one found it.
ok "drift found by the first check after the change" \
	test "$(q "SELECT count(*) FROM checks WHERE pair='lite' AND started_at >= $changed_at AND status <> 'drift'")" = 0
ok "drift.detected queued" wait_for 10 "SELECT count(*) FROM outbox WHERE pair='lite' AND type='drift.detected'" 1
checks=$(q "SELECT count(*) FROM checks WHERE pair='lite'")
ok "more checks of the same drift" wait_for 30 "SELECT count(*) > $((checks + 2)) FROM checks WHERE pair='lite'" 1
# A 1 s interval: the checks of the drift are about a second apart (not 2 s or more).
ok "checks about one interval apart" test "$(q "SELECT (max(started_at) - min(started_at)) / (count(*) - 1) < 1800
	FROM checks WHERE pair='lite' AND started_at >= $changed_at")" = 1
ok "still one alert for the same drift" test "$(q "SELECT count(*) FROM outbox WHERE pair='lite'")" = 1
ok "fingerprint stored" test "$(q "SELECT length(fingerprint) FROM pair_state WHERE pair='lite'")" = 64

if [ -n "$pg_a" ]; then
	ok "pg pair checked" wait_for 30 "SELECT status FROM pair_state WHERE pair='pg'" ok
	psql -q "$pg_b" -c "CREATE TABLE drift_probe(id int)" >/dev/null
	ok "pg drift recorded" wait_for 30 "SELECT status FROM pair_state WHERE pair='pg'" drift
	psql -q "$pg_b" -c "DROP TABLE drift_probe" >/dev/null
	ok "pg drift resolved" wait_for 30 "SELECT status FROM pair_state WHERE pair='pg'" ok
fi

# SIGHUP with a broken file: logged, old configuration kept, checks go on.
printf 'pairs: [\n' >"$work/schemad.yml"
kill -HUP "$pid"
ok "reload failure logged" sd_wait_for 30 grep -q "reload failed" "$work/log"
ok "reload error names file:line:col" grep -q "schemad.yml:2:1: " "$work/log"
ok "old configuration kept" grep -q "reload failed, keeping the previous configuration" "$work/log"
ok "still running" kill -0 "$pid"
checks=$(q "SELECT count(*) FROM checks WHERE pair='lite'")
ok "checks go on after the failed reload" wait_for 30 "SELECT count(*) > $checks FROM checks WHERE pair='lite'" 1

# Resolve the drift: the store records it, and one drift.resolved event.
sqlite3 "$work/prod.db" "ALTER TABLE users DROP COLUMN hotfix;"
ok "resolution recorded" wait_for 30 "SELECT status FROM pair_state WHERE pair='lite'" ok
ok "drift.resolved queued once" wait_for 10 "SELECT count(*) FROM outbox WHERE pair='lite' AND type='drift.resolved'" 1

# A good reload is applied; a new worker count is refused by name, the old one kept.
sed 's/interval: 1s, alerts/interval: 2s, alerts/; s/^workers: 2/workers: 5/' "$work/good.yml" >"$work/schemad.yml"
kill -HUP "$pid"
ok "good reload applied" sd_wait_for 30 grep -q "reloaded: " "$work/log"
ok "workers change on reload refused, naming the key" \
	grep -q "workers cannot change on reload (restart schemad to apply 5); keeping 2" "$work/log"

sd_stop "$pid"
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
