#!/usr/bin/env bash
# tests/integration/hostile/mysql.sh SCHEMAD: hostile names converge on
# MariaDB. mysql.sql puts quotes, backticks, backslashes, newlines, "--",
# "#", "*/", ";", DELIMITER lines, unicode, 64-character names and case
# twins on every object kind, in names, comments, defaults and bodies. The
# plan is applied with the mariadb client: it must converge both ways, and
# no object may appear that the source does not have (every name holds a
# "CREATE TABLE pwned" that runs if it escapes). Bodies hold backslashes:
# they must be read as written (SHOW CREATE), not as information_schema
# decodes them. The plan must also apply from a session in
# NO_BACKSLASH_ESCAPES mode (it pins the mode it is written for).
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../mysql/server.sh"
work=$(mktemp -d)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }
objects() { # objects DB: every object's kind and name, one per line, sorted
	my -N -r -B -e "
	SELECT CONCAT('table ', HEX(TABLE_NAME)) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$1'
	UNION ALL SELECT CONCAT(ROUTINE_TYPE, ' ', HEX(ROUTINE_NAME)) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '$1'
	UNION ALL SELECT CONCAT('trigger ', HEX(TRIGGER_NAME)) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$1'
	UNION ALL SELECT CONCAT('event ', HEX(EVENT_NAME)) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '$1'
	UNION ALL SELECT CONCAT('index ', HEX(TABLE_NAME), ' ', HEX(INDEX_NAME)) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '$1' GROUP BY TABLE_NAME, INDEX_NAME
	UNION ALL SELECT CONCAT('constraint ', HEX(TABLE_NAME), ' ', HEX(CONSTRAINT_NAME)) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = '$1'" | sort
}
no_pwned() { test "$(my -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'pwned'")" -eq 0; }
cmp_objects() { objects "$1" | cmp -s "$work/ha.objects" -; }
fresh() { my -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\`"; }

fresh ha && my ha <"$here/mysql.sql" || { echo "mysql.sql does not load"; exit 2; }
sd_check "the source itself holds no pwned table" no_pwned
objects ha >"$work/ha.objects"
sd_check "the source has objects of every kind" \
	test "$(cut -d' ' -f1 "$work/ha.objects" | sort -u | tr '\n' ' ')" = "FUNCTION PROCEDURE constraint event index table trigger "

# empty -> hostile, applied by the client
fresh hb
"$schemad" diff "$(url hb)" "$(url ha)" --format sql >"$work/up.sql"
sd_check "a plan is written (exit 1: drift)" test $? -eq 1
sd_check "the plan applies with the mariadb client" my hb <"$work/up.sql"
sd_check "it converges: no drift" "$schemad" diff "$(url hb)" "$(url ha)"
objects hb >"$work/hb.objects"
sd_check "exactly the source's objects, nothing extra" cmp -s "$work/ha.objects" "$work/hb.objects"
sd_check "no pwned table anywhere" no_pwned
sd_check "a trigger body keeps its backslashes" \
	test "$(my -N -r -B hb -e "SELECT ACTION_STATEMENT = (SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'ha') FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'hb'")" = 1

# hostile -> empty: everything dropped, nothing else
"$schemad" diff "$(url ha)" "$(url hb)" --format sql >/dev/null # warm: both read
fresh hc && my hc <"$here/mysql.sql"
fresh hd
"$schemad" diff "$(url hc)" "$(url hd)" --format sql >"$work/down.sql"
sd_check "the dropping plan applies" my hc <"$work/down.sql"
sd_check "it converges: nothing left" "$schemad" diff "$(url hc)" "$(url hd)"
sd_check "... and nothing appeared" test -z "$(objects hc)"

# a client session in NO_BACKSLASH_ESCAPES: the plan pins the mode it is written for
fresh he
sd_check "the plan applies from a NO_BACKSLASH_ESCAPES session" \
	my --init-command="SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'" he <"$work/up.sql"
sd_check "... and converges" "$schemad" diff "$(url he)" "$(url ha)"
sd_check "... with nothing extra" cmp_objects he
sd_check "no pwned table anywhere" no_pwned

sd_finish
