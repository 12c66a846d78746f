#!/usr/bin/env python3
"""Cut an OVAL definitions file down to a well-formed subset.

usage: oval-subset.py IN OUT N [TITLE-SUBSTRING...]

Keeps the generator, the first N definitions plus every definition whose
title contains one of the substrings, and exactly the tests, objects,
states and variables those definitions reference (transitively). Every
kept element is copied byte for byte from IN (the file's lines are cut,
never re-serialised), so the subset is the upstream text minus whole
elements. Relies on the upstream layout: each element of the
definitions/tests/objects/states/variables sections starts on its own
line at one indentation step below the section tag.
"""
import re
import sys
import xml.etree.ElementTree as ET

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
subs = sys.argv[4:]
lines = open(src, encoding="utf-8").read().split("\n")
SECTIONS = ("definitions", "tests", "objects", "states", "variables")

# line ranges of each section and its children
sec = {}
for i, l in enumerate(lines):
    for s in SECTIONS:
        if re.match(r"^\s*<%s>\s*$" % s, l):
            sec[s] = [i, None]
        if re.match(r"^\s*</%s>\s*$" % s, l):
            sec[s][1] = i
children = {}
for s, (a, b) in sec.items():
    indent = re.match(r"^(\s*)", lines[a + 1]).group(1)
    starts = [i for i in range(a + 1, b)
              if lines[i].startswith(indent + "<")
              and not lines[i].startswith(indent + "</")
              and not lines[i][len(indent)].isspace()]
    blocks = []
    for k, st in enumerate(starts):
        en = starts[k + 1] if k + 1 < len(starts) else b
        blocks.append((st, en))
    children[s] = blocks

def block_id(st):
    m = re.search(r'\sid="([^"]+)"', lines[st])
    return m.group(1)

def text(st, en):
    return "\n".join(lines[st:en])

# choose definitions
keep_defs = []
for k, (st, en) in enumerate(children["definitions"]):
    t = text(st, en)
    title = re.search(r"<title>(.*?)</title>", t)
    if k < n or (title and any(x in title.group(1) for x in subs)):
        keep_defs.append((st, en))

# transitive references
refs = set()
todo = [text(st, en) for st, en in keep_defs]
byid = {}
for s in ("tests", "objects", "states", "variables"):
    for st, en in children.get(s, []):
        byid[block_id(st)] = (s, st, en)
while todo:
    t = todo.pop()
    for r in re.findall(r'(?:test_ref|object_ref|state_ref|var_ref)="([^"]+)"', t) + \
             re.findall(r"<(?:\w+:)?var_ref>([^<]+)</", t):
        if r not in refs and r in byid:
            refs.add(r)
            _, st, en = byid[r]
            todo.append(text(st, en))

keep = set()
for st, en in keep_defs:
    keep.update(range(st, en))
for r in refs:
    _, st, en = byid[r]
    keep.update(range(st, en))
drop = set()
for s in SECTIONS:
    for st, en in children.get(s, []):
        for i in range(st, en):
            if i not in keep:
                drop.add(i)
res = "\n".join(l for i, l in enumerate(lines) if i not in drop)
ET.fromstring(res.encode())  # well-formed
open(out, "w", encoding="utf-8").write(res)
print("%s: %d definitions, %d referenced items" % (out, len(keep_defs), len(refs)))
