#!/usr/bin/env bash
# tests/integration/cli.sh SCHEMAD: the command line on real SQLite files.
# Exit codes (0 none, 1 drift, 2 error), help and version, snapshots as
# sources, atomic -o, and bad input: one line on stderr naming the input,
# nothing on stdout, exit 2.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
demo=$(cd "$(dirname "$0")/../../examples/demo" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

check() { # check NAME EXPECTED_RC CMD...: run, compare exit code
	local name=$1 want=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc, expected $want"
		sed 's/^/    stdout: /' "$work/out" | head -5
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}

expect() { # expect NAME CONDITION-CMD...: a follow-up assertion on the last run
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $name"
		sed 's/^/    stdout: /' "$work/out" | head -5
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}

bad_input() { # bad_input NAME FRAGMENT CMD...: exit 2, empty stdout, one stderr line with FRAGMENT
	local name=$1 fragment=$2
	shift 2
	check "$name" 2 "$@"
	expect "$name: stdout empty" test ! -s "$work/out"
	expect "$name: one line on stderr" test "$(wc -l <"$work/err")" -eq 1
	expect "$name: names '$fragment'" grep -qF -- "$fragment" "$work/err"
}

sqlite3 "$work/a.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);"
sqlite3 "$work/a2.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);"
sqlite3 "$work/b.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, w INT); CREATE TABLE u(x);"
echo "just some text, certainly not an SQLite database header......................" >"$work/text.db"

check "version" 0 "$schemad" --version
expect "version text" grep -q '^schemad [0-9]' "$work/out"
check "help" 0 "$schemad" --help
check "diff help" 0 "$schemad" diff --help
expect "diff help text" grep -q 'usage: schemad diff' "$work/out"
check "inspect help" 0 "$schemad" inspect --help
check "no command" 2 "$schemad"

check "no drift" 0 "$schemad" diff "sqlite://$work/a.db" "sqlite:$work/a2.db"
expect "no drift text" grep -q 'No drift' "$work/out"
check "drift" 1 "$schemad" diff "sqlite://$work/a.db" "sqlite:$work/b.db"
expect "drift summary first" grep -q '^Drift: 3 changes' "$work/out"
check "drift json" 1 "$schemad" diff "sqlite:$work/a.db" "sqlite:$work/b.db" --format json
expect "json report" grep -q '"format": "schemad.report"' "$work/out"
check "drift sql" 1 "$schemad" diff "sqlite:$work/a.db" "sqlite:$work/b.db" --format=sql
expect "sql plan" grep -q 'ALTER TABLE "t" ADD COLUMN w INT;' "$work/out"
(cd "$work" && check "relative url" 1 "$schemad" diff sqlite:a.db sqlite:b.db)

check "inspect -o" 0 "$schemad" inspect "sqlite:$work/a.db" -o "$work/a.json"
expect "inspect -o quiet" test ! -s "$work/out"
expect "snapshot written" grep -q '"format": "schemad.snapshot"' "$work/a.json"
check "inspect stdout" 0 "$schemad" inspect "sqlite:$work/a.db"
expect "inspect stdout equals file" cmp -s "$work/out" "$work/a.json"
check "snapshot vs live: same" 0 "$schemad" diff "$work/a.json" "sqlite:$work/a2.db"
check "snapshot vs live: drift" 1 "$schemad" diff "$work/a.json" "sqlite:$work/b.db" --format sql
expect "plan from snapshot" grep -q 'ADD COLUMN w INT' "$work/out"

bad_input "missing file" "$work/missing.db" "$schemad" diff "sqlite:$work/missing.db" "sqlite:$work/a.db"
expect "missing file not created" test ! -e "$work/missing.db"
bad_input "not a database" "file is not a database" "$schemad" inspect "sqlite:$work/text.db"
bad_input "unknown scheme" 'unknown source scheme "mongodb"' "$schemad" diff "mongodb://u:secret@h/db" "sqlite:$work/a.db"
expect "password redacted" sh -c "! grep -q secret '$work/err'"
head -c 200 "$work/a.json" >"$work/truncated.json"
bad_input "truncated snapshot" "$work/truncated.json: not a valid snapshot" "$schemad" diff "$work/truncated.json" "sqlite:$work/a.db"
echo '{"format":"schemad.snapshot","version":1,"engine":"sqlite","tables":[{"name":3}]}' >"$work/corrupt.json"
bad_input "corrupt snapshot" "tables[0].name: expected a string" "$schemad" inspect "$work/corrupt.json"
expect "snapshot is version 2" grep -q '"version": 2,' "$work/a.json"
sed 's/"version": 2,/"version": 1,/' "$work/a.json" >"$work/v1.json"
check "a version 1 snapshot is still read" 0 "$schemad" diff "$work/v1.json" "sqlite:$work/a2.db"
sed 's/"version": 2,/"version": 3,/' "$work/a.json" >"$work/v3.json"
bad_input "a newer snapshot version" "snapshot version 3 is not supported (this schemad reads 1 to 2)" "$schemad" diff "$work/v3.json" "sqlite:$work/a2.db"
sed 's/"version": 2,/"version": 0,/' "$work/a.json" >"$work/v0.json"
bad_input "version 0" "snapshot version 0 is not supported" "$schemad" inspect "$work/v0.json"
bad_input "missing snapshot" "$work/none.json" "$schemad" inspect "$work/none.json"
bad_input "unknown format" 'unknown format "yaml"' "$schemad" diff "sqlite:$work/a.db" "sqlite:$work/b.db" --format yaml
bad_input "one argument" "needs FROM and TO" "$schemad" diff "sqlite:$work/a.db"
bad_input "unknown option" 'unknown option "--bogus"' "$schemad" inspect --bogus
cp "$work/a.json" "$work/keep.json"
bad_input "-o keeps old file on error" "$work/missing.db" "$schemad" inspect "sqlite:$work/missing.db" -o "$work/keep.json"
expect "old file intact" cmp -s "$work/a.json" "$work/keep.json"

# --fail-on: the demo holds one change of each band (critical drop table, high
# drop index, medium view, low added column). Filters narrow it per band.
sqlite3 -bail "$work/prod.db" <"$demo/production.sql"
sqlite3 -bail "$work/stage.db" <"$demo/staging.sql"
P="sqlite:$work/prod.db" S="sqlite:$work/stage.db"
for band in low medium high critical; do
	check "fail-on $band with all bands" 1 "$schemad" diff "$P" "$S" --fail-on "$band"
done
check "fail-on critical, critical excluded" 0 "$schemad" diff "$P" "$S" --fail-on critical --exclude 'tmp_*'
check "fail-on high, only medium and low left" 0 "$schemad" diff "$P" "$S" --fail-on high --include orders --include customer_totals
check "fail-on medium, medium present" 1 "$schemad" diff "$P" "$S" --fail-on medium --include orders --include customer_totals
check "fail-on medium, only low left" 0 "$schemad" diff "$P" "$S" --fail-on medium --include orders
check "fail-on low, low present" 1 "$schemad" diff "$P" "$S" --fail-on low --include orders
check "fail-on low, nothing left" 0 "$schemad" diff "$P" "$S" --fail-on low --include nothing_matches
check "fail-on: error is 2" 2 "$schemad" diff "sqlite:$work/missing.db" "$S" --fail-on low
bad_input "fail-on: bad band" 'expected low, medium, high or critical' "$schemad" diff "$P" "$S" --fail-on severe
check "risk override lifts a band" 1 "$schemad" diff "$P" "$S" --fail-on critical --include orders --risk-override column.add=90
check "ignore a kind" 0 "$schemad" diff "$P" "$S" --include orders --ignore column.add --ignore index
check "ignore aliases" 0 "$schemad" diff "sqlite:$work/a.db" "sqlite:$work/a2.db" --ignore comments --ignore column-order
bad_input "bad override" 'the score must be 0-100' "$schemad" diff "$P" "$S" --risk-override column.add=101
check "markdown" 1 "$schemad" diff "$P" "$S" --format markdown
expect "markdown table and plan" sh -c "grep -q '^| risk | change' '$work/out' && grep -q '<summary>SQL plan' '$work/out'"
check "sql comments carry risk" 1 "$schemad" diff "$P" "$S" --format sql
expect "risk comment before DROP TABLE" grep -q '^-- \[95 critical\] table.drop table tmp_import_2024' "$work/out"

# SQLite dumps as sources give the same changes as the live databases.
sqlite3 "$work/prod.db" .schema >"$work/prod.sql"
sqlite3 "$work/stage.db" .dump >"$work/stage.sql"
"$schemad" diff "$P" "$S" --format json | grep -v '"source"' >"$work/live.json"
check "dump vs dump" 1 "$schemad" diff "$work/prod.sql" "$work/stage.sql" --dialect sqlite --format json
grep -v '"source"' "$work/out" >"$work/dump.json"
expect "dumps give the live changes" cmp -s "$work/live.json" "$work/dump.json"
check "dump vs live, same schema" 0 "$schemad" diff "$work/prod.sql" "$P" --dialect sqlite
bad_input "dump needs a dialect" "needs --dialect" "$schemad" diff "$work/prod.sql" "$P"
printf 'CREATE TABLE ok(a);\nCREATE TABLE broken(;\n' >"$work/broken.sql"
bad_input "broken dump names file and line" "$work/broken.sql:2:" "$schemad" diff "$work/broken.sql" "$P" --dialect sqlite

# A dump is input: it may not reach other files (ATTACH, VACUUM INTO).
printf 'CREATE TABLE ok(a);\nATTACH %s AS v;\nCREATE TABLE v.pwned(x);\n' "'$work/victim.db'" >"$work/evil.sql"
bad_input "dump cannot ATTACH" "$work/evil.sql:2: not authorized" "$schemad" diff "$work/evil.sql" "$P" --dialect sqlite
expect "no file written by a dump" test ! -e "$work/victim.db"
# Markdown cells cannot carry links or break the table.
sqlite3 "$work/md.db" 'CREATE TABLE "x| [click](https://evil.example) ![i](https://evil.example/i.png)"(a);'
check "markdown with a hostile name" 1 "$schemad" diff "sqlite:$work/a.db" "sqlite:$work/md.db" --format markdown
expect "no live link in the markdown table" sh -c "! grep '^|' '$work/out' | grep -qF '](https'"
expect "link text escaped" sh -c "grep '^|' '$work/out' | grep -qF '\\[click\\]'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
