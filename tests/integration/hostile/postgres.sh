#!/usr/bin/env bash
# tests/integration/hostile/postgres.sh SCHEMAD: hostile names converge on
# PostgreSQL. postgres.sql puts quotes, backslashes, newlines, "--", "*/",
# ";", "$$", unicode, 63-byte names and case twins on every object kind
# (schemas, tables, columns, indexes, constraints, views, materialized
# views, sequences, enums, domains, composite types, functions, procedures,
# triggers, comments). The plan is applied with psql: it must converge
# both ways, and no object may appear that the source does not have (every
# name holds a "CREATE TABLE pwned" that runs if it escapes). The plan must
# also apply from a session with standard_conforming_strings off (it pins
# the setting it is written for), and a table with a 63-byte name can be
# rebuilt (its temporary name must not be cut back onto its own).
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d)
[ "$(id -u)" != 0 ] || chown postgres "$work"
trap '"$here/../pg/pgserver.sh" stop "$work/pg"; rm -rf "$work"' EXIT
base=$("$here/../pg/pgserver.sh" start "$work/pg") || exit 2
host=$work/pg
url() { echo "postgres://postgres@/$1?host=$host"; }
psql_=(psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1)
fresh() { "${psql_[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1; }
objects() { # objects DB: every user object's kind and name (hex), sorted
	"${psql_[@]}" -d "$1" -At -c "
	WITH ns AS (SELECT oid, nspname FROM pg_namespace
	            WHERE nspname !~ '^pg_' AND nspname <> 'information_schema')
	SELECT k || ' ' || encode(convert_to(n, 'UTF8'), 'hex') FROM (
	  SELECT 'schema' AS k, nspname AS n FROM ns
	  UNION ALL SELECT 'rel' || c.relkind::text, ns.nspname || '.' || c.relname FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
	  UNION ALL SELECT 'proc', ns.nspname || '.' || p.proname FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
	  UNION ALL SELECT 'type' || t.typtype::text, ns.nspname || '.' || t.typname FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
	  UNION ALL SELECT 'con' || c.contype::text, ns.nspname || '.' || c.conname FROM pg_constraint c JOIN ns ON ns.oid = c.connamespace
	  UNION ALL SELECT 'trigger', t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
	  UNION ALL SELECT 'comment', d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN ns ON ns.oid = c.relnamespace
	) o ORDER BY 1"
}
cmp_objects() { objects "$1" | cmp -s "$work/ha.objects" -; }
no_pwned() {
	test -z "$("${psql_[@]}" -d "$1" -At -c "SELECT relname FROM pg_class WHERE relname = 'pwned'")"
}

fresh ha && "${psql_[@]}" -d ha -f "$here/postgres.sql" >/dev/null || { echo "postgres.sql does not load"; exit 2; }
sd_check "the source itself holds no pwned table" no_pwned ha
objects ha >"$work/ha.objects"

fresh hb
"$schemad" diff "$(url hb)" "$(url ha)" --format sql >"$work/up.sql"
sd_check "a plan is written (exit 1: drift)" test $? -eq 1
sd_check "the plan applies with psql" "${psql_[@]}" -d hb -f "$work/up.sql"
sd_check "it converges: no drift" "$schemad" diff "$(url hb)" "$(url ha)"
sd_check "exactly the source's objects, nothing extra" cmp_objects hb
sd_check "no pwned table" no_pwned hb

fresh hc
sd_check "the plan applies from a session with standard_conforming_strings off" \
	env PGOPTIONS="-c standard_conforming_strings=off" "${psql_[@]}" -d hc -f "$work/up.sql"
sd_check "... and converges" "$schemad" diff "$(url hc)" "$(url ha)"
sd_check "... with nothing extra" cmp_objects hc
sd_check "no pwned table" no_pwned hc

fresh hd
"$schemad" diff "$(url ha)" "$(url hd)" --format sql >"$work/down.sql"
sd_check "the dropping plan applies" "${psql_[@]}" -d ha -f "$work/down.sql"
sd_check "it converges: nothing left" "$schemad" diff "$(url ha)" "$(url hd)"
sd_check "no pwned table" no_pwned ha

# a 63-byte table name, rebuilt (its partitioning changes) with its rows
long=r2345678901234567890123456789012345678901234567890123456789012x
fresh ra && "${psql_[@]}" -d ra -c "CREATE TABLE \"$long\" (id int, k int); INSERT INTO \"$long\" VALUES (1, 5), (2, 50)" >/dev/null
fresh rb && "${psql_[@]}" -d rb -c "CREATE TABLE \"$long\" (id int, k int) PARTITION BY RANGE (k);
	CREATE TABLE \"p_$long\" PARTITION OF \"$long\" DEFAULT" >/dev/null 2>&1
"$schemad" diff "$(url ra)" "$(url rb)" --format sql >"$work/rebuild.sql"
sd_check "a 63-byte table is rebuilt" "${psql_[@]}" -d ra -f "$work/rebuild.sql"
sd_check "... converges" "$schemad" diff "$(url ra)" "$(url rb)"
sd_check "... with its rows" test "$("${psql_[@]}" -d ra -At -c "SELECT count(*) FROM \"$long\"")" = 2

sd_finish
