#!/usr/bin/env bash
# tests/integration/mssql/shop.sh SCHEMAD RESPELL DIR
#
# A realistic SQL Server script (DIR/a.sql: 30 tables in five schemas, keys,
# foreign keys, filtered indexes, computed columns, views, procedures, a
# function, triggers, a sequence, an alias type, descriptions) and a drifted
# copy (DIR/b.sql). Asserts:
#   - the diff finds exactly the changes listed in DIR/expected_changes.txt,
#     written by reading the edits in b.sql, not schemad's output;
#   - a + plan reads as b, and b + plan reads as a (the applier converges);
#   - each script reads the same respelled and written out by schemad;
#   - a.sql's snapshot JSON reads as a.sql;
#   - the plan quotes every name it writes and runs in one transaction;
#   - tools/hand.sql and tools/ssms.sql, one schema written by a person and as
#     SSMS scripts what SQL Server stores, read the same (and not vacuously:
#     one changed default is found).
set -u
schemad=$1 respell=$2 dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
: >"$work/empty.sql"
fail() { echo "FAIL $*"; failed=1; }
same() { "$schemad" diff "$1" "$2" --dialect mssql >"$work/out" 2>&1 || { sed 's/^/    /' "$work/out"; false; }; }

"$schemad" diff "$dir/a.sql" "$dir/b.sql" --dialect mssql --format json >"$work/report.json"
[ $? -eq 1 ] || fail "diff a b should exit 1 (drift)"
python3 -c '
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    print(c["kind"], c["label"])' "$work/report.json" | sort >"$work/changes.txt"
if ! diff -u "$dir/expected_changes.txt" "$work/changes.txt"; then
	fail "the changes found are not the expected ones (diff above: - expected, + found)"
fi

for pair in "a b" "b a"; do
	set -- $pair
	from=$dir/$1.sql to=$dir/$2.sql
	"$schemad" diff "$from" "$to" --dialect mssql --format sql >"$work/plan.sql" || true
	{ cat "$from"; printf '\nGO\n'; cat "$work/plan.sql"; } >"$work/applied.sql"
	same "$work/applied.sql" "$to" || fail "$1 + plan does not read as $2"
	head -n 40 "$work/plan.sql" | grep -q '^SET XACT_ABORT ON;$' || fail "plan $1->$2: no SET XACT_ABORT ON"
	grep -q '^BEGIN TRANSACTION;$' "$work/plan.sql" && grep -q '^COMMIT TRANSACTION;$' "$work/plan.sql" ||
		fail "plan $1->$2: not one transaction"
	# Names are always bracketed: no "ALTER TABLE sales." or "ON sales." outside comments and bodies.
	if grep -v '^--' "$work/plan.sql" | grep -E '^(ALTER TABLE|DROP TABLE|CREATE TABLE|DROP INDEX) [A-Za-z]'; then
		fail "plan $1->$2 writes an unquoted name"
	fi
	"$respell" "$from" >"$work/respelled.sql"
	same "$from" "$work/respelled.sql" || fail "$1.sql respelled reads differently"
	"$schemad" diff "$work/empty.sql" "$from" --dialect mssql --format sql >"$work/create.sql" 2>/dev/null
	same "$work/create.sql" "$from" || fail "$1.sql written out by schemad reads differently"
done
# The snapshot of a script is a source like the script.
"$schemad" inspect "$dir/a.sql" --dialect mssql -o "$work/a.json" && same "$work/a.json" "$dir/a.sql" ||
	fail "a.sql's snapshot reads differently from a.sql"
tools=$dir/../tools
"$schemad" diff "$tools/hand.sql" "$tools/ssms.sql" --dialect mssql >"$work/out" 2>&1 ||
	{ sed 's/^/    /' "$work/out"; fail "hand.sql and ssms.sql read differently"; }
sed 's/DEFAULT ((0)) FOR \[balance\]/DEFAULT ((1)) FOR [balance]/' "$tools/ssms.sql" >"$work/ssms1.sql"
"$schemad" diff "$tools/hand.sql" "$work/ssms1.sql" --dialect mssql --format json >"$work/out" 2>&1
[ $? -eq 1 ] && grep -q '"kind": "column.default"' "$work/out" || fail "a changed default in ssms.sql is not found"
[ $failed -eq 0 ] && echo "shop: $(wc -l <"$dir/expected_changes.txt") expected changes found, converges both ways, no false drift"
exit $failed
