# bench/lib.sh: what the engine benchmarks share (sourced, from the repository root).
#
# Each benchmark times, at each size of SIZES (default "1000 5000 20000"
# tables), the engine's independent floor (bench/ENGINE/floor.sql run by
# the engine's own client), schemad inspect, schemad diff A B (a drifted
# copy) and the peers, RUNS times each (default 3), under GNU time; it
# reports the median wall time and the median peak RSS of each, and the
# ratios to the floor, as one markdown table.
#
# Environment: SIZES, RUNS, PEER_RUNS (runs of the slow peers; default
# RUNS), LARGE_RUNS (runs of every command above 5,000 tables; default the
# above), SCHEMAD (a binary to bench instead of building build/bench).

runs=${RUNS:-3}
peer_runs=${PEER_RUNS:-$runs}
sizes=${SIZES:-"1000 5000 20000"}

# bench_build: a Release schemad in build/bench (or SCHEMAD); sets $schemad.
bench_build() {
	if [ -n "${SCHEMAD:-}" ]; then
		schemad=$(realpath "$SCHEMAD")
		return
	fi
	cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	cmake --build build/bench -j"$(nproc)" >/dev/null
	schemad=$PWD/build/bench/schemad
}

bench_setup() { # bench_setup OUTDIR: the output folder, GNU time, schemad
	out=$1
	mkdir -p "$out"
	: >"$out/results"
	if [ ! -x /usr/bin/time ]; then
		apt-get update -qq && apt-get install -y -qq time >/dev/null
	fi
	bench_build
	load_before=$(cut -d' ' -f1-3 /proc/loadavg)
}

# measure SIZE LABEL CMD...: runs CMD $runs times (exit 0 is success; with
# OK_EXIT=1, 1 too: a diff that finds drift); records the median wall seconds, the
# median peak RSS and the median CPU seconds (user + system) of the
# process itself (for a server's client, not the server's work). A
# failing run is reported and recorded as FAILED.
measure() {
	local size=$1 label=$2 n=${MEASURE_RUNS:-$runs} secs rss cpu
	shift 2
	# the largest sizes take minutes a run: LARGE_RUNS runs above 5,000 tables
	[ "$size" -le 5000 ] || n=${LARGE_RUNS:-$n}
	: >"$out/runs"
	for _ in $(seq "$n"); do
		/usr/bin/time -f '%e %M %x %U %S' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || true
		tail -n 1 "$out/time" >>"$out/runs"
	done
	if awk -v ok="${OK_EXIT:-0}" '$3 > ok { bad = 1 } END { exit !bad }' "$out/runs"; then
		echo "  $label at $size tables FAILED:" >&2
		sed 's/^/    /' "$out/stderr" | head -5 >&2
		secs=FAILED rss=FAILED cpu=FAILED
	else
		secs=$(cut -d' ' -f1 "$out/runs" | median)
		rss=$(($(cut -d' ' -f2 "$out/runs" | median) / 1024))
		cpu=$(awk '{ print $4 + $5 }' "$out/runs" | median)
	fi
	echo "$size|$label|$secs|$rss|$cpu" >>"$out/results"
	printf '  %-42s %8s s %6s MB  (cpu %s s)\n' "$label" "$secs" "$rss" "$cpu"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# skip SIZE LABEL WHY: a peer that cannot run here, recorded as such.
skip() {
	echo "$1|$2|-|-|-" >>"$out/results"
	printf '  %-40s skipped: %s\n' "$2" "$3"
}

# report TITLE FLOOR_LABEL: the results as one markdown table, one row per
# tool, one column per size: median seconds (ratio to the floor), peak RSS
# and, with REPORT_CPU set, CPU seconds (SQLite: all the work is in-process).
report() {
	local title=$1 floor=$2
	echo
	echo "$title"
	echo "load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg);" \
		"median of $runs runs (peers: $peer_runs)"
	echo
	awk -F'|' -v floor="$floor" -v cpu="${REPORT_CPU:-}" '
		{
			if (!($1 in seen)) { seen[$1] = 1; sizes[++ns] = $1 }
			if (!($2 in lseen)) { lseen[$2] = 1; labels[++nl] = $2 }
			t[$1, $2] = $3; m[$1, $2] = $4; c[$1, $2] = $5
		}
		END {
			printf "| |"
			for (i = 1; i <= ns; i++) printf " %s tables |", sizes[i]
			printf "\n| --- |"
			for (i = 1; i <= ns; i++) printf " --- |"
			printf "\n"
			for (j = 1; j <= nl; j++) {
				l = labels[j]
				printf "| %s |", l
				for (i = 1; i <= ns; i++) {
					s = sizes[i]; v = t[s, l]; f = t[s, floor]
					if (v == "" || v == "-") { printf " - |"; continue }
					if (v == "FAILED") { printf " failed |"; continue }
					r = (l != floor && f + 0 > 0) ? sprintf(" (%.2fx)", v / f) : ""
					printf " %.2f s%s, %d MB%s |", v, r, m[s, l], cpu ? sprintf(", cpu %.2f s", c[s, l]) : ""
				}
				printf "\n"
			}
		}' "$out/results"
}
