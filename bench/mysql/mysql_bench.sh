#!/usr/bin/env bash
# bench/mysql/mysql_bench.sh: schemad on MariaDB against an independent floor and the peer.
#
# Starts a private MariaDB (tests/integration/mysql/server.sh) and, for each
# size of SIZES (default 1000 5000 20000), builds A: that many InnoDB
# tables of ten columns, each with a primary key, a unique key, a
# two-column index with DESC, a foreign key to the previous table and a
# CHECK, and a view for every tenth table; and B, a drifted copy (every
# 50th table: a wider column, an extra column, the index gone, the view
# changed). Then times, RUNS times each (bench/lib.sh):
#   - the floor: the mariadb client running bench/mysql/floor.sql on A;
#   - the mariadb client running schemad's own statements (from the
#     general log of one inspect), to tell the server's share from schemad's;
#   - schemad inspect A, and schemad diff A B (both sides in parallel);
#   - the peer: mariadb-dump --no-data --routines --events --triggers A
#     (up to DUMP_MAX tables, default 5000: at 20,000 one run takes 20 minutes).
# Targets (issue 18), at 5,000 tables: inspect <= 1.3x the floor, diff
# <= 1.6x the floor, peak RSS <= 150 MB and growing linearly.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_setup bench/out/mysql
dump_max=${DUMP_MAX:-5000}

. tests/integration/mysql/server.sh
work=$(mktemp -d)
trap 'my_server_stop; rm -rf "$work"' EXIT
# Durability off while loading tens of thousands of tables (an fsync per
# table file otherwise): it changes how fast tables are created, not how
# the catalog is read.
MY_OPTS="--innodb-flush-method=nosync --innodb-doublewrite=0 ${MY_OPTS:-}" my_server_start "$work"
# Loading only: thousands of CREATE TABLE, each committed; reads do not write.
my -e "SET GLOBAL innodb_flush_log_at_trx_commit = 0"
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }
client=(mariadb --no-defaults -S "$MY_SOCK" -uroot)

gen() { # gen N DRIFTED: the schema as SQL on stdout
	awk -v n="$1" -v drifted="$2" 'BEGIN {
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

load() { # load N: A and its drifted copy B
	local t0
	t0=$(date +%s)
	my -e "DROP DATABASE IF EXISTS bench_a; DROP DATABASE IF EXISTS bench_b;
	  CREATE DATABASE bench_a; CREATE DATABASE bench_b"
	gen "$1" 0 | my bench_a
	gen "$1" 1 | my bench_b
	echo "  loaded A and B in $(($(date +%s) - t0)) s"
}

own_queries() { # the statements one inspect of A sends, parameters inlined
	my -e "SET GLOBAL general_log_file = '$work/general.log', GLOBAL log_output = 'FILE', GLOBAL general_log = 1"
	: >"$work/general.log"
	"$schemad" inspect "$(url bench_a)" >/dev/null
	my -e "SET GLOBAL general_log = 0"
	grep -E ' (Query|Execute)	' "$work/general.log" | grep -v general_log |
		sed -E 's/^.*(Query|Execute)\t//; s/$/;/' >"$out/queries.sql"
}

# SHOW CREATE TABLE of every table of A, sent as one multi-statement query: the
# only source of `USING BTREE`, which schemad does not read for this cost
# (docs/mysql.md, "forms").
show_create_all() {
	my -N bench_a -e "SHOW TABLES" | sed 's/`/``/g; s/.*/SHOW CREATE TABLE `&`;/' >"$out/show_create.sql"
}

# The database as a literal: information_schema then reads that schema's tables only.
sed "s/@db/'bench_a'/g" bench/mysql/floor.sql >"$out/floor.sql"
sed "s/@db/'bench_b'/g" bench/mysql/floor.sql >"$out/floor_b.sql"
for n in $sizes; do
	echo "== $n tables"
	load "$n"
	own_queries
	measure "$n" "floor: mariadb bench/mysql/floor.sql A" \
		"${client[@]}" -e "source $out/floor.sql"
	# what the machine allows a diff: the floor of A and of B at once
	measure "$n" "two floors at once, A and B" bash -c "${client[*]} -e 'source $out/floor.sql' &
		${client[*]} -e 'source $out/floor_b.sql'; wait"
	measure "$n" "mariadb, schemad's own statements on A" \
		"${client[@]}" bench_a -e "source $out/queries.sql"
	measure "$n" "schemad inspect A" "$schemad" inspect "$(url bench_a)"
	show_create_all
	measure "$n" "mariadb, SHOW CREATE TABLE of every table of A, one round trip" \
		"${client[@]}" --delimiter='/*sd-no-split*/' bench_a -e "source $out/show_create.sql"
	OK_EXIT=1 measure "$n" "schemad diff A B" "$schemad" diff "$(url bench_a)" "$(url bench_b)"
	if [ "$n" -gt "$dump_max" ]; then
		skip "$n" "mariadb-dump --no-data A" "above DUMP_MAX=$dump_max tables (1229 s for one run at 20,000)"
	else
		MEASURE_RUNS=$peer_runs measure "$n" "mariadb-dump --no-data A" \
			mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --no-data --routines --events --triggers bench_a
	fi
done
"$schemad" diff "$(url bench_a)" "$(url bench_b)" >"$out/diff.txt" || true
grep -m1 '^Drift' "$out/diff.txt" || true
report "schemad MariaDB bench ($(my -N -e 'SELECT VERSION()'))" "floor: mariadb bench/mysql/floor.sql A"
