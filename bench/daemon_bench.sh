#!/usr/bin/env bash
# bench/daemon_bench.sh [PAIRS] [SECONDS]: schemad run with PAIRS SQLite pairs
# (default 50) at a 1-second interval for SECONDS (default 60). Reports how
# well every pair kept its schedule (checks per pair, the longest gap
# between two starts of one pair) and resident memory over the run. It
# also scrapes /metrics every second (issue 14): the checks counter must
# move with every scrape, each scrape must pass `promtool check metrics`
# (when promtool is installed), and RSS stays flat while it is scraped.
# Target (issue 6): every pair on schedule, memory flat.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-50}
secs=${2:-60}
out=bench/out/daemon
rm -rf "$out"
mkdir -p "$out"
. bench/daemon_lib.sh
bench_build
lite_schema 20 >"$out/schema.sql"
port=$(free_port)
daemon_config "$out" "$port" 4 "$pairs" "$out/schema.sql" >"$out/schemad.yml"

"$schemad" run --config "$out/schemad.yml" 2>"$out/log" &
pid=$!
: >"$out/rss"
: >"$out/scrapes"
promtool_failures=0
t0=$SECONDS
for s in $(seq "$secs"); do
	sleep 1
	echo "$s $(rss_kib "$pid")" >>"$out/rss"
	scrape "$port" "$out/metrics.txt" || : >"$out/metrics.txt"
	# the total of schemad_checks_total over every pair and status
	echo "$s $(checks_sum "$out/metrics.txt")" >>"$out/scrapes"
	if command -v promtool >/dev/null && ! promtool check metrics <"$out/metrics.txt" >/dev/null 2>&1; then
		promtool_failures=$((promtool_failures + 1))
	fi
done
kill -TERM "$pid"
wait "$pid"
elapsed=$((SECONDS - t0)) # scraping stretches the loop past SECONDS: the ideal follows the clock

sqlite3 "$out/state.db" "
WITH s AS (SELECT pair, started_at, started_at - lag(started_at) OVER (PARTITION BY pair ORDER BY id) AS gap FROM checks),
per AS (SELECT pair, count(*) AS n, max(gap) AS worst, avg(gap) AS mean FROM s GROUP BY pair)
SELECT printf('pairs: %d, checks per pair: min %d, mean %.1f, max %d (ideal %d)', count(*), min(n), avg(n), max(n), $elapsed),
       printf('gap between two starts of one pair: mean %.0f ms, worst %d ms (interval 1000 ms + up to 100 ms jitter)', avg(mean), max(worst))
FROM per;" | tr '|' '\n'
sqlite3 "$out/state.db" "SELECT printf('check duration: mean %.1f ms, max %d ms; statuses: %s', avg(duration_ms), max(duration_ms), (SELECT group_concat(status || '=' || n) FROM (SELECT status, count(*) n FROM checks GROUP BY status))) FROM checks"
awk 'NR == 10 { a = $2 } { b = $2; if ($2 > m) m = $2 } END { printf "RSS: %d KiB at 10s, %d KiB at the end, peak %d KiB\n", a, b, m }' "$out/rss"
awk 'NR > 1 && $2 <= prev { still++ } { prev = $2 } END { printf "/metrics scraped %d times: schemad_checks_total %d at the first, %d at the last; %d scrapes without progress\n", NR, first, prev, still } NR == 1 { first = $2 }' "$out/scrapes"
echo "promtool check metrics: $promtool_failures failing scrapes$(command -v promtool >/dev/null || echo ' (promtool not installed: not checked)')"
