#!/usr/bin/env bash
# tests/integration/pg/corpus.sh SCHEMAD CORPUS_DIR [CASE_DIR...]
# tests/integration/pg/corpus.sh SCHEMAD --cases DIR   (every DIR/*/ holding a.sql, b.sql)
#
# The corpus check of shared/corpus/README.md against a real PostgreSQL
# server this script starts (pgserver.sh) and stops on exit. Per case:
#   1. load a.sql into A, b.sql into B and again into B2 (fresh databases);
#   2. `schemad diff B B2` must report no drift (exit 0), nor a snapshot of
#      B (`schemad inspect -o`) against B2;
#   3. `schemad diff A B --format sql` gives a plan; apply it to A;
#   4. `schemad diff A B` must now report no drift (exit 0).
# Samples (a single schema file) run step 2 only. A case whose a.sql or
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

pass=0 fail=0 skip=0
failures=()
nodrift=()
fail_case() { fail=$((fail + 1)); failures+=("$1"); }

run_pair() { # run_pair NAME DIR
	local name=$1 dir=$2 rc
	if ! fresh a "$dir/a.sql" || ! fresh b "$dir/b.sql" || ! fresh b2 "$dir/b.sql"; then
		skip=$((skip + 1)); echo "SKIP $name: a.sql or b.sql does not load: $(grep -m1 ERROR "$work/load.log")"
		return
	fi
	if ! "$schemad" diff "$(dburl b)" "$(dburl b2)" >"$work/out" 2>&1; then
		fail_case "$name: false drift between two loads of b.sql"; sed 's/^/    /' "$work/out"; return
	fi
	if ! "$schemad" inspect "$(dburl b)" -o "$work/b.json" >"$work/out" 2>&1 ||
		! "$schemad" diff "$work/b.json" "$(dburl b2)" >>"$work/out" 2>&1; then
		fail_case "$name: snapshot of b.sql does not round-trip"; sed 's/^/    /' "$work/out"; return
	fi
	"$schemad" diff "$(dburl a)" "$(dburl b)" --format sql >"$work/plan.sql" 2>"$work/err"
	rc=$?
	if [ $rc -eq 0 ] && ! cmp -s "$dir/a.sql" "$dir/b.sql"; then nodrift+=("$name"); fi
	if [ $rc -eq 2 ]; then fail_case "$name: plan failed: $(cat "$work/err")"; return; fi
	if ! "${psql_[@]}" -d a -f "$work/plan.sql" >"$work/apply" 2>&1; then
		fail_case "$name: plan does not apply: $(grep -m1 ERROR "$work/apply")"
		sed 's/^/    plan: /' "$work/plan.sql"; return
	fi
	if ! "$schemad" diff "$(dburl a)" "$(dburl b)" >"$work/out" 2>&1; then
		fail_case "$name: drift remains after the plan: $(grep -v '^ ' "$work/out" | sed -n 2p)"
		sed 's/^/    /' "$work/out"; sed 's/^/    plan: /' "$work/plan.sql"; return
	fi
	pass=$((pass + 1))
}

run_sample() { # run_sample NAME FILE: no drift between two loads
	local name=$1 file=$2
	if ! fresh b "$file" || ! fresh b2 "$file"; then
		skip=$((skip + 1)); echo "SKIP $name: does not load: $(grep -m1 ERROR "$work/load.log")"; return
	fi
	if ! "$schemad" diff "$(dburl b)" "$(dburl b2)" >"$work/out" 2>&1; then
		fail_case "$name: false drift between two loads"; sed 's/^/    /' "$work/out"; return
	fi
	pass=$((pass + 1))
}

if [ -n "$cases_only" ]; then
	dirs=("$cases_only"/*/)
elif [ $# -gt 0 ]; then
	dirs=("$@")
else
	dirs=("$corpus"/postgres/migra/*/ "$corpus"/postgres/apgdiff/*/)
fi
for case_dir in "${dirs[@]}"; do
	case_dir=${case_dir%/}
	run_pair "$(basename "$(dirname "$case_dir")")/$(basename "$case_dir")" "$case_dir"
done
if [ $# -eq 0 ] && [ -z "$cases_only" ]; then
	for f in "$corpus"/samples/*/postgres.sql; do
		run_sample "samples/$(basename "$(dirname "$f")")" "$f"
	done
fi
for f in "${nodrift[@]+"${nodrift[@]}"}"; do echo "NOTE $f: a.sql and b.sql differ as text, schemad saw no drift"; done
for f in "${failures[@]+"${failures[@]}"}"; do echo "FAIL $f"; done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
