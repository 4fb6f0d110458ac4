#!/usr/bin/env bash
# tests/integration/hostile/daemon.sh SCHEMAD: the daemon under faults.
#   - a second daemon on the same state store refuses to start (exit 2, one
#     line naming the store and the first daemon's pid); the first runs on;
#   - a state store with damaged pages: exit 2 with one line saying so, and
#     the file is left byte for byte as it was;
#   - fairness: with as many blackholed pairs as workers (a listener that
#     never answers holds each check until the connect timeout, 5 s), a
#     healthy 1 s pair still runs about once a second once they failed:
#     on the daemon's own check times, no two of its checks are 3 s apart
#     (a pair starved by them waits out their connect timeouts: 5 s).
#     The bound is not a wall-clock time the test measures, and it leaves a
#     loaded machine 2 s on each side.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
work=$(mktemp -d)
pid= hpid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
q() { sqlite3 -cmd '.timeout 5000' "$work/state.db" "$1" 2>/dev/null; }
checks_of() { q "SELECT count(*) FROM checks WHERE pair = '$1'" || echo 0; }
has_checks() { test "$(checks_of "$1")" -ge "$2"; }

sqlite3 "$work/a.db" "CREATE TABLE t(id INTEGER PRIMARY KEY);"
sqlite3 "$work/b.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
environments:
  - {name: a, url: "sqlite://$work/a.db"}
  - {name: b, url: "sqlite://$work/b.db"}
pairs:
  - {name: healthy, reference: a, target: b, interval: 1s}
YAML

# ---- one daemon per store ---------------------------------------------------
"$schemad" run --config "$work/schemad.yml" 2>"$work/log1" &
pid=$!
sd_check "the first daemon records checks" sd_wait_for 10 has_checks healthy 1
timeout 10 "$schemad" run --config "$work/schemad.yml" 2>"$work/log2"
rc=$?
sd_check "a second daemon on the same store exits 2 (got $rc)" test "$rc" -eq 2
sd_check "... with one line naming the store and the first daemon's pid" \
	bash -c "test \$(grep -c . '$work/log2') -eq 1 && grep -q 'state store $work/state.db is in use by another schemad (pid $pid)' '$work/log2'"
sd_check "the first daemon runs on" kill -0 "$pid"
n=$(checks_of healthy)
sd_check "... and goes on checking" sd_wait_for 10 has_checks healthy $((n + 2))
sd_stop "$pid"
pid=

# ---- a damaged store --------------------------------------------------------
# Threads that close their connections at once can each miss being the last,
# which leaves the WAL beside the file (valid: the next open replays it). Its
# pages supersede the file's, so damage under them is no damage at all: merge
# it into the file first, and damage what SQLite will read.
sqlite3 "$work/state.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
rm -f "$work/state.db-wal" "$work/state.db-shm"
python3 - "$work/state.db" <<'PY'
import sys
# damage every page after the first two: the header stays readable, the tables do not
with open(sys.argv[1], "r+b") as f:
    f.seek(0, 2)
    size = f.tell()
    page = 4096
    for off in range(2 * page, size, page):
        f.seek(off + 8)
        f.write(b"\xde\xad\xbe\xef" * 64)
PY
sum_before=$(sha256sum "$work/state.db" | cut -d' ' -f1)
timeout 10 "$schemad" run --config "$work/schemad.yml" 2>"$work/log3"
rc=$?
sd_check "a damaged store: exit 2 (got $rc)" test "$rc" -eq 2
sd_check "... with one line saying it is damaged and left as it is" \
	bash -c "test \$(grep -c . '$work/log3') -eq 1 && grep -q 'state store $work/state.db is damaged (.*): left as it is' '$work/log3'"
sd_check "... and the file is unchanged" test "$(sha256sum "$work/state.db" | cut -d' ' -f1)" = "$sum_before"
rm -f "$work/state.db" "$work/state.db-wal" "$work/state.db-shm"

# ---- fairness ---------------------------------------------------------------
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)  # the kernel completes handshakes; nothing ever answers
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(600)' "$work/hole" &
hpid=$!
sd_await 30 "the blackhole listener writes its port" test -s "$work/hole"
hole=$(cat "$work/hole")
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
workers: 2
timeouts: {connect: 5s}
environments:
  - {name: a, url: "sqlite://$work/a.db"}
  - {name: b, url: "sqlite://$work/b.db"}
  - {name: hole1, url: "postgres://u@127.0.0.1:$hole/one"}
  - {name: hole2, url: "postgres://u@127.0.0.1:$hole/two"}
pairs:
  - {name: black1, reference: a, target: hole1, interval: 1s}
  - {name: black2, reference: a, target: hole2, interval: 1s}
  - {name: healthy, reference: a, target: b, interval: 1s}
YAML
"$schemad" run --config "$work/schemad.yml" 2>"$work/log4" &
pid=$!
# The healthy pair's checks once both blackholed pairs have failed once
# (from then on they may not take the last worker).
after_black="FROM checks WHERE pair = 'healthy' AND started_at > (SELECT CASE WHEN count(*) = 2 THEN max(f) END
	FROM (SELECT min(started_at + duration_ms) AS f FROM checks WHERE pair IN ('black1', 'black2') GROUP BY pair))"
healthy_runs() { test "$(q "SELECT count(*) $after_black")" -ge "$1" 2>/dev/null; }
sd_check "the healthy pair runs 9 times after the blackholed pairs failed" sd_wait_for 60 healthy_runs 9
sd_stop "$pid"
pid=
gaps=$(q "SELECT group_concat(gap, ' ') FROM (SELECT started_at - lag(started_at) OVER (ORDER BY id) AS gap
	$after_black) WHERE gap IS NOT NULL")
longest=$(q "SELECT max(gap) FROM (SELECT started_at - lag(started_at) OVER (ORDER BY id) AS gap $after_black)")
sd_check "a healthy 1 s pair beside 2 blackholed pairs on 2 workers: checks ${gaps:-?} ms apart (each < 3000)" \
	test "${longest:-99999}" -lt 3000
sd_check "the blackholed pairs were tried too" has_checks black1 1

sd_finish
