#!/usr/bin/env bash
# tests/integration/pg/apply.sh SCHEMAD: `schemad apply` on a real PostgreSQL
# server this script starts (pgserver.sh) and stops on exit.
#   P1  behind a session holding ACCESS EXCLUSIVE on a table the plan
#       alters, apply retries, gives up (exit 2) with nothing applied, and
#       names the blocking pid;
#   P2  once the lock is gone the same apply succeeds and verifies (exit 0);
#   P3  --concurrently: a CREATE UNIQUE INDEX CONCURRENTLY that fails on
#       duplicates leaves no INVALID index behind, and says it dropped it;
#   P4  a TO snapshot whose view text ends the transaction itself (COMMIT
#       TRANSACTION, END, COMMIT, ROLLBACK, PREPARE TRANSACTION) is refused
#       before anything runs: exit 2, the view's text named, nothing
#       committed. (The plan refuses the text; apply's own refusal of
#       transaction control in a plan's SQL stays behind it.)
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(sd_workdir pgapply)
locker=
cleanup() {
	[ -z "$locker" ] || kill "$locker" 2>/dev/null
	"$here/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
"$here/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
host=$work/pg
sql() { psql -X -q -At -h "$host" -U postgres -v ON_ERROR_STOP=1 -d "$@"; }
url() { echo "postgres://postgres@/$1?host=$host"; }
sql postgres -c "CREATE DATABASE a" -c "CREATE DATABASE b"
# w has no index, default or constraint: reading it needs no lock, altering it does.
sql a -c "CREATE TABLE t (id int PRIMARY KEY, x text); CREATE TABLE w (id int)"
sql b -c "CREATE TABLE t (id int PRIMARY KEY, x text); CREATE TABLE w (id int, z text); CREATE TABLE n (id int)"

# ---- P1 a held lock ---------------------------------------------------------
sql a -c "BEGIN; LOCK TABLE w IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60)" >/dev/null 2>&1 &
locker=$!
sd_await 30 "P1 the locker holds w" sd_pg_lock_holder "$host" a w
blocker=$(sd_pg_lock_holder "$host" a w)
start=$(date +%s%N)
"$schemad" apply "$(url a)" "$(url b)" --lock-timeout 200ms --lock-retries 2 >"$work/out" 2>"$work/err"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
sd_check "P1 gives up: exit 2" [ $rc -eq 2 ]
sd_check "P1 retried twice, then gave up after 3 tries" sh -c "[ \$(grep -c 'lock timeout, rolled back' '$work/err') = 2 ] && grep -q 'gave up after 3 tries' '$work/err'"
sd_check "P1 names the blocking pid ($blocker)" grep -q "blocked by pid $blocker " "$work/err"
sd_check "P1 nothing applied (table n absent)" [ "$(sql a -c "SELECT count(*) FROM pg_class WHERE relname = 'n'")" = 0 ]
echo "     (gave up after ${took} ms: 3 tries of 200 ms and backoffs of 500 and 1000 ms)"
# The server notices a client gone only when it next talks to it: end the session there.
sql postgres -c "SELECT pg_terminate_backend($blocker)" >/dev/null
wait "$locker" 2>/dev/null
locker=

# ---- P2 the lock gone ---------------------------------------------------------
sd_await 30 "P2 the lock on w is gone" sh -c "[ \"\$(psql -X -At -h '$host' -U postgres -d a -c \"SELECT count(*) FROM pg_locks WHERE relation = 'w'::regclass\")\" = 0 ]"
"$schemad" apply "$(url a)" "$(url b)" --lock-timeout 200ms >"$work/out" 2>"$work/err"
sd_check "P2 applied and verified: exit 0" [ $? -eq 0 ]
sd_check "P2 summary says FROM matches TO" grep -q "verification: FROM matches TO" "$work/err"

# ---- P3 CREATE INDEX CONCURRENTLY that fails ---------------------------------
sql a -c "INSERT INTO t VALUES (1, 'dup'), (2, 'dup')"
sql b -c "CREATE UNIQUE INDEX t_x ON t (x); CREATE TABLE m (id int)"
"$schemad" apply "$(url a)" "$(url b)" --concurrently --allow high >"$work/out" 2>"$work/err"
rc=$?
sd_check "P3 the failed index build: exit 2" [ $rc -eq 2 ]
sd_check "P3 the invalid index is dropped and reported" grep -q 'index public.t_x was left INVALID by the failed statement: dropped' "$work/err"
sd_check "P3 no invalid index remains" [ "$(sql a -c "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0 ]
sd_check "P3 the transaction before it stays (table m)" [ "$(sql a -c "SELECT count(*) FROM pg_class WHERE relname = 'm'")" = 1 ]
# ---- P4 a plan may not end the transaction -------------------------------------
# Databases of their own: a and b differ by P3's failing unique index.
sql postgres -c "CREATE DATABASE c" -c "CREATE DATABASE d"
sql d -c "CREATE TABLE p4 (id int); CREATE VIEW p4v AS SELECT 1 AS one"
"$schemad" inspect "$(url d)" -o "$work/b.json"
for stmt in "COMMIT TRANSACTION" "END" "COMMIT" "ROLLBACK" "PREPARE TRANSACTION 'x'"; do
	sql c -c "DROP VIEW IF EXISTS p4v; DROP TABLE IF EXISTS early; DROP TABLE IF EXISTS p4"
	STMT=$stmt python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
for o in d["objects"]:
    if o["name"] == "p4v":
        o["ddl"] = o["ddl"].rstrip().rstrip(";") + ";\n" + os.environ["STMT"] + ";\nCREATE TABLE early (x int)"
json.dump(d, open(sys.argv[2], "w"))' "$work/b.json" "$work/hostile.json"
	"$schemad" apply "$(url c)" "$work/hostile.json" --auto-approve >"$work/out" 2>"$work/err"
	sd_check "P4 $stmt: exit 2" [ $? -eq 2 ]
	sd_check "P4 $stmt: named" grep -q "view public.p4v: its ddl in the target" "$work/err"
	sd_check "P4 $stmt: nothing committed" [ "$(sql c -c "SELECT count(*) FROM pg_class WHERE relname IN ('early', 'p4', 'p4v')")" = 0 ]
done
sd_finish
