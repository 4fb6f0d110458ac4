#!/usr/bin/env bash
# scripts/demo.sh: install, build, and show schemad on the bundled demo:
# two SQLite databases (staging and production) built from examples/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# A tree of its own: configuring build/ with BUILD_TESTING=OFF would leave the
# developer's `cmake -S . -B build` (HACKING.md) with no tests at all.
demo=build/demo
cmake -S . -B "$demo" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$demo" -j"$(nproc)" --target schemad >/dev/null
rm -f "$demo/staging.db" "$demo/production.db"
sqlite3 -bail "$demo/staging.db" <examples/demo/staging.sql
sqlite3 -bail "$demo/production.db" <examples/demo/production.sql
echo "== schemad diff sqlite:$demo/production.db sqlite:$demo/staging.db"
echo
rc=0
"$demo/schemad" diff "sqlite:$demo/production.db" "sqlite:$demo/staging.db" || rc=$?
echo
echo "(exit code $rc: 0 no drift, 1 drift, 2 error)"
echo
echo "== the SQL that makes production match staging (--format sql)"
echo
"$demo/schemad" diff "sqlite:$demo/production.db" "sqlite:$demo/staging.db" --format sql || true
