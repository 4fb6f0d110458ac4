#!/usr/bin/env bash
# tests/integration/hostile/snapshot_mysql.sh SCHEMAD: a TO snapshot's
# texts cannot smuggle statements into a MySQL/MariaDB plan.
#
# A private MariaDB (mysql/server.sh) holds database src with one object of
# every kind whose text the plan copies, and database live with only the
# table victim (3 rows) that src has too. src is inspected into a snapshot,
# and for each text kind a copy of it is edited to carry a second
# statement (DELETE FROM victim), hide one from the lexer (an executable
# comment, a backslash-escaped quote under NO_BACKSLASH_ESCAPES, a
# "begin" that is an alias, not a block), or leave its clause open.
#   S1  diff live hostile.json --format sql -o plan.sql: exit 2, the error
#       names the object, the field and the target, no plan file written;
#   S2  apply live hostile.json: exit 2, victim keeps its rows and live's
#       schema is unchanged (live is made afresh for each case);
#   S3  the snapshot as inspect wrote it (a procedure, a trigger and an
#       event whose BEGIN ... END bodies hold ';', handlers, labels, CASE;
#       bodies where END names a column, an alias and a variable, IF and
#       REPEAT are functions, comments hold backslashes and client commands)
#       plans and applies, the database then matches it, and no client
#       command in a comment ran;
#   S4  the same with the triggers' order written in (FOLLOWS, PRECEDES:
#       what the user created, which inspect does not read back).
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../mysql/server.sh"
work=$(sd_workdir snaptexts-my)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }
cd "$work" || exit 1

my -e "CREATE DATABASE src; CREATE DATABASE live; CREATE DATABASE ok"
victim="CREATE TABLE victim (id int PRIMARY KEY);"
my --comments src <<'EOF'
CREATE TABLE victim (id int PRIMARY KEY);
CREATE TABLE users (
  id int PRIMARY KEY,
  name varchar(20) COLLATE utf8mb4_bin NOT NULL DEFAULT 'x;y',
  twice int AS (id * 2) VIRTUAL,
  at timestamp NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
  CONSTRAINT name_short CHECK (char_length(name) < 100)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
CREATE TABLE orders (id int, user_id int, KEY (user_id),
  CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE);
CREATE TABLE parts (id int, at int) PARTITION BY RANGE (at) (PARTITION p0 VALUES LESS THAN (10),
  PARTITION p1 VALUES LESS THAN MAXVALUE);
CREATE VIEW v AS SELECT id, name FROM users WHERE name <> ';';
DELIMITER //
CREATE TRIGGER trg BEFORE INSERT ON users FOR EACH ROW
BEGIN
  IF NEW.id < 0 THEN SET NEW.id = 0; END IF;
  SET NEW.name = CASE WHEN NEW.name = '' THEN 'x' ELSE NEW.name END;
END//
CREATE PROCEDURE p(IN n int)
BEGIN
  DECLARE i int DEFAULT 0;
  DECLARE CONTINUE HANDLER FOR SQLSTATE '23000' BEGIN SET i = -1; END;
  outer_loop: LOOP
    SET i = i + 1;
    IF i >= n THEN LEAVE outer_loop; END IF;
  END LOOP outer_loop;
  REPEAT SET i = i - 1; UNTIL i <= 0 END REPEAT;
  CASE n WHEN 1 THEN SELECT 'one;'; ELSE SELECT 'many'; END CASE;
  WHILE i < 2 DO SET i = i + 1; END WHILE;
END//
CREATE FUNCTION f(x int) RETURNS int DETERMINISTIC
BEGIN
  DECLARE y int;
  SET y = x + 1;
  RETURN y;
END//
CREATE EVENT e ON SCHEDULE EVERY 1 DAY DISABLE DO
BEGIN
  DELETE FROM orders WHERE id < 0;
  DELETE FROM orders WHERE id < -1;
END//
CREATE TABLE marks (id int PRIMARY KEY, `end` int, `begin` int, note varchar(20))//
CREATE TRIGGER marks_a BEFORE INSERT ON marks FOR EACH ROW
BEGIN
  -- a backslash in a comment: \ and client commands \g \c
  SET NEW.end = IF(NEW.end IS NULL, 0, NEW.end); # \! touch pwned
  SET NEW.note = REPEAT('x', 2); /* \! touch pwned */
END//
CREATE TRIGGER marks_b BEFORE INSERT ON marks FOR EACH ROW FOLLOWS marks_a SET NEW.begin = 1//
CREATE TRIGGER marks_c BEFORE INSERT ON marks FOR EACH ROW PRECEDES marks_a SET NEW.id = NEW.id//
CREATE PROCEDURE ends(IN n int)
BEGIN
  DECLARE end int DEFAULT 0;
  SELECT end, t.end, t. end, id AS end FROM marks t ORDER BY end;
  UPDATE marks SET end = CASE WHEN end > n THEN end ELSE n END WHERE begin = 1;
  IF (SELECT end FROM marks LIMIT 1) > 0 THEN SET end = 1; END IF;
  REPEAT SET end = end - 1; UNTIL end <= 0 END REPEAT;
  SELECT IF(n > 1, 'a', 'b'), REPEAT('x', 3), CASE n WHEN 1 THEN end END;
END//
CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN IF(x > 0, x * 2, 0)//
DELIMITER ;
EOF
[ ! -e pwned ] || { echo "FAIL the client ran a command from a comment while loading src"; exit 1; }
fresh_live() { # live: victim and its 3 rows, nothing else
	my -e "DROP DATABASE IF EXISTS live; CREATE DATABASE live"
	my live -e "$victim INSERT INTO victim VALUES (1), (2), (3)"
}
unchanged() { "$schemad" diff live_before.json "$(url live)" >/dev/null 2>&1; }
victim_rows() { my -N live -e 'SELECT count(*) FROM victim'; }
. "$here/snapshot_lib.sh"
fresh_live
my ok -e "$victim"
"$schemad" inspect "$(url src)" -o snap.json || { echo "FAIL inspect"; exit 1; }
"$schemad" inspect "$(url live)" -o live_before.json


evil="; DELETE FROM victim"
cr=$(printf '\r') ctl=$(printf '\001')
# name|what|field|value|expected words in the message|sql_mode
cases=$(cat <<EOF
view|object:v|ddl|+$evil|view v: its ddl in the target
view, an executable comment|object:v|ddl|+ /*! $evil */|executable comment
view, a client command|object:v|ddl|+ \\g DELETE FROM victim|backslash
view ending in a line comment|object:v|ddl|CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW \`v\` AS select 1 AS \`one\` -- x|ends in a line comment
view, a quote escaped under NO_BACKSLASH_ESCAPES|object:v|ddl|+ AND 'a\\'$evil; -- '|view v: its ddl|NO_BACKSLASH_ESCAPES
trigger after its END|object:trg|ddl|+$evil|trigger trg: its ddl
procedure after its END|object:p|ddl|+$evil|function p: its ddl
procedure, a begin that is an alias|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int)\nSELECT id FROM victim begin$evil; END|function p: its ddl
procedure, a block closed early|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int)\nBEGIN SELECT 1; END$evil; BEGIN END|function p: its ddl
procedure, a header with a statement|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int) SELECT 1 FROM victim\nbegin$evil; END|function p: its ddl
function after its END|object:f|ddl|+$evil|function f: its ddl
event after its END|object:e|ddl|+$evil|event e: its ddl
procedure, an END in an executable comment|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int)\nBEGIN SELECT 1; /*!10000 END */$evil; END|executable comment
procedure, a CASE ended after a number|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int)\nSELECT CASE WHEN 1 THEN 1. END$evil; SELECT 1 END|function p: its ddl
procedure, an END that is a name|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int)\nSELECT CASE WHEN 1 THEN end$evil; SELECT 1 END|function p: its ddl
procedure, a client command after '--' and a control character|object:p|ddl|CREATE PROCEDURE \`p\`(IN \`n\` int)\nBEGIN SELECT 1; --$ctl \\! touch pwned\nEND|control character
trigger, a statement after its order|object:trg|ddl|CREATE TRIGGER \`trg\` BEFORE INSERT ON \`users\` FOR EACH ROW FOLLOWS \`trg\` SET NEW.id = 0$evil|trigger trg: its ddl
view, a quote after '--' and CR|object:v|ddl|+ --$cr'\n$evil; SELECT '|view v: its ddl
column default|column:users.name|default|1)$evil; SELECT (1|column users.name: its default_expr
column default, two items|column:users.name|default|'x', evil int|column users.name: its default_expr
generated column|column:users.twice|generated|id)$evil; SELECT (1|column users.twice: its generated
on update|column:users.at|props.on_update|current_timestamp()$evil|column users.at: its on_update
column type|column:users.id|type|int$evil|column users.id: its type
column collation|column:users.name|collation|utf8mb4_bin$evil|column users.name: its collation
check constraint|constraint:users.name_short|expr|char_length(name) < 100)$evil; SELECT (1|constraint users.name_short: its expr
foreign key action|constraint:orders.orders_user|on_delete|cascade$evil|constraint orders.orders_user: its on_delete
table option|table:users|props.row_format|DYNAMIC$evil|table users: its row_format
partitioning|table:parts|props.partition|+$evil|table parts: its partition
EOF
)
snap_refused "$cases"

# ---- S3 the texts inspect wrote pass ------------------------------------------
"$schemad" diff "$(url ok)" snap.json --format sql -o plan.sql >out 2>err
sd_check "S3 the untouched snapshot plans (exit 1: drift)" [ $? -eq 1 -a -s plan.sql ]
# --comments: by default the client strips comments, from bodies too (ok would then differ)
sd_check "S3 the plan applies with the mariadb client" sh -c "mariadb --no-defaults --comments -S '$MY_SOCK' -uroot ok <plan.sql"
"$schemad" diff "$(url ok)" snap.json >out 2>&1
sd_check "S3 ok now matches the snapshot" [ $? -eq 0 ]
my -e "DROP DATABASE ok; CREATE DATABASE ok"
my ok -e "$victim"
"$schemad" apply "$(url ok)" snap.json --auto-approve >out 2>err
rc=$?
sd_check "S3 and schemad apply applies it: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -n 5 err
"$schemad" diff "$(url ok)" snap.json >out 2>&1
sd_check "S3 and ok then matches the snapshot" [ $? -eq 0 ]
sd_check "S3 no client command in a comment ran" [ ! -e pwned ]

# ---- S4 the triggers' order, as the user wrote it ------------------------------
snap_edit object:marks_b ddl "CREATE TRIGGER \`marks_b\` BEFORE INSERT ON \`marks\` FOR EACH ROW FOLLOWS marks_a SET NEW.begin = 1"
cp hostile.json snap.json
snap_edit object:marks_c ddl "CREATE TRIGGER \`marks_c\` BEFORE INSERT ON \`marks\` FOR EACH ROW PRECEDES \`marks_a\` SET NEW.id = NEW.id"
my -e "DROP DATABASE ok; CREATE DATABASE ok"
my ok -e "$victim"
"$schemad" diff "$(url ok)" hostile.json --format sql -o plan.sql >out 2>err
sd_check "S4 FOLLOWS and PRECEDES plan (exit 1: drift)" [ $? -eq 1 -a -s plan.sql ]
[ -s plan.sql ] || head -n 2 err
sd_check "S4 the plan applies with the mariadb client" sh -c "mariadb --no-defaults --comments -S '$MY_SOCK' -uroot ok <plan.sql"
sd_check "S4 the server keeps the order: marks_c, marks_a, marks_b" \
	[ "$(my -N ok -e "SELECT GROUP_CONCAT(TRIGGER_NAME ORDER BY ACTION_ORDER) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'ok' AND EVENT_OBJECT_TABLE = 'marks'")" = marks_c,marks_a,marks_b ]
"$schemad" diff "$(url ok)" hostile.json >out 2>&1
sd_check "S4 ok then matches the snapshot" [ $? -eq 0 ]
sd_finish
