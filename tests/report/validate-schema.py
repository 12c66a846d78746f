#!/usr/bin/env python3
"""Validate a JSON document against a JSON schema (draft-07) with local
references resolved from the schema folder, offline.

usage: validate-schema.py SCHEMA_DIR SCHEMA_FILE DOCUMENT
exit 0 valid, 1 invalid (errors on stderr), 77 when python3-jsonschema is
missing (the test is then reported as skipped)."""
import json
import os
import sys
import warnings

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)


def main():
    sdir, sfile, doc = sys.argv[1:4]
    store = {}
    for name in os.listdir(sdir):
        if name.endswith(".json"):
            with open(os.path.join(sdir, name), encoding="utf-8") as f:
                s = json.load(f)
            # reachable by $id and by file name relative to that $id
            if "$id" in s:
                store[s["$id"]] = s
                base = s["$id"].rsplit("/", 1)[0]
                store[base + "/" + name] = s
    with open(os.path.join(sdir, sfile), encoding="utf-8") as f:
        schema = json.load(f)
    with open(doc, encoding="utf-8") as f:
        data = json.load(f)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        v = jsonschema.Draft7Validator(
            schema, resolver=resolver,
            format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        errors = sorted(v.iter_errors(data), key=lambda e: list(e.path))
    for e in errors[:20]:
        print("%s: %s: %s" % (doc, "/".join(map(str, e.path)), e.message),
              file=sys.stderr)
    return 1 if errors else 0


sys.exit(main())
