#!/usr/bin/env bash
# scripts/deps.sh [--servers]: install what building (and, with --servers,
# testing against real PostgreSQL and MariaDB servers) needs on Debian 12.
# Installs only what is missing; runs apt-get update only when it must.
set -euo pipefail
pkgs=(build-essential cmake pkg-config sqlite3 libsqlite3-dev libjansson-dev libyaml-dev
      libcurl4-openssl-dev libpq-dev libmariadb-dev libcmocka-dev libsystemd-dev libssl-dev
      libpg-query-dev)
if [ "${1:-}" = "--servers" ]; then
	pkgs+=(postgresql mariadb-server mariadb-client python3-jsonschema nodejs)
	# npm for the version matrix; a nodejs build that bundles npm needs no package
	command -v npm >/dev/null || pkgs+=(npm)
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
