#!/usr/bin/env bash
# bench/daemon_growth.sh: `schemad run`'s throughput as pairs grow (issue 18).
#
# For each count of PAIRS (default "10 100 500 1000 2000 4000") it starts the real
# daemon on a generated configuration of that many small SQLite pairs
# (TABLES tables each, default 3, with an index and a view each; every fifth
# pair drifts) at a 1 s interval, the shortest the configuration allows, with
# WORKERS workers (default 4, the configuration's default). After WARMUP
# seconds (default 5) it reads the daemon's own counter
# schemad_checks_total from /metrics, waits SECS seconds (default 30) and
# reads it again: checks per second come from the daemon's count, not from
# the bench. Also measured over the window: the daemon's CPU time (from
# /proc), its resident memory at the end and its peak (the kernel's VmHWM).
#
# A pair runs at most once per interval, so a size is throughput-bound only
# when pairs x check time exceeds workers x 1 s: the "bound by" column says
# which limit a row shows (schedule: every pair ran on time and the workers
# had idle time; workers: pairs ran late, so the workers were the limit).
# Checks per CPU second compares the cost of a check across sizes either way.
#
# A size is FAILED when the daemon does not come up, exits, the listener
# stops answering, the counter does not move, or any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/daemon_lib.sh

sizes=${PAIRS:-"10 100 500 1000 2000 4000"}
secs=${SECS:-30}
warmup=${WARMUP:-5}
workers=${WORKERS:-4}
tables=${TABLES:-3}
out=bench/out/daemon_growth
rm -rf "$out"
mkdir -p "$out"
bench_build
lite_schema "$tables" >"$out/schema.sql"
hz=$(getconf CLK_TCK)
: >"$out/results"
pid=
trap '[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true' EXIT

# fail N WHY: records size N as FAILED and stops its daemon.
fail() {
	echo "  $1 pairs FAILED: $2" >&2
	echo "$1|FAILED: $2" >>"$out/results"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
}

# alive: the daemon is still running (a zombie counts as gone).
alive() {
	[ -e "/proc/$pid/status" ] && ! grep -q '^State:.*Z' "/proc/$pid/status"
}

# run_size N: one daemon with N pairs, measured over the window.
run_size() {
	local n=$1 dir=$out/$1 port c0 c1 bad0 bad1 t0 t1 cpu0 cpu1 rss hwm
	mkdir -p "$dir"
	port=$(free_port)
	daemon_config "$dir" "$port" "$workers" "$n" "$out/schema.sql" >"$dir/schemad.yml"
	"$schemad" run --config "$dir/schemad.yml" 2>"$dir/log" &
	pid=$!
	for _ in $(seq 300); do # up to 30 s to come up
		scrape "$port" "$dir/start.txt" 2>/dev/null && break
		alive || { fail "$n" "the daemon exited at start (see $dir/log)"; return 1; }
		sleep 0.1
	done
	scrape "$port" "$dir/start.txt" || { fail "$n" "no /metrics after 30 s"; return 1; }
	sleep "$warmup"

	scrape "$port" "$dir/start.txt" || { fail "$n" "/metrics stopped answering"; return 1; }
	t0=$EPOCHREALTIME
	cpu0=$(cpu_ticks "$pid")
	for _ in $(seq "$secs"); do
		sleep 1
		alive || { fail "$n" "the daemon exited during the run (see $dir/log)"; return 1; }
	done
	scrape "$port" "$dir/end.txt" || { fail "$n" "/metrics stopped answering"; return 1; }
	t1=$EPOCHREALTIME
	cpu1=$(cpu_ticks "$pid")
	rss=$(rss_kib "$pid")
	hwm=$(rss_kib "$pid" VmHWM)
	kill -TERM "$pid"
	wait "$pid" || { fail "$n" "the daemon exited with status $? on SIGTERM"; return 1; }
	pid=

	c0=$(checks_sum "$dir/start.txt" 'ok|drift')
	c1=$(checks_sum "$dir/end.txt" 'ok|drift')
	bad0=$(checks_sum "$dir/start.txt" 'unreachable|error|deferred')
	bad1=$(checks_sum "$dir/end.txt" 'unreachable|error|deferred')
	rm -f "$dir"/ref*.db "$dir"/tgt*.db
	[ "$c1" -gt "$c0" ] || { fail "$n" "schemad_checks_total did not move ($c0 -> $c1)"; return 1; }
	[ "$bad1" -eq 0 ] || { fail "$n" "$bad1 checks failed, $((bad1 - bad0)) in the window (see $dir/log)"; return 1; }
	awk -v n="$n" -v c="$((c1 - c0))" -v t0="$t0" -v t1="$t1" -v cpu="$((cpu1 - cpu0))" -v hz="$hz" \
		-v rss="$rss" -v hwm="$hwm" 'BEGIN {
			secs = t1 - t0; rate = c / secs; per_min = rate * 60 / n; cpu_s = cpu / hz
			# on schedule: within 5% of one check per pair per second
			bound = per_min >= 57 ? "schedule" : "workers"
			per_cpu = cpu_s > 0 ? c / cpu_s : 0
			printf "%d|ok|%.1f|%.1f|%s|%.0f%%|%.0f|%.1f|%.1f|%.1f\n", n, rate, per_min, bound,
				100 * cpu_s / secs, per_cpu, hwm / 1024, rss / 1024, secs
		}' >>"$out/results" || { fail "$n" "the figures could not be computed"; return 1; }
	tail -n 1 "$out/results" | awk -F'|' '{ printf "  %5d pairs: %s checks/s, %s per pair per minute, daemon CPU %s, RSS %s MiB\n", $1, $3, $4, $6, $9 }'
}

echo "daemon throughput: TABLES=$tables tables a pair, WORKERS=$workers, 1s interval," \
	"WARMUP=$warmup s then SECS=$secs s per size"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
failed=0
for n in $sizes; do
	run_size "$n" || failed=1
done

echo
echo "load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
echo
echo "| pairs | checks/s | checks per pair per minute (schedule: 60) | bound by | daemon CPU (100% = one core) | checks per CPU second | peak RSS | RSS at the end |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
awk -F'|' '
	$2 != "ok" { printf "| %d | %s | - | - | - | - | - | - |\n", $1, $2; next }
	{ printf "| %d | %s | %s | %s | %s | %s | %s MiB | %s MiB |\n", $1, $3, $4, $5, $6, $7, $8, $9 }' "$out/results"
exit "$failed"
