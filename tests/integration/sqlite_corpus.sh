#!/usr/bin/env bash
# tests/integration/sqlite_corpus.sh SCHEMAD CORPUS_DIR [SAMPLES_DIR]
#
# The corpus check of shared/corpus/README.md on real SQLite files, per case:
#   1. load a.sql into A, b.sql into B and again into B2;
#   2. `schemad diff B B2` must report no drift (exit 0);
#   3. `schemad diff A B --format sql` gives a plan; apply it to A;
#   4. `schemad diff A B` must now report no drift (exit 0).
# A case whose a.sql or b.sql does not load is skipped and counted as such.
# Each SAMPLES_DIR/*/sqlite.sql (full schemas, not pairs) gives two cases:
# empty -> sample and sample -> empty.
# Without the corpus folder the whole test is skipped (exit 77).
set -u
schemad=$1
corpus=$2
samples=${3:-}
if [ ! -d "$corpus" ]; then
	echo "corpus not present at $corpus: skipped"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0
failures=()
nodrift=()

load() { # load SQL_FILE DB: a missing or empty file is an empty schema
	rm -f "$2"
	: >"$2" # an empty file is a valid, empty SQLite database
	[ ! -f "$1" ] || sqlite3 -bail "$2" <"$1" >/dev/null 2>&1
}

cases=("$corpus"/*/)
if [ -n "$samples" ] && [ -d "$samples" ]; then
	for sample in "$samples"/*/sqlite.sql; do
		[ -f "$sample" ] || continue
		name=sample_$(basename "$(dirname "$sample")")
		mkdir -p "$work/cases/${name}_create" "$work/cases/${name}_drop"
		: >"$work/cases/${name}_create/a.sql"
		cp "$sample" "$work/cases/${name}_create/b.sql"
		cp "$sample" "$work/cases/${name}_drop/a.sql"
		: >"$work/cases/${name}_drop/b.sql"
		cases+=("$work/cases/${name}_create/" "$work/cases/${name}_drop/")
	done
fi
for case_dir in "${cases[@]}"; do
	name=$(basename "$case_dir")
	a=$work/a.db b=$work/b.db b2=$work/b2.db
	if ! load "$case_dir/a.sql" "$a" || ! load "$case_dir/b.sql" "$b" || ! load "$case_dir/b.sql" "$b2"; then
		skip=$((skip + 1))
		echo "SKIP $name: a.sql or b.sql does not load"
		continue
	fi
	if ! "$schemad" diff "sqlite:$b" "sqlite:$b2" >"$work/out" 2>&1; then
		fail=$((fail + 1)); failures+=("$name: false drift between two loads of b.sql")
		sed 's/^/    /' "$work/out"; continue
	fi
	"$schemad" diff "sqlite:$a" "sqlite:$b" --format sql >"$work/plan.sql" 2>"$work/err"
	rc=$?
	# No drift between files that differ is worth a look (it may be a comment-only change).
	if [ $rc -eq 0 ] && ! cmp -s "$case_dir/a.sql" "$case_dir/b.sql"; then
		nodrift+=("$name")
	fi
	if [ $rc -eq 2 ]; then
		fail=$((fail + 1)); failures+=("$name: plan failed: $(cat "$work/err")"); continue
	fi
	if ! sqlite3 -bail "$a" <"$work/plan.sql" >"$work/apply" 2>&1; then
		fail=$((fail + 1)); failures+=("$name: plan does not apply: $(head -c 300 "$work/apply")")
		sed 's/^/    /' "$work/plan.sql"; continue
	fi
	if ! "$schemad" diff "sqlite:$a" "sqlite:$b" >"$work/out" 2>&1; then
		fail=$((fail + 1)); failures+=("$name: drift remains after the plan")
		sed 's/^/    /' "$work/out"; sed 's/^/    plan: /' "$work/plan.sql"; continue
	fi
	pass=$((pass + 1))
done
for f in "${nodrift[@]+"${nodrift[@]}"}"; do echo "NOTE $f: a.sql and b.sql differ as text, schemad saw no drift"; done
for f in "${failures[@]+"${failures[@]}"}"; do echo "FAIL $f"; done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
