#!/usr/bin/env bash
# tests/integration/hostile/dumps.sh SCHEMAD: dumps are input, maybe from
# an untrusted branch. A PostgreSQL or MariaDB dump loads into its scratch
# database as a throwaway role/user that owns that database and nothing
# else: COPY ... TO PROGRAM, server files and the FILE privilege are out of
# reach, also after RESET ROLE; each statement stops at --statement-timeout
# even when the dump lifts the server's own limit; extensions still load;
# no scratch database, role or user is left behind.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d /tmp/schemad-hostile-dumps.XXXXXX)
chmod 777 "$work" # the servers run as other users: they must be able to write here
. "$here/../mysql/server.sh"
cleanup() {
	"$here/../pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	my_server_stop
	rm -rf "$work"
}
trap cleanup EXIT
refused() { # refused NAME FRAGMENT DUMP DIALECT DEV [ARGS...]: exit 2, one line naming FRAGMENT
	local name=$1 fragment=$2 dump=$3 dialect=$4 dev=$5
	shift 5
	timeout 60 "$schemad" diff "$dump" "$dump" --dialect "$dialect" --dev-url "$dev" "$@" \
		>"$work/out" 2>"$work/err"
	local rc=$?
	sd_check "$name: exit 2 (got $rc)" test "$rc" -eq 2
	sd_check "$name: one line naming '$fragment'" \
		bash -c "test \$(wc -l <'$work/err') -eq 1 && grep -qF -- \"$fragment\" '$work/err'"
}

# ---- PostgreSQL ------------------------------------------------------------
mkdir "$work/pg" && chmod 777 "$work/pg"
"$here/../pg/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 2; }
dev="postgres://postgres@/postgres?host=$work/pg"
psql_() { psql -X -q -At -h "$work/pg" -U postgres -d postgres "$@"; }

printf 'CREATE TABLE t (id int);\nCOPY (SELECT 1) TO PROGRAM %s;\n' "'touch $work/pg_program'" >"$work/program.sql"
refused "pg COPY TO PROGRAM" "program.sql:2: must be superuser" "$work/program.sql" postgres "$dev"
sd_check "pg: the program did not run" test ! -e "$work/pg_program"
printf 'RESET ROLE;\nSET SESSION AUTHORIZATION postgres;\nCOPY (SELECT 1) TO PROGRAM %s;\n' "'touch $work/pg_program'" >"$work/escape.sql"
refused "pg SET SESSION AUTHORIZATION" "escape.sql:2: permission denied" "$work/escape.sql" postgres "$dev"
sd_check "pg: the program did not run" test ! -e "$work/pg_program"
printf 'CREATE TABLE t AS SELECT pg_read_file(%s) AS x;\n' "'/etc/passwd'" >"$work/read.sql"
refused "pg server file read" "read.sql:1: permission denied" "$work/read.sql" postgres "$dev"
printf 'CREATE TABLE t (id int);\nSET statement_timeout = 0;\nSELECT pg_sleep(120);\n' >"$work/sleep.sql"
start=$(date +%s)
refused "pg statement past the timeout" "sleep.sql:3: the statement ran longer than 2000ms" \
	"$work/sleep.sql" postgres "$dev" --statement-timeout 2s
sd_check "pg: stopped within 15 s" test $(($(date +%s) - start)) -lt 15
printf 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE t (id int, v text);\nALTER TABLE public.t OWNER TO postgres;\nCREATE INDEX t_v ON t USING gin (v gin_trgm_ops);\n' >"$work/ext.sql"
sd_check "pg: a dump with an extension and owners still loads" \
	"$schemad" inspect "$work/ext.sql" --dialect postgres --dev-url "$dev" -o "$work/ext.json"
sd_check "pg: ... and reads its index" grep -q '"t_v"' "$work/ext.json"
sd_check "pg: no scratch database left" test -z "$(psql_ -c "SELECT datname FROM pg_database WHERE datname LIKE 'schemad_scratch%'")"
sd_check "pg: no scratch role left" test -z "$(psql_ -c "SELECT rolname FROM pg_roles WHERE rolname LIKE 'schemad_scratch%'")"

# ---- MariaDB ---------------------------------------------------------------
mkdir "$work/my"
my_server_start "$work/my" || { echo "cannot start MariaDB"; exit 2; }
mdev="mysql://root@localhost/mysql$MY_URL_OPTS"
printf 'CREATE TABLE t (id int);\nSELECT 1 INTO OUTFILE "%s";\n' "$work/my_outfile" >"$work/outfile.sql"
refused "mysql INTO OUTFILE" "outfile.sql:2: Access denied; you need (at least one of) the FILE privilege" \
	"$work/outfile.sql" mysql "$mdev"
sd_check "mysql: no file written" test ! -e "$work/my_outfile"
printf 'GRANT ALL PRIVILEGES ON *.* TO CURRENT_USER;\n' >"$work/grant.sql"
refused "mysql GRANT to itself" "grant.sql:1: Access denied" "$work/grant.sql" mysql "$mdev"
printf 'CREATE TABLE t (id int);\nLOAD DATA LOCAL INFILE "/etc/hostname" INTO TABLE t;\n' >"$work/local.sql"
refused "mysql LOAD DATA LOCAL (our files)" "local.sql:2:" "$work/local.sql" mysql "$mdev"
printf 'CREATE TABLE t (id int);\nSET SESSION max_statement_time = 0;\nSELECT SLEEP(120);\n' >"$work/msleep.sql"
start=$(date +%s)
refused "mysql statement past the timeout" "msleep.sql:3: the statement ran longer than 2000ms" \
	"$work/msleep.sql" mysql "$mdev" --statement-timeout 2s
sd_check "mysql: stopped within 15 s" test $(($(date +%s) - start)) -lt 15
sd_check "mysql: the statement was killed on the server" \
	test -z "$(my -N -e "SELECT id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP%'")"
printf 'CREATE TABLE t (id int);\nDELIMITER ;;\nCREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.id = 1 */;\n' >"$work/definer.sql"
sd_check "mysql: a dump with DEFINER clauses still loads" \
	"$schemad" inspect "$work/definer.sql" --dialect mysql --dev-url "$mdev" -o "$work/definer.json"
sd_check "mysql: ... with its routine and trigger" grep -q '"tr"' "$work/definer.json"
sd_check "mysql: no scratch database left" test -z "$(my -N -e "SHOW DATABASES LIKE 'schemad_scratch%'")"
sd_check "mysql: no scratch user left" test -z "$(my -N -e "SELECT user FROM mysql.user WHERE user LIKE 'schemad%'")"

sd_finish
