#!/usr/bin/env bash
# tests/integration/pg/crossver.sh SCHEMAD MAJOR_A MAJOR_B CORPUS_DIR [EVERY]
#
# No false drift across server versions: every schema file of the
# PostgreSQL corpus (each a.sql and b.sql of postgres/migra, apgdiff and
# sqldef, and samples/*/postgres.sql; identical files once) is loaded into
# a server of MAJOR_A and one of MAJOR_B (versions.sh; both started here
# with pgserver.sh and stopped on exit), and `schemad diff A B` must report
# no drift. A file that does not load on both servers is skipped and
# counted. EVERY=N takes one file in N (a sample, for CI; default 1: all);
# SD_PG_MATRIX=full in the environment overrides it with 1. SD_PG_XVER_GROUPS
# picks the groups (default "migra apgdiff sqldef samples").
# Prints a table of counts; exits 1 on any failure, 77 when the corpus or a
# server version is missing.
set -u
schemad=$1 major_a=$2 major_b=$3 corpus=$4 every=${5:-1}
[ "${SD_PG_MATRIX:-}" != full ] || every=1
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$corpus/postgres" ] || { echo "corpus not present at $corpus: skipped"; exit 77; }
work=$(mktemp -d /tmp/schemad-xver.XXXXXX)
chmod 755 "$work"
cleanup() {
	for s in a b; do [ ! -f "$work/$s.env" ] || (. "$work/$s.env"; "$here/pgserver.sh" stop "$work/$s") >/dev/null 2>&1; done
	rm -rf "$work"
}
trap cleanup EXIT
trap "exit 1" INT TERM

start() { # start SIDE MAJOR: prints the socket folder
	local env_
	env_=$("$here/versions.sh" env "$2") || exit 77
	echo "export $env_" >"$work/$1.env"
	(. "$work/$1.env"; "$here/pgserver.sh" start "$work/$1") >/dev/null || { echo "cannot start PostgreSQL $2" >&2; exit 1; }
	psql -X -q -h "$work/$1" -U postgres -d postgres -f "$corpus/pg_roles.sql" >/dev/null 2>&1
}
start a "$major_a"
start b "$major_b"
ver() { psql -X -Atq -h "$work/$1" -U postgres -d postgres -c 'SHOW server_version'; }
echo "PostgreSQL $(ver a) against PostgreSQL $(ver b)"

# From 15 on, copying the template's files beats WAL-logging them (the default).
create_sql() { # create_sql SIDE
	if [ "$(psql -X -Atq -h "$work/$1" -U postgres -d postgres -c 'SHOW server_version_num')" -ge 150000 ]; then
		echo 'CREATE DATABASE x STRATEGY FILE_COPY'
	else
		echo 'CREATE DATABASE x'
	fi
}
create_a=$(create_sql a)
create_b=$(create_sql b)
fresh() { # fresh SIDE FILE: loads FILE into a new database "x" on SIDE
	local create=$create_a
	[ "$1" = a ] || create=$create_b
	psql -X -q -h "$work/$1" -U postgres -d postgres -c 'DROP DATABASE IF EXISTS x WITH (FORCE)' \
		-c "$create" >/dev/null 2>&1 || return 1
	[ ! -s "$2" ] || psql -X -q -h "$work/$1" -U postgres -d x -v ON_ERROR_STOP=1 -f "$2" >"$work/$1.load.log" 2>&1
}
fresh_both() { # fresh_both FILE: both servers at once (each load is one process)
	local pid rc_a rc_b
	fresh a "$1" &
	pid=$!
	fresh b "$1"
	rc_b=$?
	wait "$pid"
	rc_a=$?
	[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ]
}

declare -A seen
declare -A total pass skip fail
failures=()
n=0
count() { # count GROUP FIELD
	local -n arr=$2
	arr[$1]=$(( ${arr[$1]:-0} + 1 ))
}
check() { # check GROUP FILE
	local group=$1 file=$2 sum
	sum=$(md5sum <"$file" | cut -c1-32)
	[ -z "${seen[$sum]:-}" ] || return 0
	seen[$sum]=1
	n=$((n + 1))
	[ $(( (n - 1) % every )) -eq 0 ] || return 0
	count "$group" total
	if ! fresh_both "$file"; then count "$group" skip; return; fi
	if "$schemad" diff "postgres://postgres@/x?host=$work/a" "postgres://postgres@/x?host=$work/b" >"$work/out" 2>&1; then
		count "$group" pass
	else
		count "$group" fail
		failures+=("${file#"$corpus"/}")
		echo "FAIL ${file#"$corpus"/}"; sed 's/^/    /' "$work/out" | head -40
	fi
}
groups=${SD_PG_XVER_GROUPS:-migra apgdiff sqldef samples}
for group in $groups; do
	if [ "$group" = samples ]; then
		for f in "$corpus"/samples/*/postgres.sql; do check samples "$f"; done
	else
		for f in "$corpus"/postgres/$group/*/a.sql "$corpus"/postgres/$group/*/b.sql; do check "$group" "$f"; done
	fi
done

printf '\n| %s vs %s | files | loaded on both | no drift | drift | skipped |\n| --- | --- | --- | --- | --- | --- |\n' \
	"$major_a" "$major_b"
all=(0 0 0 0 0)
for group in $groups; do
	t=${total[$group]:-0} p=${pass[$group]:-0} f=${fail[$group]:-0} s=${skip[$group]:-0}
	printf '| %s | %d | %d | %d | %d | %d |\n' "$group" "$t" $((p + f)) "$p" "$f" "$s"
	all=($((all[0] + t)) $((all[1] + p + f)) $((all[2] + p)) $((all[3] + f)) $((all[4] + s)))
done
printf '| all | %d | %d | %d | %d | %d |\n' "${all[@]}"
[ ${#failures[@]} -eq 0 ]
