#!/usr/bin/env bash
# tests/integration/daemon_pg.sh SCHEMAD: daemon.sh with a PostgreSQL pair
# beside the SQLite one, on a server this script starts and stops.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/schemad-dpg.XXXXXX)
chmod 755 "$work"
trap '"$here/pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT
"$here/pg/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
psql -X -q -h "$work/pg" -U postgres -d postgres -c "CREATE DATABASE pa" -c "CREATE DATABASE pb" >/dev/null
for db in pa pb; do
	psql -X -q -h "$work/pg" -U postgres -d $db -c "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE)" >/dev/null
done
"$here/daemon.sh" "$1" "postgres://postgres@/pa?host=$work/pg" "postgres://postgres@/pb?host=$work/pg"
