#!/usr/bin/env bash
# tests/integration/pg/behaviour.sh SCHEMAD
#
# What the PostgreSQL connector promises, checked against a real server
# this script starts (pgserver.sh) and stops on exit:
#   B1  the read is one READ ONLY REPEATABLE READ transaction, tagged
#       application_name=schemad, issuing only SELECTs inside it;
#   B2  the number of statements does not grow with the number of tables;
#   B3  a table held in ACCESS EXCLUSIVE by another session does not hang
#       the read: it completes, or exits 2 within the lock timeout naming
#       the table;
#   B4  a password in the URL (user:pw@ or ?password=) never appears in
#       any output;
#   B5  exit codes 0 / 1 / 2 and the PostgreSQL risk reasons;
#   B6  the plan is one transaction and marks destructive statements;
#   B7  a table rebuilt for a new partitioning keeps every row;
#   B8  a column type change the server cannot cast is critical, and its
#       plan stops with a clear message before changing anything;
#   B9  key columns named from their numbers; B10 the bench floor runs;
#   B11 matview index order, and which key indexes carry their text.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d /tmp/schemad-pgb.XXXXXX)
chmod 755 "$work"
locker=
cleanup() {
	[ -z "$locker" ] || kill "$locker" 2>/dev/null
	"$here/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
"$here/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
host=$work/pg
log=$work/pg/server.log
sql() { psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1 -d "$@"; }
url() { echo "postgres://postgres@/$1?host=$host"; }
failed=0
check() { # check NAME CONDITION...
	local name=$1
	shift
	if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failed=1; fi
}

tables() { # tables DB N: N tables with a key, an index, a check and a view
	for i in $(seq 1 "$2"); do
		echo "CREATE TABLE t$i (id int PRIMARY KEY, v text CHECK (v <> ''));"
		echo "CREATE INDEX t${i}_v ON t$i (v); CREATE VIEW v$i AS SELECT * FROM t$i;"
	done | sql "$1" >/dev/null
}

# ---- B1, B2: one read-only transaction, constant statement count --------
sql postgres -c "CREATE DATABASE small" -c "CREATE DATABASE big" >/dev/null
tables small 3
tables big 60
sql postgres -c "ALTER DATABASE small SET log_statement = 'all'" -c "ALTER DATABASE big SET log_statement = 'all'" >/dev/null
statements() { # statements DB: the statements schemad sent while reading DB
	local before
	before=$(wc -l <"$log")
	"$schemad" inspect "$(url "$1")" >"$work/$1.json" || return 1
	# The read's last statement, COMMIT, is logged (was: sleep 0.3 and hope).
	sd_wait_for 30 sh -c "tail -n +$((before + 1)) '$log' | grep -aq ' schemad: LOG:  statement: COMMIT$'" ||
		echo "FAIL no COMMIT from schemad in the server's log for $1" >&2
	# Simple-protocol statements log as "statement:", parameterized ones as "execute <unnamed>:".
	tail -n +"$((before + 1))" "$log" | grep -aE ' schemad: LOG:  (statement|execute [^:]*): ' |
		sed -E 's/.*LOG:  (statement|execute [^:]*): //'
}
statements small >"$work/small.st"
statements big >"$work/big.st"
check "B1 inspect reads the schema" grep -q '"name": "t3"' "$work/small.json"
check "B1 READ ONLY REPEATABLE READ" grep -q '^BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;.*lock_timeout' "$work/small.st"
check "B1 only SELECT between BEGIN and COMMIT" \
	test -z "$(grep -Ev '^(BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;|SELECT |COMMIT$)' "$work/small.st")"
n_small=$(grep -c '^SELECT ' "$work/small.st")
n_big=$(grep -c '^SELECT ' "$work/big.st")
echo "     catalog queries: $n_small for 3 tables, $n_big for 60 tables"
check "B2 constant number of queries" test "$n_small" -eq "$n_big" -a "$n_small" -gt 5
check "B2 all 60 tables read" test "$(grep -c '"name": "t[0-9]*",' "$work/big.json")" -eq 60

# ---- B3: a migration holds ACCESS EXCLUSIVE ------------------------------
PGAPPNAME=locker sql small -c "BEGIN; LOCK TABLE t2 IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);" >/dev/null 2>&1 &
locker=$!
# Granted, not merely requested (was: sleep 1; without the lock B3 passes untested).
sd_await 30 "B3 the locker holds t2" sd_pg_lock_holder "$host" small t2
start=$(date +%s)
"$schemad" inspect "$(url small)" >"$work/locked.json" 2>"$work/locked.err"
rc=$?
elapsed=$(($(date +%s) - start))
echo "     while t2 is locked: exit $rc after ${elapsed}s: $(cat "$work/locked.err")"
check "B3 does not hang behind ACCESS EXCLUSIVE" test "$elapsed" -lt 15
check "B3 completes, or fails naming the locked table" \
	bash -c "[ $rc -eq 0 ] || { [ $rc -eq 2 ] && grep -q 't2' '$work/locked.err'; }"
# The server notices a vanished client only when it next talks to it: end the session itself.
sql postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" >/dev/null
wait "$locker" 2>/dev/null
locker=

# ---- B4: passwords never shown --------------------------------------------
for u in "postgres://postgres:S3cretPw@/nosuchdb?host=$host" "postgres://postgres@/nosuchdb?host=$host&password=S3cretPw" \
	"postgresql://postgres:S3cretPw@127.0.0.1:1/x?connect_timeout=2"; do
	"$schemad" inspect "$u" >"$work/pw.out" 2>&1
	rc=$?
	check "B4 exit 2 on a bad source ($rc)" test "$rc" -eq 2
	check "B4 no password in: $(head -c 160 "$work/pw.out")" bash -c "! grep -q S3cretPw '$work/pw.out'"
	"$schemad" diff "$u" "$(url small)" --format json >"$work/pw.out" 2>&1
	check "B4 no password in diff errors" bash -c "! grep -q S3cretPw '$work/pw.out'"
done

# ---- B5, B6: exit codes, risk reasons, plan shape --------------------------
sql postgres -c "CREATE DATABASE pa" -c "CREATE DATABASE pb" >/dev/null
sql pa -c "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, pid int, note text); CREATE TABLE gone (x int);" >/dev/null
sql pb -c "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id bigint, pid int NOT NULL REFERENCES p, note text, at timestamptz DEFAULT clock_timestamp()); CREATE INDEX c_pid ON c (pid);" >/dev/null
"$schemad" diff "$(url small)" "$(url small)" >/dev/null 2>&1
check "B5 exit 0 without drift" test $? -eq 0
"$schemad" diff "$(url pa)" "$(url pb)" --format json >"$work/risk.json"
check "B5 exit 1 with drift" test $? -eq 1
for reason in "rewrites the table" "SET NOT NULL scans" "without CONCURRENTLY" "without NOT VALID" "volatile default"; do
	check "B5 reason: $reason" grep -q "$reason" "$work/risk.json"
done
"$schemad" diff "$(url pa)" "$(url pb)" --format sql >"$work/plan.sql"
check "B6 plan is one transaction" bash -c "grep -q '^BEGIN;' '$work/plan.sql' && tail -1 '$work/plan.sql' | grep -q '^COMMIT;'"
check "B6 DROP TABLE is marked destructive" bash -c "grep -B1 '^DROP TABLE' '$work/plan.sql' | grep -q '^-- destructive'"
check "B6 identifiers quoted" grep -q 'ALTER TABLE "public"."c" ALTER COLUMN "id" TYPE bigint' "$work/plan.sql"
check "B6 plan applies and converges" bash -c "psql -X -q -h '$host' -U postgres -v ON_ERROR_STOP=1 -d pa -f '$work/plan.sql' >/dev/null && '$schemad' diff '$(url pa)' '$(url pb)' >/dev/null"
# ---- B7: a table rebuilt to become partitioned keeps its rows ---------------
sql postgres -c "CREATE DATABASE ra" -c "CREATE DATABASE rb" >/dev/null
sql ra -c "CREATE TABLE r (id int PRIMARY KEY, at date NOT NULL DEFAULT '2024-05-01'); INSERT INTO r SELECT g, '2024-01-01'::date + g FROM generate_series(1, 500) g; CREATE VIEW rv AS SELECT id FROM r;" >/dev/null
sql rb -c "CREATE TABLE r (id int, at date NOT NULL DEFAULT '2024-05-01', PRIMARY KEY (id, at)) PARTITION BY RANGE (at); CREATE TABLE r_all PARTITION OF r DEFAULT; CREATE VIEW rv AS SELECT id FROM r;" >/dev/null
"$schemad" diff "$(url ra)" "$(url rb)" --format sql >"$work/rebuild.sql"
check "B7 rebuild plan applies and converges" bash -c "psql -X -q -h '$host' -U postgres -v ON_ERROR_STOP=1 -d ra -f '$work/rebuild.sql' >/dev/null && '$schemad' diff '$(url ra)' '$(url rb)' >/dev/null"
check "B7 every row copied" test "$(sql ra -tAc 'SELECT count(*) FROM r_all')" = 500
# ---- B8: a type change without a cast -------------------------------------
sql postgres -c "CREATE DATABASE ca" -c "CREATE DATABASE cb" >/dev/null
sql ca -c "CREATE TABLE ev (id int PRIMARY KEY, at bigint, n int); INSERT INTO ev VALUES (1, 1700000000, 2);" >/dev/null
sql cb -c "CREATE TABLE ev (id int PRIMARY KEY, at timestamp, n bigint);" >/dev/null
"$schemad" diff "$(url ca)" "$(url cb)" --format json >"$work/cast.json"
check "B8 no cast: critical, with the reason" grep -q '"risk": 9[0-9],' "$work/cast.json"
check "B8 the reason names both types" \
	grep -q 'the server has no cast from bigint to timestamp without time zone: the plan cannot apply it; an explicit USING expression is needed' "$work/cast.json"
"$schemad" diff "$(url ca)" "$(url cb)" --format sql >"$work/cast.sql"
check "B8 the plan writes no USING cast that fails" bash -c "! grep -q 'USING \"at\"::timestamp' '$work/cast.sql'"
psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1 -d ca -f "$work/cast.sql" >"$work/cast.out" 2>&1
check "B8 the plan stops with the message" grep -q 'ERROR:  schemad: column "public"."ev"."at": the server has no cast' "$work/cast.out"
check "B8 nothing applied (n still integer)" test "$(sql ca -tAc "SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'ev'::regclass AND attname = 'n'")" = integer
# ---- B9: key columns named from their numbers (indkey, conkey, confkey) ----
sql postgres -c "CREATE DATABASE keys" >/dev/null
sql keys -c "CREATE TABLE p (id int PRIMARY KEY, gone int, code text UNIQUE); ALTER TABLE p DROP COLUMN gone;
  CREATE TABLE k (a int, dropped int, b text, c int REFERENCES p (id), CONSTRAINT k_sys CHECK (tableoid <> 0 AND a > 0));
  ALTER TABLE k DROP COLUMN dropped; CREATE INDEX k_expr ON k (b, lower(b), a) INCLUDE (c);
  COMMENT ON COLUMN k.b IS 'bee'; COMMENT ON INDEX k_expr IS 'ex'; COMMENT ON CONSTRAINT k_sys ON k IS 'sys';" >/dev/null
"$schemad" inspect "$(url keys)" | tr -d ' \n' >"$work/keys.json"
check "B9 index keys: column, expression, column, then INCLUDE" \
	grep -q '"keys":\[{"column":"b"},{"expr":"lower(b)"},{"column":"a"}\],"include":\["c"\]' "$work/keys.json"
check "B9 a CHECK naming a system column" grep -q '"type":"check","name":"k_sys","columns":\["tableoid","a"\]' "$work/keys.json"
check "B9 foreign key columns, after a dropped column" grep -q '"columns":\["c"\],"ref_schema":"public","ref_table":"p","ref_columns":\["id"\]' "$work/keys.json"
check "B9 comments of a column, an index, a constraint" \
	bash -c "grep -q '\"comment\":\"bee\"' '$work/keys.json' && grep -q '\"comment\":\"ex\"' '$work/keys.json' && grep -q '\"comment\":\"sys\"' '$work/keys.json'"
# ---- B10: the benchmark's independent floor (bench/pg/floor.sql) runs --------
check "B10 bench/pg/floor.sql runs" \
	psql -X -q -At -h "$host" -U postgres -v ON_ERROR_STOP=1 -d keys -o /dev/null -f "$here/../../../bench/pg/floor.sql"
# ---- B11: what the index query leaves to C ---------------------------------
# A materialized view's indexes are ordered by name bytes in its definition
# (created here out of that order); a key's index is not deparsed (its
# constraint's text says it), a partition's key index is (the plan matches
# index families by it).
sql postgres -c "CREATE DATABASE mv" >/dev/null
sql mv -c "CREATE TABLE s (id int PRIMARY KEY, a int, b int);
  CREATE MATERIALIZED VIEW m AS SELECT id, a, b FROM s;
  CREATE INDEX m_b ON m (b); CREATE UNIQUE INDEX \"M_id\" ON m (id); CREATE INDEX m_a ON m (a);
  COMMENT ON INDEX m_a IS 'it''s a';
  CREATE TABLE pt (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
  CREATE TABLE pt1 PARTITION OF pt FOR VALUES IN (1);" >/dev/null
"$schemad" inspect "$(url mv)" >"$work/mv.json"
check "B11 matview indexes in byte order, comment after its index" \
	python3 -c "
import json, sys
o = [x for x in json.load(open('$work/mv.json'))['objects'] if x['name'] == 'm'][0]
d = o['definition']
i = [d.index(k) for k in ('INDEX \"M_id\"', 'INDEX m_a ', 'COMMENT ON INDEX \"public\".\"m_a\" IS \'it\'\'s a\'', 'INDEX m_b ')]
sys.exit(0 if i == sorted(i) else 1)"
check "B11 a key's index has no CREATE text, a plain table's" \
	python3 -c "
import json, sys
t = [x for x in json.load(open('$work/mv.json'))['tables'] if x['name'] == 's'][0]
sys.exit(0 if [ix.get('definition') for ix in t['indexes']] == [None] and t['indexes'][0]['constraint_backed'] else 1)"
check "B11 a partition's key index keeps it" \
	python3 -c "
import json, sys
t = [x for x in json.load(open('$work/mv.json'))['tables'] if x['name'] == 'pt1'][0]
sys.exit(0 if t['indexes'][0]['definition'].startswith('CREATE UNIQUE INDEX pt1_pkey') else 1)"
exit $failed
