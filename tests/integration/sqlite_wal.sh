#!/usr/bin/env bash
# tests/integration/sqlite_wal.sh SCHEMAD: a SQLite database in WAL mode that
# no other process has open, read by an unprivileged schemad that cannot
# write its folder (the unit's sandbox), as docs/install.md describes. The
# users are real: "daemon" plays the application, "nobody" plays schemad
# (setpriv sets their ids and groups the way the unit's User= and
# SupplementaryGroups= do). The database file is never written.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ "$(id -u)" -eq 0 ] || { echo "needs root to switch users: skipped"; exit 77; }
command -v setpriv >/dev/null || { echo "setpriv not installed: skipped"; exit 77; }
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { # ok NAME CMD...
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}
app() { setpriv --reuid=daemon --regid=daemon --clear-groups "$@"; }
as_schemad() { setpriv --reuid=nobody --regid=nogroup "$@"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# new_db DIR MODE: a WAL database made and closed by the application.
new_db() {
	mkdir "$1" && chown daemon:daemon "$1" && chmod "$2" "$1"
	app sqlite3 "$1/app.db" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);" >/dev/null
}

# 1. The sandbox as shipped: a read-only folder, no -wal/-shm: a clear error.
new_db "$work/ro" 0755
chmod 0644 "$work/ro/app.db"
as_schemad --clear-groups "$schemad" inspect "sqlite://$work/ro/app.db" >"$work/out" 2>"$work/err"
ok "read-only folder: exit 2" test $? -eq 2
ok "read-only folder: names the file" grep -qF "$work/ro/app.db" "$work/err"
ok "read-only folder: says why" grep -qF "WAL mode needs its -wal and -shm files" "$work/err"
ok "read-only folder: one line" test "$(wc -l <"$work/err")" -eq 1
ok "read-only folder: nothing created" test ! -e "$work/ro/app.db-shm"

# 2. Persistent WAL kept by the application: read with no write access at all.
mkdir "$work/pw" && chown daemon:daemon "$work/pw" && chmod 0755 "$work/pw"
printf '.filectrl persist_wal 1\nPRAGMA journal_mode=WAL;\nCREATE TABLE t(id INTEGER PRIMARY KEY);\n' |
	app sqlite3 "$work/pw/app.db" >/dev/null
before=$(sha "$work/pw/app.db")
as_schemad --clear-groups "$schemad" inspect "sqlite://$work/pw/app.db" >"$work/out" 2>"$work/err"
ok "persistent WAL: read" test $? -eq 0
ok "persistent WAL: table seen" grep -q '"name": "t"' "$work/out"
ok "persistent WAL: database unchanged" test "$(sha "$work/pw/app.db")" = "$before"

# 3. A setgid folder of the application's group, schemad in that group.
new_db "$work/grp" 2770
chmod 0660 "$work/grp/app.db"
before=$(sha "$work/grp/app.db")
as_schemad --groups=daemon "$schemad" inspect "sqlite://$work/grp/app.db" >"$work/out" 2>"$work/err"
ok "shared group: read" test $? -eq 0
ok "shared group: database unchanged" test "$(sha "$work/grp/app.db")" = "$before"
ok "shared group: the application still writes" \
	app sqlite3 "$work/grp/app.db" "INSERT INTO t VALUES (1, 'x');"

# 4. Why the group matters: write access without it locks the application out.
new_db "$work/naive" 0777
chmod 0644 "$work/naive/app.db"
as_schemad --clear-groups "$schemad" inspect "sqlite://$work/naive/app.db" >/dev/null 2>&1
ok "no group: the application can no longer write (as docs/install.md warns)" \
	bash -c '! setpriv --reuid=daemon --regid=daemon --clear-groups sqlite3 "$0" "INSERT INTO t VALUES (1, NULL);" 2>/dev/null' \
	"$work/naive/app.db"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
