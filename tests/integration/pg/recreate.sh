#!/usr/bin/env bash
# tests/integration/pg/recreate.sh SCHEMAD
#
# A plan recreates only what it must, and puts back what lives on what it
# recreates; owners and privileges are drift when asked for. Against a
# real server this script starts (pgserver.sh) and stops on exit:
#   R1  a column change recreates no view, trigger or policy that does not
#       read that column (pg_depend column-level dependencies);
#   R2  a view that reads the changed column is dropped and recreated, with
#       its GRANTs, owner and comment back in the same transaction;
#   R3  privileges: no drift by default; with --compare privileges a grant
#       and a revoke are reported with their risk, the plan converges;
#   R4  owners: --compare owners reports and realigns the owner;
#   R5  the pair key compare: does the same for `schemad check`;
#   R6  a changed view shows its before and after (text, Markdown, JSON).
set -u
schemad=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/schemad-pgr.XXXXXX)
chmod 755 "$work"
cleanup() {
	"$here/pgserver.sh" stop "$work/pg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
"$here/pgserver.sh" start "$work/pg" >/dev/null || { echo "cannot start PostgreSQL"; exit 1; }
host=$work/pg
sql() { psql -X -q -h "$host" -U postgres -v ON_ERROR_STOP=1 -d "$@"; }
url() { echo "postgres://postgres@/$1?host=$host"; }
failed=0
check() { # check NAME CONDITION...
	local name=$1
	shift
	if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failed=1; fi
}
fresh() { sql postgres -c "CREATE DATABASE \"$1\"" >/dev/null; sql "$1" -c "$2" >/dev/null; }

sql postgres -c "CREATE ROLE app" -c "CREATE ROLE reporting" -c "CREATE ROLE ops" >/dev/null
schema() { # schema [COLUMN TYPE OVERRIDES as sed expressions]: the orders schema
	echo "$base" | sed "${1:-}"
}
base="CREATE TABLE orders (id int PRIMARY KEY, qty int, note text, total numeric);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE VIEW big_orders AS SELECT id FROM orders WHERE id > 10;
CREATE VIEW order_notes AS SELECT id, note FROM orders;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RETURN NEW; END\$\$;
CREATE TRIGGER qty_changed BEFORE UPDATE OF qty ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY own_rows ON orders USING (qty > 0);
GRANT SELECT ON big_orders, order_notes TO reporting;
GRANT SELECT, INSERT ON orders TO app;
ALTER VIEW order_notes OWNER TO ops;
COMMENT ON VIEW order_notes IS 'notes per order';"

# ---- R1, R2: what a column change recreates ----------------------------------
fresh ra "$base"
fresh rb "$(schema 's/note text, total numeric/note varchar(200), total numeric, extra int/')"
"$schemad" diff "$(url ra)" "$(url rb)" --format sql >"$work/r.sql"
check "R1 big_orders (reads id only) is not recreated" bash -c "! grep -q 'big_orders' '$work/r.sql'"
check "R1 the trigger (reads qty) is not recreated" bash -c "! grep -q 'qty_changed' '$work/r.sql'"
check "R1 the policy (reads qty) is not recreated" bash -c "! grep -q 'own_rows' '$work/r.sql'"
check "R2 order_notes (reads note) is recreated" grep -q '^DROP VIEW IF EXISTS "public"."order_notes"' "$work/r.sql"
check "R2 the plan says it restores what the drop took" grep -q '^-- recreated: its owner and privileges as they were' "$work/r.sql"
check "R2 plan applies and converges" bash -c "psql -X -q -h '$host' -U postgres -v ON_ERROR_STOP=1 -d ra -f '$work/r.sql' >/dev/null && '$schemad' diff '$(url ra)' '$(url rb)' >/dev/null"
check "R2 the GRANT on the recreated view survives" \
	test "$(sql ra -tAc "SELECT has_table_privilege('reporting', 'order_notes', 'SELECT')")" = t
check "R2 its owner survives" test "$(sql ra -tAc "SELECT viewowner FROM pg_views WHERE viewname = 'order_notes'")" = ops
check "R2 its comment survives" test "$(sql ra -tAc "SELECT obj_description('order_notes'::regclass)")" = "notes per order"

# A change on the column the trigger reads does recreate it (and it still fires on qty).
fresh ta "$base"
fresh tb "$(schema 's/qty int,/qty bigint,/')"
"$schemad" diff "$(url ta)" "$(url tb)" --format sql >"$work/t.sql"
check "R1 a change to qty recreates the trigger and policy that read it" \
	bash -c "grep -q 'DROP TRIGGER IF EXISTS \"qty_changed\"' '$work/t.sql' && grep -q 'DROP POLICY IF EXISTS \"own_rows\"' '$work/t.sql'"
check "R1 ... and converges" bash -c "psql -X -q -h '$host' -U postgres -v ON_ERROR_STOP=1 -d ta -f '$work/t.sql' >/dev/null 2>&1 && '$schemad' diff '$(url ta)' '$(url tb)' >/dev/null"

# ---- R3, R4: privileges and owners on request -----------------------------------
fresh pa "$base"
fresh pb "$base REVOKE INSERT ON orders FROM app; GRANT SELECT ON orders TO reporting; ALTER TABLE orders OWNER TO ops;"
check "R3 not compared by default: no drift" bash -c "'$schemad' diff '$(url pa)' '$(url pb)' >/dev/null"
"$schemad" diff "$(url pa)" "$(url pb)" --compare privileges >"$work/p.txt"
check "R3 --compare privileges: drift (exit 1)" test $? -eq 1
check "R3 privilege.revoke reported as high" grep -q '\[60 high\] privilege.revoke' "$work/p.txt"
check "R3 privilege.grant reported" grep -q 'privilege.grant' "$work/p.txt"
check "R3 the owner is not compared unless asked" bash -c "! grep -q owner.alter '$work/p.txt'"
"$schemad" diff "$(url pa)" "$(url pb)" --compare privileges,owners --format sql >"$work/p.sql"
check "R3 the plan revokes and grants" bash -c "grep -q '^REVOKE INSERT ON TABLE \"public\".\"orders\" FROM \"app\";' '$work/p.sql' && grep -q '^GRANT SELECT ON TABLE \"public\".\"orders\" TO \"reporting\";' '$work/p.sql'"
check "R4 the plan changes the owner" grep -q '^ALTER TABLE "public"."orders" OWNER TO "ops";' "$work/p.sql"
check "R3 R4 plan applies and converges" bash -c "psql -X -q -h '$host' -U postgres -v ON_ERROR_STOP=1 -d pa -f '$work/p.sql' >/dev/null && '$schemad' diff '$(url pa)' '$(url pb)' --compare privileges,owners >/dev/null"
check "R3 a bad --compare is one clear error" \
	bash -c "'$schemad' diff '$(url pa)' '$(url pb)' --compare colours 2>&1 | grep -q 'unknown aspect \"colours\"'"

fresh oa "$base"
fresh ob "$base COMMENT ON VIEW big_orders IS 'new'; ALTER VIEW big_orders OWNER TO app;"
"$schemad" diff "$(url oa)" "$(url ob)" --format sql >"$work/o.sql"
check "R4 a comment change on a view whose owner differs is COMMENT ON, not a recreate" \
	bash -c "grep -q '^COMMENT ON VIEW \"public\".\"big_orders\"' '$work/o.sql' && ! grep -q 'DROP VIEW' '$work/o.sql'"

# ---- R5: the pair key ------------------------------------------------------------
fresh ca "$base"
fresh cb "$base GRANT UPDATE ON orders TO reporting;"
cat >"$work/schemad.yaml" <<YAML
environments:
  - {name: prod, url: "$(url ca)"}
  - {name: staging, url: "$(url cb)"}
pairs:
  - {name: p, reference: staging, target: prod, compare: [privileges]}
YAML
"$schemad" check --config "$work/schemad.yaml" >"$work/c.txt" 2>&1
check "R5 compare: [privileges] on a pair reports the grant" \
	bash -c "grep -q 'privilege.grant' '$work/c.txt'"
# ---- R6: what changed in a view ---------------------------------------------------
fresh va "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a, b FROM t WHERE a > 1;"
fresh vb "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a, b FROM t WHERE a > 2;"
"$schemad" diff "$(url va)" "$(url vb)" >"$work/v.txt"
check "R6 text: the old line and the new" \
	bash -c "grep -Eq '^        -  WHERE \\((t\\.)?a > 1\\)\$' '$work/v.txt' && grep -Eq '^        \\+  WHERE \\((t\\.)?a > 2\\)\$' '$work/v.txt'"
"$schemad" diff "$(url va)" "$(url vb)" --format markdown >"$work/v.md"
check "R6 Markdown: a diff block" bash -c "grep -q '^\`\`\`diff\$' '$work/v.md' && grep -Eq '^\\+  WHERE \\((t\\.)?a > 2\\)\$' '$work/v.md'"
"$schemad" diff "$(url va)" "$(url vb)" --format json >"$work/v.json"
check "R6 JSON: both texts" python3 -c "
import json, sys
c = json.load(open('$work/v.json'))['changes'][0]
sys.exit(not (c['aspect'] == 'definition' and 'a > 1' in c['before'] and 'a > 2' in c['after']))"
exit $failed
