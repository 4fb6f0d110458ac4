#!/usr/bin/env bash
# tests/integration/report_schema.sh SCHEMAD SCHEMA_JSON DEMO_DIR
# The JSON report validates against its documented schema (docs/report.schema.json),
# for a report with every band and for a report without drift.
set -eu
schemad=$1 schema=$2 demo=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sqlite3 -bail "$work/prod.db" <"$demo/production.sql"
sqlite3 -bail "$work/staging.db" <"$demo/staging.sql"
rc=0
"$schemad" diff "sqlite:$work/prod.db" "sqlite:$work/staging.db" --format json >"$work/drift.json" || rc=$?
[ $rc -eq 1 ] || { echo "expected exit 1, got $rc"; exit 1; }
"$schemad" diff "sqlite:$work/prod.db" "sqlite:$work/prod.db" --format json >"$work/same.json"
/usr/bin/python3 - "$schema" "$work/drift.json" "$work/same.json" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
ok = fail = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = list(v.iter_errors(doc))
    for e in errors:
        print(f"FAIL {path}: {list(e.path)}: {e.message}")
    fail += bool(errors)
    ok += not errors
drift = json.load(open(sys.argv[2]))
# the report says what the demo's drift is: every band but none present
bands = {c["band"] for c in drift["changes"]}
if not {"low", "medium", "high", "critical"} <= bands or not drift["drift"]:
    print("FAIL demo report lacks a band:", bands); fail += 1
if json.load(open(sys.argv[3]))["drift"]:
    print("FAIL identical databases reported drift"); fail += 1
# a document breaking the schema must be refused (the validator is not vacuous)
drift["changes"][0]["risk"] = 101
if not list(v.iter_errors(drift)):
    print("FAIL schema accepted risk 101"); fail += 1
print(f"{ok} passed, {fail} failed")
sys.exit(1 if fail else 0)
PY
