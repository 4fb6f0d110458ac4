#!/usr/bin/env bash
# tests/integration/logs.sh SCHEMAD: what `schemad run` writes on stderr.
# Outside systemd: a timestamp on every line and no "<6>" priority prefix.
# Under systemd (JOURNAL_STREAM names our stderr): the priority prefix, no
# timestamp (the journal has its own). log_format: json: one JSON object a
# line. log_level: debug: each check's phases with their timings.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
pass=0 fail=0
ok() { # ok NAME CMD...
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $name"
		sed 's/^/    log: /' "$work/log" | head -12
	fi
}

sqlite3 "$work/staging.db" "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);"
sqlite3 "$work/prod.db" "CREATE TABLE users(id INTEGER PRIMARY KEY);"
config() { # config LOG_FORMAT
	cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
jitter: 0s
log_level: debug
log_format: $1
environments:
  - {name: staging, url: "sqlite://$work/staging.db"}
  - {name: prod, url: "sqlite://$work/prod.db"}
pairs:
  - {name: lite, reference: staging, target: prod, interval: 1h}
YAML
}
# run_once [ENV=VALUE...]: the daemon until its first check is done, then SIGTERM.
run_once() {
	: >"$work/log"
	env "$@" "$schemad" run --config "$work/schemad.yml" 2>>"$work/log" &
	pid=$!
	sd_await 30 "the daemon's first check is logged ($*)" grep -q 'check done' "$work/log"
	sd_stop "$pid"
	pid=
}
every_line() { # every_line ERE: each log line matches
	! grep -qvE "$1" "$work/log"
}

config text
run_once
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (error|warning|info|debug): '
ok "text: a timestamp and a level on every line" every_line "$ts"
ok "text: no priority prefix" every_line '^[^<]'
ok "debug: the read of both sides, in parallel" grep -qF '[lite] reading target prod (sqlite:' "$work/log"
ok "debug: the target's read and its time" grep -qE '\[lite\] target prod read in [0-9]+ms: 1 tables' "$work/log"
ok "debug: the reference's read and its time" grep -qE '\[lite\] reference staging read in [0-9]+ms' "$work/log"
ok "debug: the diff and its time" grep -qE '\[lite\] diff: 1 changes in [0-9]+ms' "$work/log"
ok "debug: filters, score and fingerprint" grep -qE '\[lite\] filters and overrides: 1 changes kept, score [0-9]+, fingerprint [0-9a-f]{12} in [0-9]+ms' "$work/log"
ok "debug: the whole check" grep -qE '\[lite\] check done: drift in [0-9]+ms' "$work/log"

# The journal's stream is our stderr (here a file: its device and inode).
run_once JOURNAL_STREAM="$(stat -c '%d:%i' "$work/log")"
ok "journal: a priority prefix on every line" every_line '^<[3467]>(error|warning|info|debug): '
ok "journal: info is <6>, debug <7>" grep -q '^<6>info: schemad .* up' "$work/log"
ok "journal: debug is <7>" grep -q '^<7>debug: \[lite\]' "$work/log"
# A JOURNAL_STREAM inherited from elsewhere (another stream) is not ours.
run_once JOURNAL_STREAM=1:1
ok "inherited JOURNAL_STREAM: timestamps" every_line "$ts"

config json
run_once
ok "json: one object a line, with time, level and message" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines
for l in lines:
    o = json.loads(l)
    assert set(o) <= {"time", "level", "pair", "message"} and o["message"] and o["time"].endswith("Z"), l
    assert o["level"] in ("error", "warning", "info", "debug"), l
assert any(o.get("pair") == "lite" for o in map(json.loads, lines))
' "$work/log"
run_once JOURNAL_STREAM="$(stat -c '%d:%i' "$work/log")"
ok "json under the journal: prefix, then the object" every_line '^<[3467]>\{"time":'

config yaml
"$schemad" validate --config "$work/schemad.yml" >/dev/null 2>"$work/log"
ok "log_format: an unknown value is an error at its place" \
	grep -q 'schemad.yml:4:13: log_format: expected text or json, got "yaml"' "$work/log"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
