# tests/integration/hostile/snapshot_lib.sh: what snapshot_pg.sh and
# snapshot_mysql.sh share (sourced, in the work folder, after lib.sh).
# The caller defines url DB, fresh_live, victim_rows (victim's row count in
# live) and unchanged (live's schema as before), and has snap.json.

# snap_edit WHAT FIELD VALUE [SQL_MODE]: hostile.json, a copy of snap.json
# with one text changed.
#   WHAT  object:NAME, table:NAME, column:TABLE.NAME, constraint:TABLE.NAME,
#         index:TABLE.NAME
#   FIELD a key of that item, or props.KEY for one of its properties
#   VALUE the new text; "+..." appends to the old one; \n is a newline
#   SQL_MODE set as the item's sql_mode property (MySQL) when given
snap_edit() {
	WHAT=$1 FIELD=$2 VALUE=$3 MODE=${4:-} python3 - <<'PY'
import json, os
d = json.load(open("snap.json"))
kind, _, name = os.environ["WHAT"].partition(":")
field, value = os.environ["FIELD"], os.environ["VALUE"].replace("\\n", "\n")
def table(n):
    return [t for t in d["tables"] if t["name"] == n][0]
if kind == "object":
    item = [o for o in d["objects"] if o["name"] == name][0]
elif kind == "table":
    item = table(name)
else:
    t, _, n = name.partition(".")
    key = {"column": "columns", "constraint": "constraints", "index": "indexes"}[kind]
    item = [x for x in table(t)[key] if x.get("name") == n][0]
if os.environ["MODE"]:
    item.setdefault("properties", {})["sql_mode"] = os.environ["MODE"]
if field.startswith("props."):
    item, field = item.setdefault("properties", {}), field[6:]
item[field] = item[field] + value[1:] if value.startswith("+") else value
json.dump(d, open("hostile.json", "w"))
PY
}

# snap_refused CASES: one line per case, name|what|field|value|expected
# words in the message[|sql_mode]; each edited snapshot must be refused:
#   S1  diff live hostile.json --format sql -o plan.sql: exit 2, named, no plan;
#   S2  apply: exit 2 before running, victim keeps its rows, schema unchanged.
snap_refused() {
	local name what field value expect mode rc
	while IFS='|' read -r name what field value expect mode; do
		snap_edit "$what" "$field" "$value" "$mode"
		fresh_live
		rm -f plan.sql
		"$schemad" diff "$(url live)" hostile.json --format sql -o plan.sql >out 2>err
		rc=$?
		sd_check "S1 $name: diff exit 2" [ $rc -eq 2 ]
		sd_check "S1 $name: named ($expect)" grep -qF -- "$expect" err
		sd_check "S1 $name: no plan file" [ ! -e plan.sql ]
		"$schemad" apply "$(url live)" hostile.json --auto-approve >out 2>aerr
		rc=$?
		sd_check "S2 $name: apply exit 2, refused before running" \
			sh -c "[ $rc -eq 2 ] && grep -qF -- 'in the target (TO side' aerr"
		sd_check "S2 $name: victim keeps its rows" [ "$(victim_rows)" = 3 ]
		sd_check "S2 $name: live's schema is unchanged" unchanged
	done <<<"$1"
	head -n 1 err | sed 's/^/     (e.g. /; s/$/)/'
}
