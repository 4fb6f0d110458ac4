#!/usr/bin/env bash
# bench/mysql/mysql_bench.sh [TABLES]: schemad on two 5,000-table MariaDB databases.
#
# Starts a private MariaDB (tests/integration/mysql/server.sh), builds A
# (TABLES tables: 10 columns, primary key, unique key, foreign key, check
# and an index each, a view for every tenth) and B, a drifted copy (every
# 50th table changed), then reports, each the median of 5 runs:
#   - the mariadb client running the very statements schemad sends (taken
#     from the server's general log of one inspect) on A;
#   - schemad inspect A (the same statements, plus the model and JSON);
#   - schemad diff A B (both sides read in parallel, diffed, reported);
#   - that diff's peak RSS;
#   - mysqldump --no-data of A, for comparison (one run: it is slow).
# Target (issue 4): schemad inspect within 1.3x the client's time.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-5000}
runs=5
out=bench/out/mysql
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench -j"$(nproc)" >/dev/null
schemad=$PWD/build/bench/schemad

. tests/integration/mysql/server.sh
work=$(mktemp -d)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work"
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }

gen() { # gen DRIFTED: the schema as SQL on stdout
	awk -v n="$n" -v drifted="$1" 'BEGIN {
		print "SET foreign_key_checks = 0;"
		for (i = 0; i < n; i++) {
			d = drifted && i % 50 == 0
			ref = i > 0 ? sprintf("t%05d", i - 1) : sprintf("t%05d", i)
			printf "CREATE TABLE t%05d (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, ", i
			printf "code varchar(32) NOT NULL, parent_id int unsigned, "
			printf "qty int NOT NULL DEFAULT 0, price decimal(10,2), "
			printf "name varchar(%d), note text, ", d ? 200 : 100
			printf "created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
			printf "flag tinyint(1) NOT NULL DEFAULT 0, payload blob%s, ", d ? ", extra text" : ""
			printf "UNIQUE KEY code (code), "
			if (!d)
				printf "KEY name_qty (name, qty DESC), "
			printf "CONSTRAINT t%05d_parent FOREIGN KEY (parent_id) REFERENCES %s (id) ON DELETE CASCADE, ", i, ref
			printf "CONSTRAINT t%05d_qty CHECK (qty >= 0)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n", i
			if (i % 10 == 0)
				printf "CREATE VIEW v%05d AS SELECT id, code, qty FROM t%05d WHERE flag = %d;\n", i, i, d
		}
	}'
}

my -e "CREATE DATABASE bench_a; CREATE DATABASE bench_b"
load_start=$(date +%s)
gen 0 | my bench_a
gen 1 | my bench_b
echo "loaded 2 x $n tables in $(($(date +%s) - load_start))s"

# The statements one inspect sends, from the general log, parameters inlined.
my -e "SET GLOBAL general_log_file = '$work/general.log', GLOBAL log_output = 'FILE', GLOBAL general_log = 1"
"$schemad" inspect "$(url bench_a)" >/dev/null
my -e "SET GLOBAL general_log = 0"
grep -E ' (Query|Execute)	' "$work/general.log" | grep -v general_log |
	sed -E 's/^.*(Query|Execute)\t//; s/$/;/' >"$out/queries.sql"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timeit() { # timeit CMD...: median wall seconds of $runs runs
	for _ in $(seq $runs); do
		/usr/bin/time -f "%e" -o "$out/t" "$@" >/dev/null 2>&1 || true
		tail -n 1 "$out/t"
	done | median
}
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }

client=$(timeit sh -c "mariadb --no-defaults -S '$MY_SOCK' -uroot bench_a <'$out/queries.sql'")
inspect=$(timeit "$schemad" inspect "$(url bench_a)")
diff=$(timeit "$schemad" diff "$(url bench_a)" "$(url bench_b)")
dump=$(runs=1 timeit mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --no-data --routines --events --triggers bench_a)
/usr/bin/time -f "%M" -o "$out/rss" "$schemad" diff "$(url bench_a)" "$(url bench_b)" >"$out/report.txt" || true
changes=$(grep -m1 '^Drift' "$out/report.txt" || echo "no drift")

echo "tables: $n (A), drifted copy B; $changes"
echo "mariadb client, schemad's $(grep -c . "$out/queries.sql") statements on A: ${client}s"
echo "schemad inspect A:                          ${inspect}s ($(ratio "$inspect" "$client")x client; target <= 1.3x)"
echo "schemad diff A B (both sides, parallel):    ${diff}s"
echo "schemad diff peak RSS:                      $(($(tail -n 1 "$out/rss") / 1024)) MiB"
echo "mariadb-dump --no-data A:                   ${dump}s ($(ratio "$dump" "$inspect")x schemad inspect)"
