#!/usr/bin/env bash
# tests/integration/pg/pgserver.sh start DIR | stop DIR
#
# A throwaway PostgreSQL server for the tests: initdb into DIR as the
# unprivileged "postgres" user when run as root (the server refuses root),
# listening only on a unix socket in DIR (no TCP port to collide on).
# "start" prints the connection URL prefix: postgres://postgres@/?host=DIR
# (append a database name after the slash). "stop" shuts it down; safe to
# call twice. PGBIN overrides the server binaries folder; PGLIB, when set,
# is the LD_LIBRARY_PATH those binaries need (the npm builds of
# tests/integration/pg/versions.sh). PGOPTS adds server settings
# ("-c name=value ..."), e.g. for the benchmarks.
set -eu
cmd=$1 dir=$2
bin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ "$cmd" = start ] && [ ! -x "$bin/initdb" ]; then
	echo "PostgreSQL server binaries not found (set PGBIN, or: apt-get install -y postgresql)" >&2
	exit 1
fi
as_pg() {
	local env_=(env)
	[ -z "${PGLIB:-}" ] || env_+=("LD_LIBRARY_PATH=$PGLIB")
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "${env_[@]}" "$@"; else "${env_[@]}" "$@"; fi
}
case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" != 0 ] || chown postgres "$dir"
	as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=50 -c log_line_prefix='%m [%p] %a: ' ${PGOPTS:-}" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgres://postgres@/?host=$dir"
	;;
stop)
	[ ! -f "$dir/data/postmaster.pid" ] || as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
