#!/usr/bin/env bash
# tests/integration/ci_gate.sh SCHEMAD DEMO_DIR: the commands of docs/ci.md, run locally.
# Production is the demo's production schema (as a snapshot, then as a dump);
# the "branch" is the demo's staging schema, which holds every band of risk.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
demo=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0 fail=0
expect_rc() { # expect_rc NAME WANT CMD...
	local name=$1 want=$2
	shift 2
	"$@" >out.md 2>err.txt
	local rc=$?
	if [ $rc -eq "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL $name: exit $rc, expected $want"; cat err.txt; fi
}
sqlite3 -bail prod.db <"$demo/production.sql"
mkdir -p db
cp "$demo/staging.sql" db/schema.sql

# docs/ci.md, "Refresh the production snapshot" and "Build the branch's schema"
expect_rc "inspect production" 0 "$schemad" inspect sqlite:prod.db -o db/production.snapshot.json
sqlite3 branch.db <db/schema.sql
# docs/ci.md, "Compare with production": the branch drops a table -> critical -> fail
expect_rc "gate fails on high" 1 "$schemad" diff db/production.snapshot.json sqlite:branch.db \
	--fail-on high --ignore comments --format markdown
grep -q '^| 95 critical | table.drop' out.md && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL markdown lacks the critical row"; }
# the same branch without the dropped table and index passes a high gate (medium and low remain)
expect_rc "gate passes below the band" 0 "$schemad" diff db/production.snapshot.json sqlite:branch.db \
	--fail-on high --exclude 'tmp_*' --exclude products --exclude customers --format markdown
# the dump variant
sqlite3 prod.db .schema >prod.sql
sqlite3 branch.db .schema >branch.sql
expect_rc "dump gate" 1 "$schemad" diff prod.sql branch.sql --dialect sqlite --fail-on high
# a broken input is 2, never a pass
echo '{"format":"schemad.snapshot","version":1' >broken.json
expect_rc "broken snapshot is an error" 2 "$schemad" diff broken.json sqlite:branch.db --fail-on critical
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
