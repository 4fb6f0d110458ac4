#!/usr/bin/env bash
# scripts/test.sh: install, build, and run the whole test suite twice:
# once in a normal build, once under AddressSanitizer and
# UndefinedBehaviorSanitizer; in between, the Debian package is built,
# installed, checked and purged once (scripts/package.sh). The integration suites start their own
# PostgreSQL and MariaDB servers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --servers
jobs=$(nproc)
run_suite() { # run_suite BUILD_DIR CMAKE_ARGS...
	local dir=$1
	shift
	cmake -S . -B "$dir" -DSD_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	(cd "$dir" && ctest --output-on-failure -j"$jobs")
}
echo "== build and test (RelWithDebInfo)"
run_suite build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== Debian package: build, lintian, dpkg -i, validate, run as schemad, man, purge"
scripts/package.sh
echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_suite build/asan -DCMAKE_BUILD_TYPE=Debug -DSD_SANITIZE=address,undefined -DSD_ARENA_DEBUG=ON
echo "== fuzz targets, ${SD_FUZZ_SECONDS:-30}s each (fuzz/run.sh; longer: SD_FUZZ_SECONDS=600)"
fuzz/run.sh "${SD_FUZZ_SECONDS:-30}"
