#!/usr/bin/env bash
# tests/integration/sqlite_rebuild_rows.sh SCHEMAD: a SQLite rebuild never
# loses a row, whatever the client does after an error (issue 17).
#
# Every plan runs three ways: plain sqlite3 (carries on after errors),
# sqlite3 -bail (stops at the first) and schemad apply (the library).
#   R1  one rebuild whose copy fails (NOT NULL over NULL rows, a CHECK the
#       rows break, a UNIQUE over duplicates, a CREATE the client cannot run)
#       or silently skips rows (a target's ON CONFLICT IGNORE / REPLACE),
#       or rolls back by itself (ON CONFLICT ROLLBACK), or has no column to
#       copy the rows by (WITHOUT ROWID, every column replaced): the .dump is
#       byte for byte what it was, in all three ways, and each of the
#       stopping ways reports one error;
#   R2  several rebuilds where one or two copies fail, first, last or in the
#       middle: nothing at all is applied, not even the rebuilds that
#       succeeded or the other changes of the plan;
#   R3  rebuilds that succeed still converge in all three ways, with views,
#       triggers, indexes, UNIQUE constraints, foreign keys from other tables
#       and from the table itself, an AUTOINCREMENT mark above the highest
#       id, names with quotes, newlines and "--", a 3000-byte name, a table
#       already called like the rebuild's temporary name: no error printed,
#       every row kept, the references in other tables untouched;
#   R4  a rowid table whose every column is replaced keeps its rows (their
#       rowids are copied); a WITHOUT ROWID one cannot, and R1 rolls it back.
set -u
schemad=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(sd_workdir rebuildrows)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

dump() { sqlite3 a.db .dump | sha256sum; }
# errors MODE: the error lines a run left (the sqlite3 shell prints one per failed statement)
errors() { grep -cE '^(Runtime|Parse) error|^Error' "$1.err"; }
load() { # load FROM_SQL TO_SQL_OR_JSON
	rm -f a.db b.db
	sqlite3 -bail a.db "$1" || exit 2
	case $2 in
	*.json) to=$2 ;;
	*) sqlite3 -bail b.db "$2" || exit 2; to=sqlite:b.db ;;
	esac
	"$schemad" diff sqlite:a.db "$to" --format sql >plan.sql
	[ $? -eq 1 ] || { echo "FAIL no plan for: $2"; sd_failed=1; }
}
run() { # run MODE: applies plan.sql to a.db; output in MODE.out/.err
	case $1 in
	plain) sqlite3 a.db <plan.sql >plain.out 2>plain.err ;;
	bail) sqlite3 -bail a.db <plan.sql >bail.out 2>bail.err ;;
	apply) "$schemad" apply sqlite:a.db "$to" --auto-approve >apply.out 2>apply.err ;;
	esac
	echo $? >$1.rc
}
# nothing_applied NAME FROM TO EXPECTED_ERROR: the plan from FROM to TO changes nothing in any client
nothing_applied() {
	local name=$1 mode before
	for mode in plain bail apply; do
		load "$2" "$3"
		before=$(dump)
		run $mode
		sd_check "$name ($mode): the file is unchanged" [ "$(dump)" = "$before" ]
		case $mode in
		plain) sd_check "$name (plain): it said why" grep -qF "$4" plain.err ;;
		bail) sd_check "$name (-bail): one error, the copy's" \
			[ "$(errors bail)" = 1 -a -n "$(grep -F "$4" bail.err)" ] ;;
		apply) sd_check "$name (apply): exit 2, rolled back" \
			[ "$(cat apply.rc)" = 2 -a -n "$(grep -F "rolled back, nothing applied: statement" apply.err)" ]
			sd_check "$name (apply): the cause" grep -qF "$4" apply.err ;;
		esac
	done
	sd_check "$name: drift remains" test "$("$schemad" diff sqlite:a.db "$to" >/dev/null; echo $?)" = 1
}

# ---- R1 one rebuild, the copy fails ------------------------------------------
rows="INSERT INTO t VALUES (1, 'a', 1), (2, NULL, 2), (3, 'a', -1);"
from="CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT, n INT); CREATE INDEX t_n ON t(n); $rows"
nothing_applied "R1 NOT NULL over NULL rows" "$from" \
	"CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT NOT NULL, n INT); CREATE INDEX t_n ON t(n);" \
	"NOT NULL constraint failed: t.x"
nothing_applied "R1 a CHECK the rows break" "$from" \
	"CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT, n INT CHECK (n > 0)); CREATE INDEX t_n ON t(n);" \
	"CHECK constraint failed"
nothing_applied "R1 a UNIQUE over duplicates" "$from" \
	"CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT UNIQUE, n INT); CREATE INDEX t_n ON t(n);" \
	"UNIQUE constraint failed: t.x"
nothing_applied "R1 ON CONFLICT IGNORE would skip rows" "$from" \
	"CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT NOT NULL ON CONFLICT IGNORE, n INT); CREATE INDEX t_n ON t(n);" \
	"NOT NULL constraint failed: schemad_check.every_row_copied"
nothing_applied "R1 ON CONFLICT REPLACE would merge rows" "$from" \
	"CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT UNIQUE ON CONFLICT REPLACE, n INT); CREATE INDEX t_n ON t(n);" \
	"NOT NULL constraint failed: schemad_check.every_row_copied"
nothing_applied "R1 ON CONFLICT ROLLBACK ends the transaction" "$from" \
	"CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT NOT NULL ON CONFLICT ROLLBACK, n INT); CREATE INDEX t_n ON t(n);" \
	"NOT NULL constraint failed: t.x"
# TO's CREATE names a collation the applying client does not have: the CREATE fails.
sqlite3 -bail c.db "CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT COLLATE NOCASE, n INT); CREATE INDEX t_n ON t(n);"
"$schemad" inspect sqlite:c.db -o collate.json
sed 's/COLLATE NOCASE/COLLATE schemad_nosuch/' collate.json >"$work/nosuch.json"
nothing_applied "R1 the CREATE fails" "$from" "$work/nosuch.json" "no such collation sequence: schemad_nosuch"

# Every column replaced in a WITHOUT ROWID table: nothing to copy the rows by.
nothing_applied "R1 WITHOUT ROWID, every column replaced" \
	"CREATE TABLE t(a PRIMARY KEY) WITHOUT ROWID; INSERT INTO t VALUES (1), (2);" \
	"CREATE TABLE t(b PRIMARY KEY) WITHOUT ROWID;" "NOT NULL constraint failed: schemad_check.every_row_copied"

# ---- R2 several rebuilds, some fail -----------------------------------------
two="CREATE TABLE a(id INTEGER PRIMARY KEY, x TEXT); CREATE TABLE b(id INTEGER PRIMARY KEY, x TEXT);
	CREATE TABLE c(id INTEGER PRIMARY KEY, x TEXT); CREATE TABLE d(id INTEGER PRIMARY KEY, x TEXT);
	CREATE TABLE keep(y);
	INSERT INTO a VALUES (1, 'a'); INSERT INTO b VALUES (1, 'b'); INSERT INTO c VALUES (1, 'c');
	INSERT INTO d VALUES (1, 'd'); INSERT INTO keep VALUES (1);"
ok="x TEXT NOT NULL" bad="x TEXT CHECK (x = 'never')"
nothing_applied "R2 the first of four fails" "$two" \
	"CREATE TABLE a(id INTEGER PRIMARY KEY, $bad); CREATE TABLE b(id INTEGER PRIMARY KEY, $ok);
	CREATE TABLE c(id INTEGER PRIMARY KEY, $ok); CREATE TABLE d(id INTEGER PRIMARY KEY, $ok);
	CREATE TABLE keep(y, z); CREATE VIEW v AS SELECT * FROM b;" "CHECK constraint failed"
nothing_applied "R2 the first and the third fail" "$two" \
	"CREATE TABLE a(id INTEGER PRIMARY KEY, $bad); CREATE TABLE b(id INTEGER PRIMARY KEY, $ok);
	CREATE TABLE c(id INTEGER PRIMARY KEY, $bad); CREATE TABLE d(id INTEGER PRIMARY KEY, $ok);
	CREATE TABLE keep(y, z);" "CHECK constraint failed"
nothing_applied "R2 the last fails" "$two" \
	"CREATE TABLE a(id INTEGER PRIMARY KEY, $ok); CREATE TABLE b(id INTEGER PRIMARY KEY, $ok);
	CREATE TABLE c(id INTEGER PRIMARY KEY, $ok); CREATE TABLE d(id INTEGER PRIMARY KEY, $bad);
	CREATE TABLE keep(y, z);" "CHECK constraint failed"
nothing_applied "R2 two fail, nothing else" "$two" \
	"CREATE TABLE a(id INTEGER PRIMARY KEY, $bad); CREATE TABLE b(id INTEGER PRIMARY KEY, $bad);
	CREATE TABLE c(id INTEGER PRIMARY KEY, x TEXT); CREATE TABLE d(id INTEGER PRIMARY KEY, x TEXT);
	CREATE TABLE keep(y);" "CHECK constraint failed"

# ---- R3 rebuilds that succeed converge -----------------------------------------
long=$(printf 'L%.0s' $(seq 3000))
weird=$'we"ird\n-- ; \'name'
q() { printf '"%s"' "${1//\"/\"\"}"; } # an SQL identifier
W=$(q "$weird") LONG=$(q "$long")
r3_from="CREATE TABLE p(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, up INTEGER REFERENCES p(id));
	CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) ON DELETE CASCADE);
	CREATE INDEX p_name ON p(name DESC);
	CREATE VIEW pv AS SELECT id, name FROM p;
	CREATE TRIGGER p_ins AFTER INSERT ON p BEGIN INSERT INTO c(pid) VALUES (new.id); END;
	CREATE TRIGGER c_del AFTER DELETE ON c BEGIN UPDATE p SET name = name WHERE id = old.pid; END;
	CREATE TABLE $W(id INTEGER PRIMARY KEY, $W TEXT, CONSTRAINT $W UNIQUE ($W));
	CREATE INDEX $(q "$weird idx") ON $W($W DESC);
	CREATE TABLE $LONG(id INTEGER PRIMARY KEY, v TEXT);
	CREATE TABLE _schemad_old_p(taken INT);
	INSERT INTO p(name, up) VALUES ('a', NULL), ('b', 1), ('c', 2), ('gone', NULL);
	DELETE FROM c; DELETE FROM p WHERE name = 'gone';
	INSERT INTO c(pid) VALUES (1), (2), (3);
	INSERT INTO $W VALUES (1, 'x'), (2, 'y'); INSERT INTO $LONG VALUES (1, 'v');
	INSERT INTO _schemad_old_p VALUES (7);"
r3_to="CREATE TABLE p(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, up INTEGER REFERENCES p(id), extra INT DEFAULT 0, CHECK (name <> ''));
	CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) ON DELETE CASCADE);
	CREATE INDEX p_name ON p(name DESC);
	CREATE VIEW pv AS SELECT id, name FROM p;
	CREATE TRIGGER p_ins AFTER INSERT ON p BEGIN INSERT INTO c(pid) VALUES (new.id); END;
	CREATE TRIGGER c_del AFTER DELETE ON c BEGIN UPDATE p SET name = name WHERE id = old.pid; END;
	CREATE TABLE $W(id INTEGER PRIMARY KEY, $W TEXT NOT NULL, CONSTRAINT $W UNIQUE ($W));
	CREATE INDEX $(q "$weird idx") ON $W($W DESC);
	CREATE TABLE $LONG(v TEXT NOT NULL, id INTEGER PRIMARY KEY);
	CREATE TABLE _schemad_old_p(taken INT);"
for mode in plain bail apply; do
	load "$r3_from" "$r3_to"
	[ $mode != plain ] || sd_check "R3 the plan rebuilds p, the odd names and the long one" \
		[ "$(grep -c '^-- rebuild ' plan.sql)" = 3 ]
	c_sql=$(sqlite3 a.db "SELECT sql FROM sqlite_master WHERE name = 'c'")
	run $mode
	if [ $mode = apply ]; then
		sd_check "R3 (apply) exit 0" [ "$(cat apply.rc)" = 0 ]
	else
		sd_check "R3 ($mode) exit 0, no error printed" [ "$(cat $mode.rc)" = 0 -a ! -s $mode.err ]
	fi
	sd_check "R3 ($mode) converges" test "$("$schemad" diff sqlite:a.db sqlite:b.db)" = "No drift: the schemas match."
	sd_check "R3 ($mode) rows of p kept" \
		[ "$(sqlite3 a.db "SELECT group_concat(id || name || ifnull(up, '-'), ',') FROM (SELECT * FROM p ORDER BY id)")" = "1a-,2b1,3c2" ]
	sd_check "R3 ($mode) rows of the odd and the long table kept" \
		[ "$(sqlite3 a.db "SELECT (SELECT group_concat($W) FROM $W) || (SELECT v FROM $LONG)")" = "x,yv" ]
	sd_check "R3 ($mode) c still refers to p, text untouched" \
		[ "$(sqlite3 a.db "SELECT sql FROM sqlite_master WHERE name = 'c'")" = "$c_sql" ]
	sd_check "R3 ($mode) no foreign key violation" test -z "$(sqlite3 a.db 'PRAGMA foreign_key_check')"
	sd_check "R3 ($mode) the table already named _schemad_old_p is kept" \
		[ "$(sqlite3 a.db 'SELECT taken FROM _schemad_old_p')" = 7 ]
	sd_check "R3 ($mode) no temporary table left" \
		[ "$(sqlite3 a.db "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_schemad%' ESCAPE '\\'")" = 1 ]
	sd_check "R3 ($mode) AUTOINCREMENT: the next id is 5, not 4 again" \
		[ "$(sqlite3 a.db "INSERT INTO p(name) VALUES ('d') RETURNING id")" = 5 ]
	sd_check "R3 ($mode) the trigger on p fires, the cascade from p works" \
		[ "$(sqlite3 a.db "PRAGMA foreign_keys = ON; SELECT count(*) FROM c WHERE pid = 5;
			DELETE FROM p WHERE id = 5; SELECT count(*) FROM c WHERE pid = 5" | tr '\n' ' ')" = "1 0 " ]
done

# ---- R4 every column replaced: the rows stay, as ADD and DROP COLUMN would keep them
for mode in plain bail apply; do
	load "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2);" "CREATE TABLE t(b DEFAULT 'z', CHECK (b <> ''));"
	[ $mode != plain ] || sd_check "R4 the plan rebuilds t" grep -q '^-- rebuild "t"' plan.sql
	run $mode
	sd_check "R4 ($mode) converges, both rows kept with the new column's default" \
		[ "$(cat $mode.rc)" = 0 -a "$(sqlite3 a.db "SELECT group_concat(b) FROM t")" = "z,z" ]
done
sd_finish
