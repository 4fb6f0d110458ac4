#!/usr/bin/env bash
# tests/integration/pg/keytexts.sh SCHEMAD
#
# schemad writes the text of a plain PRIMARY KEY, UNIQUE or FOREIGN KEY
# itself instead of calling pg_get_constraintdef (connectors/pg/pg_tables.c);
# on every major of the matrix that is installed (versions.sh; Debian's
# always), load keytexts/*.sql (the 15 and 18 files where the server has
# their syntax), inspect, and require every key's text to be the server's
# byte for byte (keytexts.py), for keys of both kinds: written by schemad
# and deparsed by the server.
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/schemad-keys.XXXXXX)
chmod 755 "$work"
server=
cleanup() {
	[ -z "$server" ] || PGBIN=${PGBIN:-} "$here/pgserver.sh" stop "$server" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
failed=0 ran=0
for major in $("$here/versions.sh" list); do
	if ! pgenv=$("$here/versions.sh" env "$major" 2>/dev/null); then
		echo "skip $major: not installed (tests/integration/pg/versions.sh install)"
		continue
	fi
	export $pgenv # PGBIN=... PGLIB=...
	server=$work/pg$major
	"$here/pgserver.sh" start "$server" >/dev/null || { echo "FAIL $major: cannot start"; failed=1; continue; }
	psql_=(psql -X -q -h "$server" -U postgres -v ON_ERROR_STOP=1 -d postgres)
	files=("$here/keytexts/base.sql")
	[ "$major" -lt 15 ] || files+=("$here/keytexts/v15.sql")
	[ "$major" -lt 18 ] || files+=("$here/keytexts/v18.sql")
	if ! cat "${files[@]}" | "${psql_[@]}" >"$work/load.log" 2>&1; then
		echo "FAIL $major: fixture does not load:"; sed 's/^/    /' "$work/load.log"; failed=1
	elif ! "$schemad" inspect "postgres://postgres@/postgres?host=$server" -o "$work/s.json" 2>"$work/err"; then
		echo "FAIL $major: inspect: $(cat "$work/err")"; failed=1
	else
		"${psql_[@]}" -At -F $'\x1f' -R $'\x1e' -c "SET search_path = ''" \
			-c "$("$here/keytexts.py" --query)" >"$work/keys"
		n=$(python3 -c "import json,sys; print(sum(1 for t in json.load(open(sys.argv[1]))['tables'] for c in t.get('constraints', []) if c['type'] in ('primary_key','unique','foreign_key')))" "$work/s.json")
		if "$here/keytexts.py" "$work/s.json" "$work/keys" >"$work/out"; then
			echo "ok   $major: $n key texts are the server's"
			ran=$((ran + 1))
		else
			echo "FAIL $major: key texts differ from pg_get_constraintdef:"; cat "$work/out"; failed=1
		fi
	fi
	"$here/pgserver.sh" stop "$server" >/dev/null 2>&1
	server=
	unset PGBIN PGLIB
done
[ "$ran" -gt 0 ] || [ "$failed" = 1 ] || { echo "no server ran"; exit 1; }
exit $failed
