#!/usr/bin/env bash
# tests/integration/mssql/corpus.sh SCHEMAD RESPELL CORPUS_DIR
#
# The corpus check of shared/corpus/README.md (lib.sh's sd_converge) for SQL
# Server, where no server runs: "load" is reading a T-SQL script into the
# model, "apply" is reading FROM's script, GO, then the plan (the reader is
# also the applier). Per case of CORPUS_DIR/mssql/sqldef:
#   1. a.sql and b.sql load (else the case is skipped, and counted so);
#   2. no false drift: b against b, against b respelled (keywords, quoting,
#      spacing: RESPELL), and against schemad's own plan from an empty script;
#   3. convergence: a + `schemad diff a b --format sql` reads as b exactly;
#   4. the applier against an independent source: a + sqldef's expected_up.sql
#      (which ran on a real SQL Server in sqldef's CI) reads as b, where sqldef
#      has one. Cases sqldef ran with drops disabled (meta "enable_drop":
#      false) are skipped here: it left the drops out on purpose. Cases run as
#      a user whose default schema is FOO (meta "user") name [FOO] where a.sql
#      and b.sql, read as dbo, say nothing: [FOO]. is read as [dbo]. in their
#      expected_up.sql. Cases where sqldef's answer really differs from b.sql
#      are listed with the reason in expected_differs.txt and reported as
#      such, never as passed.
# Without the corpus folder the whole test is skipped (exit 77).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
# No SQL Server runs here: plans are applied by the model applier (engine_apply), not schemad apply.
SD_APPLY=client
real_schemad=$1
respell=$2
corpus=$3/mssql/sqldef
if [ ! -d "$corpus" ]; then
	echo "corpus not present at $corpus: skipped"
	exit 77
fi
work=$(sd_workdir mssql-corpus)
sd_tmp=$work
trap 'rm -rf "$work"' EXIT
: >"$work/empty.sql"
# sd_converge runs "$schemad diff FROM TO": every script here is T-SQL.
schemad=$work/schemad
printf '#!/bin/sh\nexec "%s" "$@" --dialect mssql\n' "$real_schemad" >"$schemad"
chmod +x "$schemad"

reads() { "$schemad" inspect "$1" >/dev/null 2>"$work/load_error"; }
engine_load() { # a missing file is an empty script
	if [ -f "$1" ]; then cp "$1" "$work/$2.sql"; else : >"$work/$2.sql"; fi
	reads "$work/$2.sql"
}
engine_url() { echo "$work/$1.sql"; }
engine_load_error() { head -c 300 "$work/load_error"; }
engine_apply() { # FROM's script, a batch break, the plan: read as one
	{ cat "$work/$2.sql"; printf '\nGO\n'; cat "$1"; } >"$work/applied.sql"
	mv "$work/applied.sql" "$work/$2.sql"
	reads "$work/$2.sql" || { cat "$work/load_error"; false; }
}
engine_extra() { # b respelled, and b written out by schemad, read as b
	"$respell" "$work/b.sql" >"$work/respelled.sql"
	if ! "$schemad" diff "$work/b.sql" "$work/respelled.sql" >"$work/out" 2>&1; then
		echo "b.sql respelled reads differently: $(head -c 400 "$work/out")"; return 1
	fi
	"$schemad" diff "$work/empty.sql" "$work/b.sql" --format sql >"$work/create.sql" 2>&1
	if ! "$schemad" diff "$work/create.sql" "$work/b.sql" >"$work/out" 2>&1; then
		echo "b.sql written out by schemad reads differently: $(head -c 400 "$work/out")"; return 1
	fi
}

xpass=0 xfail=0 xskip=0 xknown=0
expected_up() { # expected_up NAME DIR: a + sqldef's expected_up.sql against b
	local name=$1 dir=$2 known
	[ -f "$dir/expected_up.sql" ] || return 0
	if grep -q '"enable_drop": *false' "$dir/meta.json" 2>/dev/null; then
		xskip=$((xskip + 1)); echo "SKIP expected_up $name: sqldef ran it with drops disabled"
		return 0
	fi
	if grep -q '"user"' "$dir/meta.json" 2>/dev/null; then
		sed 's/\[FOO\]\./[dbo]./g' "$dir/expected_up.sql" >"$work/expected.sql"
	else
		cp "$dir/expected_up.sql" "$work/expected.sql"
	fi
	engine_load "$dir/a.sql" x && engine_load "$dir/b.sql" y || return 0
	engine_apply "$work/expected.sql" x >/dev/null
	known=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$here/expected_differs.txt")
	if "$schemad" diff "$work/x.sql" "$work/y.sql" >"$work/out" 2>&1; then
		if [ -n "$known" ]; then
			xfail=$((xfail + 1)); sd_failures+=("$name: in expected_differs.txt but matches now: remove it there")
		else
			xpass=$((xpass + 1))
		fi
	elif [ -n "$known" ]; then
		xknown=$((xknown + 1)); echo "DIFFERS (explained) $name: $known"
	else
		xfail=$((xfail + 1)); sd_failures+=("$name: a + sqldef's expected_up.sql differs from b: $(head -c 600 "$work/out")")
	fi
}

for case_dir in "$corpus"/*/; do
	name=$(basename "$case_dir")
	sd_converge "$name" "$case_dir"
	expected_up "$name" "$case_dir"
done
echo "applier vs sqldef's expected_up.sql: $xpass passed, $xfail failed, $xknown differ (explained), $xskip skipped"
sd_corpus_summary && [ $xfail -eq 0 ]
