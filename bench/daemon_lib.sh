# shellcheck shell=bash
# bench/daemon_lib.sh: what the daemon benchmarks share (sourced, from the
# repository root): the build, a free port, SQLite pairs with their
# configuration, and reading the daemon's own /metrics and /proc entries.

. bench/lib.sh # bench_build

# free_port: a free loopback port for the daemon's listener.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# lite_schema TABLES: a schema of TABLES tables, each with an index and a view.
lite_schema() {
	for t in $(seq "$1"); do
		echo "CREATE TABLE t$t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INT DEFAULT 0 CHECK (qty >= 0));"
		echo "CREATE INDEX t${t}_name ON t$t (name);"
		echo "CREATE VIEW v$t AS SELECT id, name FROM t$t;"
	done
}

# daemon_config DIR PORT WORKERS N SCHEMA_FILE: the configuration of the
# throughput benchmarks: N pairs of SQLite files of SCHEMA_FILE in DIR
# (every fifth drifted), checked
# every second by WORKERS workers, /metrics on PORT. Prints it.
daemon_config() {
	local dir=$1 port=$2 workers=$3 n=$4 schema=$5
	echo "state_path: $PWD/$dir/state.db"
	echo "workers: $workers"
	echo "jitter: 100ms"
	echo "log_level: warning"
	echo "http: {listen: \"127.0.0.1:$port\"}"
	daemon_pairs "$dir" "$n" "$schema" "ALTER TABLE t1 ADD COLUMN extra TEXT;" 1s
}

# daemon_pairs DIR N SCHEMA_FILE DRIFT_SQL INTERVAL: N pairs of SQLite
# files in DIR (refI.db, tgtI.db), each a copy of SCHEMA_FILE loaded once;
# every fifth target also ran DRIFT_SQL (none when empty), so the diff and
# state paths both run. Prints the `environments:` and `pairs:` sections
# of the configuration, every pair at INTERVAL.
daemon_pairs() {
	local dir=$1 n=$2 schema=$3 drift=$4 interval=$5 i
	rm -f "$dir/same.db" "$dir/drifted.db"
	sqlite3 "$dir/same.db" <"$schema"
	cp "$dir/same.db" "$dir/drifted.db"
	[ -z "$drift" ] || sqlite3 "$dir/drifted.db" "$drift"
	# copies, not links: each side is its own file, as in a real fleet (one
	# process for them all: a cp per file takes most of a minute at 4,000 pairs)
	python3 - "$dir" "$n" <<-'EOF'
		import shutil, sys
		d, n = sys.argv[1], int(sys.argv[2])
		for i in range(1, n + 1):
		    shutil.copyfile(f"{d}/same.db", f"{d}/ref{i}.db")
		    shutil.copyfile(f"{d}/drifted.db" if i % 5 == 0 else f"{d}/same.db", f"{d}/tgt{i}.db")
	EOF
	echo "environments:"
	for i in $(seq "$n"); do
		echo "  - {name: ref$i, url: \"sqlite://$PWD/$dir/ref$i.db\"}"
		echo "  - {name: tgt$i, url: \"sqlite://$PWD/$dir/tgt$i.db\"}"
	done
	echo "pairs:"
	for i in $(seq "$n"); do
		echo "  - {name: p$i, reference: ref$i, target: tgt$i, interval: $interval}"
	done
}

# scrape PORT FILE: /metrics into FILE; fails when the listener does not answer.
scrape() {
	curl -sf --max-time 10 "http://127.0.0.1:$1/metrics" >"$2"
}

# checks_sum FILE [STATUSES]: the sum of schemad_checks_total in a scrape,
# over every pair, for the statuses matching the regex STATUSES (default all).
checks_sum() {
	awk -v want="^(${2:-.*})\$" '
		/^schemad_checks_total\{/ {
			st = $0; sub(/.*status="/, "", st); sub(/".*/, "", st)
			if (st ~ want) n += $NF
		}
		END { print n + 0 }' "$1"
}

# rss_kib PID [FIELD]: the process's VmRSS (or FIELD, like VmHWM: its peak) in KiB.
rss_kib() {
	awk -v f="${2:-VmRSS}:" '$1 == f { print $2 }' "/proc/$1/status"
}

# cpu_ticks PID: user + system CPU the process used so far, in clock ticks.
cpu_ticks() {
	# the fields after the command name, which may hold spaces: 12 and 13 are utime, stime
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
