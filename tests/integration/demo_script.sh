#!/usr/bin/env bash
# tests/integration/demo_script.sh SOURCE_DIR: the Quick start's scripts/demo.sh
# builds in a tree of its own and leaves build/ alone. It used to configure
# build/ with BUILD_TESTING=OFF, after which HACKING.md's
# `cmake -S . -B build && ctest` found no test at all. The script runs for
# real on a copy of the tree, with deps.sh and cmake stubbed (they install
# packages and build a Release tree: minutes); the stub cmake records its
# arguments and puts a stand-in schemad where the build would.
set -u
src=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo/scripts" "$work/bin" "$work/repo/build"
cp "$src/scripts/demo.sh" "$work/repo/scripts/"
cp -r "$src/examples" "$work/repo/"
printf '#!/bin/sh\nexit 0\n' >"$work/repo/scripts/deps.sh"
echo "CMAKE_BUILD_TYPE:STRING=Debug" >"$work/repo/build/CMakeCache.txt"
cat >"$work/bin/cmake" <<'STUB'
#!/bin/sh
echo "$*" >>"$CMAKE_LOG"
dir=
while [ $# -gt 0 ]; do
	case $1 in -B) dir=$2; shift ;; --build) dir=$2; shift ;; esac
	shift
done
mkdir -p "$dir"
printf '#!/bin/sh\necho "stand-in schemad $*"\n' >"$dir/schemad"
chmod +x "$dir/schemad" "$0"
STUB
chmod +x "$work/bin/cmake" "$work/repo/scripts/deps.sh"
fail=0
(cd "$work/repo" && CMAKE_LOG=$work/cmake.log PATH="$work/bin:$PATH" scripts/demo.sh >"$work/out" 2>&1) ||
	{ echo "FAIL demo.sh exited non-zero"; cat "$work/out"; fail=1; }
if grep -Eq -- '-B build( |$)|--build build( |$)' "$work/cmake.log"; then
	echo "FAIL demo.sh configures or builds build/ itself:"; cat "$work/cmake.log"; fail=1
else echo "ok   demo.sh builds in a tree of its own"; fi
if [ "$(cat "$work/repo/build/CMakeCache.txt")" = "CMAKE_BUILD_TYPE:STRING=Debug" ]; then
	echo "ok   build/CMakeCache.txt untouched"
else echo "FAIL build/CMakeCache.txt changed"; fail=1; fi
if grep -q "stand-in schemad diff sqlite:build/demo/production.db sqlite:build/demo/staging.db" "$work/out"; then
	echo "ok   the demo diffs its two databases with the schemad it built"
else echo "FAIL the demo did not run its schemad:"; cat "$work/out"; fail=1; fi
exit $fail
