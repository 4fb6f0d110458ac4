#!/usr/bin/env bash
# tests/integration/mysql/sequences.sh SCHEMAD: MariaDB sequences (CREATE
# SEQUENCE) on a private MariaDB (server.sh) stopped on exit.
#
# Q1  reading: inspect lists each sequence with its options (not its
#     current value); the read leaves the sequence as it was
#     (next_not_cached_value unchanged); the general log shows one query
#     for all sequences, inside the read-only transaction, nothing that
#     takes a value (NEXTVAL, SETVAL), the same statement count for 1 and
#     40 sequences, and no such query without a sequence;
# Q2  privileges: a user with SELECT only reads them; a sequence the user
#     sees but may not SELECT fails the read (exit 2), naming it;
# Q3  convergence, one case per change (added, dropped, each option, the
#     engine, the comment, a hostile name, a table DEFAULT NEXT VALUE FOR
#     added and dropped with its sequence): no drift between two loads of
#     B; the A -> B plan run by the mariadb client, and by `schemad apply`,
#     leaves no drift and SHOW CREATE SEQUENCE of A equal to B's; the
#     snapshot of B reads back as B;
# Q4  plan order: the sequence is created before the table whose DEFAULT
#     reads it and dropped after it; a raised MINVALUE moves the value up
#     first (SETVAL), never down;
# Q5  risk: added, dropped and changed sequences are scored as README says;
# Q6  a mariadb-dump --no-data file with a sequence a DEFAULT reads loads
#     (--dev-url) and shows no drift against the database it came from;
# Q7  a plan is refused (exit 2, naming the sequence) when TO's definition
#     is not the reader's option list, or when it would run on MySQL.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/server.sh"
work=$(sd_workdir myseq)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }

load() { # load DB SQL
	my_fresh_db "$1" && my "$1" -e "$2" >/dev/null || { echo "    cannot load into $1: $2"; return 1; }
}
no_drift() { "$schemad" diff "$(url "$1")" "$(url "$2")" >"$work/nodrift.out" 2>&1; }
# SHOW CREATE SEQUENCE of every sequence of DB, in name order.
sequences_shown() {
	my -N "$1" -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
		AND TABLE_TYPE = 'SEQUENCE' ORDER BY BINARY TABLE_NAME" |
		while IFS= read -r s; do
			my -N "$1" -e "SHOW CREATE SEQUENCE \`${s//\`/\`\`}\`"
		done
}
same_sequences() { [ "$(sequences_shown "$1")" = "$(sequences_shown "$2")" ]; }

# ---- Q1 reading ----------------------------------------------------------
load q1 "CREATE SEQUENCE s START WITH 10 INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 CACHE 20 CYCLE;
	SELECT NEXTVAL(s), NEXTVAL(s)" >/dev/null
before=$(my -N q1 -e "SELECT next_not_cached_value FROM s")
"$schemad" inspect "$(url q1)" -o "$work/q1.json"
sd_check "Q1 inspect lists the sequence with its options" python3 -c "
import json, sys
o = json.load(open('$work/q1.json'))['objects']
sys.exit(not (len(o) == 1 and o[0]['kind'] == 'sequence' and o[0]['name'] == 's' and
  o[0]['definition'] == 'START WITH 10 INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 CACHE 20 CYCLE'))"
sd_check "Q1 ... and no current value" bash -c "! grep -q 'next_not_cached\\|110' '$work/q1.json'"
sd_check "Q1 the read leaves the sequence as it was ($before)" \
	[ "$before" = "$(my -N q1 -e "SELECT next_not_cached_value FROM s")" ]

logged() { # logged DB: the statements one inspect of DB sends
	my -e "SET GLOBAL general_log_file = '$work/general.log', GLOBAL log_output = 'FILE'"
	: >"$work/general.log"
	my -e "SET GLOBAL general_log = 1"
	"$schemad" inspect "$(url "$1")" >/dev/null
	my -e "SET GLOBAL general_log = 0"
	grep -E ' (Query|Execute|Prepare)	' "$work/general.log" | grep -v general_log
}
many="CREATE TABLE t (id int PRIMARY KEY);"
for i in $(seq 1 40); do many="$many CREATE SEQUENCE s$i START WITH $i;"; done
load one "CREATE TABLE t (id int PRIMARY KEY); CREATE SEQUENCE s1;"
load forty "$many"
load none "CREATE TABLE t (id int PRIMARY KEY)"
logged one >"$work/log_one"
logged forty >"$work/log_forty"
logged none >"$work/log_none"
n_one=$(wc -l <"$work/log_one") n_forty=$(wc -l <"$work/log_forty")
sd_check "Q1 same statement count for 1 and 40 sequences ($n_one, $n_forty)" [ "$n_one" -eq "$n_forty" ]
sd_check "Q1 one query reads all 40 sequences" \
	[ "$(grep -c 'Execute	SELECT .*start_value.* UNION ALL SELECT ' "$work/log_forty")" -eq 1 ]
sd_check "Q1 ... and names each, quoted" [ "$(grep 'Execute	SELECT .*start_value' "$work/log_forty" |
	grep -o 'FROM `forty`\.`s[0-9]*`' | sort -u | wc -l)" -eq 40 ]
sd_check "Q1 ... inside the read-only transaction" python3 -c "
import sys
lines = open('$work/log_forty').read().splitlines()
def at(word):
    return next(i for i, l in enumerate(lines) if word in l)
sys.exit(not (at('READ ONLY') < at('UNION ALL') < at('ROLLBACK')))"
sd_check "Q1 nothing takes or sets a value" \
	bash -c "! grep -iE 'nextval|setval|lastval|next value' '$work/log_forty' '$work/log_one'"
sd_check "Q1 no sequence query without a sequence" bash -c "! grep -q start_value '$work/log_none'"
# Under NO_BACKSLASH_ESCAPES a backslash in a string literal means itself:
# the query names sequences only as identifiers, so both modes read alike.
mode=$(my -N -e "SELECT @@GLOBAL.sql_mode")
for m in "$mode" "$mode,NO_BACKSLASH_ESCAPES"; do
	my -e "SET GLOBAL sql_mode = '${m#,}'"
	load bs "CREATE SEQUENCE \`a\\b'c\` START WITH 42"
	"$schemad" inspect "$(url bs)" >"$work/bs.json" 2>&1
	sd_check "Q1 a name with a backslash and a quote, sql_mode '${m#,}'" python3 -c "
import json, sys
o = json.load(open('$work/bs.json'))['objects']
sys.exit(not (len(o) == 1 and o[0]['name'] == 'a\\\\b\\'c' and 'START WITH 42 ' in o[0]['definition']))"
done
my -e "SET GLOBAL sql_mode = '$mode'"

# ---- Q2 privileges -------------------------------------------------------
my -e "CREATE USER seqro@localhost IDENTIFIED BY 'pw'; GRANT SELECT ON q1.* TO seqro@localhost;
	CREATE USER seqins@localhost IDENTIFIED BY 'pw'; GRANT INSERT ON q1.s TO seqins@localhost"
"$schemad" inspect "mysql://seqro:pw@localhost/q1$MY_URL_OPTS" -o "$work/ro.json"
sd_check "Q2 a user with SELECT only reads the sequence" \
	bash -c "'$schemad' diff '$work/ro.json' '$work/q1.json' >/dev/null"
"$schemad" inspect "mysql://seqins:pw@localhost/q1$MY_URL_OPTS" >/dev/null 2>"$work/ins.err"
rc=$?
sd_check "Q2 a sequence the user may not SELECT: exit 2 ($rc)" [ "$rc" -eq 2 ]
sd_check "Q2 ... the error names it: $(head -c 200 "$work/ins.err")" \
	grep -q 'sequences.*`q1`.`s`' "$work/ins.err"

# ---- Q3 convergence --------------------------------------------------------
base="CREATE SEQUENCE s START WITH 100 INCREMENT BY 1 MINVALUE 1 MAXVALUE 100000 CACHE 10 NOCYCLE"
raised="CREATE SEQUENCE s START WITH 5000 INCREMENT BY 1 MINVALUE 5000 MAXVALUE 100000 CACHE 10 NOCYCLE"
# converge NAME SQL_A SQL_B: the checks of Q3, A -> B.
converge() {
	local name=$1 a=$2 b=$3
	load ca "$a" && load cb "$b" && load cb2 "$b" || { sd_check "$name: loads" false; return; }
	sd_check "$name: no drift between two loads of B" no_drift cb cb2
	"$schemad" diff "$(url ca)" "$(url cb)" >"$work/diff.out"
	sd_check "$name: A and B differ" [ $? -eq 1 ]
	"$schemad" diff "$(url ca)" "$(url cb)" -f sql >"$work/plan.sql"
	sd_check "$name: the plan runs in the mariadb client" my ca <"$work/plan.sql" >/dev/null
	sd_check "$name: ... no drift" no_drift ca cb
	sd_check "$name: ... SHOW CREATE SEQUENCE of A is B's" same_sequences ca cb
	load ca "$a"
	"$schemad" apply "$(url ca)" "$(url cb)" --auto-approve >/dev/null 2>"$work/apply.err"
	sd_check "$name: schemad apply: exit 0" [ $? -eq 0 ]
	sd_check "$name: ... no drift" no_drift ca cb
	"$schemad" inspect "$(url cb)" -o "$work/b.json"
	sd_check "$name: the snapshot of B reads back as B" \
		"$schemad" diff "$work/b.json" "$(url cb2)" >/dev/null
	load ca "$a"
	"$schemad" diff "$(url ca)" "$work/b.json" -f sql | my ca >/dev/null
	sd_check "$name: the plan to B's snapshot converges too" no_drift ca cb
}
converge "Q3 added" "" "$base"
converge "Q3 dropped" "$base" ""
converge "Q3 START WITH" "$base" "${base/START WITH 100/START WITH 500}"
converge "Q3 INCREMENT BY" "$base" "${base/INCREMENT BY 1/INCREMENT BY 7}"
converge "Q3 MINVALUE lowered" "$base" "${base/MINVALUE 1/MINVALUE -50}"
converge "Q3 MINVALUE raised past the next value" "$base; SELECT NEXTVAL(s)" "$raised"
converge "Q3 MAXVALUE" "$base" "${base/MAXVALUE 100000/MAXVALUE 200}"
converge "Q3 CACHE" "$base" "${base/CACHE 10/CACHE 0}"
converge "Q3 CYCLE" "$base" "${base/NOCYCLE/CYCLE}"
converge "Q3 NOCYCLE" "${base/NOCYCLE/CYCLE}" "$base"
converge "Q3 descending, MAXVALUE lowered" \
	"CREATE SEQUENCE d INCREMENT BY -1" "CREATE SEQUENCE d INCREMENT BY -1 MAXVALUE -100 START WITH -100"
converge "Q3 engine" "$base" "$base ENGINE=Aria"
converge "Q3 comment" "$base COMMENT 'one'" "$base COMMENT 'it''s \\\\ two'"
hostile='`we``ird '"'"'q'"'"' sp ä€`'
converge "Q3 hostile name added" "" "CREATE SEQUENCE $hostile START WITH 3"
converge "Q3 hostile name changed" "CREATE SEQUENCE $hostile START WITH 3" "CREATE SEQUENCE $hostile START WITH 4 CYCLE"
converge "Q3 hostile name dropped" "CREATE SEQUENCE $hostile" ""
uses="CREATE TABLE orders (id bigint PRIMARY KEY DEFAULT (NEXT VALUE FOR $hostile), n int DEFAULT NEXTVAL($hostile))"
converge "Q3 a table DEFAULT NEXT VALUE FOR, added with its sequence" \
	"" "CREATE SEQUENCE $hostile; $uses"
converge "Q3 ... dropped with its sequence" "CREATE SEQUENCE $hostile; $uses" ""
converge "Q3 ... a column default moves to another sequence" \
	"CREATE SEQUENCE a1; CREATE TABLE t (id int DEFAULT NEXTVAL(a1))" \
	"CREATE SEQUENCE b1; CREATE TABLE t (id int DEFAULT NEXTVAL(b1))"

# ---- Q4 plan order -------------------------------------------------------------
line_of() { grep -n "$1" "$work/plan.sql" | head -1 | cut -d: -f1; }
load ca "" && load cb "CREATE SEQUENCE s; CREATE TABLE t (id int DEFAULT NEXTVAL(s))"
"$schemad" diff "$(url ca)" "$(url cb)" -f sql >"$work/plan.sql"
sd_check "Q4 CREATE SEQUENCE before the CREATE TABLE that reads it" \
	[ "$(line_of '^CREATE SEQUENCE `s`')" -lt "$(line_of '^CREATE TABLE `t`')" ]
sd_check "Q4 ... the table's default names no database" grep -q 'DEFAULT (nextval(`s`))' "$work/plan.sql"
"$schemad" diff "$(url cb)" "$(url ca)" -f sql >"$work/plan.sql"
sd_check "Q4 DROP SEQUENCE after the DROP TABLE that read it" \
	[ "$(line_of '^DROP SEQUENCE IF EXISTS `s`')" -gt "$(line_of '^DROP TABLE `t`')" ]
sd_check "Q4 ... marked destructive" grep -q '^-- destructive: drops the sequence' "$work/plan.sql"
load ca "$base; SELECT NEXTVAL(s)"
load cb "$raised"
"$schemad" diff "$(url ca)" "$(url cb)" -f sql >"$work/plan.sql"
sd_check "Q4 a raised MINVALUE: SETVAL to it first, then every option" bash -c \
	"grep -A1 '^SELECT SETVAL(\`s\`, 5000, 0);' '$work/plan.sql' | grep -q \
	'^ALTER SEQUENCE \`s\` START WITH 5000 INCREMENT BY 1 MINVALUE 5000 MAXVALUE 100000 CACHE 10 NOCYCLE;'"
my ca <"$work/plan.sql" >/dev/null
sd_check "Q4 ... the next value is the new MINVALUE" [ "$(my -N ca -e 'SELECT NEXTVAL(s)')" = 5000 ]
load ca "$base; SELECT SETVAL(s, 7000)"
my ca <"$work/plan.sql" >/dev/null
sd_check "Q4 ... a value past it stays (never moved down)" [ "$(my -N ca -e 'SELECT NEXTVAL(s)')" = 7001 ]

# ---- Q5 risk ---------------------------------------------------------------------
risk() { # risk A_SQL B_SQL: kind:score of each change
	load ca "$1" && load cb "$2"
	"$schemad" diff "$(url ca)" "$(url cb)" -f json | python3 -c "
import json, sys
print(' '.join('%s:%d' % (c['kind'], c['risk']) for c in json.load(sys.stdin)['changes']))"
}
sd_check "Q5 added: sequence.add 5" [ "$(risk "" "$base")" = "sequence.add:5" ]
sd_check "Q5 dropped: sequence.drop 60" [ "$(risk "$base" "")" = "sequence.drop:60" ]
sd_check "Q5 changed: sequence.alter 30" [ "$(risk "$base" "${base/NOCYCLE/CYCLE}")" = "sequence.alter:30" ]

# ---- Q6 a dump as a source -------------------------------------------------------
# mariadb-dump qualifies a default's sequence with the dumped database:
# the loader reads that name from the dump's header and removes it.
load dumped "CREATE SEQUENCE $hostile START WITH 7 CACHE 5 CYCLE; $uses"
mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --no-data dumped >"$work/dumped.sql"
sd_check "Q6 the dump qualifies the default's sequence" grep -q 'nextval(`dumped`\.' "$work/dumped.sql"
"$schemad" diff "$work/dumped.sql" "$(url dumped)" --dialect mysql \
	--dev-url "$(url mysql)" >"$work/dump.out" 2>&1
rc=$?
sd_check "Q6 mariadb-dump --no-data against the live database: no drift ($(head -c 200 "$work/dump.out"))" \
	[ "$rc" -eq 0 ]

# ---- Q7 plans refused --------------------------------------------------------------
# TO's definition is parsed back into numbers: a snapshot's other text is refused.
load cb "$base"
"$schemad" inspect "$(url cb)" -o "$work/b.json"
python3 - "$work/b.json" "$work/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['objects'][0]['definition'] += '; DROP TABLE users'
json.dump(d, open(sys.argv[2], 'w'))
PY
load ca ""
"$schemad" diff "$(url ca)" "$work/bad.json" -f sql >"$work/bad.out" 2>&1
rc=$?
sd_check "Q7 a snapshot's sequence definition with a statement in it: exit 2 ($rc)" [ "$rc" -eq 2 ]
sd_check "Q7 ... naming the sequence and the field" grep -q 'sequence s: its definition' "$work/bad.out"
sd_check "Q7 ... and no plan written" bash -c "! grep -q 'DROP TABLE users' '$work/bad.out'"
# A plan that runs on MySQL (a snapshot of flavor mysql) cannot create a sequence.
"$schemad" inspect "$(url ca)" -o "$work/a.json"
python3 - "$work/a.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['properties']['flavor'] = 'mysql'
json.dump(d, open(sys.argv[1], 'w'))
PY
"$schemad" diff "$work/a.json" "$(url cb)" -f sql >"$work/mysql.out" 2>&1
rc=$?
sd_check "Q7 a sequence for a MySQL database: exit 2 ($rc), $(head -c 150 "$work/mysql.out")" \
	bash -c "[ $rc -eq 2 ] && grep -q 'sequence s: .*MySQL, which has no sequences' '$work/mysql.out'"

sd_finish
