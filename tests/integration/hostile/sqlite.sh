#!/usr/bin/env bash
# tests/integration/hostile/sqlite.sh SCHEMAD: hostile names converge on
# SQLite. sqlite.sql puts quotes, backticks, brackets, backslashes,
# newlines, "--", "*/", ";", unicode, long names and case-folded twins on
# every object kind (tables, columns, indexes, constraints, views,
# triggers). The plan is applied with sqlite3 -bail: it must converge both
# ways, and no object may appear that the source does not have (every name
# holds a "CREATE TABLE pwned" that runs if it escapes).
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
objects() { sqlite3 "$1" "SELECT type, hex(name) FROM sqlite_schema ORDER BY 1, 2"; }
no_pwned() { test -z "$(sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE name = 'pwned'")"; }

sqlite3 -bail "$work/a.db" <"$here/sqlite.sql" || { echo "sqlite.sql does not load"; exit 2; }
sd_check "the source itself holds no pwned table" no_pwned "$work/a.db"
sqlite3 "$work/b.db" "PRAGMA user_version = 1"
"$schemad" diff "sqlite:$work/b.db" "sqlite:$work/a.db" --format sql >"$work/up.sql"
sd_check "a plan is written (exit 1: drift)" test $? -eq 1
sd_check "the plan applies with sqlite3 -bail" sqlite3 -bail "$work/b.db" <"$work/up.sql"
sd_check "it converges: no drift" "$schemad" diff "sqlite:$work/b.db" "sqlite:$work/a.db"
sd_check "exactly the source's objects, nothing extra" \
	test "$(objects "$work/a.db")" = "$(objects "$work/b.db")"
sd_check "no pwned table" no_pwned "$work/b.db"

sqlite3 "$work/c.db" "PRAGMA user_version = 1"
"$schemad" diff "sqlite:$work/a.db" "sqlite:$work/c.db" --format sql >"$work/down.sql"
sd_check "the dropping plan applies" sqlite3 -bail "$work/a.db" <"$work/down.sql"
sd_check "it converges: nothing left" test -z "$(objects "$work/a.db")"
sd_check "no pwned table" no_pwned "$work/a.db"

sd_finish
