#!/usr/bin/env python3
"""keytexts.py SNAPSHOT CATALOG: schemad's key texts are the server's.
keytexts.py --query: the catalog query that makes CATALOG.

schemad writes the text of a plain PRIMARY KEY, UNIQUE or FOREIGN KEY
itself instead of asking pg_get_constraintdef (connectors/pg/pg_tables.c).
CATALOG holds what the server prints for every such constraint, one record
per constraint (fields separated by 0x1f, records by 0x1e: schema, table,
constraint name, pg_get_constraintdef under an empty search_path), as
psql -At -F $'\\x1f' -R $'\\x1e' writes QUERY's rows. Every key of the
snapshot must carry the server's text byte for byte. Prints the
mismatches; exit 1 when any.
"""
import json
import sys

KEYS = ("primary_key", "unique", "foreign_key")

# What the server prints for every key; run under an empty search_path.
QUERY = """SELECT n.nspname, c.relname, co.conname, pg_catalog.pg_get_constraintdef(co.oid)
FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE co.contype IN ('p', 'u', 'f')"""


def main(snapshot, catalog):
    server = {}
    with open(catalog, encoding="utf-8") as f:
        text = f.read()
        # psql ends its output with a line break after the last record
        for rec in (text[:-1] if text.endswith("\n") else text).split("\x1e"):
            fields = rec.split("\x1f")
            if len(fields) == 4:
                server[tuple(fields[:3])] = fields[3]
    with open(snapshot, encoding="utf-8") as f:
        schema = json.load(f)
    bad = 0
    for t in schema.get("tables", []):
        for c in t.get("constraints", []):
            if c["type"] not in KEYS:
                continue
            want = server.get((t["schema"], t["name"], c["name"]))
            if want is None or c.get("expr") != want:
                bad += 1
                print(f"  {t['schema']}.{t['name']} {c['name']}: schemad {c.get('expr')!r}, "
                      f"server {want!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--query"]:
        print(QUERY)
        sys.exit(0)
    sys.exit(main(sys.argv[1], sys.argv[2]))
