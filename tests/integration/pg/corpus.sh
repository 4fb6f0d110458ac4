#!/usr/bin/env bash
# tests/integration/pg/corpus.sh SCHEMAD CORPUS_DIR [CASE_DIR...]
# tests/integration/pg/corpus.sh SCHEMAD --cases DIR   (every DIR/*/ holding a.sql, b.sql)
#
# The corpus check of shared/corpus/README.md against a real PostgreSQL
# server this script starts (pgserver.sh) and stops on exit, through the
# convergence driver of lib.sh. Per case:
#   1. load a.sql into A, b.sql into B and again into B2 (fresh databases);
#   2. `schemad diff B B2` must report no drift (exit 0), nor a snapshot of
#      B (`schemad inspect -o`) against B2;
#   3. `schemad diff A B --format sql` gives a plan; apply it to A;
#   4. `schemad diff A B` must now report no drift (exit 0);
#   5. every key of B's snapshot carries pg_get_constraintdef's text
#      (keytexts.py: schemad writes plain keys' texts itself).
# With --cases, a pair with no drift at step 3 fails (our cases differ on
# purpose). Samples (a single schema file) run step 2 only. A case whose a.sql or
# b.sql does not load is skipped and counted as such. Without the corpus
# folder the test is skipped (exit 77). PG_URL reuses a running server
# (a URL ending in "/" plus "?host=..." query, database name inserted).
# PG_MAJOR picks a server of the version matrix (versions.sh) instead of
# Debian's; a major that is not installed skips the test (exit 77).
set -u
schemad=$1
corpus=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${PG_MAJOR:-}" ]; then
	pgenv=$("$here/versions.sh" env "$PG_MAJOR") || exit 77
	export $pgenv # two words: PGBIN=... PGLIB=...
fi
cases_only=
if [ "$corpus" = --cases ]; then
	cases_only=$1
	shift
	corpus=/nonexistent
elif [ ! -d "$corpus/postgres" ]; then
	echo "corpus not present at $corpus: skipped"
	exit 77
fi
work=$(mktemp -d /tmp/schemad-pg.XXXXXX)
chmod 755 "$work"
cleanup() {
	[ -n "${PG_URL:-}" ] || "$here/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${PG_URL:-}" ]; then
	url=$("$here/pgserver.sh" start "$work/pg") || { echo "cannot start PostgreSQL"; exit 1; }
else
	url=$PG_URL
fi
host=${url#*\?host=}
psql_=(psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1)
[ ! -f "$corpus/pg_roles.sql" ] || "${psql_[@]}" -d postgres -f "$corpus/pg_roles.sql" >/dev/null 2>&1
dburl() { echo "postgres://postgres@/$1?host=$host"; }

fresh() { # fresh DB [SQL_FILE]: an empty or missing file is an empty schema
	"${psql_[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null 2>&1 || return 1
	[ -z "${2:-}" ] || [ ! -s "$2" ] || "${psql_[@]}" -d "$1" -f "$2" >"$work/load.log" 2>&1
}

. "$here/../lib.sh"
sd_tmp=$work
engine_url() { dburl "$1"; }
engine_load() { fresh "$2" "$1"; }
engine_load_error() { grep -m1 ERROR "$work/load.log"; }
engine_apply() { "${psql_[@]}" -d "$2" -f "$1"; }
key_texts() { # key_texts DB: what the server prints for each key (keytexts.py)
	"${psql_[@]}" -d "$1" -At -F $'\x1f' -R $'\x1e' -c "SET search_path = ''" \
		-c "$("$here/keytexts.py" --query)"
}
engine_extra() { # a snapshot of b reads back as b, its key texts the server's
	if ! "$schemad" inspect "$(dburl b)" -o "$work/b.json" >"$work/extra" 2>&1 ||
		! "$schemad" diff "$work/b.json" "$(dburl b2)" >>"$work/extra" 2>&1; then
		echo "snapshot of b.sql does not round-trip"; sed 's/^/    /' "$work/extra" >&2; return 1
	fi
	if ! key_texts b >"$work/keys" || ! "$here/keytexts.py" "$work/b.json" "$work/keys" >"$work/extra"; then
		echo "key texts differ from pg_get_constraintdef"; cat "$work/extra" >&2; return 1
	fi
}

run_sample() { # run_sample NAME FILE: no drift between two loads
	local name=$1 file=$2
	if ! fresh b "$file" || ! fresh b2 "$file"; then
		sd_skip=$((sd_skip + 1)); echo "SKIP $name: does not load: $(engine_load_error)"; return
	fi
	if ! "$schemad" diff "$(dburl b)" "$(dburl b2)" >"$work/out" 2>&1; then
		sd_fail_case "$name: false drift between two loads"; sed 's/^/    /' "$work/out"; return
	fi
	sd_pass=$((sd_pass + 1))
}

# SD_CORPUS_TEXTS=1: instead, every schema of the corpus (both sides of every pair,
# sqldef's too, and the samples) is inspected into a snapshot and planned from an
# empty database: no text the server wrote may be refused (sd_texts; ~10 minutes).
if [ -n "${SD_CORPUS_TEXTS:-}" ]; then
	fresh empty || exit 1
	sd_texts_corpus "$corpus"/postgres/*/*/a.sql "$corpus"/postgres/*/*/b.sql "$corpus"/samples/*/postgres.sql
	exit
fi
if [ -n "$cases_only" ]; then
	dirs=("$cases_only"/*/)
elif [ $# -gt 0 ]; then
	dirs=("$@")
else
	dirs=("$corpus"/postgres/migra/*/ "$corpus"/postgres/apgdiff/*/)
fi
for case_dir in "${dirs[@]}"; do
	case_dir=${case_dir%/}
	sd_converge "$(basename "$(dirname "$case_dir")")/$(basename "$case_dir")" "$case_dir"
done
# Our own cases are written to differ: a drift not seen is a drift missed.
if [ -n "$cases_only" ]; then
	for f in "${sd_nodrift[@]+"${sd_nodrift[@]}"}"; do
		sd_pass=$((sd_pass - 1))
		sd_fail_case "$f: a.sql and b.sql differ, schemad saw no drift"
	done
	sd_nodrift=()
fi
if [ $# -eq 0 ] && [ -z "$cases_only" ]; then
	for f in "$corpus"/samples/*/postgres.sql; do
		run_sample "samples/$(basename "$(dirname "$f")")" "$f"
	done
fi
sd_corpus_summary
