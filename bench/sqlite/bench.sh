#!/usr/bin/env bash
# bench/sqlite/bench.sh: schemad on SQLite against an independent floor and the peer.
#
# For each size of SIZES (default 1000 5000 20000), builds A: that many
# tables of ten columns, each with a primary key, a unique column, a
# foreign key, a CHECK, defaults and a two-column index, and a view for
# every tenth table; and B, a drifted copy (every 50th table: a wider
# column, an extra column, the index gone, the view changed). Then times,
# RUNS times each (bench/lib.sh):
#   - the floor: the sqlite3 shell running bench/sqlite/floor.sql on A;
#   - the sqlite3 shell running schemad's own statements
#     (build/bench/bench_lite_queries prints them);
#   - schemad inspect A, and schemad diff A B (both sides in parallel);
#   - the peer: sqlite3 A .schema.
# Targets (issues 2 and 18): diff <= 1.5x the floor at 5,000 tables, peak
# RSS <= 150 MB and growing linearly.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_setup bench/out/sqlite
queries=$(dirname "$schemad")/bench_lite_queries
[ -x "$queries" ] || { cmake --build build/bench --target bench_lite_queries >/dev/null; queries=build/bench/bench_lite_queries; }
"$queries" >"$out/queries.sql"

gen() { # gen N DRIFTED: the schema as SQL on stdout
	awk -v n="$1" -v drifted="$2" 'BEGIN {
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
for n in $sizes; do
	echo "== $n tables"
	rm -f "$a" "$b"
	gen "$n" 0 | sqlite3 "$a"
	gen "$n" 1 | sqlite3 "$b"
	measure "$n" "floor: sqlite3 A <bench/sqlite/floor.sql" sh -c "sqlite3 -readonly '$a' <bench/sqlite/floor.sql"
	# what the machine allows a diff: the floor of A and of B at once
	measure "$n" "two floors at once, A and B" sh -c "sqlite3 -readonly '$a' <bench/sqlite/floor.sql &
		sqlite3 -readonly '$b' <bench/sqlite/floor.sql; wait"
	measure "$n" "sqlite3, schemad's own statements on A" sh -c "sqlite3 -readonly '$a' <'$out/queries.sql'"
	measure "$n" "schemad inspect A" "$schemad" inspect "sqlite:$a"
	OK_EXIT=1 measure "$n" "schemad diff A B" "$schemad" diff "sqlite:$a" "sqlite:$b"
	MEASURE_RUNS=$peer_runs measure "$n" "sqlite3 A .schema" sqlite3 -readonly "$a" .schema
done
"$schemad" diff "sqlite:$a" "sqlite:$b" >"$out/diff.txt" || true
grep -m1 '^Drift' "$out/diff.txt" || true
REPORT_CPU=1 report "schemad SQLite bench (SQLite $(sqlite3 --version | cut -d' ' -f1))" "floor: sqlite3 A <bench/sqlite/floor.sql"
