#!/usr/bin/env bash
# bench/pg/bench.sh SCHEMAD [N_TABLES]
#
# The benchmark of issue 3 on a server this script starts and stops:
# a database of N_TABLES (default 5000) tables, each with 10 columns, a
# primary key, a unique constraint, a foreign key, a CHECK and an index,
# plus a view for every tenth table; and a drifted copy. Reports:
#   - `schemad inspect` wall time, against psql running the very same
#     catalog queries (taken from the server log) in one session;
#   - `schemad diff A B`, both sides read in parallel, against one side;
#   - schemad's peak RSS (GNU time);
#   - `pg_dump --schema-only` on the same database, for comparison.
# Each timing is the best of RUNS (default 3).
set -eu
schemad=$(realpath "$1")
n=${2:-5000}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
pgserver=$here/../../tests/integration/pg/pgserver.sh
work=$(mktemp -d /tmp/schemad-bench.XXXXXX)
chmod 755 "$work"
trap '"$pgserver" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT
"$pgserver" start "$work/pg" >/dev/null
host=$work/pg
psql_() { psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1 "$@"; }
url() { echo "postgres://postgres@/$1?host=$host"; }

echo "generating $n tables..."
gen() {
	echo "BEGIN;"
	for i in $(seq 1 "$n"); do
		ref=$(( i > 1 ? i - 1 : 1 ))
		fk=""
		[ "$i" -eq 1 ] || fk=", CONSTRAINT t${i}_fk FOREIGN KEY (parent_id) REFERENCES t${ref} (id)"
		cat <<SQL
CREATE TABLE t$i (id bigint PRIMARY KEY, parent_id bigint, code varchar(32) NOT NULL,
  name text, qty integer DEFAULT 0, price numeric(12,2), active boolean DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(), payload jsonb, note varchar(200),
  CONSTRAINT t${i}_code_key UNIQUE (code), CONSTRAINT t${i}_qty_check CHECK (qty >= 0)$fk);
CREATE INDEX t${i}_created_idx ON t$i (created_at);
SQL
		[ $((i % 10)) -ne 0 ] || echo "CREATE VIEW v$i AS SELECT id, code, qty FROM t$i WHERE active;"
		# Batches: one transaction for all would exhaust max_locks_per_transaction.
		[ $((i % 500)) -ne 0 ] || printf 'COMMIT;\nBEGIN;\n'
	done
	echo "COMMIT;"
}
gen >"$work/schema.sql"
t0=$(date +%s.%N)
psql_ -d postgres -c "CREATE DATABASE a" >/dev/null
psql_ -d a -f "$work/schema.sql" >/dev/null
echo "loaded in $(echo "$(date +%s.%N) - $t0" | bc) s"
psql_ -d postgres -c "CREATE DATABASE b TEMPLATE a" >/dev/null
# Drift: a column added, a type widened, an index dropped, a view changed, a table dropped.
psql_ -d b -c "ALTER TABLE t7 ADD COLUMN extra text; ALTER TABLE t42 ALTER COLUMN note TYPE text;
  DROP INDEX t99_created_idx; CREATE OR REPLACE VIEW v100 AS SELECT id, code, qty, name FROM t100 WHERE active;
  DROP TABLE t$n CASCADE; CREATE INDEX t3_name_idx ON t3 (name);" >/dev/null

best() { # best CMD...: the best wall time of $runs runs, in seconds
	local b=999999 s e d
	for _ in $(seq 1 "$runs"); do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		d=$(echo "$e - $s" | bc)
		b=$(echo "if ($d < $b) $d else $b" | bc)
	done
	printf '%.3f' "$b"
}

# The queries schemad sends, from the server log, replayed by psql in one session.
psql_ -d postgres -c "ALTER DATABASE a SET log_statement = 'all'" >/dev/null
before=$(wc -l <"$work/pg/server.log")
"$schemad" inspect "$(url a)" >/dev/null
sleep 0.5
tail -n +"$((before + 1))" "$work/pg/server.log" | grep -aE ' schemad: LOG:  (statement|execute [^:]*): ' |
	sed -E 's/.*LOG:  (statement|execute [^:]*): //; s/$/;/; s/;;$/;/' >"$work/queries.sql"
psql_ -d postgres -c "ALTER DATABASE a RESET log_statement" >/dev/null
echo "catalog queries per read: $(grep -c '^SELECT' "$work/queries.sql")"

t_inspect=$(best "$schemad" inspect "$(url a)")
t_psql=$(best psql -X -q -h "$host" -U postgres -d a -o /dev/null -f "$work/queries.sql")
t_diff=$(best bash -c "'$schemad' diff '$(url a)' '$(url b)' >/dev/null; [ \$? -eq 1 ]")
t_dump=$(best pg_dump -h "$host" -U postgres --schema-only -f /dev/null a)
rss_inspect=$(/usr/bin/time -f %M "$schemad" inspect "$(url a)" 2>&1 >/dev/null | tail -1)
rss_diff=$( (/usr/bin/time -f %M "$schemad" diff "$(url a)" "$(url b)" >/dev/null) 2>&1 | tail -1)
changes=$("$schemad" diff "$(url a)" "$(url b)" | head -1 || true)

cat <<REPORT

schemad PostgreSQL bench: $n tables, $((n / 10)) views, best of $runs
  schemad inspect A               ${t_inspect} s
  psql, same catalog queries      ${t_psql} s   (ratio $(echo "scale=2; $t_inspect / $t_psql" | bc), target <= 1.3)
  schemad diff A B (parallel)     ${t_diff} s   (ratio to one inspect $(echo "scale=2; $t_diff / $t_inspect" | bc), target <= 1.5)
  peak RSS inspect / diff         $((rss_inspect / 1024)) MB / $((rss_diff / 1024)) MB (target <= 150 MB)
  pg_dump --schema-only A         ${t_dump} s
  drift found: $changes
REPORT
