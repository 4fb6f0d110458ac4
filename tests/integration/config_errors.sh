#!/usr/bin/env bash
# tests/integration/config_errors.sh SCHEMAD FIXTURES_DIR
# Each tests/fixtures/config/bad_*.yaml must fail `schemad validate` with
# exit 2, nothing on stdout, and exactly the lines of its .err file
# (file:line:column: key: reason). good.yaml must validate.
set -u
schemad=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$2" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
unset SCHEMAD_TEST_UNSET_VARIABLE
for yaml in bad_*.yaml; do
	"$schemad" validate --config "$yaml" >"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc -ne 2 ] || [ -s "$work/out" ] || ! diff -u "${yaml%.yaml}.err" "$work/err" >"$work/diff"; then
		fail=$((fail + 1))
		echo "FAIL $yaml (exit $rc)"
		sed 's/^/    /' "$work/diff"
	else
		pass=$((pass + 1))
	fi
done

ok() { # ok NAME CONDITION...
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; cat "$work/err"; fi
}
SCHEMAD_TEST_PASSWORD='p@ss:w/rd' SCHEMAD_TEST_SLACK=https://hooks.slack.com/services/T/B/X \
	"$schemad" validate -c good.yaml >"$work/out" 2>"$work/err"
ok "good.yaml validates" test $? -eq 0
ok "good.yaml summary" grep -q 'valid (2 environments, 1 pair, 2 alert sinks)' "$work/out"
ok "no secret in the output" sh -c "! grep -q 'p@ss' '$work/out' '$work/err'"
"$schemad" validate -c good.yaml >"$work/out" 2>"$work/err"
ok "an unset variable is an error" grep -q 'good.yaml:16:15: environments\[1\].password: environment variable SCHEMAD_TEST_PASSWORD is not set' "$work/err"

# A file holding a literal secret warns when other users can read it.
printf 'environments:\n  - {name: a, url: "postgres://u:hunter2@h/db"}\n' >"$work/secret.yaml"
chmod 644 "$work/secret.yaml"
"$schemad" validate -c "$work/secret.yaml" >"$work/out" 2>"$work/err"
ok "world-readable secrets warn" grep -q 'holds secrets and is readable by other users' "$work/err"
ok "the warning does not print the secret" sh -c "! grep -q hunter2 '$work/err' '$work/out'"
chmod 600 "$work/secret.yaml"
"$schemad" validate -c "$work/secret.yaml" >"$work/out" 2>"$work/err"
ok "private file, no warning" test ! -s "$work/err"
"$schemad" validate -c "$work/missing.yaml" >"$work/out" 2>"$work/err"
ok "missing file is exit 2" test $? -eq 2
ok "missing file named" grep -q "missing.yaml: No such file or directory" "$work/err"
# A sink no pair sends to is a warning (the file is still valid).
cat >"$work/unused.yaml" <<YAML
environments:
  - {name: a, url: "sqlite:a.db"}
  - {name: b, url: "sqlite:b.db"}
pairs:
  - {name: p, target: a, reference: b, alerts: [used]}
alerts:
  - {name: used, type: command, command: "true"}
  - {name: forgotten, type: command, command: "true"}
YAML
"$schemad" validate -c "$work/unused.yaml" >"$work/out" 2>"$work/err"
ok "an unused sink: still valid" test $? -eq 0
ok "an unused sink: a warning at its place" \
	grep -qx "$work/unused.yaml:8:5: alerts\[1\]: warning: no pair sends to sink \"forgotten\" (add it to a pair's alerts: list)" "$work/err"
ok "an unused sink: only that one" test "$(wc -l <"$work/err")" -eq 1
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
