# tests/integration/lib.sh: what the integration scripts share. Source it.
#
#   sd_workdir NAME        a fresh folder under /tmp (world-readable: the
#                          postgres user reads scripts and sockets there)
#   sd_check NAME CMD...   runs CMD: "ok   NAME" or "FAIL NAME" (counted)
#   sd_wait_for SECS CMD...  retries CMD every 0.1 s until it succeeds
#   sd_await SECS WHAT CMD...  sd_wait_for (CMD's output dropped), or
#                          "FAIL WHAT: not within SECS s" and exit 1: for what
#                          the rest of a test stands on (a server up, a lock
#                          taken), which must never fall through silently
#   sd_stop PID [SECS]     SIGTERM, then waits up to SECS (default 30) for PID
#                          to exit: returns its exit status, or 124 after a
#                          SIGKILL (saying so) when it did not exit
#   sd_pg_lock_holder HOST DB TABLE  prints the pid of the session holding a
#                          granted ACCESS EXCLUSIVE lock on TABLE; fails if none
#   sd_finish              exits 1 when a check failed, else 0
#
# Bounds of waits are generous (a loaded 2-core CI machine runs ctest -j2
# beside the sanitizer build): a wait returns as soon as its condition
# holds, so only a failing run pays for the bound.
#
# The convergence driver of shared/corpus/README.md, one for every engine:
#   sd_converge NAME DIR   runs the four steps on DIR/a.sql and DIR/b.sql
#   sd_sample_pairs WORK SAMPLE...  each full-schema sample as two cases,
#                          empty -> sample and sample -> empty (prints dirs)
#   sd_corpus_summary      prints the NOTE/FAIL lines and the counts; exits
#                          1 when a case failed
# with hooks the runner defines for its engine:
#   engine_load SQL_FILE SIDE   loads a file into side a, b or b2 (fresh);
#                               a missing or empty file is an empty schema;
#                               fails when the file does not load
#   engine_url SIDE             prints the SOURCE of a side
#   engine_apply PLAN SIDE      runs a plan on a side with the engine's client
#                               (used only with SD_APPLY=client: by default
#                               the plan runs through `schemad apply`)
#   engine_load_error           (optional) prints why the last load failed
#   engine_extra NAME           (optional) more checks once b == b2; fails the
#                               case by printing a reason and returning 1

sd_failed=0
sd_workdir() {
	local d
	d=$(mktemp -d "/tmp/schemad-$1.XXXXXX")
	chmod 755 "$d"
	echo "$d"
}
sd_check() {
	local name=$1
	shift
	if "$@"; then echo "ok   $name"; else echo "FAIL $name"; sd_failed=1; fi
}
sd_wait_for() {
	local secs=$1 i
	shift
	for i in $(seq 1 $((secs * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
sd_await() {
	local secs=$1 what=$2
	shift 2
	sd_wait_for "$secs" "$@" >/dev/null && return 0
	echo "FAIL $what: not within ${secs}s"
	exit 1
}
sd_stop() {
	local pid=$1 secs=${2:-30} i
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "FAIL pid $pid did not exit within ${secs}s of SIGTERM: killed"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 124
	fi
	wait "$pid"
}
sd_pg_lock_holder() {
	local pid
	pid=$(psql -X -At -h "$1" -U postgres -d "$2" -c "SELECT pid FROM pg_locks
		WHERE relation = '$3'::regclass AND mode = 'AccessExclusiveLock' AND granted" 2>/dev/null)
	[ -n "$pid" ] && echo "$pid"
}
sd_finish() { exit $sd_failed; }

# Step 3 runs the plan: `schemad apply A B` (its own transaction, retries and
# re-read; exit 1 means it ran and drift remains, which step 4 reports), or the
# engine's client with SD_APPLY=client (to compare the two).
sd_apply_plan() { # sd_apply_plan PLAN
	if [ "${SD_APPLY:-schemad}" = client ]; then
		engine_apply "$1" a
		return
	fi
	"$schemad" apply "$(engine_url a)" "$(engine_url b)" --auto-approve
	[ $? -ne 2 ]
}

sd_pass=0 sd_fail=0 sd_skip=0
sd_failures=()
sd_nodrift=()
sd_fail_case() { sd_fail=$((sd_fail + 1)); sd_failures+=("$1"); }

# The four steps; output of failing steps is shown indented.
sd_converge() {
	local name=$1 dir=$2 rc why out=${sd_tmp:-/tmp}/sd_out.$$ plan=${sd_tmp:-/tmp}/sd_plan.$$.sql
	if ! engine_load "$dir/a.sql" a || ! engine_load "$dir/b.sql" b || ! engine_load "$dir/b.sql" b2; then
		sd_skip=$((sd_skip + 1))
		why=
		! declare -F engine_load_error >/dev/null || why=": $(engine_load_error)"
		echo "SKIP $name: a.sql or b.sql does not load$why"
		return
	fi
	if ! "$schemad" diff "$(engine_url b)" "$(engine_url b2)" >"$out" 2>&1; then
		sd_fail_case "$name: false drift between two loads of b.sql"; sed 's/^/    /' "$out"; return
	fi
	if declare -F engine_extra >/dev/null && ! why=$(engine_extra "$name"); then
		sd_fail_case "$name: $why"; return
	fi
	"$schemad" diff "$(engine_url a)" "$(engine_url b)" --format sql >"$plan" 2>"$out"
	rc=$?
	# No drift between files that differ is worth a look (it may be a comment-only change).
	if [ $rc -eq 0 ] && ! cmp -s "$dir/a.sql" "$dir/b.sql"; then sd_nodrift+=("$name"); fi
	if [ $rc -eq 2 ]; then sd_fail_case "$name: plan failed: $(cat "$out")"; return; fi
	if ! sd_apply_plan "$plan" >"$out" 2>&1; then
		sd_fail_case "$name: plan does not apply: $(grep -m1 -i error "$out" | cut -c1-300)"
		sed 's/^/    plan: /' "$plan"; return
	fi
	if ! "$schemad" diff "$(engine_url a)" "$(engine_url b)" >"$out" 2>&1; then
		sd_fail_case "$name: drift remains after the plan: $(grep -v '^ ' "$out" | sed -n 2p)"
		sed 's/^/    /' "$out"; sed 's/^/    plan: /' "$plan"; return
	fi
	sd_pass=$((sd_pass + 1))
}

# sd_texts NAME FILE: FILE loaded (engine_load FILE b), inspected into a snapshot and
# planned from engine_url empty (kept empty by the caller): the plan's checks of TO's
# texts must never refuse what a server wrote (SD_CORPUS_TEXTS=1 in the corpus scripts
# runs this over every schema of the corpus). Counts refusals in sd_refused.
sd_refused=0
sd_texts() {
	local name=$1 file=$2 snap=${sd_tmp:-/tmp}/sd_texts.$$.json out=${sd_tmp:-/tmp}/sd_out.$$ rc
	local plan=${sd_tmp:-/tmp}/sd_plan.$$.sql
	[ -s "$file" ] || return 0
	if ! engine_load "$file" b; then
		sd_skip=$((sd_skip + 1))
		return 0
	fi
	if ! "$schemad" inspect "$(engine_url b)" -o "$snap" >"$out" 2>&1; then
		sd_fail_case "$name: inspect failed: $(head -c 300 "$out")"
		return
	fi
	"$schemad" diff "$(engine_url empty)" "$snap" --format sql -o "$plan" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 2 ] && grep -q 'in the target (TO side' "$out"; then
		sd_refused=$((sd_refused + 1))
		sd_fail_case "$name: its texts are refused: $(head -c 400 "$out")"
	elif [ $rc -eq 2 ]; then
		sd_fail_case "$name: plan failed: $(head -c 300 "$out")"
	else
		sd_pass=$((sd_pass + 1))
	fi
}

# sd_texts_corpus FILE...: sd_texts on each distinct file, then the summary.
sd_texts_corpus() {
	local f sum
	local -A seen=()
	for f in "$@"; do
		[ -f "$f" ] || continue
		sum=$(md5sum <"$f")
		[ -z "${seen[$sum]:-}" ] || continue
		seen[$sum]=1
		sd_texts "${f#"$corpus"/}" "$f"
	done
	echo "texts: $sd_refused schemas refused"
	sd_corpus_summary
}

sd_sample_pairs() {
	local work=$1 sample name
	shift
	for sample in "$@"; do
		[ -f "$sample" ] || continue
		name=sample_$(basename "$(dirname "$sample")")_$(basename "$sample" .sql)
		mkdir -p "$work/cases/${name}_create" "$work/cases/${name}_drop"
		: >"$work/cases/${name}_create/a.sql"
		cp "$sample" "$work/cases/${name}_create/b.sql"
		cp "$sample" "$work/cases/${name}_drop/a.sql"
		: >"$work/cases/${name}_drop/b.sql"
		echo "$work/cases/${name}_create/" "$work/cases/${name}_drop/"
	done
}

sd_corpus_summary() {
	local f
	for f in "${sd_nodrift[@]+"${sd_nodrift[@]}"}"; do echo "NOTE $f: a.sql and b.sql differ as text, schemad saw no drift"; done
	for f in "${sd_failures[@]+"${sd_failures[@]}"}"; do echo "FAIL $f"; done
	echo "$sd_pass passed, $sd_fail failed, $sd_skip skipped"
	[ $sd_fail -eq 0 ]
}
