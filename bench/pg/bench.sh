#!/usr/bin/env bash
# bench/pg/bench.sh: schemad on PostgreSQL against an independent floor and the peers.
#
# Starts a private server (tests/integration/pg/pgserver.sh) and, for each
# size of SIZES (default 1000 5000 20000), builds A: that many tables of
# ten columns, each with a primary key, a unique constraint, a CHECK, a
# foreign key to the previous table, defaults and an index, and a view for
# every tenth table; and B, a drifted copy (a column added, a type
# widened, an index dropped and one added, a view changed, a table
# dropped). Then times, RUNS times each (bench/lib.sh):
#   - the floor: psql running bench/pg/floor.sql on A;
#   - psql running schemad's own catalog queries (from the server log), to
#     tell the server's share of an inspect from schemad's;
#   - schemad inspect A, and schemad diff A B (both sides in parallel);
#   - the peers: pg_dump --schema-only A, and migra A B (npm
#     @pgkit/migra, pinned; installed into bench/out/migra when npm can,
#     skipped when it cannot run here, and above MIGRA_MAX tables, default
#     5000: a run takes minutes).
# Targets (issue 18), at 5,000 tables: inspect <= 1.3x the floor, diff
# <= 1.6x the floor, peak RSS <= 150 MB and growing linearly.
set -eu
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_setup bench/out/pg
migra_version=0.6.1
migra_max=${MIGRA_MAX:-5000}
pgserver=$PWD/tests/integration/pg/pgserver.sh
work=$(mktemp -d /tmp/schemad-bench.XXXXXX)
chmod 755 "$work"
trap '"$pgserver" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT
# PostgreSQL's own max_connections (100; the test harness lowers it to 50):
# the lock table holds 64 x that many locks, and pg_get_viewdef keeps a lock
# per view until the read ends. pg_dump locks every table: at 20,000 tables
# it needs max_locks_per_transaction raised, as its documentation says.
PGOPTS="-c max_connections=100 -c max_locks_per_transaction=${PG_MAX_LOCKS:-256}" \
	"$pgserver" start "$work/pg" >/dev/null
host=$work/pg
psql=(psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1)
psql_() { "${psql[@]}" "$@"; }
url() { echo "postgres://postgres@/$1?host=$host"; }

migra=$PWD/bench/out/migra/node_modules/.bin/migra
if [ ! -x "$migra" ] && command -v npm >/dev/null; then
	echo "installing @pgkit/migra@$migra_version into bench/out/migra..."
	npm install --prefix bench/out/migra --no-audit --no-fund --loglevel=error \
		"@pgkit/migra@$migra_version" >"$out/npm.log" 2>&1 || echo "  cannot install: see $out/npm.log"
fi

gen() { # gen N: the schema of A as SQL
	awk -v n="$1" 'BEGIN {
		print "BEGIN;"
		for (i = 1; i <= n; i++) {
			fk = i == 1 ? "" : sprintf(", CONSTRAINT t%d_fk FOREIGN KEY (parent_id) REFERENCES t%d (id)", i, i - 1)
			printf "CREATE TABLE t%d (id bigint PRIMARY KEY, parent_id bigint, code varchar(32) NOT NULL,\n", i
			printf "  name text, qty integer DEFAULT 0, price numeric(12,2), active boolean DEFAULT true,\n"
			printf "  created_at timestamptz NOT NULL DEFAULT now(), payload jsonb, note varchar(200),\n"
			printf "  CONSTRAINT t%d_code_key UNIQUE (code), CONSTRAINT t%d_qty_check CHECK (qty >= 0)%s);\n", i, i, fk
			printf "CREATE INDEX t%d_created_idx ON t%d (created_at);\n", i, i
			if (i % 10 == 0)
				printf "CREATE VIEW v%d AS SELECT id, code, qty FROM t%d WHERE active;\n", i, i
			# batches: one transaction for all would exhaust max_locks_per_transaction
			if (i % 500 == 0)
				print "COMMIT;\nBEGIN;"
		}
		print "COMMIT;"
	}'
}

load() { # load N: A and its drifted copy B
	local n=$1 t0
	psql_ -d postgres -c "DROP DATABASE IF EXISTS a" -c "DROP DATABASE IF EXISTS b" -c "CREATE DATABASE a" >/dev/null
	t0=$(date +%s)
	gen "$n" | psql_ -d a >/dev/null
	psql_ -d postgres -c "CREATE DATABASE b TEMPLATE a" >/dev/null
	psql_ -d b -c "ALTER TABLE t7 ADD COLUMN extra text; ALTER TABLE t42 ALTER COLUMN note TYPE text;
	  DROP INDEX t99_created_idx; CREATE OR REPLACE VIEW v100 AS SELECT id, code, qty, name FROM t100 WHERE active;
	  DROP TABLE t$n CASCADE; CREATE INDEX t3_name_idx ON t3 (name);" >/dev/null
	psql_ -d a -c "VACUUM ANALYZE" >/dev/null
	psql_ -d b -c "VACUUM ANALYZE" >/dev/null
	echo "  loaded A and B in $(($(date +%s) - t0)) s"
}

own_queries() { # the statements one inspect of A sends, from the server log
	psql_ -d postgres -c "ALTER DATABASE a SET log_statement = 'all'" >/dev/null
	local before
	before=$(wc -l <"$host/server.log")
	"$schemad" inspect "$(url a)" >/dev/null
	sleep 0.5
	tail -n +"$((before + 1))" "$host/server.log" | grep -aE ' schemad: LOG:  (statement|execute [^:]*): ' |
		sed -E 's/.*LOG:  (statement|execute [^:]*): //; s/$/;/; s/;;$/;/' >"$out/queries.sql"
	psql_ -d postgres -c "ALTER DATABASE a RESET log_statement" >/dev/null
}

for n in $sizes; do
	echo "== $n tables"
	load "$n"
	own_queries
	measure "$n" "floor: psql bench/pg/floor.sql A" "${psql[@]}" -At -d a -o /dev/null -f bench/pg/floor.sql
	# what the machine allows a diff: the floor of A and of B at once
	measure "$n" "two floors at once, A and B" bash -c "${psql[*]} -At -d a -o /dev/null -f bench/pg/floor.sql &
		${psql[*]} -At -d b -o /dev/null -f bench/pg/floor.sql; wait"
	measure "$n" "psql, schemad's own queries on A" "${psql[@]}" -At -d a -o /dev/null -f "$out/queries.sql"
	measure "$n" "schemad inspect A" "$schemad" inspect "$(url a)"
	OK_EXIT=1 measure "$n" "schemad diff A B" "$schemad" diff "$(url a)" "$(url b)"
	MEASURE_RUNS=$peer_runs measure "$n" "pg_dump --schema-only A" \
		pg_dump -h "$host" -U postgres --schema-only -f /dev/null a
	if [ "$n" -gt "$migra_max" ]; then
		skip "$n" "migra A B (@pgkit/migra $migra_version)" "above MIGRA_MAX=$migra_max tables (minutes per run)"
	elif [ -x "$migra" ] && "$migra" run "postgresql://postgres@localhost/a?host=$host" \
		"postgresql://postgres@localhost/a?host=$host" --unsafe >"$out/migra.log" 2>&1; then
		MEASURE_RUNS=$peer_runs measure "$n" "migra A B (@pgkit/migra $migra_version)" "$migra" run \
			"postgresql://postgres@localhost/a?host=$host" "postgresql://postgres@localhost/b?host=$host" --unsafe
	else
		skip "$n" "migra A B (@pgkit/migra $migra_version)" "not installed or cannot run (see $out/migra.log)"
	fi
done
"$schemad" diff "$(url a)" "$(url b)" | head -1 || true
report "schemad PostgreSQL bench ($(psql_ -d a -Atc 'SHOW server_version' | cut -d' ' -f1))" \
	"floor: psql bench/pg/floor.sql A"
