#!/usr/bin/env bash
# tests/integration/sqlite_rebuild.sh SCHEMAD
#
# What a SQLite table rebuild must keep, on real files applied with the
# sqlite3 shell:
#   1. the AUTOINCREMENT high-water mark: ids 1-3 inserted, 3 deleted, the
#      table rebuilt; the next insert gets 4, never 3 again;
#   2. all or nothing: a rebuild that would leave an orphan row (a foreign
#      key added over a child row whose parent is missing) is rolled back
#      before COMMIT, also by plain sqlite3 without -bail, which carries on
#      after errors: the schema and the rows stay as they were.
set -u
schemad=$1
work=$(mktemp -d /tmp/schemad-rebuild.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # check WHAT EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; fail=1; fi
}
plan() { "$schemad" diff "sqlite://$work/a.db" "sqlite://$work/b.db" --format sql >"$work/plan.sql"; }

sqlite3 "$work/a.db" "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT);
	INSERT INTO t (x) VALUES ('a'), ('b'), ('c'); DELETE FROM t WHERE id = 3;"
sqlite3 "$work/b.db" "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT NOT NULL CHECK (x <> ''));"
plan
check "the plan rebuilds t" 1 "$(grep -c '^-- rebuild "t"' "$work/plan.sql")"
sqlite3 -bail "$work/a.db" <"$work/plan.sql" >/dev/null 2>&1
check "the plan converges" 0 "$("$schemad" diff "sqlite://$work/a.db" "sqlite://$work/b.db" >/dev/null; echo $?)"
check "the next id after a rebuild is 4, not 3 again" 4 \
	"$(sqlite3 "$work/a.db" "INSERT INTO t (x) VALUES ('d') RETURNING id;")"
check "rows kept" "1,2,4" "$(sqlite3 "$work/a.db" "SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY id);")"

rm -f "$work"/*.db
sqlite3 "$work/a.db" "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER);
	INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1), (2, 99);"
sqlite3 "$work/b.db" "CREATE TABLE p (id INTEGER PRIMARY KEY);
	CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id));"
plan
before=$(sqlite3 "$work/a.db" "SELECT sql FROM sqlite_master ORDER BY name;")
sqlite3 "$work/a.db" <"$work/plan.sql" >"$work/apply.log" 2>&1 # no -bail: it carries on after errors
check "the orphan row stops the plan" 1 "$(grep -c 'NOT NULL constraint failed: schemad_check.no_foreign_key_violation' "$work/apply.log")"
check "the schema is unchanged" "$before" "$(sqlite3 "$work/a.db" "SELECT sql FROM sqlite_master ORDER BY name;")"
check "the rows are unchanged" "1|1 2|99" "$(sqlite3 "$work/a.db" "SELECT id || '|' || pid FROM c ORDER BY id;" | tr '\n' ' ' | sed 's/ $//')"
check "drift remains" 1 "$("$schemad" diff "sqlite://$work/a.db" "sqlite://$work/b.db" >/dev/null; echo $?)"
exit $fail
