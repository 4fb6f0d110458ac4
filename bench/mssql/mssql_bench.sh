#!/usr/bin/env bash
# bench/mssql/mssql_bench.sh [TABLES]: schemad on two 5,000-table T-SQL scripts.
#
# No server: SQL Server schemas are scripts here. Generates A (TABLES tables
# in SSMS style: ten columns, primary key, unique, a two-column index with
# DESC, a filtered index, a foreign key to the previous table added WITH
# CHECK, a CHECK, a named default; a view for every tenth table; GO between
# statements) and B, a drifted copy (every 50th table: a wider column, an
# extra column, the index gone, the view changed), then reports, each the
# median of 5 runs:
#   - reading one script (schemad diff of an empty script against A);
#   - schemad diff A B (both scripts read in parallel, diffed, reported);
#   - that diff's peak RSS;
#   - schemad diff A B --format sql (the T-SQL plan);
#   - the applier: reading A + the plan and diffing it against B (must be
#     "no drift").
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-5000}
runs=5
out=bench/out/mssql
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench -j"$(nproc)" >/dev/null
schemad=$PWD/build/bench/schemad

gen() { # gen DRIFTED: the schema as a T-SQL script on stdout
	awk -v n="$n" -v drifted="$1" 'BEGIN {
		print "SET ANSI_NULLS ON\nGO\nSET QUOTED_IDENTIFIER ON\nGO"
		for (i = 0; i < n; i++) {
			d = drifted && i % 50 == 0
			t = sprintf("[dbo].[t%05d]", i)
			printf "CREATE TABLE %s(\n\t[id] [int] IDENTITY(1,1) NOT NULL,\n", t
			printf "\t[code] [varchar](32) NOT NULL,\n\t[parent_id] [int] NULL,\n"
			printf "\t[qty] [int] NOT NULL,\n\t[price] [decimal](10, 2) NULL,\n"
			printf "\t[name] [nvarchar](%d) NULL,\n\t[note] [nvarchar](max) NULL,\n", d ? 200 : 100
			printf "\t[created_at] [datetime2](7) NOT NULL,\n\t[flag] [bit] NOT NULL,\n"
			printf "\t[payload] [varbinary](max) NULL,\n%s", d ? "\t[extra] [nvarchar](400) NULL,\n" : ""
			printf " CONSTRAINT [PK_t%05d] PRIMARY KEY CLUSTERED ([id] ASC) ON [PRIMARY],\n", i
			printf " CONSTRAINT [UQ_t%05d_code] UNIQUE NONCLUSTERED ([code] ASC) ON [PRIMARY]\n", i
			printf ") ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]\nGO\n"
			printf "ALTER TABLE %s ADD CONSTRAINT [DF_t%05d_qty] DEFAULT ((0)) FOR [qty]\nGO\n", t, i
			printf "ALTER TABLE %s ADD DEFAULT (sysutcdatetime()) FOR [created_at]\nGO\n", t
			printf "ALTER TABLE %s WITH CHECK ADD CONSTRAINT [CK_t%05d_qty] CHECK (([qty]>=(0)))\nGO\n", t, i
			if (!d)
				printf "CREATE NONCLUSTERED INDEX [IX_t%05d_name_qty] ON %s ([name] ASC, [qty] DESC)\nGO\n", i, t
			printf "CREATE NONCLUSTERED INDEX [IX_t%05d_flag] ON %s ([created_at]) WHERE ([flag]=(1))\nGO\n", i, t
			if (i % 10 == 0)
				printf "CREATE VIEW [dbo].[v%05d] AS SELECT id, code, qty FROM %s WHERE flag = %d\nGO\n", i, t, d
		}
		for (i = 1; i < n; i++) {
			printf "ALTER TABLE [dbo].[t%05d] WITH CHECK ADD CONSTRAINT [FK_t%05d_parent] FOREIGN KEY([parent_id])\n", i, i
			printf "REFERENCES [dbo].[t%05d] ([id]) ON DELETE CASCADE\nGO\n", i - 1
			printf "ALTER TABLE [dbo].[t%05d] CHECK CONSTRAINT [FK_t%05d_parent]\nGO\n", i, i
		}
	}'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen 0 >"$work/a.sql"
gen 1 >"$work/b.sql"
: >"$work/empty.sql"
echo "scripts: $n tables each, A $(du -m "$work/a.sql" | cut -f1) MB"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timeit() { # timeit CMD...: median wall seconds of $runs runs
	for _ in $(seq $runs); do
		/usr/bin/time -f "%e %M" -o "$out/t" "$@" >/dev/null 2>&1 || true
		tail -n 1 "$out/t" | cut -d' ' -f1
	done | median
}
rss() { /usr/bin/time -f "%M" -o "$out/t" "$@" >/dev/null 2>&1 || true; tail -n 1 "$out/t"; }
ms() { "$schemad" diff --dialect mssql "$@"; }
d=("$schemad" diff --dialect mssql) # for /usr/bin/time, which cannot run a function

read_one=$(timeit "${d[@]}" "$work/empty.sql" "$work/a.sql")
diff=$(timeit "${d[@]}" "$work/a.sql" "$work/b.sql")
peak=$(rss "${d[@]}" "$work/a.sql" "$work/b.sql")
plan=$(timeit "${d[@]}" "$work/a.sql" "$work/b.sql" --format sql)
ms "$work/a.sql" "$work/b.sql" --format sql >"$work/plan.sql" || true
{ cat "$work/a.sql"; printf '\nGO\n'; cat "$work/plan.sql"; } >"$work/applied.sql"
apply=$(timeit "${d[@]}" "$work/applied.sql" "$work/b.sql")
summary=$(ms "$work/a.sql" "$work/b.sql" | head -n 1 || true)
verdict=$(ms "$work/applied.sql" "$work/b.sql" | head -n 1 || true)

cat <<REPORT | tee "$out/report.txt"
tables: $n (A), drifted copy B; $summary
read one script (empty -> A):                 ${read_one}s
schemad diff A B (both read in parallel):     ${diff}s
schemad diff peak RSS:                        $((peak / 1024)) MiB
schemad diff A B --format sql:                ${plan}s ($(grep -vc '^--' "$work/plan.sql") plan lines)
applier: A + plan against B:                  ${apply}s -> $verdict
REPORT
