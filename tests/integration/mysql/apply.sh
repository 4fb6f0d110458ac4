#!/usr/bin/env bash
# tests/integration/mysql/apply.sh SCHEMAD: `schemad apply` on a real
# MariaDB this script starts (server.sh) and stops on exit.
#   M1  a plan that fails half-way (a unique index over duplicates) stops at
#       the failure, exits 2, and lists what was applied, what failed and
#       what did not run; the applied statement stays;
#   M2  once the data is fixed, running the same apply again finishes the
#       job and verifies (exit 0);
#   M3  a metadata lock held by another session: the statement waits no
#       longer than lock_wait_timeout and the run stops (exit 2);
#   M4  an ALTER scored INSTANT that the server can only do by rebuilding
#       (a column added to a table with a FULLTEXT index) is refused by the
#       server, not silently rebuilt; --allow-copy lets it run;
#   M5  inspect's snapshot of a table with a primary key is a SOURCE again
#       (the reader required the name MySQL's primary key does not have),
#       so a saved plan, whose TO is such a snapshot, runs and verifies.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/server.sh"
work=$(sd_workdir myapply)
holder=
trap '[ -z "$holder" ] || kill "$holder" 2>/dev/null; my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }
my -e "CREATE DATABASE a; CREATE DATABASE b"
my a -e "CREATE TABLE t (id int PRIMARY KEY, x varchar(10)); INSERT INTO t VALUES (1, 'dup'), (2, 'dup');
	CREATE TABLE w (id int)"
my b -e "CREATE TABLE t (id int PRIMARY KEY, x varchar(10), UNIQUE KEY t_x (x)); CREATE TABLE u (id int);
	CREATE TABLE w (id int, z int)"

# ---- M1 half-way -----------------------------------------------------------
"$schemad" apply "$(url a)" "$(url b)" --auto-approve >"$work/out" 2>"$work/err"
rc=$?
sd_check "M1 a failing statement: exit 2" [ $rc -eq 2 ]
sd_check "M1 the failure is named" grep -q "Duplicate entry 'dup'" "$work/err"
sd_check "M1 the report lists applied, failed and not-run statements" sh -c "
	grep -q '^  applied .*CREATE TABLE \`u\`' '$work/err' &&
	grep -q '^  failed .*ALTER TABLE \`t\`' '$work/err' &&
	grep -q '^  not run .*ALTER TABLE \`w\`' '$work/err'"
sd_check "M1 the applied statement stays (table u)" [ "$(my -N a -e "SHOW TABLES LIKE 'u'")" = u ]

# ---- M2 the second run ----------------------------------------------------------
my a -e "UPDATE t SET x = 'one' WHERE id = 1"
"$schemad" apply "$(url a)" "$(url b)" --auto-approve >"$work/out" 2>"$work/err"
sd_check "M2 the second run completes and verifies: exit 0" [ $? -eq 0 ]
sd_check "M2 no drift left" "$schemad" diff "$(url a)" "$(url b)" -f json -o "$work/d.json"

# ---- M3 lock_wait_timeout ---------------------------------------------------------
my b -e "ALTER TABLE w ADD COLUMN q int"
(my a -e "LOCK TABLES w WRITE; SELECT SLEEP(30)" >/dev/null 2>&1) &
holder=$!
# SLEEP runs after LOCK TABLES returned: the lock is held.
sd_await 30 "M3 the holder locks w" sh -c "[ \"\$(mariadb --no-defaults -S '$MY_SOCK' -uroot -N -e \"SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'\")\" = 1 ]"
start=$(date +%s)
"$schemad" apply "$(url a)" "$(url b)" --auto-approve --lock-timeout 1s >"$work/out" 2>"$work/err"
rc=$?
took=$(($(date +%s) - start))
sd_check "M3 behind a held lock: exit 2 within seconds ($took s)" [ $rc -eq 2 -a $took -lt 15 ]
sd_check "M3 the plan's ALTER waited, not the read" sh -c "
	grep -q 'statement [0-9]* of [0-9]* .*Lock wait timeout exceeded' '$work/err' &&
	grep -q '^  failed .*ALTER TABLE \`w\`' '$work/err'"

# ---- M4 the algorithm the plan assumed ------------------------------------------------
kill "$holder" 2>/dev/null
my -e "KILL (SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%')" 2>/dev/null ||
	my -N -e "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'" |
	while read -r id; do my -e "KILL $id"; done
holder=
my -e "CREATE DATABASE c; CREATE DATABASE d"
my c -e "CREATE TABLE f (id int PRIMARY KEY, body text, FULLTEXT KEY fb (body))"
my d -e "CREATE TABLE f (id int PRIMARY KEY, body text, extra int, FULLTEXT KEY fb (body))"
"$schemad" apply "$(url c)" "$(url d)" --dry-run >"$work/out" 2>/dev/null
sd_check "M4 the plan names the algorithm its score assumed" grep -q "ALGORITHM=INSTANT;" "$work/out"
"$schemad" apply "$(url c)" "$(url d)" >"$work/out" 2>"$work/err"
rc=$?
sd_check "M4 the server refuses to rebuild: exit 2" [ $rc -eq 2 ]
sd_check "M4 the refusal is the server's" grep -q "ALGORITHM=INSTANT is not supported" "$work/err"
sd_check "M4 the table is unchanged" [ -z "$(my -N c -e "SHOW COLUMNS FROM f LIKE 'extra'")" ]
"$schemad" apply "$(url c)" "$(url d)" --allow-copy >"$work/out" 2>"$work/err"
sd_check "M4 --allow-copy runs it: exit 0" [ $? -eq 0 ]

# ---- M5 snapshots and saved plans --------------------------------------------------
my -e "CREATE DATABASE e; CREATE DATABASE g"
my e -e "CREATE TABLE k (id bigint NOT NULL, name varchar(20), PRIMARY KEY (id))"
my g -e "CREATE TABLE k (id bigint NOT NULL, name varchar(20), note int, PRIMARY KEY (id), UNIQUE KEY k_name (name))"
"$schemad" inspect "$(url g)" -o "$work/g.json"
"$schemad" diff "$work/g.json" "$(url g)" >"$work/out" 2>"$work/err"
sd_check "M5 the snapshot reads back as the database: exit 0" [ $? -eq 0 ]
"$schemad" diff "$(url e)" "$(url g)" --format plan -o "$work/plan.json"
"$schemad" apply --plan "$work/plan.json" "$(url e)" --auto-approve >"$work/out" 2>"$work/err"
sd_check "M5 the saved plan runs and verifies: exit 0" [ $? -eq 0 ]
sd_finish
