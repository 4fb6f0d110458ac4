#!/usr/bin/env bash
# tests/integration/mssql/corpus.sh SCHEMAD RESPELL CORPUS_DIR
#
# The corpus check of shared/corpus/README.md for SQL Server, where no server
# runs: "load" is reading a T-SQL script into the model, "apply" is reading
# FROM's script followed by a plan (the reader is also the applier). Per case:
#   1. a.sql and b.sql load (else the case is skipped, and counted so);
#   2. no false drift: b against b respelled (keywords, quoting, spacing:
#      RESPELL), and b against schemad's own plan from an empty database;
#   3. convergence: a + `schemad diff a b --format sql` reads as b exactly;
#   4. the applier against an independent source: a + sqldef's expected_up.sql
#      reads as b, where sqldef has one. Cases run with drops disabled
#      (meta "enable_drop": false) are skipped here: sqldef left the drops out
#      on purpose. Cases run as a user whose default schema is FOO (meta
#      "user") name [FOO] where a.sql and b.sql, read as dbo, say nothing:
#      [FOO]. is read as [dbo]. in their expected_up.sql. Cases where sqldef's
#      answer really differs from b.sql are listed, with the reason, in
#      expected_differs.txt and reported as such, not as passed.
# Without the corpus folder the whole test is skipped (exit 77).
set -u
here=$(dirname "$0")
schemad=$1
respell=$2
corpus=$3/mssql/sqldef
if [ ! -d "$corpus" ]; then
	echo "corpus not present at $corpus: skipped"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0 xpass=0 xfail=0 xskip=0 xknown=0
failures=()
: >"$work/empty.sql"

same() { # same A B: the two scripts read as one schema
	"$schemad" diff "$1" "$2" --dialect mssql >"$work/out" 2>&1
}
then_go() { # then_go A B > OUT: script A, a batch break, script B
	cat "$1"
	printf '\nGO\n'
	cat "$2"
}

for case_dir in "$corpus"/*/; do
	name=$(basename "$case_dir")
	a=$case_dir/a.sql b=$case_dir/b.sql
	if ! same "$a" "$a" || ! same "$b" "$b"; then
		skip=$((skip + 1)); echo "SKIP $name: a.sql or b.sql does not load: $(head -c 300 "$work/out")"
		continue
	fi
	"$respell" "$b" >"$work/respelled.sql"
	if ! same "$b" "$work/respelled.sql"; then
		fail=$((fail + 1)); failures+=("$name: b.sql respelled reads differently: $(head -c 400 "$work/out")")
		continue
	fi
	"$schemad" diff "$work/empty.sql" "$b" --dialect mssql --format sql >"$work/create.sql" 2>"$work/err"
	if [ $? -eq 2 ] || ! same "$work/create.sql" "$b"; then
		fail=$((fail + 1)); failures+=("$name: b.sql written out by schemad reads differently: $(head -c 400 "$work/out" "$work/err")")
		continue
	fi
	"$schemad" diff "$a" "$b" --dialect mssql --format sql >"$work/plan.sql" 2>"$work/err"
	if [ $? -eq 2 ]; then
		fail=$((fail + 1)); failures+=("$name: plan failed: $(cat "$work/err")"); continue
	fi
	then_go "$a" "$work/plan.sql" >"$work/applied.sql"
	if ! same "$work/applied.sql" "$b"; then
		fail=$((fail + 1)); failures+=("$name: a + plan differs from b: $(head -c 600 "$work/out")")
		sed 's/^/    plan: /' "$work/plan.sql"
		continue
	fi
	pass=$((pass + 1))

	expected=$case_dir/expected_up.sql
	if [ ! -f "$expected" ]; then
		continue
	elif grep -q '"enable_drop": *false' "$case_dir/meta.json" 2>/dev/null; then
		xskip=$((xskip + 1)); echo "SKIP expected_up $name: sqldef ran it with drops disabled"
		continue
	fi
	if grep -q '"user"' "$case_dir/meta.json" 2>/dev/null; then
		sed 's/\[FOO\]\./[dbo]./g' "$expected" >"$work/expected.sql"
	else
		cp "$expected" "$work/expected.sql"
	fi
	then_go "$a" "$work/expected.sql" >"$work/applied.sql"
	known=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$here/expected_differs.txt")
	if [ -n "$known" ]; then
		if same "$work/applied.sql" "$b"; then
			xfail=$((xfail + 1)); failures+=("$name: listed in expected_differs.txt but now matches: remove it there")
		else
			xknown=$((xknown + 1)); echo "DIFFERS (explained) $name: $known"
		fi
	elif same "$work/applied.sql" "$b"; then
		xpass=$((xpass + 1))
	else
		xfail=$((xfail + 1)); failures+=("$name: a + sqldef's expected_up.sql differs from b: $(head -c 600 "$work/out")")
	fi
done
for f in "${failures[@]+"${failures[@]}"}"; do echo "FAIL $f"; done
echo "convergence and no false drift: $pass passed, $fail failed, $skip skipped"
echo "applier vs sqldef's expected_up.sql: $xpass passed, $xfail failed, $xknown differ (explained), $xskip skipped"
[ $fail -eq 0 ] && [ $xfail -eq 0 ]
