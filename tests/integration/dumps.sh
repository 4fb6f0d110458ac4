#!/usr/bin/env bash
# tests/integration/dumps.sh SCHEMAD CORPUS_DIR
# Dumps as sources: for corpus pairs of each engine, `schemad diff a.sql
# b.sql --dialect ...` on pg_dump --schema-only, mysqldump --no-data and
# sqlite3 .schema files must report the same changes as the live comparison
# of the same databases. PostgreSQL and MariaDB dumps load into scratch
# databases on --dev-url: none may remain afterwards, also when a dump fails
# to load (which names file:line and exits 2).
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ -d "$corpus" ] || { echo "corpus not present at $corpus: skipped"; exit 77; }
work=$(mktemp -d /tmp/schemad-dumps.XXXXXX)
chmod 755 "$work"
. "$here/mysql/server.sh"
cleanup() {
	"$here/pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	my_server_stop
	rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0 compared=0 both=""
ok() { if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }

# same_changes NAME LIVE_A LIVE_B DUMP_A DUMP_B [OPTIONS...]: the JSON reports match but for "source"
same_changes() {
	local name=$1 la=$2 lb=$3 da=$4 db=$5
	shift 5
	"$schemad" diff "$la" "$lb" --format json $both 2>"$work/err" | grep -v '"source"' >"$work/live.json"
	"$schemad" diff "$da" "$db" --format json $both "$@" 2>>"$work/err" | grep -v '"source"' >"$work/dump.json"
	if [ -s "$work/live.json" ] && cmp -s "$work/live.json" "$work/dump.json"; then
		pass=$((pass + 1))
		compared=$((compared + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: dump diff differs from live diff"
		diff "$work/live.json" "$work/dump.json" | head -10 | sed 's/^/    /'
		head -3 "$work/err" | sed 's/^/    /'
	fi
}

# ---- PostgreSQL ---------------------------------------------------------
pgurl=$("$here/pg/pgserver.sh" start "$work/pg") || { echo "cannot start PostgreSQL"; exit 1; }
host=$work/pg
psql_() { psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1 "$@"; }
[ ! -f "$corpus/pg_roles.sql" ] || psql_ -d postgres -f "$corpus/pg_roles.sql" >/dev/null 2>&1
dev="postgres://postgres@/postgres?host=$host"
# pg_dump writes CREATE EXTENSION without VERSION: a dump cannot show an
# extension version difference, so that one kind is left out on both sides.
both="--ignore extension.alter"
pg_case() { # pg_case DIR
	psql_ -d postgres -c "DROP DATABASE IF EXISTS a WITH (FORCE)" -c "DROP DATABASE IF EXISTS b WITH (FORCE)" \
		-c "CREATE DATABASE a" -c "CREATE DATABASE b" >/dev/null 2>&1
	{ [ ! -s "$1/a.sql" ] || psql_ -d a -f "$1/a.sql"; } >/dev/null 2>&1 || return 1
	{ [ ! -s "$1/b.sql" ] || psql_ -d b -f "$1/b.sql"; } >/dev/null 2>&1 || return 1
	pg_dump -s -h "$host" -U postgres a >"$work/a.sql" && pg_dump -s -h "$host" -U postgres b >"$work/b.sql"
}
for case_dir in "$corpus"/postgres/migra/*/; do
	pg_case "$case_dir" || continue
	same_changes "pg $(basename "$case_dir")" "postgres://postgres@/a?host=$host" \
		"postgres://postgres@/b?host=$host" "$work/a.sql" "$work/b.sql" --dialect postgres --dev-url "$dev"
done
echo "postgres: $compared pg_dump pairs match their live diff"
n0=$compared
printf 'CREATE TABLE ok (a int);\n\nCREATE TABLE broken (;\n' >"$work/broken.sql"
"$schemad" diff "$work/broken.sql" "postgres://postgres@/a?host=$host" --dialect postgres --dev-url "$dev" \
	>"$work/out" 2>"$work/err"
ok "pg: broken dump is exit 2" test $? -eq 2
ok "pg: broken dump names file:line" grep -q "broken.sql:3: syntax error" "$work/err"
ok "pg: no dump without --dev-url" sh -c "'$schemad' diff '$work/a.sql' '$work/b.sql' --dialect postgres 2>&1 | grep -q 'needs a scratch server'"
# A SQL-standard body (BEGIN ATOMIC ... END) holds statements ending in ';',
# and so does a rule's action list: the load keeps each whole, as pg_dump
# writes it and as a hand-written file with an END and a ';' in (nested)
# comments and an E'' string, a column named "begin" (pg_dump writes it
# bare: t.begin, count(t.begin)); both read as the live database.
psql_ -d postgres -c "DROP DATABASE IF EXISTS c WITH (FORCE)" -c "CREATE DATABASE c" >/dev/null
cat >"$work/atomic_hand.sql" <<'SQL'
CREATE TABLE public.t (a int, "begin" int);
CREATE TABLE public.u (a int);
CREATE FUNCTION public.f(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  /* the END; of a comment */ SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END; -- END;
  /* nested /* END; */ END; */ INSERT INTO u VALUES (length(E'it\'s END; '));
  INSERT INTO t VALUES (x);
  SELECT x + 1;
END;
CREATE FUNCTION public.g() RETURNS SETOF int LANGUAGE sql
BEGIN ATOMIC
  SELECT count(t.begin)::int FROM t;
  SELECT t.begin FROM t;
END;
CREATE PROCEDURE public.p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END;
CREATE RULE r AS ON INSERT TO public.u DO ALSO (INSERT INTO t VALUES (new.a); INSERT INTO t VALUES (new.a + 1));
SQL
psql_ -d c -f "$work/atomic_hand.sql" >/dev/null
pg_dump -s -h "$host" -U postgres c >"$work/atomic_dump.sql"
for f in atomic_dump atomic_hand; do
	"$schemad" diff "$work/$f.sql" "postgres://postgres@/c?host=$host" --dialect postgres --dev-url "$dev" \
		>"$work/out" 2>"$work/err"
	ok "pg: $f.sql loads its BEGIN ATOMIC bodies whole, no drift (exit $?: $(head -c 150 "$work/err"))" \
		grep -q "No drift" "$work/out"
done
# Ctrl-C in the middle of a load: exit 2, and the scratch database is dropped all the same.
for i in $(seq 3000); do echo "CREATE TABLE t$i (id int PRIMARY KEY, v text NOT NULL, w int CHECK (w > 0));"; done >"$work/big.sql"
"$schemad" diff "$work/big.sql" "postgres://postgres@/a?host=$host" --dialect postgres --dev-url "$dev" \
	>"$work/out" 2>"$work/err" &
spid=$!
# In the middle of the load: the scratch database's session has run one of its CREATE TABLEs
# (was: the database seen within 5 s, or not, then sleep 0.3).
loading() {
	[ "$(psql_ -d postgres -Atc "SELECT count(*) FROM pg_stat_activity
		WHERE datname LIKE 'schemad_scratch%' AND query LIKE 'CREATE TABLE t%'")" -ge 1 ]
}
if ! sd_wait_for 60 loading; then
	ok "pg: the dump's load is seen running" false
	kill "$spid"
fi
kill -INT "$spid"
wait "$spid"
ok "pg: Ctrl-C during a load is exit 2" test $? -eq 2
ok "pg: Ctrl-C says so" grep -q "interrupted\|canceling statement" "$work/err"
left=$(psql_ -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemad_scratch%'")
ok "pg: no scratch database left" test "$left" = 0

# ---- MariaDB ------------------------------------------------------------
my_server_start "$work/my" 2>/dev/null || { mkdir -p "$work/my" && my_server_start "$work/my"; } || { echo "cannot start MariaDB"; exit 1; }
mydev="mysql://root@localhost/mysql?socket=$MY_SOCK"
both=""
for case_dir in "$corpus"/mysql/skeema/*/; do
	my_fresh_db da && my_fresh_db db || continue
	my_load "$case_dir/a.sql" da && my_load "$case_dir/b.sql" db || continue
	mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --no-data --routines --triggers da >"$work/a.sql" 2>/dev/null &&
		mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --no-data --routines --triggers db >"$work/b.sql" 2>/dev/null || continue
	same_changes "mysql $(basename "$case_dir")" "mysql://root@localhost/da?socket=$MY_SOCK" \
		"mysql://root@localhost/db?socket=$MY_SOCK" "$work/a.sql" "$work/b.sql" --dialect mysql --dev-url "$mydev"
done
echo "mysql: $((compared - n0)) mysqldump pairs match their live diff"
n0=$compared
printf 'CREATE TABLE ok (a int);\nCREATE TABLE broken (;\n' >"$work/broken.sql"
"$schemad" diff "$work/broken.sql" "mysql://root@localhost/da?socket=$MY_SOCK" --dialect mysql --dev-url "$mydev" \
	>"$work/out" 2>"$work/err"
ok "mysql: broken dump is exit 2" test $? -eq 2
ok "mysql: broken dump names file:line" grep -q "broken.sql:2: " "$work/err"
left=$(my -N -e "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'schemad_scratch%'")
ok "mysql: no scratch database left" test "$left" = 0

# ---- SQLite -------------------------------------------------------------
for case_dir in "$corpus"/sqlite/sqldef/*/; do
	rm -f "$work/a.db" "$work/b.db"
	: >"$work/a.db"
	: >"$work/b.db"
	{ [ ! -s "$case_dir/a.sql" ] || sqlite3 -bail "$work/a.db" <"$case_dir/a.sql"; } >/dev/null 2>&1 || continue
	{ [ ! -s "$case_dir/b.sql" ] || sqlite3 -bail "$work/b.db" <"$case_dir/b.sql"; } >/dev/null 2>&1 || continue
	sqlite3 "$work/a.db" .schema >"$work/a.sql"
	sqlite3 "$work/b.db" .schema >"$work/b.sql"
	same_changes "sqlite $(basename "$case_dir")" "sqlite:$work/a.db" "sqlite:$work/b.db" \
		"$work/a.sql" "$work/b.sql" --dialect sqlite
done
echo "sqlite: $((compared - n0)) .schema pairs match their live diff"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
