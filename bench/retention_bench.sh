#!/usr/bin/env bash
# bench/retention_bench.sh [SECONDS] [RETENTION]: schemad run with 20 SQLite
# pairs at a 1 s interval (the shortest allowed) for SECONDS (default 120) with `retention:
# RETENTION` (default 20s); one pair's drift flips every 15 s so state
# changes accumulate. Every 10 s it samples the checks table and the store's
# size, and /metrics for the number of checks done. Target (issue 14): the
# rows kept plateau at about retention / interval per pair plus the state
# changes, every state change is kept, and the store's size stays flat
# while the checks done keep growing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-120}
retention=${2:-20s}
out=bench/out/retention
rm -rf "$out"
mkdir -p "$out"
. bench/daemon_lib.sh
bench_build
echo "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);" >"$out/schema.sql"
port=$(free_port)
{
	echo "state_path: $PWD/$out/state.db"
	echo "jitter: 0s"
	echo "log_level: warning"
	echo "retention: $retention"
	echo "http: {listen: \"127.0.0.1:$port\"}"
	daemon_pairs "$out" 20 "$out/schema.sql" "" 1s
} >"$out/schemad.yml"
"$schemad" run --config "$out/schemad.yml" 2>"$out/log" &
pid=$!
q() { sqlite3 "$out/state.db" "$1" 2>/dev/null || echo 0; }
printf '%6s %12s %10s %14s %12s\n' seconds checks_done rows_kept state_changes store_KiB
drift=0
for s in $(seq "$secs"); do
	sleep 1
	if [ $((s % 15)) -eq 0 ]; then
		if [ $drift -eq 0 ]; then sqlite3 "$out/tgt1.db" "ALTER TABLE t ADD COLUMN x TEXT;"; drift=1
		else sqlite3 "$out/tgt1.db" "ALTER TABLE t DROP COLUMN x;"; drift=0; fi
	fi
	if [ $((s % 10)) -eq 0 ]; then
		scrape "$port" "$out/metrics.txt" || : >"$out/metrics.txt"
		done_n=$(checks_sum "$out/metrics.txt")
		kib=$(du -ck "$out"/state.db* | tail -1 | cut -f1)
		printf '%6d %12d %10d %14d %12d\n' "$s" "$done_n" "$(q 'SELECT count(*) FROM checks')" \
			"$(q 'SELECT count(*) FROM checks WHERE changed = 1')" "$kib"
	fi
done
kill -TERM "$pid"
wait "$pid"
