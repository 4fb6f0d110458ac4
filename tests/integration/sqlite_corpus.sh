#!/usr/bin/env bash
# tests/integration/sqlite_corpus.sh SCHEMAD CORPUS_DIR [SAMPLES_DIR]
#
# The corpus check of shared/corpus/README.md on real SQLite files, through
# the convergence driver of lib.sh (sd_converge: two loads of b.sql give no
# drift; the plan from a to b applied with `schemad apply`, or sqlite3 -bail
# with SD_APPLY=client, leaves no drift).
# Each SAMPLES_DIR/*/sqlite.sql (full schemas, not pairs) gives two cases:
# empty -> sample and sample -> empty. A case whose a.sql or b.sql does not
# load is skipped and counted as such. Without the corpus folder the whole
# test is skipped (exit 77).
set -u
schemad=$1
corpus=$2
samples=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
if [ ! -d "$corpus" ]; then
	echo "corpus not present at $corpus: skipped"
	exit 77
fi
work=$(sd_workdir sqlite-corpus)
sd_tmp=$work
trap 'rm -rf "$work"' EXIT

engine_url() { echo "sqlite:$work/$1.db"; }
engine_load() { # an empty file is a valid, empty SQLite database
	rm -f "$work/$2.db"
	: >"$work/$2.db"
	[ ! -f "$1" ] || sqlite3 -bail "$work/$2.db" <"$1" >/dev/null 2>&1
}
engine_apply() { sqlite3 -bail "$work/$2.db" <"$1"; }

cases=("$corpus"/*/)
if [ -n "$samples" ] && [ -d "$samples" ]; then
	# shellcheck disable=SC2207
	cases+=($(sd_sample_pairs "$work" "$samples"/*/sqlite.sql))
fi
for case_dir in "${cases[@]}"; do
	sd_converge "$(basename "$case_dir")" "$case_dir"
done
sd_corpus_summary
