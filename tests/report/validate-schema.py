#!/usr/bin/env python3
"""Validate JSON documents against JSON schemas (draft-07), offline, with
references between the schemas resolved from the schema folder.

usage: validate-schema.py SCHEMA_DIR CHECK...
  CHECK is SCHEMA_FILE:DOCUMENT (must be valid) or !SCHEMA_FILE:DOCUMENT
  (must be invalid: a check of the validator itself).
exit 0 when every check holds, 1 otherwise (reasons on stderr), 77 when
python3-jsonschema is missing (the test is then reported as skipped)."""
import json
import os
import sys
import warnings

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    sdir = sys.argv[1]
    store = {}
    for name in os.listdir(sdir):
        if name.endswith(".json"):
            s = load(os.path.join(sdir, name))
            # reachable by $id and by file name relative to that $id
            if "$id" in s:
                store[s["$id"]] = s
                store[s["$id"].rsplit("/", 1)[0] + "/" + name] = s
    validators = {}
    bad = 0
    for check in sys.argv[2:]:
        want_valid = not check.startswith("!")
        sfile, doc = check.lstrip("!").split(":", 1)
        if sfile not in validators:
            schema = load(os.path.join(sdir, sfile))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                resolver = jsonschema.RefResolver.from_schema(schema,
                                                              store=store)
                validators[sfile] = jsonschema.Draft7Validator(
                    schema, resolver=resolver,
                    format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            errors = list(validators[sfile].iter_errors(load(doc)))
        if want_valid and errors:
            bad = 1
            for e in errors[:20]:
                print("%s: %s: %s" % (doc, "/".join(map(str, e.path)),
                                      e.message), file=sys.stderr)
        elif not want_valid and not errors:
            bad = 1
            print("%s: valid against %s, but must not be" % (doc, sfile),
                  file=sys.stderr)
    return bad


sys.exit(main())
