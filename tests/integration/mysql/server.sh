# tests/integration/mysql/server.sh: start and stop a private MariaDB for tests.
#
# Source it, then `my_server_start DIR` (sets MY_SOCK and MY_URL_OPTS, and
# defines `my` to run the client as root) and `my_server_stop` (the caller's
# trap). The server lives in DIR: its own datadir, a unix socket, no TCP,
# no /etc/mysql defaults; it never touches a system instance. MY_OPTS adds
# server options (space-separated), e.g. for the benchmarks.

my_server_start() {
	local dir=$1 bin opts
	read -ra opts <<<"${MY_OPTS:-}"
	MY_DIR=$dir
	MY_SOCK=$dir/mysqld.sock
	MY_URL_OPTS="?socket=$MY_SOCK"
	for bin in mariadb-install-db mariadbd mariadb mariadb-admin; do
		if command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ]; then
			continue
		fi
		# As root on Debian the suite installs the server itself; otherwise it says how.
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
			echo "$bin not found: installing mariadb-server" >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null &&
				continue
		fi
		echo "$bin not found: apt-get install -y mariadb-server" >&2
		return 1
	done
	# --tmpdir of its own: two bootstraps at once (ctest -j2) shared /tmp's
	# temporary tables and one failed "Installation of system tables failed"
	# (a MariaDB starting deletes every "#sql*" file of its tmpdir).
	mariadb-install-db --no-defaults --user=root --datadir="$dir/data" --tmpdir="$dir" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 || {
		cat "$dir/install.log" >&2
		return 1
	}
	PATH=$PATH:/usr/sbin mariadbd --no-defaults --user=root --datadir="$dir/data" \
		--socket="$MY_SOCK" --skip-networking --pid-file="$dir/mysqld.pid" --tmpdir="$dir" \
		--log-error="$dir/error.log" --innodb-buffer-pool-size=64M \
		--innodb-log-file-size=16M --skip-log-bin "${opts[@]}" >/dev/null 2>&1 &
	MY_PID=$!
	# 60 s: InnoDB's start on a loaded machine; a server that died says so at once.
	for _ in $(seq 1 300); do
		if mariadb-admin --no-defaults -S "$MY_SOCK" -uroot ping >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$MY_PID" 2>/dev/null || break
		sleep 0.2
	done
	echo "mariadbd did not start (within 60 s, or it exited):" >&2
	tail -20 "$dir/error.log" >&2
	return 1
}

my() {
	mariadb --no-defaults -S "$MY_SOCK" -uroot "$@"
}

my_server_stop() {
	if [ -n "${MY_PID:-}" ]; then
		mariadb-admin --no-defaults -S "$MY_SOCK" -uroot shutdown >/dev/null 2>&1 ||
			kill "$MY_PID" 2>/dev/null
		wait "$MY_PID" 2>/dev/null
		MY_PID=
	fi
}

# Loads a SQL file into database $2, without the file's own CREATE/USE DATABASE
# lines (samples name their database; every case needs its own).
# A file that qualifies names with its own database (sakila.actor after
# `USE sakila`, or $3: sqldef's cases run in mysqldef_test) gets the
# qualifier removed, so it loads into any database.
#
# sqldef's cases hold triggers and routines with BEGIN ... END and no
# DELIMITER: the client would cut them at their first ';'. When the plain
# load fails and the file has no DELIMITER line, the database is made
# afresh and the whole file is sent as one multi-statement query, which the
# server's own parser splits correctly.
my_load() {
	local file=$1 db=$2 own
	[ -f "$file" ] || return 0
	own=$(sed -nE 's/^[[:space:]]*USE[[:space:]]+`?([A-Za-z0-9_]+)`?[[:space:]]*;.*/\1/Ip' "$file" | head -1)
	own=${own:-${3:-}}
	sed -E "${own:+s/\b$own\.//g; s/\`$own\`\.//g;}"'/^[[:space:]]*(DROP|CREATE)[[:space:]]+(SCHEMA|DATABASE)[[:space:]]/Id;
		/^[[:space:]]*USE[[:space:]]/Id' "$file" >"$MY_DIR/load.sql"
	my "$db" <"$MY_DIR/load.sql" >"$MY_DIR/load.err" 2>&1 && return 0
	grep -qi '^[[:space:]]*DELIMITER' "$MY_DIR/load.sql" && return 1
	my_fresh_db "$db" || return 1
	my --delimiter='/*sd-no-split*/' "$db" <"$MY_DIR/load.sql" >"$MY_DIR/load2.err" 2>&1 ||
		{ cat "$MY_DIR/load2.err" >>"$MY_DIR/load.err"; return 1; }
}

my_fresh_db() {
	my -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\`"
}
