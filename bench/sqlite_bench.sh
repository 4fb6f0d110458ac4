#!/usr/bin/env bash
# bench/sqlite_bench.sh [TABLES]: schemad on two 5,000-table SQLite databases.
#
# Builds A (TABLES tables: 10 columns, primary key, unique, foreign key,
# check and an index each, a view for every tenth) and B, a drifted copy
# (every 50th table changed), then reports, each the median of 5 runs:
#   - the sqlite3 shell running schemad's own catalog statements on A;
#   - schemad inspect A (one side, the same statements plus the model);
#   - schemad diff A B (both sides read in parallel, diffed, reported);
#   - the same diff's peak RSS.
# Target (issue 2): schemad diff under 1.5x the shell's catalog time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000}
runs=5
out=bench/out
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench -j"$(nproc)" >/dev/null
schemad=build/bench/schemad

gen() { # gen DRIFTED: the schema as SQL on stdout
	awk -v n="$n" -v drifted="$1" 'BEGIN {
		print "BEGIN;"
		for (i = 0; i < n; i++) {
			d = drifted && i % 50 == 0
			ref = i > 0 ? sprintf("t%05d", i - 1) : sprintf("t%05d", i)
			printf "CREATE TABLE t%05d (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, ", i
			printf "parent_id INTEGER REFERENCES %s(id) ON DELETE CASCADE, ", ref
			printf "qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0), price NUMERIC(10,2), "
			printf "name VARCHAR(%d), note TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP, ", d ? 200 : 100
			printf "flag INTEGER NOT NULL DEFAULT 0, payload BLOB%s);\n", d ? ", extra TEXT" : ""
			if (!d)
				printf "CREATE INDEX t%05d_name ON t%05d (name, qty DESC);\n", i, i
			if (i % 10 == 0)
				printf "CREATE VIEW v%05d AS SELECT id, code, qty FROM t%05d WHERE flag = %d;\n", i, i, d
		}
		print "COMMIT;"
	}'
}

a=$out/a.db b=$out/b.db
rm -f "$a" "$b"
gen 0 | sqlite3 "$a"
gen 1 | sqlite3 "$b"
build/bench/bench_lite_queries >"$out/queries.sql"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timeit() { # timeit CMD...: median wall seconds of $runs runs
	for _ in $(seq $runs); do
		/usr/bin/time -f "%e" -o "$out/t" "$@" >/dev/null 2>&1 || true
		tail -n 1 "$out/t"
	done | median
}

shell=$(timeit sh -c "sqlite3 '$a' <'$out/queries.sql'")
inspect=$(timeit "$schemad" inspect "sqlite:$a")
diff=$(timeit "$schemad" diff "sqlite:$a" "sqlite:$b")
/usr/bin/time -f "%M" -o "$out/rss" "$schemad" diff "sqlite:$a" "sqlite:$b" >"$out/report.txt" || true
changes=$(grep -m1 '^Drift' "$out/report.txt" || echo "no drift")

echo "tables: $n (A), drifted copy B; $changes"
echo "sqlite3 shell, schemad's catalog statements on A: ${shell}s"
echo "schemad inspect A:                                ${inspect}s ($(awk -v x="$inspect" -v y="$shell" 'BEGIN { printf "%.2f", x / y }')x shell)"
echo "schemad diff A B (both sides, parallel):          ${diff}s ($(awk -v x="$diff" -v y="$shell" 'BEGIN { printf "%.2f", x / y }')x shell; target < 1.5x)"
echo "schemad diff peak RSS:                            $(($(tail -n 1 "$out/rss") / 1024)) MiB"
