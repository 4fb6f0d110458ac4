#!/usr/bin/env bash
# tests/integration/apply.sh SCHEMAD: `schemad apply` on real SQLite files.
#   A1  --dry-run prints the statements and changes nothing;
#   A2  a change above --allow is refused without a terminal (exit 1, named),
#       and asked for on a pseudo-terminal: "no" keeps the file, "yes" applies;
#   A3  an apply that would orphan rows rolls back: the file is unchanged;
#   A4  a saved plan (diff --format plan) runs while FROM is unchanged and is
#       refused (exit 1) once FROM's schema moved;
#   A5  --format json is one document with the statements and the verdict;
#   A6  apply PAIR --config aligns the target, never writes the reference,
#       and the run shows in the pair's history.
set -u
schemad=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=$(sd_workdir apply)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fresh() { # fresh: a.db (FROM, with rows) and b.db (TO)
	rm -f a.db b.db
	sqlite3 a.db "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(id INTEGER PRIMARY KEY, p INTEGER, x TEXT);
		INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1, 'a');"
	sqlite3 b.db "CREATE TABLE p(id INTEGER PRIMARY KEY, n TEXT); CREATE TABLE c(id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id));"
}
sum() { sqlite3 a.db .dump | md5sum; }
aligned() { "$schemad" diff sqlite:a.db sqlite:b.db >/dev/null; }

# ---- A1 dry run ------------------------------------------------------------
fresh
before=$(sum)
"$schemad" apply sqlite:a.db sqlite:b.db --dry-run >out 2>err
rc=$?
sd_check "A1 dry run exits 0" [ $rc -eq 0 ]
sd_check "A1 dry run prints the statements" grep -q 'ALTER TABLE "p" ADD COLUMN n TEXT;' out
sd_check "A1 dry run changes nothing" [ "$(sum)" = "$before" ]
sd_check "A1 dry run says so" grep -q "nothing changed" err

# ---- A2 the allowed band -------------------------------------------------------
"$schemad" apply sqlite:a.db sqlite:b.db </dev/null >out 2>err
rc=$?
sd_check "A2 above the band without a terminal: exit 1" [ $rc -eq 1 ]
sd_check "A2 the refused change is named" grep -q "column.drop column c.x" err
sd_check "A2 refused: file unchanged" [ "$(sum)" = "$before" ]
answer() { # answer TEXT: runs apply on a pseudo-terminal, types TEXT at the prompt
	python3 - "$schemad" "$1" <<'PY'
import os, pty, sys, time
schemad, answer = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(schemad, [schemad, "apply", "sqlite:a.db", "sqlite:b.db"])
out, sent = b"", False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not sent and b"Type yes" in out:
        os.write(fd, answer.encode() + b"\n")
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
}
answer no >tty.out
rc=$?
sd_check "A2 on a terminal: asks, listing the change" grep -q "column.drop column c.x" tty.out
sd_check "A2 on a terminal, answered no: exit 1, file unchanged" [ $rc -eq 1 -a "$(sum)" = "$before" ]
answer yes >tty.out
rc=$?
sd_check "A2 on a terminal, answered yes: applied and verified (exit 0)" [ $rc -eq 0 ]
sd_check "A2 aligned after yes" aligned
sd_check "A2 the rows stay" [ "$(sqlite3 a.db 'SELECT count(*) FROM c')" = 1 ]

# ---- A3 orphan rows roll back ----------------------------------------------------
fresh
sqlite3 a.db "INSERT INTO c VALUES (2, 7, 'orphan')"
before=$(sum)
"$schemad" apply sqlite:a.db sqlite:b.db --allow critical >out 2>err
rc=$?
sd_check "A3 a foreign key violation: exit 2" [ $rc -eq 2 ]
# The plan checks foreign keys itself now (a NOT NULL ... ON CONFLICT ROLLBACK row per
# violation); the applier's own PRAGMA foreign_key_check names the row when it does not.
sd_check "A3 the violation is named" grep -Eq 'foreign key violation: a row of table "c" \(rowid 2\)|schemad_check.no_foreign_key_violation' err
sd_check "A3 rolled back: the file is unchanged" [ "$(sum)" = "$before" ]

# ---- A4 reviewed plans -------------------------------------------------------------
fresh
"$schemad" diff sqlite:a.db sqlite:b.db --format plan -o plan.json
sd_check "A4 the plan file holds FROM's fingerprint" grep -q '"fingerprint": "[0-9a-f]\{64\}"' plan.json
sqlite3 a.db "CREATE INDEX late ON p(id)"
before=$(sum)
"$schemad" apply --plan plan.json sqlite:a.db --auto-approve >out 2>err
rc=$?
sd_check "A4 a stale plan is refused (exit 1)" [ $rc -eq 1 ]
sd_check "A4 the refusal says why" grep -q "was made for another schema" err
sd_check "A4 refused: file unchanged" [ "$(sum)" = "$before" ]
sqlite3 a.db "DROP INDEX late"
"$schemad" apply --plan plan.json sqlite:a.db --auto-approve >out 2>err
sd_check "A4 the reviewed plan runs on its schema (exit 0)" [ $? -eq 0 ]
sd_check "A4 aligned" aligned

# ---- A5 JSON summary -------------------------------------------------------------
fresh
"$schemad" apply sqlite:a.db sqlite:b.db --auto-approve --format json >out.json 2>err
sd_check "A5 json: exit 0" [ $? -eq 0 ]
sd_check "A5 json: outcome, statements, verification" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["outcome"] == "aligned" and d["verified"] is True, d
assert d["applied"] == len(d["statements"]) > 0, d
assert all(s["status"] == "applied" and "duration_ms" in s for s in d["statements"]), d
' out.json

# ---- A6 a configured pair -----------------------------------------------------------
fresh
cp b.db ref.db
cat >schemad.yml <<YAML
state_path: $work/state.db
environments:
  - {name: ref, url: "sqlite://$work/ref.db"}
  - {name: tgt, url: "sqlite://$work/a.db"}
pairs:
  - {name: lite, reference: ref, target: tgt}
YAML
refsum=$(sqlite3 ref.db .dump | md5sum)
"$schemad" apply lite --config schemad.yml --auto-approve >out 2>err
sd_check "A6 pair: exit 0" [ $? -eq 0 ]
sd_check "A6 pair: the target matches the reference" "$schemad" diff -f json "sqlite:a.db" "sqlite:ref.db" >/dev/null
sd_check "A6 pair: the reference is not written" [ "$(sqlite3 ref.db .dump | md5sum)" = "$refsum" ]
"$schemad" history lite --config schemad.yml >hist 2>&1
# Nothing ran the pair before: the one row is the re-read after the apply, without drift.
sd_check "A6 pair: the run is in the history" [ "$(grep -c ' ok  ' hist)" = 1 ]

sd_finish
