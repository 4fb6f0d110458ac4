#!/usr/bin/env bash
# tests/integration/mysql/corpus.sh SCHEMAD CORPUS_DIR
#
# The corpus check of shared/corpus/README.md on a private MariaDB that this
# script starts (server.sh) and stops on exit, through the convergence
# driver of lib.sh. Per case:
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

. "$here/../lib.sh"
sd_tmp=$work
engine_url() { url "sd_$1"; }
engine_load() { my_fresh_db "sd_$2" && my_load "$1" "sd_$2" mysqldef_test; }
engine_load_error() { grep -m1 ERROR "$work/load.err" | cut -c1-160; }
engine_apply() { my "sd_$2" <"$1"; }
# A snapshot of b reads back as b (the reader once refused MySQL's unnamed primary key).
engine_extra() {
	if ! "$schemad" inspect "$(url sd_b)" -o "$work/b.json" >"$work/extra" 2>&1 ||
		! "$schemad" diff "$work/b.json" "$(url sd_b2)" >>"$work/extra" 2>&1; then
		echo "snapshot of b.sql does not round-trip: $(head -c 300 "$work/extra")"; return 1
	fi
}

cases=("$corpus"/mysql/sqldef/*/ "$corpus"/mysql/skeema/*/)
# employees/mysql-objects.sql holds routines and views for the tables of mysql.sql.
samples=()
for sample in "$corpus"/samples/*/mysql*.sql "$corpus"/samples/skeema-introspection/*.sql; do
	[ -f "$sample" ] || continue
	case $sample in
	*-objects.sql)
		mkdir -p "$work/joined/$(basename "$(dirname "$sample")")"
		joined=$work/joined/$(basename "$(dirname "$sample")")/$(basename "$sample")
		cat "$(dirname "$sample")/mysql.sql" "$sample" >"$joined"
		samples+=("$joined") ;;
	*) samples+=("$sample") ;;
	esac
done
# SD_CORPUS_TEXTS=1: instead, every schema of the corpus (both sides of every pair,
# and the samples) is loaded with its comments (the client strips them by default,
# from bodies too), inspected into a snapshot and planned from an empty database:
# no text the server wrote may be refused (sd_texts; ~3 minutes).
if [ -n "${SD_CORPUS_TEXTS:-}" ]; then
	my() { mariadb --no-defaults --comments -S "$MY_SOCK" -uroot "$@"; }
	my_fresh_db sd_empty || exit 1
	sd_texts_corpus "$corpus"/mysql/*/*/a.sql "$corpus"/mysql/*/*/b.sql "${samples[@]}"
	exit
fi
# shellcheck disable=SC2207
cases+=($(sd_sample_pairs "$work" "${samples[@]}"))
for case_dir in "${cases[@]}"; do
	name=$(basename "$case_dir")
	# shellcheck disable=SC2053
	[[ $name == ${SD_CORPUS_ONLY:-*} ]] || continue
	sd_converge "$name" "$case_dir"
done
sd_corpus_summary
