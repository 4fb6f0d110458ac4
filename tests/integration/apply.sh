#!/usr/bin/env bash
# tests/integration/apply.sh SCHEMAD: `schemad apply` on real SQLite files.
#   A1  --dry-run prints the statements and changes nothing;
#   A2  a change above --allow is refused without a terminal (exit 1, named),
#       and asked for on a pseudo-terminal: "no" keeps the file, "yes" applies;
#   A3  an apply that would orphan rows rolls back: the file is unchanged;
#   A4  a saved plan (diff --format plan) runs while FROM is unchanged and is
#       refused (exit 1) once FROM's schema moved; a plan made with --exclude,
#       --ignore and --risk-override verifies with them (it reported the
#       excluded table as "drift remains", exit 1);
#   A5  --format json is one document with the statements and the verdict;
#   A6  apply PAIR --config aligns the target, never writes the reference;
#       the pair's history shows the apply (by whom, statements run, how it
#       ended: a failed one rolled back with its reason; a dry run not at all)
#       and the check after it;
#   A7  a saved plan runs only as schemad made it: one whose SQL was edited
#       (a DROP TABLE, an END TRANSACTION slipped in) is refused, exit 1, the
#       file unchanged; one whose risks were lowered is gated on the risks
#       made again from FROM and the saved TO (a column.drop at risk 1 ran
#       without a question); test_sqlite checks that the applier itself
#       refuses a statement ending its transaction before it runs; a plan
#       saved by the schemad before snapshot format 2 still runs;
#   A8  a --plan that is a directory or cut short: exit 2, one line naming
#       the file and the reason;
#   A9  a TO snapshot whose CREATE text of a table, an index, a view or a
#       trigger carries a second statement (a DELETE) is refused: exit 2,
#       named, no row deleted (it used to run under a table.add's low risk);
#       so is a table's CREATE text that creates another, existing table (a
#       rebuild's copy guards counted that table, and plain sqlite3 lost the
#       rebuilt table's rows);
#   A10 apply with one SOURCE (no TO) says so, instead of looking for a pair
#       of that name in a configuration.
#   A11 a SQLite file schemad may not write is refused before any statement,
#       saying so (SQLite opens it read-only and failed at the first write).
#   A12 --statement-timeout holds each statement: a rebuild copying 300,000
#       rows past a 1 ms timeout is interrupted, says so, and rolls back (also
#       for a PAIR, whose configuration's timeouts the command line's
#       override); the same plan under the default timeout applies and keeps
#       every row.
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
import os, pty, signal, sys, time
schemad, answer = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(schemad, [schemad, "apply", "sqlite:a.db", "sqlite:b.db"])
# A prompt that never comes would leave apply waiting for an answer, and the
# test hanging until ctest's timeout: 60 s, then it fails saying so.
def stuck(*_):
    os.kill(pid, signal.SIGKILL)
    sys.stdout.write("FAIL no prompt answered within 60 s\n")
    sys.exit(3)
signal.signal(signal.SIGALRM, stuck)
signal.alarm(60)
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
fresh
sqlite3 b.db "CREATE TABLE audit(x); CREATE TRIGGER tr AFTER INSERT ON p BEGIN SELECT 1; END"
"$schemad" diff sqlite:a.db sqlite:b.db --exclude audit --ignore trigger --risk-override column.add=30 \
	--format plan -o plan.json
"$schemad" apply --plan plan.json sqlite:a.db --auto-approve >out 2>err
sd_check "A4 a filtered plan verifies with its filter (exit 0)" [ $? -eq 0 ]
sd_check "A4 a filtered plan: FROM matches TO" grep -q "verification: FROM matches TO" err
sd_check "A4 a filtered plan: the excluded and ignored objects were left alone" \
	[ "$(sqlite3 a.db "SELECT count(*) FROM sqlite_master WHERE name IN ('audit', 'tr')")" = 0 ]

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
sd_check "A6 pair: the target matches the reference" sh -c "\"$schemad\" diff sqlite:a.db sqlite:ref.db >/dev/null"
sd_check "A6 pair: the reference is not written" [ "$(sqlite3 ref.db .dump | md5sum)" = "$refsum" ]
"$schemad" history lite --config schemad.yml >hist 2>&1
# Nothing ran the pair before: the apply and the re-read after it, without drift.
sd_check "A6 pair: the re-read after the apply is in the history" [ "$(grep -c ' ok  ' hist)" = 1 ]
nstmt=$(grep -Eo '^schemad: apply: [0-9]+ of [0-9]+' err | grep -Eo '[0-9]+$')
me=${SUDO_USER:-$(id -un)}
sd_check "A6 pair: the apply itself is in the history, by whom, with its statements" \
	grep -Eq "^[0-9TZ:-]+ +applied +[0-9]+ms +$nstmt  by $me: $nstmt of $nstmt statements\$" hist
sd_check "A6 pair: newest first, the check after the apply" \
	[ "$(awk 'NR > 1 { print $2 }' hist | tr '\n' ' ')" = "ok applied " ]
# A run that fails is recorded too: rolled back, with its reason; no check is added.
fresh
sqlite3 a.db "INSERT INTO c VALUES (2, 7, 'orphan')"
"$schemad" apply lite --config schemad.yml --allow critical >out 2>err
sd_check "A6 pair: a failing apply exits 2" [ $? -eq 2 ]
"$schemad" history lite --config schemad.yml --format json >hist.json 2>&1
python3 - "$me" <<'PY' >hist.check 2>&1
import json, sys
h = json.load(open("hist.json"))
kinds = [e["kind"] for e in h]
assert kinds == ["apply", "check", "apply"], kinds
a = h[0]
assert a["outcome"] == "error" and a["rolled_back"] is True and a["applied"] == 0, a
assert a["statements"] > 0 and a["who"] == sys.argv[1], a
assert "rolled back" in a["error"] and ("foreign key" in a["error"] or "no_foreign_key_violation" in a["error"]), a
assert h[2]["outcome"] == "aligned" and h[2]["rolled_back"] is False and h[2]["error"] is None, h[2]
assert h[2]["applied"] == h[2]["statements"] > 0, h[2]
print("ok")
PY
sd_check "A6 pair: the failed apply in the JSON history: error, rolled back, by whom ($(tail -1 hist.check))" \
	[ "$(tail -1 hist.check)" = ok ]
"$schemad" apply lite --config schemad.yml --allow critical --dry-run >out 2>err
"$schemad" history lite --config schemad.yml --format json >hist2.json 2>&1
sd_check "A6 pair: a dry run is not recorded" cmp -s hist.json hist2.json

# ---- A7 an edited plan --------------------------------------------------------------
for edit in "CREATE TABLE early(x);\nEND TRANSACTION;\n" "DROP TABLE p;\n"; do
	fresh
	"$schemad" diff sqlite:a.db sqlite:b.db --format plan -o plan.json
	EDIT=$edit python3 -c '
import json, os
d = json.load(open("plan.json"))
d["sql"] = d["sql"].replace("BEGIN;\n", "BEGIN;\n" + os.environ["EDIT"].replace("\\n", "\n"), 1)
json.dump(d, open("edited.json", "w"))'
	before=$(sum)
	"$schemad" apply --plan edited.json sqlite:a.db --auto-approve >out 2>err
	rc=$?
	sd_check "A7 edited SQL ($(echo "$edit" | head -c 20)...): refused, exit 1" [ $rc -eq 1 ]
	sd_check "A7 edited SQL: named" grep -q "its SQL is not the plan schemad makes" err
	sd_check "A7 edited SQL: the file is unchanged" [ "$(sum)" = "$before" ]
done
fresh
sqlite3 b.db "DROP TABLE c; CREATE TABLE c(id INTEGER PRIMARY KEY, p INTEGER)" # c.x dropped: high
"$schemad" diff sqlite:a.db sqlite:b.db --format plan -o plan.json
python3 -c '
import json
d = json.load(open("plan.json"))
for c in d["changes"]: c["risk"], c["band"] = 1, "low"
json.dump(d, open("edited.json", "w"))'
before=$(sum)
"$schemad" apply --plan edited.json sqlite:a.db </dev/null >out 2>err
sd_check "A7 lowered risks: the gate still refuses the column.drop (exit 1)" \
	[ $? -eq 1 -a -n "$(grep -E '\[75 high\] column.drop column c.x' err)" ]
sd_check "A7 lowered risks: the file is unchanged" [ "$(sum)" = "$before" ]
# A plan saved by the schemad before snapshot format 2 (its fingerprints hash
# version 1 texts), for the same schema: it runs (a version bump refused it
# as "FROM's schema changed since").
rm -f v1from.db
sqlite3 v1from.db "CREATE TABLE a(id INTEGER PRIMARY KEY);"
"$schemad" apply --plan "$here/../fixtures/plan/sqlite_v1.json" sqlite:v1from.db --auto-approve >out 2>err
rc=$?
sd_check "A7 a plan saved by a version 1 schemad: applied, exit 0 ($(head -c 160 err))" [ $rc -eq 0 ]
sd_check "A7 a plan saved by a version 1 schemad: the column is there" \
	[ "$(sqlite3 v1from.db "SELECT count(*) FROM pragma_table_info('a') WHERE name = 'b'")" = 1 ]

# ---- A8 an unreadable plan -----------------------------------------------------------
mkdir -p plandir
"$schemad" apply --plan plandir sqlite:a.db --auto-approve >out 2>err
sd_check "A8 a directory: exit 2, said so" [ $? -eq 2 -a "$(cat err)" = "schemad: apply: plandir: Is a directory" ]
head -c 100 plan.json >cut.json
"$schemad" apply --plan cut.json sqlite:a.db --auto-approve >out 2>err
sd_check "A8 cut short: exit 2, file:line:column" [ $? -eq 2 -a -n "$(grep '^schemad: apply: cut.json:[0-9]*:[0-9]*: ' err)" ]

# ---- A9 a snapshot's CREATE text is one CREATE statement ---------------------------
rm -f a.db b.db
sqlite3 a.db "CREATE TABLE p(id INTEGER PRIMARY KEY); INSERT INTO p VALUES (1), (2);"
sqlite3 b.db "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE t(a); CREATE INDEX t_a ON t(a);
	CREATE VIEW v AS SELECT a FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;"
"$schemad" inspect sqlite:b.db -o b.json
for what in table index view trigger; do
	WHAT=$what python3 -c '
import json, os
d = json.load(open("b.json"))
evil = "; DELETE FROM p"
t = [t for t in d["tables"] if t["name"] == "t"][0]
w = os.environ["WHAT"]
if w == "table": t["definition"] += evil
if w == "index": t["indexes"][0]["definition"] += evil
for o in d["objects"]:
    if o["kind"] == w: o["ddl"] += evil
json.dump(d, open("evil.json", "w"))'
	"$schemad" apply sqlite:a.db evil.json --auto-approve >out 2>err
	sd_check "A9 a $what text with a second statement: exit 2" [ $? -eq 2 ]
	sd_check "A9 a $what text with a second statement: named" grep -q "is not one CREATE statement" err
	sd_check "A9 a $what text with a second statement: no row deleted" [ "$(sqlite3 a.db 'SELECT count(*) FROM p')" = 2 ]
done
sqlite3 a.db "CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO r VALUES (1, 'x')"
sqlite3 b.db "CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"
"$schemad" inspect sqlite:b.db -o b.json
python3 -c '
import json
d = json.load(open("b.json"))
[t for t in d["tables"] if t["name"] == "r"][0]["definition"] = "CREATE TABLE p(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"
json.dump(d, open("evil.json", "w"))'
"$schemad" diff sqlite:a.db evil.json --format sql >out 2>err
sd_check "A9 a table text creating another table: no plan (exit 2), named" \
	[ $? -eq 2 -a -n "$(grep -F 'table r: its CREATE text in the target creates table p' err)" ]
"$schemad" apply sqlite:a.db b.json --auto-approve >out 2>err
sd_check "A9 the same snapshot untouched applies (a trigger body's ';' is no second statement)" [ $? -eq 0 ]
sd_check "A9 and keeps the rows" [ "$(sqlite3 a.db 'SELECT count(*) FROM p; SELECT v FROM r' | tr '\n' ' ')" = "2 x " ]

# ---- A10 one SOURCE, no TO ------------------------------------------------------------
for one in sqlite:a.db b.json dump.sql; do
	SCHEMAD_CONFIG=$work/none.yml "$schemad" apply "$one" >out 2>err
	sd_check "A10 apply $one: exit 2, one line saying it is a SOURCE, not a pair" \
		[ $? -eq 2 -a "$(wc -l <err)" = 1 -a -n "$(grep -F "apply: $one is a SOURCE, not a pair" err)" ]
done

# ---- A11 a read-only file ---------------------------------------------------------------
# root writes any file whatever its mode: the check runs as an unprivileged user
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	fresh
	mkdir -m 755 ro && cp a.db b.db ro/ && chmod 444 ro/a.db && chmod 755 ro
	before=$(sha256sum <ro/a.db)
	runuser -u nobody -- "$schemad" apply --auto-approve sqlite:ro/a.db sqlite:ro/b.db >out 2>err
	rc=$?
	sd_check "A11 read-only FROM: exit 2, says the file is read-only, file unchanged" \
		[ $rc -eq 2 -a -n "$(grep -F 'cannot open for writing: the file is read-only' err)" \
		-a "$(sha256sum <ro/a.db)" = "$before" ]
	sd_check "A11 read-only FROM: no statement ran" grep -q ' 0 of [0-9]* statements applied' err
fi

# ---- A12 the statement timeout ----------------------------------------------------------
rm -f big.db bigto.db
sqlite3 big.db "CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT);
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
	INSERT INTO t SELECT i, 'row ' || i FROM n;"
sqlite3 bigto.db "CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT NOT NULL);"
before=$(sha256sum <big.db)
"$schemad" apply sqlite:big.db sqlite:bigto.db --auto-approve --statement-timeout 1ms >out 2>err
rc=$?
sd_check "A12 1 ms: exit 2, the copy named as timed out and rolled back" \
	[ $rc -eq 2 -a -n "$(grep -E 'rolled back, nothing applied: statement [0-9]+ of [0-9]+: statement timeout \(1 ms\) exceeded' err)" ]
sd_check "A12 1 ms: the file is unchanged" [ "$(sha256sum <big.db)" = "$before" ]
# With a PAIR, a timeout given on the command line wins over the
# configuration's (it was dropped for the configuration's 30 s, so the copy ran).
cat >big.yml <<YAML
state_path: $PWD/big_state.db
environments:
  - {name: t, url: "sqlite:big.db"}
  - {name: r, url: "sqlite:bigto.db"}
pairs:
  - {name: big, reference: r, target: t}
YAML
"$schemad" apply big --config big.yml --auto-approve --statement-timeout 1ms >out 2>err
rc=$?
sd_check "A12 PAIR --statement-timeout 1ms: the command line's wins, interrupted, exit 2" \
	[ $rc -eq 2 -a -n "$(grep -E 'statement timeout \(1 ms\) exceeded' err)" ]
sd_check "A12 PAIR 1 ms: the file is unchanged" [ "$(sha256sum <big.db)" = "$before" ]
"$schemad" apply sqlite:big.db sqlite:bigto.db --auto-approve >out 2>err
rc=$?
sd_check "A12 default timeout: applied and verified, every row kept" \
	[ $rc -eq 0 -a "$(sqlite3 big.db 'SELECT count(*) FROM t WHERE x IS NOT NULL')" = 300000 ]

sd_finish
