#!/usr/bin/env bash
# tests/integration/timeouts.sh SCHEMAD
#
# The timeouts of the configuration (`timeouts:`) and of the CLI flags
# reach every engine, against real servers this script starts:
#   T1  PostgreSQL: a table held ACCESS EXCLUSIVE by another session, one
#       the server must deparse (an index, a default), makes a read fail
#       after the configured lock timeout: 1 s and 4 s, through the flag and
#       through `check` with the config (the connector's old built-in was
#       3 s, the default is 2 s): the server's log shows the value set, and
#       the read gives up no sooner than it; a locked table with nothing to
#       deparse (a plain key, whose text schemad writes) is read through
#       the lock, as the catalog has it;
#   T2  MariaDB: the statement timeout reaches the server (max_statement_time):
#       1 ms interrupts the catalog read, the default does not;
#   T3  SQLite: a writer's exclusive lock is waited on for the lock timeout
#       (busy_timeout): 1 s gives up, 6 s outlasts a lock let go once the
#       read had waited on it a second;
#   T4  PostgreSQL reports and snapshots carry their source, password removed.
# Upper bounds on times only tell "gave up" from "waited for the holder"
# (30 s and more): they leave a loaded machine seconds of slack.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(sd_workdir timeouts)
. "$here/mysql/server.sh"
holder= holder2=
cleanup() {
	[ -z "$holder" ] || kill "$holder" 2>/dev/null
	[ -z "$holder2" ] || kill "$holder2" 2>/dev/null
	"$here/pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	my_server_stop >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# elapsed COMMAND...: runs it, sets rc and secs (wall time, 0.1 s resolution)
elapsed() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
}
between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x < hi) }'; }

# ---- T1: PostgreSQL lock timeout -------------------------------------------
"$here/pg/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
pg() { psql -X -q -h "$work/pg" -U postgres -v ON_ERROR_STOP=1 -d "$@"; }
pgurl() { echo "postgres://postgres@/$1?host=$work/pg"; }
pg postgres -c "CREATE DATABASE app" >/dev/null
pg app -c "CREATE TABLE orders (id int PRIMARY KEY, note text DEFAULT 'none');
  CREATE INDEX orders_note ON orders (note)" >/dev/null
pg postgres -c "CREATE DATABASE keys_only" >/dev/null
pg keys_only -c "CREATE TABLE plain (id int PRIMARY KEY, code text UNIQUE)" >/dev/null
# The server logs what schemad sets: its lock_timeout is seen, not guessed from times.
pg postgres -c "ALTER DATABASE app SET log_statement = 'all'" >/dev/null
pglog=$work/pg/server.log
PGAPPNAME=migration pg keys_only -c "BEGIN; LOCK TABLE plain IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
holder2=$!
PGAPPNAME=migration pg app -c "BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
holder=$!
sd_await 30 "T1 the migration locks plain" sd_pg_lock_holder "$work/pg" keys_only plain
sd_await 30 "T1 the migration locks orders" sd_pg_lock_holder "$work/pg" app orders
# sets_lock_timeout FROM_LINE MS: schemad's session set lock_timeout to MS (log lines after FROM_LINE)
sets_lock_timeout() { tail -n +"$(($1 + 1))" "$pglog" | grep -q "SET LOCAL lock_timeout = $2;"; }
elapsed "$schemad" inspect "$(pgurl keys_only)" --lock-timeout 4s
# A read that waited on the lock would have taken the lock timeout (4 s) and failed.
sd_check "T1 a locked table with nothing to deparse is read through the lock" \
	bash -c "[ $rc -eq 0 ] && awk -v x=$secs 'BEGIN { exit !(x < 4) }' && grep -q '\"UNIQUE (code)\"' '$work/out'"
for t in 1 4; do
	from=$(wc -l <"$pglog")
	elapsed "$schemad" inspect "$(pgurl app)" --lock-timeout "${t}s"
	echo "     --lock-timeout ${t}s: exit $rc after ${secs}s: $(head -c 200 "$work/err")"
	sd_check "T1 --lock-timeout ${t}s fails with exit 2" test "$rc" -eq 2
	sd_check "T1 --lock-timeout ${t}s reaches the server" sets_lock_timeout "$from" "${t}000"
	sd_check "T1 --lock-timeout ${t}s gives up after ${t}s (not sooner, not after the holder)" \
		between "$secs" "$t" "$((t + 8))"
	sd_check "T1 the error names the locked table" grep -q 'orders' "$work/err"
	cat >"$work/c$t.yml" <<YML
state_path: $work/state$t.db
timeouts: {lock: ${t}s}
environments:
  - {name: a, url: "$(pgurl app)"}
  - {name: b, url: "$(pgurl postgres)"}
pairs:
  - {name: ab, reference: b, target: a}
YML
	from=$(wc -l <"$pglog")
	elapsed "$schemad" check --config "$work/c$t.yml"
	echo "     config timeouts.lock ${t}s: exit $rc after ${secs}s"
	sd_check "T1 config lock ${t}s: check exits 2 after ${t}s" \
		bash -c "[ $rc -eq 2 ] && awk -v x=$secs -v t=$t 'BEGIN { exit !(x >= t && x < t + 8) }'"
	sd_check "T1 config lock ${t}s reaches the server" sets_lock_timeout "$from" "${t}000"
done
pg postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'migration'" >/dev/null
wait "$holder" "$holder2" 2>/dev/null
holder= holder2=

# ---- T4: the source of a PostgreSQL read -----------------------------------
pg postgres -c "ALTER USER postgres PASSWORD 'S3cretPw'" >/dev/null
"$schemad" inspect "postgres://postgres:S3cretPw@/app?host=$work/pg" >"$work/snap.json"
sd_check "T4 snapshot source is the redacted URL" \
	grep -qF "\"source\": \"postgres://postgres:***@/app?host=$work/pg\"" "$work/snap.json"
"$schemad" diff "postgres://postgres:S3cretPw@/app?host=$work/pg" "$(pgurl postgres)" --format json >"$work/report.json"
sd_check "T4 report names both sources" \
	bash -c "grep -qF 'postgres://postgres:***@/app' '$work/report.json' && grep -qF '\"source\": \"$(pgurl postgres)\"' '$work/report.json'"
sd_check "T4 no password anywhere" bash -c "! grep -q S3cretPw '$work/snap.json' '$work/report.json'"

# ---- T2: MariaDB statement timeout -----------------------------------------
mkdir -p "$work/my"
my_server_start "$work/my" || { echo "cannot start MariaDB"; exit 1; }
my -e "CREATE DATABASE shop"
for i in $(seq 1 150); do echo "CREATE TABLE t$i (id int PRIMARY KEY, a varchar(20), b int, KEY (b));"; done | my shop
myurl="mysql://root@localhost/shop$MY_URL_OPTS"
elapsed "$schemad" inspect "$myurl" --statement-timeout 1ms
echo "     --statement-timeout 1ms: exit $rc: $(head -c 200 "$work/err")"
sd_check "T2 MariaDB: 1ms interrupts the catalog read" \
	bash -c "[ $rc -eq 2 ] && grep -qi 'max_statement_time' '$work/err'"
elapsed "$schemad" inspect "$myurl" --statement-timeout 30s
sd_check "T2 MariaDB: 30s reads all 150 tables" \
	bash -c "[ $rc -eq 0 ] && [ \$(grep -c '\"name\": \"t[0-9]*\",' '$work/out') -eq 150 ]"

# ---- T3: SQLite busy timeout -----------------------------------------------
db=$work/app.db
sqlite3 "$db" "CREATE TABLE a (id INTEGER PRIMARY KEY);"
hold_sqlite() { # hold_sqlite SECONDS|GO_FILE: an exclusive writer, in the background
	# A fresh file: the last holder's "locked" must not pass for this one's
	# (the background job truncates it only when it gets to run). The
	# holder lets go after SECONDS, or once GO_FILE exists (within 60 s).
	rm -f "$work/lock.out"
	python3 -c "import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True)
end = time.time() + (60 if not sys.argv[2].isdigit() else float(sys.argv[2]))
while time.time() < end and not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
c.execute('COMMIT')" "$db" "$1" >"$work/lock.out" &
	holder=$!
	sd_await 30 "the SQLite lock holder takes its lock" grep -q locked "$work/lock.out"
}
hold_sqlite 30
elapsed "$schemad" inspect "sqlite:$db" --lock-timeout 1s
echo "     sqlite --lock-timeout 1s: exit $rc after ${secs}s: $(head -c 200 "$work/err")"
sd_check "T3 SQLite: 1s gives up after 1s (not sooner, not after the holder)" \
	bash -c "[ $rc -eq 2 ] && awk -v x=$secs 'BEGIN { exit !(x >= 1 && x < 9) }'"
kill "$holder"; wait "$holder" 2>/dev/null
# 6 s outlasts the lock: the lock is let go only once schemad has the
# database open and has waited on it a second (still running), so the read
# can only have succeeded by waiting, however slowly schemad started.
rm -f "$work/go"
hold_sqlite "$work/go"
"$schemad" inspect "sqlite:$db" --lock-timeout 6s >"$work/out" 2>"$work/err" &
reader=$!
# (A reader that exits at once is caught below: not still waiting.)
opened_or_gone() { ls -l "/proc/$reader/fd" 2>/dev/null | grep -q "$db\$" || ! kill -0 "$reader" 2>/dev/null; }
sd_await 30 "T3 schemad opens the locked database" opened_or_gone
sleep 1
kill -0 "$reader" 2>/dev/null
waiting=$?
touch "$work/go"
wait "$reader"
rc=$?
wait "$holder" 2>/dev/null
holder=
echo "     sqlite --lock-timeout 6s: still waiting after 1s on the lock: $([ $waiting -eq 0 ] && echo yes || echo no); exit $rc once it was let go"
sd_check "T3 SQLite: 6s outlasts a lock (waited on it, then read)" \
	bash -c "[ $waiting -eq 0 ] && [ $rc -eq 0 ] && grep -q '\"name\": \"a\"' '$work/out'"
sd_finish
