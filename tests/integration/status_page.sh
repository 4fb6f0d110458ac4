#!/usr/bin/env bash
# tests/integration/status_page.sh SCHEMAD [SCREENSHOT]
# The status page in a real headless browser (Debian's chromium through
# puppeteer-core, installed from tests/integration/browser/package-lock.json
# with npm ci) against a running daemon with a drifted SQLite pair and a
# drifted PostgreSQL pair (a server this script starts). With SCREENSHOT,
# the overview is saved there (docs/status-page.png is made so).
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shot=${2:-}
[ -z "$shot" ] || shot=$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d /tmp/schemad-page.XXXXXX)
chmod 755 "$work"
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	"$here/pg/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
command -v chromium >/dev/null || { echo "chromium not found (scripts/deps.sh --servers)"; exit 1; }
if [ ! -d "$here/browser/node_modules/puppeteer-core" ]; then
	(cd "$here/browser" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null 2>&1) ||
		{ echo "npm ci failed in $here/browser"; exit 1; }
fi

"$here/pg/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
psql -X -q -h "$work/pg" -U postgres -d postgres -c "CREATE DATABASE staging" -c "CREATE DATABASE production" >/dev/null
psql -X -q -h "$work/pg" -U postgres -d staging -c "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE)" >/dev/null
psql -X -q -h "$work/pg" -U postgres -d production -c "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, phone text); CREATE INDEX accounts_phone ON accounts (phone); CREATE TABLE import_tmp (id int)" >/dev/null
sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE TABLE orders(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL, hotfix TEXT); CREATE TABLE orders(id INTEGER PRIMARY KEY, user_id INTEGER);"
sqlite3 "$work/ok.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE TABLE orders(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
http: {listen: "127.0.0.1:0"}
environments:
  - {name: pg-staging, url: "postgres://postgres@/staging?host=$work/pg"}
  - {name: pg-production, url: "postgres://postgres@/production?host=$work/pg"}
  - {name: lite-staging, url: "sqlite://$work/staging.db"}
  - {name: lite-production, url: "sqlite://$work/prod.db"}
  - {name: lite-replica, url: "sqlite://$work/ok.db"}
  - {name: billing, url: "postgres://schemad@127.0.0.1:1/billing?connect_timeout=1"}
pairs:
  - {name: pg, reference: pg-staging, target: pg-production, interval: 1s}
  - {name: lite, reference: lite-staging, target: lite-production, interval: 1s}
  - {name: replica, reference: lite-staging, target: lite-replica, interval: 1s}
  - {name: billing, reference: pg-staging, target: billing, interval: 30s}
YAML
"$schemad" run --config "$work/schemad.yml" 2>"$work/log" &
pid=$!
logged_port() { grep -o 'http: listening on .* (port [0-9]*' "$work/log" | grep -o '[0-9]*$'; }
sd_await 30 "the daemon logs its HTTP port" logged_port
port=$(logged_port)
ready() { [ "$(curl -s "http://127.0.0.1:$port/readyz")" = ready ]; }
sd_await 60 "readyz: every pair checked" ready
node "$here/browser/status_page.mjs" "http://127.0.0.1:$port" "$schemad" "$work/schemad.yml" "$shot"
rc=$?
sd_stop "$pid" || rc=1
pid=
[ $rc -eq 0 ] || tail -20 "$work/log"
exit $rc
