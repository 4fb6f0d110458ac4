#!/usr/bin/env bash
# tests/integration/mssql/cases.sh SCHEMAD RESPELL CASES_DIR
#
# schemad's own SQL Server pairs (CASES_DIR/*/{a,b}.sql), each written for a
# plan-ordering rule: keys referenced by foreign keys, columns under keys,
# indexes and defaults, constraints SQL Server named itself, changed types and
# sequences, modules that change kind, hostile names. Through lib.sh's
# sd_converge both ways (a -> b and b -> a), with the same hooks as corpus.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
# No SQL Server runs here: plans are applied by the model applier (engine_apply), not schemad apply.
SD_APPLY=client
real_schemad=$1 respell=$2 cases=$3
work=$(sd_workdir mssql-cases)
sd_tmp=$work
trap 'rm -rf "$work"' EXIT
schemad=$work/schemad
printf '#!/bin/sh\nexec "%s" "$@" --dialect mssql\n' "$real_schemad" >"$schemad"
chmod +x "$schemad"
: >"$work/empty.sql"

reads() { "$schemad" inspect "$1" >/dev/null 2>"$work/load_error"; }
engine_load() {
	if [ -f "$1" ]; then cp "$1" "$work/$2.sql"; else : >"$work/$2.sql"; fi
	reads "$work/$2.sql"
}
engine_url() { echo "$work/$1.sql"; }
engine_load_error() { head -c 300 "$work/load_error"; }
engine_apply() {
	{ cat "$work/$2.sql"; printf '\nGO\n'; cat "$1"; } >"$work/applied.sql"
	mv "$work/applied.sql" "$work/$2.sql"
	reads "$work/$2.sql" || { cat "$work/load_error"; false; }
}
engine_extra() {
	"$respell" "$work/b.sql" >"$work/respelled.sql"
	"$schemad" diff "$work/b.sql" "$work/respelled.sql" >"$work/out" 2>&1 ||
		{ echo "b.sql respelled reads differently: $(head -c 400 "$work/out")"; return 1; }
}

for case_dir in "$cases"/*/; do
	name=$(basename "$case_dir")
	sd_converge "$name" "$case_dir"
	mkdir -p "$work/reverse"
	cp "$case_dir/b.sql" "$work/reverse/a.sql"
	cp "$case_dir/a.sql" "$work/reverse/b.sql"
	sd_converge "$name (reversed)" "$work/reverse"
done
sd_corpus_summary
