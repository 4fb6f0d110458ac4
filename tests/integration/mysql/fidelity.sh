#!/usr/bin/env bash
# tests/integration/mysql/fidelity.sh SCHEMAD: what MariaDB keeps of how a
# schema was written, on a private MariaDB (server.sh) stopped on exit.
#
# F1  a CHECK written on its column vs the same CHECK on the table, and
# F2  ON DELETE / ON UPDATE NO ACTION spelled out vs left out:
#     each way, `schemad diff` reports one cosmetic change (check.form,
#     foreign_key.form) scored 0-5 in text and JSON; the plan written with
#     --format sql, run by the mariadb client, and `schemad apply` each leave
#     SHOW CREATE TABLE of A equal to B's, and no drift; --ignore form and
#     --fail-on low pass it;
# F3  a column that keeps its column CHECK while its type changes: the
#     plan's MODIFY COLUMN restates the CHECK (MariaDB drops it otherwise);
# F4  a change of meaning next to a cosmetic one scores as it does alone;
# F5  MEMORY: an index USING BTREE (not that engine's default, HASH) is
#     created USING BTREE.
# USING BTREE on other engines is not read (docs/mysql.md): not tested here.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/server.sh"
work=$(sd_workdir myfid)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }

load() { # load DB SQL
	my_fresh_db "$1" && my "$1" -e "$2" || { sd_check "loads: $2" false; return 1; }
}
# SHOW CREATE TABLE of every table of DB, in name order.
shown() {
	local t
	for t in $(my -N "$1" -e "SHOW TABLES" | sort); do
		my -N "$1" -e "SHOW CREATE TABLE \`$t\`"
	done
}
same_tables() { [ "$(shown "$1")" = "$(shown "$2")" ]; }
no_drift() { "$schemad" diff "$(url "$1")" "$(url "$2")" >/dev/null; }

# cosmetic NAME KIND SQL_A SQL_B: the checks above, A -> B.
cosmetic() {
	local name=$1 kind=$2 a=$3 b=$4
	load fa "$a" && load fb "$b" || { sd_check "$name: loads" false; return; }
	"$schemad" diff "$(url fa)" "$(url fb)" >"$work/text"
	rc=$?
	sd_check "$name: text: exit 1, one change of score 0 ($(head -1 "$work/text"))" \
		sh -c "[ $rc -eq 1 ] && grep -q '^Drift: 1 change, score 0 ' '$work/text' &&
			grep -q '\\[0 none\\] $kind' '$work/text'"
	"$schemad" diff "$(url fa)" "$(url fb)" -f json >"$work/json"
	sd_check "$name: JSON: one $kind change, risk 0-5" python3 -c "
import json, sys
r = json.load(open('$work/json'))
c = r['changes']
sys.exit(not (len(c) == 1 and c[0]['kind'] == '$kind' and 0 <= c[0]['risk'] <= 5
              and r['score'] == c[0]['risk'] and c[0]['aspect'] == 'form'))"
	"$schemad" diff "$(url fa)" "$(url fb)" -f sql >"$work/plan.sql"
	sd_check "$name: the plan runs in the mariadb client" my fa <"$work/plan.sql"
	sd_check "$name: ... SHOW CREATE TABLE of A is B's" same_tables fa fb
	sd_check "$name: ... no drift" no_drift fa fb
	load fa "$a"
	"$schemad" apply "$(url fa)" "$(url fb)" --auto-approve >/dev/null 2>"$work/apply.err"
	sd_check "$name: schemad apply: exit 0" [ $? -eq 0 ]
	sd_check "$name: ... SHOW CREATE TABLE of A is B's" same_tables fa fb
}

# ---- F1 CHECK on the column or on the table -------------------------------
col_check="CREATE TABLE t (id int PRIMARY KEY, a int CHECK (a > 0), b int)"
tab_check="CREATE TABLE t (id int PRIMARY KEY, a int, b int, CHECK (a > 0))"
cosmetic "F1 column CHECK -> table CHECK" check.form "$col_check" "$tab_check"
cosmetic "F1 table CHECK -> column CHECK" check.form "$tab_check" "$col_check"
load fa "$col_check" && load fb "$tab_check"
sd_check "F1 --ignore form: no drift" "$schemad" diff "$(url fa)" "$(url fb)" --ignore form
sd_check "F1 --fail-on low: a cosmetic change passes" "$schemad" diff "$(url fa)" "$(url fb)" --fail-on low
# A column CHECK may read other columns: on which column it sits is the form.
cosmetic "F1 column CHECK moves to another column" check.form \
	"CREATE TABLE t (id int PRIMARY KEY, a int CHECK (a > b), b int)" \
	"CREATE TABLE t (id int PRIMARY KEY, a int, b int CHECK (a > b))"

# ---- F2 NO ACTION spelled out -----------------------------------------------
parent="CREATE TABLE p (id int PRIMARY KEY);"
fk() { echo "$parent CREATE TABLE c (id int PRIMARY KEY, p int, CONSTRAINT c_p FOREIGN KEY (p) REFERENCES p (id)${1:-})"; }
cosmetic "F2 ON DELETE NO ACTION left out -> written" foreign_key.form "$(fk)" "$(fk ' ON DELETE NO ACTION')"
cosmetic "F2 ON DELETE NO ACTION written -> left out" foreign_key.form "$(fk ' ON DELETE NO ACTION')" "$(fk)"
cosmetic "F2 ON UPDATE NO ACTION written, RESTRICT left as is" foreign_key.form \
	"$(fk ' ON DELETE RESTRICT')" "$(fk ' ON DELETE RESTRICT ON UPDATE NO ACTION')"
cosmetic "F2 both written -> ON DELETE only" foreign_key.form \
	"$(fk ' ON DELETE NO ACTION ON UPDATE NO ACTION')" "$(fk ' ON DELETE NO ACTION')"

# ---- F3 a column keeps its CHECK through MODIFY COLUMN ---------------------------
load fa "CREATE TABLE t (id int PRIMARY KEY, a int COMMENT 'qty' CHECK (a > 0))"
load fb "CREATE TABLE t (id int PRIMARY KEY, a bigint COMMENT 'qty' CHECK (a > 0))"
"$schemad" diff "$(url fa)" "$(url fb)" -f sql >"$work/plan.sql"
sd_check "F3 MODIFY COLUMN restates the column's CHECK" \
	grep -q "MODIFY COLUMN \`a\` bigint NULL COMMENT 'qty' CHECK (\`a\` > 0)" "$work/plan.sql"
my fa <"$work/plan.sql"
sd_check "F3 ... SHOW CREATE TABLE of A is B's" same_tables fa fb
sd_check "F3 ... no drift" no_drift fa fb

# ---- F4 meaning and form together ----------------------------------------------
score() { # score A_DB B_DB: the diff's score
	"$schemad" diff "$(url "$1")" "$(url "$2")" -f json |
		python3 -c "import json, sys; print(json.load(sys.stdin)['score'])"
}
load fa "$col_check"
load fb "CREATE TABLE t (id int PRIMARY KEY, a bigint, b int, CHECK (a > 0))"
load fb2 "CREATE TABLE t (id int PRIMARY KEY, a bigint CHECK (a > 0), b int)"
both=$(score fa fb) alone=$(score fa fb2)
sd_check "F4 a retype with a CHECK moved scores as the retype alone ($both, $alone)" \
	[ -n "$both" -a "$both" = "$alone" -a "${alone:-0}" -gt 5 ]
"$schemad" diff "$(url fa)" "$(url fb)" -f json >"$work/json"
sd_check "F4 ... and lists both changes" python3 -c "
import json, sys
k = sorted(c['kind'] for c in json.load(open('$work/json'))['changes'])
sys.exit(k != ['check.form', 'column.type_widen'])"
"$schemad" diff "$(url fa)" "$(url fb)" -f sql | my fa
sd_check "F4 ... converges to B's SHOW CREATE TABLE" same_tables fa fb

# ---- F5 MEMORY and USING BTREE ----------------------------------------------------
load fa "CREATE TABLE m (id int, a int, KEY ka (a)) ENGINE=MEMORY"
load fb "CREATE TABLE m (id int, a int, KEY ka (a) USING BTREE) ENGINE=MEMORY"
"$schemad" diff "$(url fa)" "$(url fb)" -f json >"$work/json"
sd_check "F5 HASH -> BTREE on MEMORY is a change of the index" grep -q '"kind": "index.alter"' "$work/json"
"$schemad" diff "$(url fa)" "$(url fb)" -f sql | my fa
sd_check "F5 ... the plan writes USING BTREE: B's SHOW CREATE TABLE" same_tables fa fb
sd_check "F5 ... no drift" no_drift fa fb
sd_finish
