#!/usr/bin/env bash
# tests/integration/mysql/features.sh SCHEMAD
#
# The MySQL connector against a private MariaDB (server.sh), on the
# hand-written pair features/{a,b}.sql, which changes every feature the
# connector reads. Asserts:
#   - no drift between two loads of b.sql; exit 1 and a critical score on A->B;
#   - the plan converges both ways (A->B and B->A);
#   - plan shape: one ALTER TABLE for child's own changes with FIRST/AFTER,
#     foreign keys dropped before the columns they tie are retyped, re-added after;
#   - introspection runs the same number of statements for 6 and 60 tables,
#     sets the statement timeout, and sends nothing that writes;
#   - a database name with a quote and a backtick is read through the bound
#     parameter; a password never appears in an error.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/server.sh"
work=$(mktemp -d)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }
fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

load_pair() {
	my_fresh_db fa && my_fresh_db fb && my_fresh_db fb2 &&
		my_load "$here/features/a.sql" fa && my_load "$here/features/b.sql" fb &&
		my_load "$here/features/b.sql" fb2
}
load_pair || { echo "features/a.sql or b.sql does not load"; cat "$work/load.err"; exit 2; }

check "two loads of b.sql: no drift" "$schemad" diff "$(url fb)" "$(url fb2)"
"$schemad" diff "$(url fa)" "$(url fb)" --format json >"$work/a_b.json"
check "A->B: exit 1 (drift)" test $? -eq 1
check "A->B: score is critical (table dropped)" grep -q '"band": *"critical"' "$work/a_b.json"

"$schemad" diff "$(url fa)" "$(url fb)" --format sql >"$work/plan.sql"
# Statements, one per line, comments dropped: easy to grep in order.
grep -v '^--' "$work/plan.sql" | tr '\n' ' ' | sed 's/; /;\n/g' >"$work/stmts"
child_main=$(grep -c '^ALTER TABLE `child` .*DROP COLUMN' "$work/stmts")
check "one ALTER TABLE carries child's column, index and check changes" test "$child_main" -eq 1
check "... with a column placed by AFTER" \
	grep -q '^ALTER TABLE `child` .*ADD COLUMN `new_first` .* AFTER `id`' "$work/stmts"
check "... and its new index and check in the same statement" \
	grep -q '^ALTER TABLE `child` .*DROP COLUMN `gone`.*ADD CONSTRAINT `chk_c`.*ADD INDEX `k_new`' "$work/stmts"
check "an index that only turns IGNORED is altered, not rebuilt" \
	grep -q '^ALTER TABLE `child` .*ALTER INDEX `k_hidden` IGNORED' "$work/stmts"
check "... and not dropped" bash -c "! grep -q 'DROP INDEX \`k_hidden\`' '$work/stmts'"
line_of() { grep -n -- "$1" "$work/stmts" | head -1 | cut -d: -f1; }
fk_drop=$(line_of 'DROP FOREIGN KEY `fk_parent`')
retype=$(line_of '^ALTER TABLE `parent` .*MODIFY COLUMN `id` bigint')
fk_add=$(line_of 'ADD CONSTRAINT `fk_parent` FOREIGN KEY')
check "foreign key dropped before parent.id is retyped, added after" \
	test -n "$fk_drop" -a -n "$retype" -a -n "$fk_add" -a "${fk_drop:-0}" -lt "${retype:-0}" -a "${retype:-0}" -lt "${fk_add:-0}"
check "plan applies to A" my fa <"$work/plan.sql"
check "A->B converges: no drift after the plan" "$schemad" diff "$(url fa)" "$(url fb)"

load_pair
"$schemad" diff "$(url fb)" "$(url fa)" --format sql >"$work/rplan.sql"
check "B->A plan applies" my fb <"$work/rplan.sql"
check "B->A converges" "$schemad" diff "$(url fb)" "$(url fa)"

# ---- what introspection sends: the general log --------------------------
many_tables() {
	my_fresh_db many
	for i in $(seq 1 60); do
		echo "CREATE TABLE t$i (id int PRIMARY KEY, v varchar(10), KEY (v));"
	done | my many
}
many_tables
logged() { # logged DB: the statements one inspect of DB sends
	my -e "SET GLOBAL general_log_file = '$work/general.log', GLOBAL log_output = 'FILE'"
	: >"$work/general.log"
	my -e "SET GLOBAL general_log = 1"
	"$schemad" inspect "$(url "$1")" >/dev/null
	my -e "SET GLOBAL general_log = 0"
	grep -E ' (Query|Execute|Prepare)	' "$work/general.log" | grep -v general_log
}
logged fa >"$work/log_small"
logged many >"$work/log_many"
# SHOW CREATE runs once per trigger, routine and event (their true text): fa has 4, many none.
n_small=$(grep -vc 'SHOW CREATE' "$work/log_small")
n_many=$(grep -vc 'SHOW CREATE' "$work/log_many")
check "same statement count for 6 and 60 tables ($n_small, $n_many)" test "$n_small" -eq "$n_many"
check "one SHOW CREATE per trigger, routine and event" \
	test "$(grep -c 'Execute	SHOW CREATE' "$work/log_small")" -eq 4 -a "$(grep -c 'SHOW CREATE' "$work/log_many")" -eq 0
check "catalog queries are prepared with the schema bound" \
	test "$(grep -c 'Prepare	.*information_schema.*= ?' "$work/log_many")" -ge 10
check "session sets max_statement_time" grep -q 'max_statement_time' "$work/log_small"
check "session is read-only" grep -q 'READ ONLY' "$work/log_small"
check "nothing that writes is sent" \
	bash -c "! grep -iE '	(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|TRUNCATE|GRANT|RENAME|LOCK)[ 	]' '$work/log_many' '$work/log_small'"

# ---- names and secrets ---------------------------------------------------
my -e "CREATE DATABASE \`we'ird\`\`db\`; CREATE TABLE \`we'ird\`\`db\`.t (id int PRIMARY KEY)"
check "a database named we'ird\`db is read through the bound parameter" \
	bash -c "'$schemad' inspect 'mysql://root@localhost/we%27ird%60db$MY_URL_OPTS' | grep -q '\"name\": \"t\"'"
"$schemad" inspect "mysql://root:Sup3rSecretPw@localhost/fa$MY_URL_OPTS" >"$work/pw.out" 2>&1
check "a failed login exits 2" test $? -eq 2
check "the password never appears in the error" bash -c "! grep -q Sup3rSecretPw '$work/pw.out'"
check "the error names the redacted URL or the server's reason" grep -q 'Access denied' "$work/pw.out"

echo "$fails failed"
[ "$fails" -eq 0 ]
