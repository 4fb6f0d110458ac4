#!/usr/bin/env bash
# scripts/deps.sh [--servers|--package]: install what building (and, with
# --servers, testing against real PostgreSQL and MariaDB servers; with
# --package, building and checking the Debian package) needs on Debian 12.
# Installs only what is missing; runs apt-get update only when it must.
set -euo pipefail
pkgs=(build-essential cmake pkg-config sqlite3 libsqlite3-dev libjansson-dev libyaml-dev
      libcurl4-openssl-dev libpq-dev libmariadb-dev libcmocka-dev libsystemd-dev libssl-dev
      libmicrohttpd-dev libpg-query-dev libprotobuf-c-dev clang libclang-rt-14-dev) # clang + libFuzzer runtime: fuzz/run.sh
if [ "${1:-}" = "--servers" ]; then
	# prometheus ships promtool (the /metrics test); chromium and npm drive the status page test
	pkgs+=(postgresql mariadb-server mariadb-client python3-jsonschema prometheus chromium)
	# npm for puppeteer-core and the PostgreSQL version matrix; a Node.js from elsewhere may bring its own npm
	command -v npm >/dev/null || pkgs+=(npm)
elif [ "${1:-}" = "--package" ]; then
	pkgs+=(dpkg-dev lintian man-db)
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "installing: ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The PostgreSQL version matrix beside Debian's 15 (npm builds, pinned).
if [ "${1:-}" = "--servers" ]; then
	"$(dirname "$0")/../tests/integration/pg/versions.sh" install
fi
# puppeteer-core for the status page test, at the version package-lock.json pins
browser="$(cd "$(dirname "$0")/.." && pwd)/tests/integration/browser"
if [ "${1:-}" = "--servers" ] && [ ! -d "$browser/node_modules/puppeteer-core" ]; then
	# Not fatal here: tests/integration/status_page.sh retries it and fails loudly.
	(cd "$browser" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null) ||
		echo "npm ci failed in $browser: the status page test will fail" >&2
fi
