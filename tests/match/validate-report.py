#!/usr/bin/env python3
"""Validate a scan's SARIF and CycloneDX reports against their published
schemas (tests/data/schemas: SARIF 2.1.0, CycloneDX 1.5) and check that
both carry exactly the findings of the JSON report of the same scan.

usage: validate-report.py SCHEMA_DIR REPORT.sarif REPORT.cdx REPORT.json
exit 0 when valid and consistent, 1 otherwise (reasons on stdout)."""
import json
import os
import sys
import warnings

import jsonschema


def load(p):
    with open(p, encoding='utf-8') as f:
        return json.load(f)


def errors(schema_file, doc, sdir):
    schema = load(os.path.join(sdir, schema_file))
    store = {}
    for name in os.listdir(sdir):
        if name.endswith('.json'):
            s = load(os.path.join(sdir, name))
            if '$id' in s:
                store[s['$id']] = s
                store[s['$id'].rsplit('/', 1)[0] + '/' + name] = s
    cls = jsonschema.validators.validator_for(schema)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        v = cls(schema, resolver=resolver, format_checker=cls.FORMAT_CHECKER)
        return ['%s: %s' % ('/'.join(map(str, e.path)), e.message)
                for e in v.iter_errors(doc)]


def main():
    sdir, sarif_p, cdx_p, json_p = sys.argv[1:5]
    sarif, cdx, rep = load(sarif_p), load(cdx_p), load(json_p)
    bad = []
    # the validator must be able to say no
    if not errors('sarif-schema-2.1.0.json', {'version': '2.1.0'}, sdir):
        bad.append('the SARIF schema accepted a document without runs')
    for e in errors('sarif-schema-2.1.0.json', sarif, sdir)[:20]:
        bad.append('SARIF: ' + e)
    if cdx.get('specVersion') != '1.5':
        bad.append('CycloneDX specVersion %r' % cdx.get('specVersion'))
    for e in errors('bom-1.5.SNAPSHOT.schema.json', cdx, sdir)[:20]:
        bad.append('CycloneDX: ' + e)
    want = sorted((f['package'], f['id']) for f in rep['findings'])
    # the JSON summary counts the findings by severity
    summ = rep['summary']
    for sev in ('critical', 'high', 'medium', 'low', 'negligible', 'unknown'):
        n = sum(1 for f in rep['findings'] if f['severity'] == sev)
        if summ.get(sev) != n:
            bad.append('summary.%s is %r, %d findings have it' % (sev, summ.get(sev), n))
    if summ.get('total') != len(want):
        bad.append('summary.total is %r, %d findings' % (summ.get('total'), len(want)))
    # SARIF: one result per finding, rule = vulnerability id, the package
    # named in the location message
    res = sarif['runs'][0].get('results', [])
    got = sorted((r['locations'][0]['message']['text'], r['ruleId']) for r in res)
    if got != want:
        bad.append('SARIF results differ from the JSON findings: extra %s missing %s' % (
            sorted(set(got) - set(want))[:5], sorted(set(want) - set(got))[:5]))
    rules = {r['id'] for r in sarif['runs'][0]['tool']['driver'].get('rules', [])}
    if {r['ruleId'] for r in res} - rules:
        bad.append('SARIF results name undeclared rules')
    # CycloneDX: every (affected component, vulnerability) once, the
    # component declared with that bom-ref
    comps = {c.get('bom-ref'): c for c in cdx.get('components', [])}
    got = []
    for v in cdx.get('vulnerabilities', []):
        for a in v.get('affects', []):
            c = comps.get(a['ref'])
            if c is None:
                bad.append('CycloneDX: affects %s: no such component' % a['ref'])
                continue
            got.append((c['name'], v['id']))
    if sorted(got) != want:
        bad.append('CycloneDX vulnerabilities differ from the JSON findings: extra %s missing %s' % (
            sorted(set(got) - set(want))[:5], sorted(set(want) - set(got))[:5]))
    if bad:
        print('\n'.join(bad))
        return 1
    print('%s: SARIF and CycloneDX valid, %d findings in each' % (
        rep['artifact']['name'], len(want)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
