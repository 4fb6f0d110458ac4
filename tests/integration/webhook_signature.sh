#!/usr/bin/env bash
# tests/integration/webhook_signature.sh SCHEMAD DOCS_DIR: what a receiver
# gets, checked with the receiver code docs/events.md gives (extracted from
# the document and run as is, so the document cannot drift from the
# program): real deliveries from `schemad alert test` to a local HTTP
# receiver verify; a changed body, a changed timestamp, a wrong secret and
# an old timestamp (a replay) are rejected. Each test event has its own id.
# The command sink gets the event type, id and pair in its environment.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
docs=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(mktemp -d)
rpid=
trap '[ -n "$rpid" ] && kill "$rpid" 2>/dev/null; rm -rf "$work"' EXIT
pass=0 fail=0
ok() { # ok NAME CMD...
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}

/usr/bin/python3 "$here/receiver.py" "$work/port" "$work/requests" &
rpid=$!
sd_await 30 "the HTTP receiver writes its port" test -s "$work/port"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
alerts:
  - {name: hook, type: webhook, url: "http://127.0.0.1:$(cat "$work/port")/hook", secret: "s3cret-key"}
  - {name: run, type: command, command: "env > '$work/env'; cat > '$work/payload'"}
YAML
chmod 600 "$work/schemad.yml"
"$schemad" alert test hook --config "$work/schemad.yml" >/dev/null
ok "alert test 1 accepted" test $? -eq 0
"$schemad" alert test hook --config "$work/schemad.yml" >/dev/null
ok "alert test 2 accepted" test $? -eq 0

/usr/bin/python3 - "$docs/events.md" "$work/requests" <<'PY' >"$work/verify" 2>&1
import json, re, sys, time
doc = open(sys.argv[1]).read()
snippet = re.search(r"<!-- verify-webhook: begin -->\n```python\n(.*?)```\n<!-- verify-webhook: end -->",
                    doc, re.S).group(1)
scope = {}
exec(snippet, scope)
verify = scope["verify"]

class Headers(dict):  # what web frameworks give: names case-insensitive
    def get(self, k, d=None):
        return super().get(k.lower(), d)

reqs = [json.loads(l) for l in open(sys.argv[2])]
fails = []
def expect(cond, what):
    if not cond:
        fails.append(what)
expect(len(reqs) == 2, f"2 deliveries, got {len(reqs)}")
for r in reqs:
    h, body = Headers(r["headers"]), r["body"].encode()
    ts = int(h.get("X-Schemad-Timestamp", "0"))
    expect(abs(time.time() - ts) < 60, "the timestamp is the time of sending")
    expect(verify(b"s3cret-key", h, body), "a genuine delivery verifies")
    expect(not verify(b"s3cret-key", h, body.replace(b"drift", b"DRIFT")), "a changed body is rejected")
    expect(not verify(b"other-key", h, body), "a wrong secret is rejected")
    moved = Headers(h); moved["x-schemad-timestamp"] = str(ts + 1)
    expect(not verify(b"s3cret-key", moved, body), "a changed timestamp is rejected")
    expect(not verify(b"s3cret-key", h, body, now=ts + 301), "a replay 5 minutes later is rejected")
    expect(verify(b"s3cret-key", h, body, now=ts + 299), "within 5 minutes it verifies")
    expect(h.get("X-Schemad-Delivery") == json.loads(body)["id"], "X-Schemad-Delivery is the event id")
ids = {json.loads(r["body"])["id"] for r in reqs}
expect(len(ids) == len(reqs) and "0" * 32 not in ids, f"each test event has its own id: {ids}")
for f in fails:
    print("  " + f)
print(len(fails))
PY
ok "the receiver in docs/events.md verifies and rejects as documented" test "$(tail -1 "$work/verify")" = 0
[ "$(tail -1 "$work/verify")" = 0 ] || cat "$work/verify"

SCHEMAD_PAIR=inherited-must-not-leak "$schemad" alert test run --config "$work/schemad.yml" >/dev/null
ok "command sink accepted" test $? -eq 0
id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$work/payload")
ok "command: SCHEMAD_EVENT_TYPE" grep -qx 'SCHEMAD_EVENT_TYPE=drift.detected' "$work/env"
ok "command: SCHEMAD_EVENT_ID is the event id" grep -qx "SCHEMAD_EVENT_ID=$id" "$work/env"
ok "command: SCHEMAD_PAIR is the event's pair" grep -qx 'SCHEMAD_PAIR=schemad-alert-test' "$work/env"
ok "command: the rest of the environment is kept" grep -q '^PATH=' "$work/env"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
