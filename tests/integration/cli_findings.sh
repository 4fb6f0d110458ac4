#!/usr/bin/env bash
# tests/integration/cli_findings.sh SCHEMAD: the command-line findings of
# issue 15, each as it was found and as it must behave now: history --limit
# and unknown pairs; check with several pairs as one document (JSON with a
# "pairs" array, Markdown and SQL sections) and --fail-on; score-0 changes
# counted apart from "low"; unknown --ignore / ignore: words rejected with
# the valid ones listed; --exclude TABLE.NAME for one index or constraint.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
docs=$(cd "$(dirname "$0")/../../docs" && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
pass=0 fail=0

check() { # check NAME EXPECTED_RC CMD...: run, compare exit code
	local name=$1 want=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc, expected $want"
		sed 's/^/    stdout: /' "$work/out" | head -5
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}
expect() { # expect NAME CONDITION-CMD...: a follow-up assertion on the last run
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $name"
		sed 's/^/    stdout: /' "$work/out" | head -8
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}
one_error_line() { # one_error_line FRAGMENT: exit-2 run printed one stderr line with FRAGMENT, no stdout
	test ! -s "$work/out" && test "$(wc -l <"$work/err")" -eq 1 && grep -qF -- "$1" "$work/err"
}
json() { python3 -c "import json, sys; d = json.load(open('$work/out')); sys.exit(0 if ($1) else 1)"; }

sqlite3 "$work/target.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, CONSTRAINT v_ok CHECK (v <> ''));
	CREATE INDEX t_v ON t(v); CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END;"
sqlite3 "$work/reference.db" "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, w INT);"
cp "$work/target.db" "$work/twin.db"
cat >"$work/schemad.yml" <<YAML
state_path: $work/state.db
environments:
  - {name: target, url: "sqlite://$work/target.db"}
  - {name: reference, url: "sqlite://$work/reference.db"}
  - {name: twin, url: "sqlite://$work/twin.db"}
  - {name: gone, url: "sqlite://$work/missing.db"}
pairs:
  - {name: drifted, target: target, reference: reference}
  - {name: same, target: target, reference: twin}
  - {name: broken, target: gone, reference: reference}
YAML
cfg=(--config "$work/schemad.yml")

# status, history and show only read: before the daemon's first start they
# show pairs never checked, and leave no empty store behind.
check "status without a store" 0 "$schemad" status "${cfg[@]}"
check "history without a store" 0 "$schemad" history drifted "${cfg[@]}"
check "no store created by readers" 0 test ! -e "$work/state.db"

# history: --limit was rejected as an unknown option; an unknown pair exited 0.
check "history --limit N" 0 "$schemad" history drifted "${cfg[@]}" --limit 5
check "history --limit=N before the pair" 0 "$schemad" history --limit=5 drifted "${cfg[@]}"
check "history --limit 0" 2 "$schemad" history drifted --limit 0 "${cfg[@]}"
expect "history --limit 0: one line" one_error_line '--limit "0"'
check "history of no such pair" 2 "$schemad" history nosuch "${cfg[@]}"
expect "history nosuch: names it" one_error_line 'no pair named "nosuch"'

# check --format json: one document, every pair in it, failed ones too.
check "check json, a pair broken" 2 "$schemad" check "${cfg[@]}" --format json
expect "check json: one JSON document" json 'd["format"] == "schemad.check" and d["version"] == 1'
expect "check json: every pair, in order" json '[p["name"] for p in d["pairs"]] == ["drifted", "same", "broken"]'
expect "check json: drift has its report" \
	json 'd["pairs"][0]["status"] == "drift" and d["pairs"][0]["report"]["format"] == "schemad.report"'
expect "check json: no drift has its report" \
	json 'd["pairs"][1]["status"] == "ok" and d["pairs"][1]["report"]["drift"] is False'
expect "check json: the broken pair has its error" \
	json 'd["pairs"][2]["status"] == "unreachable" and "missing.db" in d["pairs"][2]["error"] and "report" not in d["pairs"][2]'
expect "check json: the broken pair on stderr too" grep -q 'pair broken: unreachable' "$work/err"
expect "check json: valid against docs/check.schema.json" /usr/bin/python3 -c '
import json, sys, warnings
warnings.simplefilter("ignore")
from jsonschema import Draft202012Validator, RefResolver
check, report = (json.load(open(sys.argv[1] + f)) for f in ("/check.schema.json", "/report.schema.json"))
v = Draft202012Validator(check, resolver=RefResolver.from_schema(check, store={report["$id"]: report}))
errors = [f"{list(e.path)}: {e.message}" for e in v.iter_errors(json.load(open(sys.argv[2])))]
errors and print("\n".join(errors))
sys.exit(1 if errors else 0)' "$docs" "$work/out"

# log_level: debug shows each check's phases on stderr, stdout unchanged.
sed 's/^state_path:/log_level: debug\nstate_path:/' "$work/schemad.yml" >"$work/debug.yml"
check "check with log_level: debug" 1 "$schemad" check drifted --config "$work/debug.yml"
expect "debug: phases with timings on stderr" grep -qE 'debug: \[drifted\] diff: [0-9]+ changes in [0-9]+ms' "$work/err"
expect "debug: stdout is the report alone" grep -q '^Drift: ' "$work/out"

# Text: a section per pair, the broken one saying why.
check "check text" 2 "$schemad" check "${cfg[@]}"
expect "text: a section per pair" test "$(grep -c '^== pair ' "$work/out")" -eq 3
expect "text: the broken pair says why" grep -q '^not checked: environment gone: ' "$work/out"

# Markdown: a section per pair, each heading after a blank line (GitHub
# renders a heading that follows </details> directly as literal text).
check "check markdown" 2 "$schemad" check drifted same broken "${cfg[@]}" --format markdown
expect "markdown: a heading per pair naming it" test "$(grep -c '^### pair ' "$work/out")" -eq 3
expect "markdown: headings after a blank line" \
	awk 'prev != "" && /^#/ { bad = 1 } { prev = $0 } END { exit bad }' "$work/out"
expect "markdown: the broken pair says why" grep -q 'Not checked' "$work/out"

# SQL: each pair's plan under its own comment header.
check "check sql" 1 "$schemad" check drifted same "${cfg[@]}" --format sql
expect "sql: a header per pair" test "$(grep -c '^-- pair ' "$work/out")" -eq 2
expect "sql: headers name the pairs" grep -q '^-- pair same: target target -> reference twin' "$work/out"
cp "$work/out" "$work/plans.sql"
check "sql plans apply: target becomes reference" 0 bash -c \
	"sed -n '/^-- pair drifted/,/^-- pair same/p' '$work/plans.sql' | sqlite3 -bail '$work/twin.db' &&
	 '$schemad' diff 'sqlite:$work/twin.db' 'sqlite:$work/reference.db'"

# check --fail-on, as diff has it.
check "check --fail-on critical: high drift passes" 0 "$schemad" check drifted "${cfg[@]}" --fail-on critical
check "check --fail-on high: high drift fails" 1 "$schemad" check drifted "${cfg[@]}" --fail-on high
check "check --fail-on nonsense" 2 "$schemad" check drifted "${cfg[@]}" --fail-on huge
expect "check --fail-on nonsense: one line" one_error_line '--fail-on "huge"'

# Score-0 changes are in no band: not counted as low.
T=sqlite:$work/target.db R=sqlite:$work/reference.db
check "score 0: text" 1 "$schemad" diff "$T" "$R" --risk-override column.add=0 \
	--exclude t.t_v --exclude t.v_ok --exclude trg
expect "score 0: counted as none, not low" grep -q 'score 0 (none): 0 critical, 0 high, 0 medium, 0 low, 1 none' "$work/out"
check "score 0: json" 1 "$schemad" diff "$T" "$R" --risk-override column.add=0 --format json
expect "score 0: json summary" json 'd["summary"]["none"] == 1 and d["summary"]["low"] == 0'

# --ignore and ignore: with a word that matches nothing are errors.
check "--ignore typo" 2 "$schemad" diff "$T" "$R" --ignore colums
expect "--ignore typo: one line listing the valid words" \
	one_error_line '--ignore "colums" matches no change; expected a change kind (like column.order), a family (table, column,'
check "--ignore family" 1 "$schemad" diff "$T" "$R" --ignore trigger
check "--ignore aspect alias" 1 "$schemad" diff "$T" "$R" --ignore comments
printf '  - {name: typo, target: target, reference: twin, ignore: [trigger, colums]}\n' >>"$work/schemad.yml"
check "ignore: typo in the configuration" 2 "$schemad" validate "${cfg[@]}"
expect "ignore: typo at its file:line:col" \
	grep -qF "schemad.yml:11:69: pairs[3].ignore: \"colums\" matches no change" "$work/err"

# --exclude TABLE.NAME: one index or one constraint, the table still compared.
check "exclude one index" 1 "$schemad" diff "$T" "$R" --exclude t.t_v --format json
expect "exclude one index: gone, the rest kept" \
	json '[c["kind"] for c in d["changes"]] == ["column.add", "check.drop", "trigger.drop"]'
check "exclude one constraint and the trigger" 1 "$schemad" diff "$T" "$R" --exclude t.v_ok --exclude trg --format json
expect "exclude one constraint: gone" json '[c["kind"] for c in d["changes"]] == ["column.add", "index.drop"]'

# sqlite:file:x.db is the file named "file:x.db", never an SQLite URI (Debian's
# SQLite reads file: names as URIs: it opened x.db, and missed file:x.db).
(cd "$work" && sqlite3 "./file:x.db" "CREATE TABLE in_file_x(a)" && sqlite3 x.db "CREATE TABLE in_x(a)")
check "sqlite:file:x.db is a file name" 0 sh -c "cd '$work' && '$schemad' inspect sqlite:file:x.db"
expect "sqlite:file:x.db reads the file named so" grep -q '"name": "in_file_x"' "$work/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
