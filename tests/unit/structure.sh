#!/usr/bin/env bash
# tests/unit/structure.sh SOURCE_DIR: the dependency rules of HACKING.md.
set -u
cd "$1" || exit 2
failed=0
rule() { # rule NAME: fails when stdin has lines (the offenders)
	local hits
	hits=$(cat)
	if [ -n "$hits" ]; then echo "FAIL $1:"; echo "$hits" | sed 's/^/    /'; failed=1; else echo "ok   $1"; fi
}
engines=$(ls -d connectors/*/ | xargs -n1 basename)
grep -rn '#include "connectors/sd_source.h"\|sd_source_load' connectors/*/ | rule "no connector calls the dispatcher"
for e in $engines; do
	# the include itself, not the file name grep prefixes, must name the folder
	grep -rn '#include "connectors/' "connectors/$e" |
		grep -v "#include \"connectors/$e/\|connectors/sd_engine.h\|connectors/sd_scratch.h\|connectors/sd_steps.h" |
		rule "connectors/$e includes no other connector"
done
grep -rn '#include "connectors/\|libpq-fe.h\|mysql.h\|sqlite3.h' config/ model/ diff/ util/ |
	rule "config, model, diff and util include no connector or client library"
grep -rln 'fopen\|sqlite3_\|PQexec\|mysql_query\|curl_' diff/ model/schema.c | rule "diff has no I/O"
# Only `schemad apply` writes: no other file calls an engine's apply.
grep -rn --include='*.c' -e '->apply *(' daemon connectors config model diff util | grep -v '^daemon/cmd_apply.c:' | rule "only daemon/cmd_apply.c applies plans"
exit $failed
