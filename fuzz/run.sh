#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET...]: build the libFuzzer targets (clang,
# ASan + UBSan, -DSD_FUZZ=ON) into build/fuzz and run each for SECONDS
# (default 30) from its seed corpus in fuzz/corpus/TARGET. New inputs go
# to build/fuzz/corpus/TARGET (the seeds stay as committed); a crash
# leaves its input in build/fuzz/artifacts and fails the script.
# Prints one line of figures per target: runs, coverage, corpus size.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_snapshot fuzz_config fuzz_sqlite_dump fuzz_quote)
out=build/fuzz
CC=clang cmake -S . -B "$out" -DSD_FUZZ=ON -DSD_SANITIZE=address,undefined -DSD_ARENA_DEBUG=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build "$out" -j"$(nproc)" --target "${targets[@]}" >/dev/null
mkdir -p "$out/artifacts"
status=0
for t in "${targets[@]}"; do
	mkdir -p "$out/corpus/$t"
	log="$out/$t.log"
	# -timeout: one input may take 10 s (the dump target's own limit is 1 s);
	# -rss_limit_mb: a leak or a blow-up is a finding, not a dead machine.
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$out/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$out/artifacts/$t-" -print_final_stats=1 \
		"$out/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
		result=ok
	else
		result=FAILED
		status=1
		grep -m5 -E "ERROR|SUMMARY|abort|Test unit written" "$log" || true
	fi
	runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
	ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
	corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
	echo "$t: $result in ${secs}s: $runs runs, coverage $cov edges ($ft features), corpus $corp"
done
exit $status
