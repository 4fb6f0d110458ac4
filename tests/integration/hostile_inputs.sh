#!/usr/bin/env bash
# tests/integration/hostile_inputs.sh SCHEMAD: inputs and outputs an
# attacker or an accident controls. Snapshots lacking a field a planner
# needs are refused at read time (exit 2, one line naming the JSON path),
# never crash a planner; `inspect -o` never replaces a symlink, FIFO or
# device, and never follows a symlink planted at a temporary name.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

check() { # check NAME EXPECTED_RC CMD...
	local name=$1 want=$2
	shift 2
	timeout 60 "$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc, expected $want"
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}
expect() { # expect NAME CONDITION-CMD...
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $name"
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

snap() { # snap FILE ENGINE TABLES_JSON [OBJECTS_JSON]
	printf '{"format":"schemad.snapshot","version":1,"engine":"%s","tables":%s,"objects":%s}\n' \
		"$2" "$3" "${4:-[]}" >"$1"
}

# ---- snapshots lacking what a planner needs --------------------------------
snap "$work/pg_ok.json" postgres '[{"schema":"public","name":"t","columns":[{"name":"a","type":"integer","position":1}],"constraints":[{"type":"unique","name":"u","columns":["a"],"expr":"UNIQUE (a)"}]}]'
snap "$work/pg_notype.json" postgres '[{"schema":"public","name":"t","columns":[{"name":"a","position":1}]}]'
bad_input "pg column without type" 'tables[0].columns[0].type: missing' \
	"$schemad" diff "$work/pg_notype.json" "$work/pg_ok.json" --format sql
snap "$work/pg_noname.json" postgres '[{"schema":"public","name":"t","columns":[{"name":"a","type":"integer","position":1}],"constraints":[{"type":"unique","columns":["a"],"expr":"UNIQUE (a)"}]}]'
bad_input "pg constraint without name" 'tables[0].constraints[0].name: missing' \
	"$schemad" diff "$work/pg_noname.json" "$work/pg_ok.json" --format sql
snap "$work/pg_noschema.json" postgres '[{"name":"t","columns":[{"name":"a","type":"integer","position":1}]}]'
bad_input "pg table without schema" 'tables[0].schema: missing' \
	"$schemad" diff "$work/pg_noschema.json" "$work/pg_ok.json" --format sql
snap "$work/my_ok.json" mysql '[{"name":"t","columns":[{"name":"a","type":"int","position":1}]}]'
snap "$work/my_schema.json" mysql '[{"schema":"other","name":"t","columns":[{"name":"a","type":"int","position":1}]}]'
bad_input "mysql table with a schema" 'tables[0].schema: must be empty' \
	"$schemad" diff "$work/my_ok.json" "$work/my_schema.json" --format sql
snap "$work/lite_nodef.json" sqlite '[{"name":"t","columns":[{"name":"a","position":1}]}]'
bad_input "sqlite table without its CREATE text" 'tables[0].definition: missing' \
	"$schemad" diff "$work/lite_nodef.json" "$work/lite_nodef.json"
snap "$work/trg.json" sqlite '[]' '[{"kind":"trigger","name":"tr","ddl":"CREATE TRIGGER tr ...","definition":"x"}]'
bad_input "trigger without its table" 'objects[0].table: missing' "$schemad" inspect "$work/trg.json"
# what schemad writes, it reads back
sqlite3 "$work/a.db" "CREATE TABLE t(a, b INT UNIQUE, CHECK (b > 0)); CREATE INDEX i ON t(b);
	CREATE VIEW v AS SELECT a FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;"
check "inspect sqlite" 0 "$schemad" inspect "sqlite:$work/a.db" -o "$work/a.json"
check "its snapshot reads back" 0 "$schemad" diff "$work/a.json" "sqlite:$work/a.db"

# ---- names cannot forge report lines or drive the terminal ---------------------
sqlite3 "$work/n1.db" "CREATE TABLE t(id INT);"
sqlite3 "$work/n2.db" "CREATE TABLE t(id INT); CREATE TABLE \"x
No drift: the schemas match.
\"(a); CREATE TABLE \"e$(printf '\033')[2Jz\"(b);"
check "a drift with hostile names" 1 "$schemad" diff "sqlite:$work/n1.db" "sqlite:$work/n2.db"
expect "no forged 'No drift' line" bash -c "! grep -qi '^No drift' '$work/out'"
expect "no escape character reaches the terminal" bash -c "! grep -q \$'\\033' '$work/out'"
expect "the names are shown escaped" grep -qF 'add table x\nno drift: the schemas match.\n' "$work/out"

# ---- names that are not UTF-8: refused, never dropped from the snapshot ------
printf 'CREATE TABLE "bad\xffname"(id int);\n' | sqlite3 "$work/latin.db"
bad_input "a table name that is not UTF-8" 'table bad\xffname: name "bad\xffname" is not valid UTF-8' \
	"$schemad" inspect "sqlite:$work/latin.db"

# ---- dumps have a time limit ------------------------------------------------
printf 'CREATE TABLE t(x);\nWITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c)\nSELECT count(*) FROM c;\n' >"$work/forever.sql"
bad_input "a SQLite dump that never ends" 'forever.sql:2: the statement ran longer than 1000ms' \
	"$schemad" diff "$work/forever.sql" "$work/forever.sql" --dialect sqlite --statement-timeout 1s

# ---- -o never replaces what is not a regular file --------------------------
mkfifo "$work/fifo"
bad_input "-o onto a FIFO" 'a FIFO, not a regular file' "$schemad" inspect "sqlite:$work/a.db" -o "$work/fifo"
expect "the FIFO is still a FIFO" test -p "$work/fifo"
echo keep >"$work/victim"
ln -s "$work/victim" "$work/link.json"
bad_input "-o onto a symlink" 'a symbolic link' "$schemad" inspect "sqlite:$work/a.db" -o "$work/link.json"
expect "the symlink's target is untouched" test "$(cat "$work/victim")" = keep
expect "the symlink is still a symlink" test -L "$work/link.json"
# never /dev/null itself: a regression would replace it for the whole machine
if mknod "$work/null" c 1 3 2>/dev/null; then
	bad_input "-o onto a device" 'a device' "$schemad" inspect "sqlite:$work/a.db" -o "$work/null"
	expect "the device is still a device" test -c "$work/null"
else # not root: a socket is the other kind of special file anyone can make
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$work/sock"
	bad_input "-o onto a socket" 'a socket' "$schemad" inspect "sqlite:$work/a.db" -o "$work/sock"
	expect "the socket is still a socket" test -S "$work/sock"
fi
# a symlink planted at the predictable name "PATH.tmp.PID" (the shell's pid is schemad's after exec)
mkdir "$work/d"
check "-o with a planted temporary name" 0 sh -c 'ln -s "$1" "$2.tmp.$$" && exec "$3" inspect "sqlite:$4" -o "$2"' \
	sh "$work/victim" "$work/d/out.json" "$schemad" "$work/a.db"
rm -f "$work/d/out.json.tmp."*
expect "the planted symlinks' target is untouched" test "$(cat "$work/victim")" = keep
expect "the output is a regular file" test -f "$work/d/out.json" -a ! -L "$work/d/out.json"
expect "no temporary file left" test "$(find "$work/d" -type f | wc -l)" -eq 1

echo "hostile_inputs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
