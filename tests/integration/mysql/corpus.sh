#!/usr/bin/env bash
# tests/integration/mysql/corpus.sh SCHEMAD CORPUS_DIR
#
# The corpus check of shared/corpus/README.md on a private MariaDB that this
# script starts (server.sh) and stops on exit. Per case:
#   1. load a.sql into A, b.sql into B and again into B2 (fresh databases);
#   2. `schemad diff B B2` must report no drift (exit 0);
#   3. `schemad diff A B --format sql` gives a plan; apply it to A;
#   4. `schemad diff A B` must now report no drift (exit 0).
# Cases: CORPUS_DIR/mysql/{sqldef,skeema}/*, and each MySQL sample of
# CORPUS_DIR/samples (full schemas) as two cases: empty -> sample, sample ->
# empty. A case whose a.sql or b.sql does not load is skipped and counted.
# Without the corpus the whole test is skipped (exit 77).
# Set SD_CORPUS_ONLY=glob to run matching cases only.
set -u
schemad=$1
corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$corpus/mysql" ]; then
	echo "corpus not present at $corpus: skipped"
	exit 77
fi
. "$here/server.sh"
work=$(mktemp -d)
trap 'my_server_stop; rm -rf "$work"' EXIT
my_server_start "$work" || exit 2
url() { echo "mysql://root@localhost/$1$MY_URL_OPTS"; }

pass=0 fail=0 skip=0
failures=()
nodrift=()
cases=("$corpus"/mysql/sqldef/*/ "$corpus"/mysql/skeema/*/)
for sample in "$corpus"/samples/*/mysql*.sql "$corpus"/samples/skeema-introspection/*.sql; do
	[ -f "$sample" ] || continue
	name=sample_$(basename "$(dirname "$sample")")_$(basename "$sample" .sql)
	mkdir -p "$work/cases/${name}_create" "$work/cases/${name}_drop"
	: >"$work/cases/${name}_create/a.sql"
	# employees/mysql-objects.sql holds routines and views for the tables of mysql.sql.
	case $sample in
	*-objects.sql) cat "$(dirname "$sample")/mysql.sql" "$sample" >"$work/cases/${name}_create/b.sql" ;;
	*) cp "$sample" "$work/cases/${name}_create/b.sql" ;;
	esac
	cp "$work/cases/${name}_create/b.sql" "$work/cases/${name}_drop/a.sql"
	: >"$work/cases/${name}_drop/b.sql"
	cases+=("$work/cases/${name}_create/" "$work/cases/${name}_drop/")
done

for case_dir in "${cases[@]}"; do
	name=$(basename "$case_dir")
	# shellcheck disable=SC2053
	[[ $name == ${SD_CORPUS_ONLY:-*} ]] || continue
	my_fresh_db sd_a && my_fresh_db sd_b && my_fresh_db sd_b2 || exit 2
	if ! my_load "$case_dir/a.sql" sd_a mysqldef_test || ! my_load "$case_dir/b.sql" sd_b mysqldef_test ||
		! my_load "$case_dir/b.sql" sd_b2 mysqldef_test; then
		skip=$((skip + 1))
		echo "SKIP $name: a.sql or b.sql does not load: $(grep -m1 ERROR "$work/load.err" | cut -c1-160)"
		continue
	fi
	if ! "$schemad" diff "$(url sd_b)" "$(url sd_b2)" >"$work/out" 2>&1; then
		fail=$((fail + 1)); failures+=("$name: false drift between two loads of b.sql")
		sed 's/^/    /' "$work/out"; continue
	fi
	"$schemad" diff "$(url sd_a)" "$(url sd_b)" --format sql >"$work/plan.sql" 2>"$work/err"
	rc=$?
	# No drift between files that differ is worth a look (it may be a comment-only change).
	if [ $rc -eq 0 ] && ! cmp -s "$case_dir/a.sql" "$case_dir/b.sql"; then
		nodrift+=("$name")
	fi
	if [ $rc -eq 2 ]; then
		fail=$((fail + 1)); failures+=("$name: plan failed: $(cat "$work/err")"); continue
	fi
	if ! my sd_a <"$work/plan.sql" >"$work/apply" 2>&1; then
		fail=$((fail + 1)); failures+=("$name: plan does not apply: $(head -c 300 "$work/apply")")
		sed 's/^/    plan: /' "$work/plan.sql"; continue
	fi
	if ! "$schemad" diff "$(url sd_a)" "$(url sd_b)" >"$work/out" 2>&1; then
		fail=$((fail + 1)); failures+=("$name: drift remains after the plan")
		sed 's/^/    /' "$work/out"; sed 's/^/    plan: /' "$work/plan.sql"; continue
	fi
	pass=$((pass + 1))
done
for f in "${nodrift[@]+"${nodrift[@]}"}"; do echo "NOTE $f: a.sql and b.sql differ as text, schemad saw no drift"; done
for f in "${failures[@]+"${failures[@]}"}"; do echo "FAIL $f"; done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
