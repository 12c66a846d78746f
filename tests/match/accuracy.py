#!/usr/bin/env python3
"""Independent expected findings for the accuracy test (test-accuracy.sh).

Each subcommand reads the same real inputs drydock reads (package
databases, OS files, feed files), derives the findings the documented
rules (docs/scan.md, docs/vulndb.md) give, WITHOUT drydock's code or
database, then compares them with a drydock JSON report (docs/report-json.md)
and prints a diff on mismatch (exit 1). ACCURACY.md explains each route.

Exit status: 0 as expected, 3 the report differs, other: a failure of
the script itself.

  accuracy.py apk-vectors VECTORS.tsv
  accuracy.py alpine ROOT SECDB_DIR REPORT
  accuracy.py deb (--root ROOT | --oci DIR TAG) [--base-layers N]
                  [--tracker JSON]... [--dsa LIST]... REPORT
  accuracy.py deb-status BOOKWORM_STATUS DSA_LIST CODENAME > status
  accuracy.py deb-tracker-synthetic --oci DIR TAG > tracker.json
  accuracy.py osv-status OSV_DIR ECOSYSTEM > status
  accuracy.py rpm-sbom DISTRO OSV_DIR... > sbom.json
  accuracy.py rpm-rebuilds SBOM OSV_DIR... REPORT
  accuracy.py rpm-oval ROOT OVAL REPORT
  accuracy.py oval-sbom OVAL RHEL_MINOR > sbom.json
  accuracy.py oval-specs OVAL OUTDIR
  accuracy.py rpm-oval-sbom SBOM OVAL REPORT
"""
import gzip
import json
import os
import re
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apkver  # noqa: E402

# ---------------------------------------------------------------- report


def report_findings(path):
    with open(path) as f:
        doc = json.load(f)
    return doc, doc['findings']


def compare(label, expected, report_path, extra_keys=()):
    """expected: dict (package, id) -> dict with fixed_version (a string,
    None, or a set of acceptable strings when the documented rules leave
    the choice open) and optionally other fields (extra_keys) to check."""
    doc, found = report_findings(report_path)
    got = {}
    dups = []
    for f in found:
        k = (f['package'], f['id'])
        if k in got:
            dups.append(k)
        got[k] = f
    errs = ['duplicate finding %s %s' % k for k in dups]
    for k in sorted(set(expected) - set(got)):
        errs.append('missing  %s %s fixed=%s' % (k[0], k[1], expected[k]['fixed_version']))
    for k in sorted(set(got) - set(expected)):
        errs.append('extra    %s %s fixed=%s (installed %s, source %s %s)' % (
            k[0], k[1], got[k]['fixed_version'], got[k]['installed_version'],
            got[k]['source_package'], got[k]['source_version']))
    for k in sorted(set(got) & set(expected)):
        e, g = expected[k], got[k]
        ef = e['fixed_version']
        ok = g['fixed_version'] in ef if isinstance(ef, set) else g['fixed_version'] == ef
        if not ok:
            errs.append('fixed    %s %s: expected %s, got %s' % (k[0], k[1], ef, g['fixed_version']))
        for x in extra_keys:
            if x in e and e[x] != g.get(x):
                errs.append('%-8s %s %s: expected %r, got %r' % (x, k[0], k[1], e[x], g.get(x)))
        miss = e.get('aliases_include', set()) - set(g.get('aliases') or [])
        if miss:
            errs.append('aliases  %s %s: %s missing from %r' % (k[0], k[1], sorted(miss), g.get('aliases')))
    if errs:
        print('%s: %d expected, %d reported; differences:' % (label, len(expected), len(got)))
        print('\n'.join('  ' + e for e in errs))
        return 3  # a mismatch (an error of the script itself exits 1)
    print('%s: %d findings, as expected' % (label, len(expected)))
    return 0


def pick_fixed(cands):
    """The fixed version of a (package, vulnerability) several advisories
    give: one value, or the set of values when they differ (the documented
    rules do not say which one is reported)."""
    c = set(cands)
    if not c:
        return None
    return c.pop() if len(c) == 1 else c

# ---------------------------------------------------------------- Alpine


def apk_installed(root):
    pkgs, cur = [], {}
    with open(os.path.join(root, 'lib/apk/db/installed'), encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line:
                if cur:
                    pkgs.append(cur)
                cur = {}
                continue
            if len(line) > 2 and line[1] == ':' and line[0] in 'PVo':
                cur[line[0]] = line[2:]
    if cur:
        pkgs.append(cur)
    return [(p['P'], p['V'], p.get('o', p['P'])) for p in pkgs]


def alpine_branch(root):
    try:
        with open(os.path.join(root, 'etc/apk/repositories')) as f:
            for line in f:
                m = re.search(r'/(v\d+\.\d+|edge)/[a-z]+/?\s*$', line.strip())
                if m:
                    return m.group(1)
    except FileNotFoundError:
        pass
    with open(os.path.join(root, 'etc/alpine-release')) as f:
        return 'v' + '.'.join(f.read().strip().split('.')[:2])


def secdb_id(s):
    """'CVE-2018-15470 XSA-272' -> the CVE; else the first id."""
    toks = s.split()
    for t in toks:
        if t.startswith('CVE-'):
            return t
    return toks[0] if toks else None


def cmd_alpine(root, secdb_dir, report):
    branch = alpine_branch(root)
    fixes = {}  # origin -> [(fixed, id)]
    for repo in ('main', 'community'):
        p = os.path.join(secdb_dir, branch, repo + '.json')
        if not os.path.exists(p):
            continue
        with open(p) as f:
            for ent in json.load(f)['packages']:
                pk = ent['pkg']
                for fixed, ids in (pk.get('secfixes') or {}).items():
                    if fixed == '0':
                        continue  # "never affected"
                    for s in ids or []:
                        i = secdb_id(s)
                        if i:
                            fixes.setdefault(pk['name'], []).append((fixed, i))
    exp = {}
    for name, ver, origin in apk_installed(root):
        cands = {}
        for fixed, i in fixes.get(origin, []):
            if apkver.compare(ver, fixed) < 0:
                cands.setdefault(i, []).append(fixed)
        for i, c in cands.items():
            # secdb has no severities and the database no NVD records
            exp[(name, i)] = {'fixed_version': pick_fixed(c), 'status': 'fixed',
                              'severity': 'unknown',
                              'installed_version': ver, 'source_package': origin}
    return compare('alpine %s (%s)' % (os.path.basename(root), branch), exp, report,
                   ('installed_version', 'source_package', 'status', 'severity'))

# ---------------------------------------------------------------- dpkg


_dpkg_cache = {}


def _dpkg(k):
    return subprocess.run(['dpkg', '--compare-versions', k[0], k[1], k[2]]).returncode == 0


def dpkg_op(a, op, b):
    """a OP b (lt, le, eq) by the real dpkg --compare-versions."""
    k = (a, op, b)
    if k not in _dpkg_cache:
        _dpkg_cache[k] = _dpkg(k)
    return _dpkg_cache[k]


def dpkg_lt(a, b):
    return dpkg_op(a, 'lt', b)


def deb822(text):
    out, cur, last = [], {}, None
    for line in text.splitlines():
        if not line.strip():
            if cur:
                out.append(cur)
            cur, last = {}, None
            continue
        if line[0] in ' \t':
            if last:
                cur[last] += '\n' + line.strip()
            continue
        k, _, v = line.partition(':')
        last = k.strip().lower()
        cur[last] = v.strip()
    if cur:
        out.append(cur)
    return out


KEEP = {'installed', 'half-configured', 'unpacked', 'half-installed',
        'triggers-awaited', 'triggers-pending'}


def dpkg_packages(text):
    """(binary, arch, version, source name, source version) of the
    installed stanzas of a status file."""
    pkgs = []
    for st in deb822(text):
        if 'package' not in st or 'version' not in st:
            continue
        s = st.get('status')
        if s is not None and s.split()[-1] not in KEEP:
            continue
        src, srcver = st['package'], st['version']
        if st.get('source'):
            m = re.match(r'^(\S+)(?:\s+\((\S+)\))?$', st['source'])
            src = m.group(1)
            if m.group(2):
                srcver = m.group(2)
        pkgs.append((st['package'], st.get('architecture', ''), st['version'], src, srcver))
    return pkgs


def os_release(text):
    d = {}
    for line in text.splitlines():
        k, _, v = line.partition('=')
        d[k.strip()] = v.strip().strip('"')
    return d


CODENAMES = {'8': 'jessie', '9': 'stretch', '10': 'buster', '11': 'bullseye',
             '12': 'bookworm', '13': 'trixie'}


def oci_views(layout, tag):
    """Per layer of the tagged image: its diff ID and the dpkg status and
    os-release text visible at the top of that layer."""
    def blob(d):
        return os.path.join(layout, 'blobs', *d.split(':'))
    with open(os.path.join(layout, 'index.json')) as f:
        idx = json.load(f)
    man = [m for m in idx['manifests']
           if m.get('annotations', {}).get('org.opencontainers.image.ref.name') == tag]
    if len(man) != 1:
        raise SystemExit('tag %r not found in %s' % (tag, layout))
    with open(blob(man[0]['digest'])) as f:
        m = json.load(f)
    with open(blob(m['config']['digest'])) as f:
        cfg = json.load(f)
    files = {}
    views = []
    for layer, diff_id in zip(m['layers'], cfg['rootfs']['diff_ids']):
        with tarfile.open(blob(layer['digest']), 'r:*') as t:
            for ti in t:
                n = ti.name.lstrip('./') if ti.name.startswith('./') else ti.name.lstrip('/')
                base = os.path.basename(n)
                if base.startswith('.wh.'):
                    files.pop(os.path.join(os.path.dirname(n), base[4:]), None)
                    continue
                if n in ('var/lib/dpkg/status', 'etc/os-release', 'usr/lib/os-release') and ti.isfile():
                    files[n] = t.extractfile(ti).read().decode('utf-8')
        views.append((diff_id, files.get('var/lib/dpkg/status', ''),
                      files.get('etc/os-release') or files.get('usr/lib/os-release', '')))
    oci_views.history = cfg.get('history', [])
    return views


def attribute(views):
    """Packages of the top view, each with the lowest layer L such that
    every view from L to the top holds it identically (docs/sbom.md)."""
    sets = [set(dpkg_packages(v[1])) for v in views]
    top = len(views) - 1
    out = []
    for p in sorted(sets[top]):
        L = top
        while L > 0 and p in sets[L - 1]:
            L -= 1
        out.append((p, L))
    return out


def tracker_advisories(path, codename, want):
    """source -> [(id, status, fixed)] for one release (docs/vulndb.md)."""
    out = {}
    with open(path) as f:
        data = json.load(f)
    for src, vulns in data.items():
        if src not in want:
            continue
        for vid, v in vulns.items():
            rel = v.get('releases') or {}
            if not isinstance(rel, dict) or codename not in rel:
                continue
            r = rel[codename]
            st, fv = r.get('status'), r.get('fixed_version')
            urg = r.get('urgency', '')
            sev = urg.rstrip('*')
            sev = {'unimportant': 'negligible'}.get(sev, sev)
            if sev not in ('negligible', 'low', 'medium', 'high'):
                sev = None
            if st == 'resolved':
                if not fv or fv == '0':
                    continue
                a = ('fixed', fv)
            elif st == 'open':
                if urg == 'end-of-life':
                    a = ('end_of_life', None)
                elif r.get('nodsa_reason') == 'ignored':
                    a = ('will_not_fix', None)
                elif r.get('nodsa_reason') == 'postponed':
                    a = ('fix_deferred', None)
                else:
                    a = ('affected', None)
            elif st == 'undetermined':
                a = ('affected', None)
            else:
                continue
            out.setdefault(src, []).append((vid,) + a + (sev,))
    return out


def dsa_advisories(path, codename):
    """source -> [(id, status, fixed)] from a DSA/DLA list."""
    out = {}
    cves, dsa = [], None
    head = re.compile(r'^\[\d\d \w{3} \d{4}\] (D[SL]A-\d+-\d+) ')
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = head.match(line)
            if m:
                dsa, cves = m.group(1), []
                continue
            s = line.strip()
            if s.startswith('{') and s.endswith('}'):
                cves = s[1:-1].split()
                continue
            m = re.match(r'^\[(\w+)\]\s+-\s+(\S+)\s+(\S+)', s)
            if not m or m.group(1) != codename or not dsa:
                continue
            src, v = m.group(2), m.group(3)
            if v == '<unfixed>':
                a = ('affected', None)
            elif v == '<end-of-life>':
                a = ('end_of_life', None)
            elif v.startswith('<'):
                continue  # not-affected, removed, ...
            else:
                a = ('fixed', v)
            for i in cves or [dsa]:
                out.setdefault(src, []).append((i,) + a + (None,))
    return out


def osv_events(entry):
    for r in entry.get('ranges', []):
        if r.get('type') in ('ECOSYSTEM', 'SEMVER'):
            yield r['events']


def osv_comparisons(v, entry):
    out = [(v, 'eq', x) for x in entry.get('versions', [])]
    for evs in osv_events(entry):
        for ev in evs:
            for kind, x in ev.items():
                if x != '0':
                    out += [(x, 'le', v), (x, 'lt', v)]
    return out


def osv_affected(v, entry):
    """(affected, fixed version) of version v by one OSV affected[] entry
    (OSV schema: a range's events in version order, 'introduced' at or
    below v opens, 'fixed' at or below v closes, 'last_affected' below v
    closes, 'limit' at or below v closes; or v equals a listed version).
    The fixed version is the first 'fixed' event above v after an opening
    'introduced'."""
    hit = any(dpkg_op(v, 'eq', x) for x in entry.get('versions', []))
    fixed = None
    for evs in osv_events(entry):
        state, nxt = False, None
        for ev in evs:  # well-formed records list events in order
            (kind, x), = ev.items()
            at_or_below = x == '0' or dpkg_op(x, 'le', v)
            if kind == 'introduced':
                if at_or_below:
                    state = True
            elif kind == 'fixed':
                if at_or_below:
                    state = False
                elif state and nxt is None:
                    nxt = x
            elif kind == 'last_affected':
                if dpkg_op(x, 'lt', v):
                    state = False
            elif kind == 'limit':
                if at_or_below:
                    state = False
        if state:
            hit = True
            fixed = fixed or nxt
    return hit, (fixed if hit else None)


SEVERITY_WORDS = {'negligible': 'negligible', 'low': 'low', 'medium': 'medium',
                  'moderate': 'medium', 'high': 'high', 'important': 'high',
                  'critical': 'critical'}


def osv_advisories(paths, ecosystem, want):
    """source -> [(id, status, fixed, severity, entry)] of the OSV records
    (files or folders) whose affected[] entries name ECOSYSTEM exactly;
    withdrawn records are skipped."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith('.json'))
        else:
            files.append(p)
    out = {}
    for fn in files:
        with open(fn) as f:
            rec = json.load(f)
        if rec.get('withdrawn'):
            continue
        OSV_ALIASES[rec['id']] = set(rec.get('aliases') or []) | set(rec.get('upstream') or [])
        rsev = [x['score'] for x in rec.get('severity', []) if x.get('type') == 'Ubuntu']
        for a in rec.get('affected', []):
            pk = a.get('package', {})
            if pk.get('ecosystem') != ecosystem or pk.get('name') not in want:
                continue
            sev = (a.get('ecosystem_specific', {}).get('severity') or (rsev[0] if rsev else None)
                   or (a.get('database_specific') or {}).get('severity'))
            sev = SEVERITY_WORDS.get((sev or '').lower())
            out.setdefault(pk['name'], []).append((rec['id'], None, None, sev, a))
    return out


OSV_ALIASES = {}  # record id -> its aliases and upstream ids


def fold_aliases(exp):
    """docs/scan.md, "One vulnerability, several ids": per package, a
    finding whose aliases are all ids (or aliases) of other findings of
    the package is left out, and its id is expected among their aliases;
    its fixed version fills a gap of theirs."""
    by_pkg = {}
    for name, vid in sorted(exp):
        by_pkg.setdefault(name, []).append(vid)
    for name, vids in by_pkg.items():
        alive = list(vids)
        for vid in vids:
            al = OSV_ALIASES.get(vid, set())
            others = [o for o in alive if o != vid]
            names = lambda o: {o} | OSV_ALIASES.get(o, set())  # noqa: E731
            if not al or not all(any(x in names(o) for o in others) for x in al):
                continue
            for o in others:
                if al & names(o):
                    e = exp[(name, o)]
                    e.setdefault('aliases_include', set()).add(vid)
                    if e['fixed_version'] is None:
                        e['fixed_version'] = exp[(name, vid)]['fixed_version']
            del exp[(name, vid)]
            alive.remove(vid)
    return exp


def dpkg_prefetch(triples):
    """Run dpkg comparisons (a, op, b) in parallel (each is a process)."""
    from concurrent.futures import ThreadPoolExecutor
    todo = [t for t in set(triples) if t not in _dpkg_cache]
    with ThreadPoolExecutor(8) as ex:
        for t, r in zip(todo, ex.map(_dpkg, todo)):
            _dpkg_cache[t] = r


def deb_expected(pkgs, advs):
    exp = {}
    pre = []
    for p, _ in pkgs:
        for a in advs.get(p[3], []):
            if a[2]:
                pre.append((p[4], 'lt', a[2]))
            if len(a) > 4:
                pre += osv_comparisons(p[4], a[4])
    dpkg_prefetch(pre)
    for (name, arch, ver, src, srcver), layer in pkgs:
        hits = {}
        for a in advs.get(src, []):
            vid, status, fixed, sev = a[:4]
            if len(a) > 4:
                hit, fx = osv_affected(srcver, a[4])
                if hit:
                    hits.setdefault(vid, []).append(('fixed' if fx else 'affected', fx, sev))
            elif fixed is not None:
                if dpkg_lt(srcver, fixed):
                    hits.setdefault(vid, []).append((status, fixed, sev))
            else:
                hits.setdefault(vid, []).append((status, None, sev))
        for vid, h in hits.items():
            fx = [x for _, x, _ in h if x]
            e = {'fixed_version': pick_fixed(fx), 'installed_version': ver,
                 'source_package': src, 'source_version': srcver, 'layer_index': layer}
            sts = {s for s, x, _ in h if (x is not None) == bool(fx)}
            if len(sts) == 1:
                e['status'] = sts.pop()
            # the vendor's severity; these databases have no NVD records
            sevs = {v for _, _, v in h if v}
            if len(sevs) <= 1:
                e['severity'] = sevs.pop() if sevs else 'unknown'

            exp[(name, vid)] = e
    return exp


def cmd_deb(args):
    root = oci = None
    trackers, dsas, osvs, base_layers = [], [], [], None
    i = 0
    while i < len(args) - 1:
        a = args[i]
        if a == '--root':
            root = args[i + 1]
            i += 2
        elif a == '--oci':
            oci = (args[i + 1], args[i + 2])
            i += 3
        elif a == '--tracker':
            trackers.append(args[i + 1])
            i += 2
        elif a == '--dsa':
            dsas.append(args[i + 1])
            i += 2
        elif a == '--osv':
            osvs.append(args[i + 1])
            i += 2
        elif a == '--base-layers':
            base_layers = int(args[i + 1])
            i += 2
        else:
            raise SystemExit('bad argument %r' % a)
    report = args[-1]
    if root:
        with open(os.path.join(root, 'var/lib/dpkg/status'), encoding='utf-8') as f:
            pkgs = [(p, None) for p in dpkg_packages(f.read())]
        osp = os.path.join(root, 'etc/os-release')
        if not os.path.exists(osp):
            osp = os.path.join(root, 'usr/lib/os-release')
        with open(osp) as f:
            osr = os_release(f.read())
        diff_ids = []
        label = 'deb dir:%s' % os.path.basename(root)
    else:
        views = oci_views(*oci)
        pkgs = attribute(views)
        osr = os_release(views[-1][2])
        diff_ids = [v[0] for v in views]
        label = 'deb oci:%s' % oci[1]
    want = {p[3] for p, _ in pkgs}
    advs = {}
    if osr.get('ID') == 'ubuntu':
        # namespace ubuntu:VERSION_ID; the OSV ecosystem of that release
        # without Ubuntu Pro (docs/feeds.md)
        eco = 'Ubuntu:%s%s' % (osr['VERSION_ID'], ':LTS' if 'LTS' in osr.get('VERSION', '') else '')
        for k, v in osv_advisories(osvs, eco, want).items():
            advs.setdefault(k, []).extend(v)
        return compare(label, fold_aliases(deb_expected(pkgs, advs)), report,
                       ['installed_version', 'source_package', 'source_version', 'status', 'severity'])
    codename = osr.get('VERSION_CODENAME') or CODENAMES[osr['VERSION_ID'].split('.')[0]]
    for t in trackers:
        for k, v in tracker_advisories(t, codename, want).items():
            advs.setdefault(k, []).extend(v)
    for d in dsas:
        for k, v in dsa_advisories(d, codename).items():
            if k in want:
                advs.setdefault(k, []).extend(v)
    exp = deb_expected(pkgs, advs)
    keys = ['installed_version', 'source_package', 'source_version', 'status', 'severity']
    if diff_ids:
        keys += ['layer', 'in_base']
        for e in exp.values():
            e['layer'] = diff_ids[e['layer_index']]
            if base_layers is not None:
                e['in_base'] = e['layer_index'] < base_layers
            elif not any(re.search(r'\b(CMD|ENTRYPOINT)\b', h.get('created_by', ''))
                         for h in oci_views.history):
                # no --base and no base boundary in the history: unknown
                e['in_base'] = None
    return compare(label, exp, report, keys)


def cmd_deb_status(status, dsa, codename):
    """A synthetic status file (ACCURACY.md): the stanzas of a real status
    file whose source package has fixed versions in the DSA list for
    CODENAME. Source packages, in name order, alternately get the version
    of their earliest DSA for CODENAME (a system that took the first
    security update and none after) and that version with '~' appended
    (a system from before the first update). Binaries named unlike their
    source get 'Source: NAME', every other one of them with a binNMU
    version ('+b1') and 'Source: NAME (VERSION)'."""
    with open(status, encoding='utf-8') as f:
        pkgs = deb822(f.read())
    advs = dsa_advisories(dsa, codename)
    srcs = sorted({st.get('source', st['package']).split()[0] for st in pkgs})
    ver = {}
    for s in srcs:
        fixed = [a[2] for a in advs.get(s, []) if a[2]]
        if fixed:
            # the list is newest first: the last entry is the earliest
            ver[s] = fixed[-1] + ('~' if len(ver) % 2 else '')
    out = []
    n = 0
    for st in pkgs:
        src = st.get('source', st['package']).split()[0]
        if src not in ver:
            continue
        v = ver[src]
        lines = ['Package: ' + st['package'], 'Status: install ok installed',
                 'Architecture: ' + st.get('architecture', 'amd64')]
        if src != st['package']:
            n += 1
            if n % 2:
                lines += ['Source: %s (%s)' % (src, v), 'Version: %s+b1' % v]
            else:
                lines += ['Source: ' + src, 'Version: ' + v]
        else:
            lines += ['Version: ' + v]
        out.append('\n'.join(lines) + '\n')
    sys.stdout.write('\n'.join(out))
    return 0


def cmd_osv_status(osv_dir, ecosystem):
    """A synthetic status file (ACCURACY.md) from OSV records: for each
    source package an affected[] entry of ECOSYSTEM or of its Ubuntu Pro
    twin names (first record in file order), up to three of the binaries
    its ecosystem_specific lists, in turn at the first version the entry
    lists as affected and at the binary version the record gives (the
    current one in the release; a partial upgrade)."""
    pro = ecosystem.replace('Ubuntu:', 'Ubuntu:Pro:', 1)
    seen, out = set(), []
    for fn in sorted(os.listdir(osv_dir)):
        with open(os.path.join(osv_dir, fn)) as f:
            rec = json.load(f)
        if rec.get('withdrawn'):
            continue
        for a in rec.get('affected', []):
            pk = a['package']
            if pk['ecosystem'] not in (ecosystem, pro) or pk['name'] in seen:
                continue
            bins = a.get('ecosystem_specific', {}).get('binaries', [])[:3]
            if not bins:
                continue
            seen.add(pk['name'])
            vers = a.get('versions', [])
            for n, b in enumerate(bins):
                v = vers[0] if n % 2 == 0 and vers else b['binary_version']
                lines = ['Package: ' + b['binary_name'], 'Status: install ok installed',
                         'Architecture: amd64']
                if b['binary_name'] != pk['name']:
                    lines.append('Source: ' + pk['name'])
                lines.append('Version: ' + v)
                out.append('\n'.join(lines) + '\n')
    sys.stdout.write('\n'.join(out))
    return 0


def cmd_deb_tracker_synthetic(layout, tag):
    """A synthetic Debian tracker JSON for bookworm over the image's own
    source packages (ACCURACY.md): per source, in turn, fixed above the
    installed source version, fixed at it, fixed below it, and open."""
    views = oci_views(layout, tag)
    srcs = sorted({(p[3], p[4]) for p, _ in attribute(views)})
    doc = {}
    for n, (src, sv) in enumerate(srcs):
        k = n % 4
        rel = {'status': 'resolved', 'urgency': 'medium'}
        if k == 0:
            rel['fixed_version'] = sv + '+acc1'
        elif k == 1:
            rel['fixed_version'] = sv
        elif k == 2:
            rel['fixed_version'] = sv + '~acc1'
        else:
            rel = {'status': 'open', 'urgency': 'low'}
        doc[src] = {'TEMP-9999999-%06d' % n: {
            'description': 'synthetic record of the drydock accuracy test',
            'releases': {'bookworm': rel}}}
    json.dump(doc, sys.stdout, indent=1, sort_keys=True)
    return 0


# ---------------------------------------------------------------- rpm


def rpm_evr(s):
    """'[E:]V-R' -> (E, V, R) strings for rpm.labelCompare; no epoch = 0."""
    e, _, vr = s.rpartition(':')
    v, _, r = vr.rpartition('-')
    return (e or '0', v, r)


def rpm_lt(a, b):
    import rpm
    return rpm.labelCompare(rpm_evr(a), rpm_evr(b)) < 0


REBUILDS = {'AlmaLinux': ('almalinux', 'almalinux'), 'Rocky Linux': ('rocky', 'rocky')}


def osv_files(d):
    for fn in sorted(os.listdir(d)):
        if fn.endswith('.json'):
            with open(os.path.join(d, fn)) as f:
                rec = json.load(f)
            if not rec.get('withdrawn'):
                yield rec


def rebuild_entries(dirs, distro):
    """(record, entry) of the OSV records naming DISTRO ('almalinux-8')."""
    for d in dirs:
        for rec in osv_files(d):
            for a in rec.get('affected', []):
                eco, _, rel = a['package']['ecosystem'].rpartition(':')
                if eco in REBUILDS and '%s-%s' % (REBUILDS[eco][0], rel) == distro:
                    yield rec, a


def cmd_rpm_sbom(distro, *dirs):
    """A synthetic CycloneDX SBOM (ACCURACY.md): every binary RPM the OSV
    records of DISTRO name, once, in turn just below its first fixed
    version (release + '~acc'), at it, and just above it (release +
    '.acc1')."""
    seen, comps = set(), []
    for rec, a in rebuild_entries(dirs, distro):
        name = a['package']['name']
        fixed = [ev['fixed'] for r in a.get('ranges', []) for ev in r['events'] if 'fixed' in ev]
        if name in seen or not fixed:
            continue
        e, v, r = rpm_evr(fixed[0])
        r = r + ('~acc', '', '.acc1')[len(seen) % 3]
        seen.add(name)
        fam = distro.rsplit('-', 1)[0]
        purl = 'pkg:rpm/%s/%s@%s-%s?arch=x86_64&epoch=%s&distro=%s' % (fam, name, v, r, e, distro)
        comps.append({'type': 'library', 'name': name, 'version': '%s-%s' % (v, r),
                      'purl': purl, 'bom-ref': purl})
    json.dump({'bomFormat': 'CycloneDX', 'specVersion': '1.5', 'version': 1,
               'components': comps}, sys.stdout, indent=1)
    return 0


def cmd_rpm_rebuilds(sbom, *rest):
    """Expected findings of a rebuild SBOM (cmd_rpm_sbom) by the OSV
    records of its distro: the binary name, the installed [E:]V-R below
    the entry's fixed version by rpm.labelCompare (ranges of these records
    are 'introduced 0, fixed F')."""
    dirs, report = rest[:-1], rest[-1]
    with open(sbom) as f:
        comps = json.load(f)['components']
    distro = re.search(r'distro=([^&]+)', comps[0]['purl']).group(1)
    inst = {}
    for c in comps:
        ep = re.search(r'epoch=(\d+)', c['purl']).group(1)
        inst[c['name']] = ('%s:%s' % (ep, c['version'])) if ep != '0' else c['version']
    exp = {}
    for rec, a in rebuild_entries(dirs, distro):
        name = a['package']['name']
        if name not in inst:
            continue
        for r in a.get('ranges', []):
            evs = r['events']
            if [list(x) for x in evs] != [['introduced'], ['fixed']] or evs[0]['introduced'] != '0':
                raise SystemExit('%s: range outside this route\'s scope: %s' % (rec['id'], evs))
            if rpm_lt(inst[name], evs[1]['fixed']):
                exp[(name, rec['id'])] = {'fixed_version': evs[1]['fixed'], 'status': 'fixed'}
    return compare('rpm %s (sbom)' % distro, exp, report, ('status',))


# ---------------------------------------------------------------- Red Hat OVAL

OVAL_NS = {'d': 'http://oval.mitre.org/XMLSchema/oval-definitions-5',
           'red': 'http://oval.mitre.org/XMLSchema/oval-definitions-5#linux',
           'ind': 'http://oval.mitre.org/XMLSchema/oval-definitions-5#independent'}
RED_SEVERITY = {'low': 'low', 'moderate': 'medium', 'important': 'high', 'critical': 'critical'}


def _local(tag):
    return tag.rsplit('}', 1)[-1]


class Oval:
    """A Red Hat OVAL v2 definitions file, read with ElementTree. Supported
    constructs (anything else in a criteria tree the route walks stops it
    with an error, ACCURACY.md):
    - definitions of class 'patch' (others skipped), their affected
      platforms, references (source 'RHSA' = the advisory, 'CVE' = the
      CVEs), advisory <severity> and <cve impact=...>;
    - <criteria operator="AND|OR" negate=...> trees of <criterion
      test_ref negate=...> (no extend_definition);
    - red-def:rpminfo_test, object = a literal <name>, check 'at least
      one'; its state: an 'evr' of datatype evr_string and operation
      'less than' (with an optional 'arch' pattern) = "NAME earlier than
      EVR", or a 'signature_keyid' 'equals' = "NAME signed with KEY";
    - red-def:rpmverifyfile_test on /etc/redhat-release = "Red Hat
      Enterprise Linux [N] is installed" ('at least one') or "must be
      installed" ('none satisfy');
    - ind-def:textfilecontent54_test on /etc/dnf/modules.d/M.module =
      "module M:S is enabled"."""

    def __init__(self, path):
        import xml.etree.ElementTree as ET
        root = ET.parse(path).getroot()
        if _local(root.tag) != 'oval_definitions':
            raise SystemExit('%s: not an OVAL definitions document' % path)
        self.items = {}
        for sec in ('tests', 'objects', 'states', 'variables'):
            s = root.find('d:' + sec, OVAL_NS)
            for el in (s if s is not None else []):
                self.items[el.get('id')] = el
        self.defs = root.find('d:definitions', OVAL_NS)

    def _child(self, el, name):
        for c in el:
            if _local(c.tag) == name:
                return c
        return None

    def test(self, ref):
        """A criterion's test as a tuple: ('evr', name, evr, arch pattern
        or None) | ('sig', name, keyid) | ('release', major or None, check)
        | ('module', module, stream pattern)."""
        t = self.items.get(ref)
        if t is None:
            raise SystemExit('test %s: not in the file' % ref)
        kind = _local(t.tag)
        obj = self.items[self._child(t, 'object').get('object_ref')]
        st = self._child(t, 'state')
        st = self.items[st.get('state_ref')] if st is not None else None
        if kind == 'rpminfo_test':
            if t.get('check') != 'at least one' or st is None:
                raise SystemExit('%s: rpminfo_test outside this route\'s scope' % ref)
            name = self._child(obj, 'name')
            if name is None or name.get('var_ref') or len(obj) != 1:
                raise SystemExit('%s: rpminfo_object outside this route\'s scope' % ref)
            fields = {_local(c.tag): c for c in st}
            if set(fields) <= {'evr', 'arch'} and 'evr' in fields:
                e = fields['evr']
                if e.get('operation') != 'less than' or e.get('datatype') != 'evr_string':
                    raise SystemExit('%s: evr state outside this route\'s scope' % ref)
                a = fields.get('arch')
                if a is not None and a.get('operation') != 'pattern match':
                    raise SystemExit('%s: arch state outside this route\'s scope' % ref)
                return ('evr', name.text, e.text, a.text if a is not None else None)
            if set(fields) == {'signature_keyid'} and \
                    fields['signature_keyid'].get('operation') == 'equals':
                return ('sig', name.text, fields['signature_keyid'].text)
            raise SystemExit('%s: rpminfo_state outside this route\'s scope' % ref)
        if kind == 'rpmverifyfile_test':
            fp = self._child(obj, 'filepath')
            if fp is None or fp.text != '/etc/redhat-release' or st is None:
                raise SystemExit('%s: rpmverifyfile_test outside this route\'s scope' % ref)
            ver = self._child(st, 'version')
            m = re.match(r'^\^(\d+)\[\^\\d\]$', ver.text) if ver is not None else None
            if ver is not None and not m:
                raise SystemExit('%s: release state outside this route\'s scope' % ref)
            if t.get('check') not in ('at least one', 'none satisfy'):
                raise SystemExit('%s: check %s outside this route\'s scope' % (ref, t.get('check')))
            return ('release', m.group(1) if m else None, t.get('check'))
        if kind == 'textfilecontent54_test':
            fp = self._child(obj, 'filepath')
            m = re.match(r'^/etc/dnf/modules\.d/([^/]+)\.module$', fp.text or '') if fp is not None else None
            if not m or st is None:
                raise SystemExit('%s: textfilecontent54_test outside this route\'s scope' % ref)
            return ('module', m.group(1), self._child(st, 'text').text)
        raise SystemExit('%s: %s outside this route\'s scope' % (ref, kind))

    def criteria(self, el):
        """The criteria tree as nested tuples: ('and'|'or', negate,
        [children]) and ('test', negate, test tuple)."""
        kind = _local(el.tag)
        neg = el.get('negate', 'false') == 'true'
        if kind == 'criteria':
            op = el.get('operator', 'AND')
            if op not in ('AND', 'OR'):
                raise SystemExit('criteria operator %s outside this route\'s scope' % op)
            return (op.lower(), neg, [self.criteria(c) for c in el])
        if kind == 'criterion':
            return ('test', neg, self.test(el.get('test_ref')))
        raise SystemExit('%s outside this route\'s scope' % kind)

    def definitions(self):
        """Per patch definition: (id, advisory id, platforms, [(cve,
        severity)], criteria tree)."""
        for d in self.defs:
            if d.get('class') != 'patch':
                continue
            md = self._child(d, 'metadata')
            plats = [p.text for a in md if _local(a.tag) == 'affected'
                     for p in a if _local(p.tag) == 'platform']
            refs = [r for r in md if _local(r.tag) == 'reference']
            adv = [r.get('ref_id') for r in refs if r.get('source') == 'RHSA']
            cves = [r.get('ref_id') for r in refs if r.get('source') == 'CVE']
            a = self._child(md, 'advisory')
            sev_el = self._child(a, 'severity')
            dsev = (sev_el.text or '').strip().lower() if sev_el is not None else ''
            impact = {c.text: c.get('impact') for c in a if _local(c.tag) == 'cve'}
            out = []
            for c in cves:
                w = (impact.get(c) or dsev or '').lower()
                out.append((c, RED_SEVERITY.get(w, 'unknown')))
            yield (d.get('id'), adv[0] if adv else None, plats, out,
                   self.criteria(self._child(d, 'criteria')))


def oval_evr_tests(tree, negated=False):
    """Every 'earlier than' test of a criteria tree (docs/feeds.md: the
    logic is not evaluated). An evr test under a negation is outside the
    documented rule and stops the route."""
    kind, neg, x = tree
    negated = negated or neg
    if kind == 'test':
        if x[0] == 'evr':
            if negated:
                raise SystemExit('negated evr test %s: outside this route\'s scope' % (x,))
            yield x
        return
    for c in x:
        yield from oval_evr_tests(c, negated)


def oval_eval(tree, inst, major):
    """Full OVAL evaluation of a criteria tree for a RHEL MAJOR system
    whose installed RPMs are inst {binary name: (evr, arch)}, all signed
    by Red Hat, every module stream enabled (docs/feeds.md: matched
    without the module condition), /etc/redhat-release owned by
    redhat-release."""
    kind, neg, x = tree
    if kind == 'test':
        t = x[0]
        if t == 'evr':
            p = inst.get(x[1])
            r = p is not None and rpm_lt(p[0], x[2]) and \
                (x[3] is None or re.search(x[3], p[1]) is not None)
        elif t == 'sig':
            r = x[1] in inst
        elif t == 'release':
            r = (x[1] is None or x[1] == major) if x[2] == 'at least one' else False
        else:
            r = True
    elif kind == 'and':
        r = all(oval_eval(c, inst, major) for c in x)
    else:
        r = any(oval_eval(c, inst, major) for c in x)
    return r != neg


def rpm_epoch_evr(e, v, r):
    return '%s:%s-%s' % (e, v, r) if e not in (None, 0, '0', '') else '%s-%s' % (v, r)


def srpm_name(s):
    """'util-linux-2.32.1-42.el8_8.src.rpm' -> 'util-linux'."""
    if not s:
        return None
    s = re.sub(r'\.(no)?src\.rpm$', '', s)
    return s.rsplit('-', 2)[0]


def rpmdb_packages(root):
    """(binary, [E:]V-R, arch, source RPM name) of the rpm database of a
    tree, read with python3-rpm (var/lib/rpm: Packages as Berkeley DB,
    read-only backend; rpmdb.sqlite)."""
    import rpm
    import shutil
    import tempfile
    src = os.path.join(root, 'var/lib/rpm')
    backend = 'sqlite' if os.path.exists(os.path.join(src, 'rpmdb.sqlite')) else 'bdb_ro'
    # a copy: rpm may write lock and journal files beside the database
    tmp = tempfile.mkdtemp(prefix='acc-rpmdb-')
    d = os.path.join(tmp, 'rpm')
    shutil.copytree(src, d)
    rpm.setVerbosity(rpm.RPMLOG_ERR)  # bdb_ro warns about absent index files
    rpm.addMacro('_dbpath', d)
    rpm.addMacro('_db_backend', backend)
    try:
        ts = rpm.TransactionSet()
        ts.setVSFlags(rpm._RPMVSF_NOSIGNATURES | rpm._RPMVSF_NODIGESTS)
        out = []
        for h in ts.dbMatch():
            n = h[rpm.RPMTAG_NAME]
            out.append((n, rpm_epoch_evr(h[rpm.RPMTAG_EPOCH], h[rpm.RPMTAG_VERSION],
                                         h[rpm.RPMTAG_RELEASE]),
                        h[rpm.RPMTAG_ARCH] or '', srpm_name(h[rpm.RPMTAG_SOURCERPM]) or n))
        ts.closeDB()
    finally:
        rpm.delMacro('_db_backend')
        rpm.delMacro('_dbpath')
        shutil.rmtree(tmp)
    if not out:
        raise SystemExit('%s: no packages read' % src)
    return out


def rhel_major_of_os(root):
    osp = os.path.join(root, 'etc/os-release')
    if not os.path.exists(osp):
        osp = os.path.join(root, 'usr/lib/os-release')
    with open(osp) as f:
        osr = os_release(f.read())
    if osr.get('ID') not in ('rhel', 'centos'):
        raise SystemExit('%s: not a RHEL tree' % osp)
    return osr['VERSION_ID'].split('.')[0]


def oval_expected(oval_path, major, pkgs):
    """Expected findings of pkgs [(binary, [E:]V-R, arch, source)] on a
    RHEL MAJOR system by the OVAL file (docs/feeds.md, docs/scan.md):
    advisories of every 'NAME earlier than EVR' test of a patch
    definition for platform 'Red Hat Enterprise Linux MAJOR', one per CVE
    (a definition without CVEs: its RHSA id, nothing for RHBA/RHEA), keyed
    by the binary NAME; a package is looked up by its source RPM name and
    its binary name; it is affected when its [E:]V-R is below EVR
    (rpm.labelCompare)."""
    ov = Oval(oval_path)
    plat = 'Red Hat Enterprise Linux %s' % major
    rows = {}  # binary name -> [(vuln id, evr, severity, advisory, def id)]
    defs = []
    for did, adv, plats, cves, tree in ov.definitions():
        if plat not in plats:
            continue
        defs.append((did, tree))
        ids = cves or ([(adv, 'unknown')] if adv and adv.startswith('RHSA-') else [])
        for t in oval_evr_tests(tree):
            for vid, sev in ids:
                rows.setdefault(t[1], []).append((vid, t[2], sev, adv, did))
    exp = {}
    via = {}
    for name, evr, arch, src in pkgs:
        hits = {}
        for look in dict.fromkeys((src, name)):
            for vid, fixed, sev, adv, did in rows.get(look, []):
                if rpm_lt(evr, fixed):
                    hits.setdefault(vid, []).append((fixed, sev, adv))
                    via.setdefault((name, vid), set()).add((look, did))
        for vid, h in hits.items():
            e = {'fixed_version': pick_fixed(x[0] for x in h), 'status': 'fixed',
                 'installed_version': evr, 'source_package': src,
                 'namespace': 'rhel:%s' % major, 'data_source': 'redhat-oval'}
            if len({x[1] for x in h}) == 1:
                e['severity'] = h[0][1]
            if len({x[2] for x in h}) == 1:
                e['advisory_id'] = h[0][2]
            exp[(name, vid)] = e
    # the documented rule against the full OVAL logic: the definitions
    # that hold for this system are exactly those with a finding of a
    # binary the definition names (ACCURACY.md)
    inst = {n: (evr, arch) for n, evr, arch, _ in pkgs}
    true_defs = {did for did, tree in defs if oval_eval(tree, inst, major)}
    doc_defs = {did for (name, _), s in via.items() for look, did in s if look == name}
    if true_defs != doc_defs:
        raise SystemExit('the OVAL logic and the documented rule disagree: '
                         'true definitions without findings %s, findings of false definitions %s'
                         % (sorted(true_defs - doc_defs), sorted(doc_defs - true_defs)))
    by_source = sum(1 for k, s in via.items() if all(look != k[0] for look, _ in s))
    print('oval: %d patch definitions for %s, %d hold for this system; '
          '%d findings only through the source RPM name' % (len(defs), plat, len(true_defs), by_source))
    return exp


OVAL_KEYS = ('installed_version', 'source_package', 'status', 'severity',
             'advisory_id', 'namespace', 'data_source')


def cmd_rpm_oval(root, oval_path, report):
    """Expected findings of the rpm database in the tree ROOT (RHEL by
    its os-release) by a Red Hat OVAL file."""
    major = rhel_major_of_os(root)
    pkgs = rpmdb_packages(root)
    # the 0-finding cases mean something only if drydock read the same
    # packages (name, version-release, source) and the namespace
    doc, _ = report_findings(report)
    want = sorted((n, evr.split(':', 1)[-1], src) for n, evr, _, src in pkgs)
    got = sorted((p['name'], p['version'], p['source_name']) for p in doc['packages'])
    if want != got or doc['os']['namespace'] != 'rhel:' + major:
        print('rpm dir:%s: report packages %s (namespace %s), rpmdb %s' % (
            os.path.basename(root), got, doc['os']['namespace'], want))
        return 3
    exp = oval_expected(oval_path, major, pkgs)
    return compare('rpm dir:%s (rhel %s)' % (os.path.basename(root), major), exp, report, OVAL_KEYS)


def oval_packages(oval_path):
    """The packages of the synthetic inventories (ACCURACY.md): every
    binary RPM an 'earlier than' test of the OVAL file names, with the
    EVR of its first test in file order, and its source RPM name from the
    definition's '-debugsource' packages (Red Hat names them
    SRPM-debugsource): the longest one that is the binary's name or a '-'
    prefix of it and has the binary's EVR (one build), else the binary's
    own name. Returns ({binary: (evr, source)} in file order, the first
    such source RPM of each definition that is also a binary the file
    names)."""
    ov = Oval(oval_path)
    first = {}
    extra = []
    for did, adv, plats, cves, tree in ov.definitions():
        tests = list(oval_evr_tests(tree))
        evr = {t[1]: t[2] for t in tests}
        dsrc = {t[1][:-len('-debugsource')]: t[2] for t in tests if t[1].endswith('-debugsource')}
        named = [s for s in dsrc if s in evr]
        if named and named[0] not in extra:
            extra.append(named[0])
        for t in tests:
            if t[1] in first:
                continue
            cand = [s for s, e in dsrc.items()
                    if (t[1] == s or t[1].startswith(s + '-')) and e == t[2]]
            first[t[1]] = (t[2], max(cand, key=len) if cand else t[1])
    for s in extra:
        if s + '-debuginfo' in first:
            raise SystemExit('%s-debuginfo is named by the file' % s)
    return first, extra


SHIFT = ('~acc', '', '.acc1')  # just below, at, just above a release


def cmd_oval_sbom(oval_path, minor):
    """A synthetic CycloneDX SBOM (ACCURACY.md) of oval_packages(): each
    binary in turn just below its EVR (release + '~acc'), at it, and just
    above it (release + '.acc1'), x86_64, its source RPM as Trivy's
    SrcName property; plus, per definition, SRPM-debuginfo (a binary the
    file does not name) below the EVR of the binary named like its
    source RPM: found only through its source RPM name."""
    pkgs, extra = oval_packages(oval_path)
    comps = []

    def comp(name, e, v, r, src):
        purl = 'pkg:rpm/redhat/%s@%s-%s?arch=x86_64&epoch=%s&distro=rhel-%s' % (
            name, v, r.replace('+', '%2B'), e, minor)
        props = [{'name': 'aquasecurity:trivy:SrcName', 'value': src},
                 {'name': 'aquasecurity:trivy:SrcVersion', 'value': v},
                 {'name': 'aquasecurity:trivy:SrcRelease', 'value': r},
                 {'name': 'aquasecurity:trivy:SrcEpoch', 'value': e}]
        comps.append({'type': 'library', 'name': name, 'version': '%s-%s' % (v, r),
                      'purl': purl, 'bom-ref': purl, 'properties': props})

    for n, (name, (evr, src)) in enumerate(pkgs.items()):
        e, v, r = rpm_evr(evr)
        comp(name, e, v, r + SHIFT[n % 3], src)
    for s in extra:
        e, v, r = rpm_evr(pkgs[s][0])
        comp(s + '-debuginfo', e, v, r + '~acc', s)
    json.dump({'bomFormat': 'CycloneDX', 'specVersion': '1.5', 'version': 1,
               'components': comps}, sys.stdout, indent=1)
    return 0


def cmd_oval_specs(oval_path, outdir):
    """RPM spec files (ACCURACY.md) for a real rpm database of
    oval_packages(): one spec per (source RPM, EVR), named like the
    source RPM (so that rpmbuild writes SOURCERPM), whose binary
    packages are the binaries of that build (the main package only when
    a binary has the source's name); the builds in turn just below, at
    and just above the EVR; plus per definition a spec of SRPM-debuginfo
    alone below the EVR. Packages are empty (no files)."""
    pkgs, extra = oval_packages(oval_path)
    groups = {}
    for name, (evr, src) in pkgs.items():
        groups.setdefault((src, evr), []).append(name)
    specs = [(src, evr, SHIFT[n % 3], names) for n, ((src, evr), names) in enumerate(groups.items())]
    specs += [(s, pkgs[s][0], '~acc', [s + '-debuginfo']) for s in extra]
    os.makedirs(outdir, exist_ok=True)
    for n, (src, evr, shift, names) in enumerate(specs):
        e, v, r = rpm_evr(evr)
        out = ['Name: ' + src]
        if e != '0':
            out.append('Epoch: ' + e)
        out += ['Version: ' + v, 'Release: ' + r + shift,
                'Summary: synthetic package of the drydock accuracy test',
                'License: none', '%description', 'synthetic', '']
        for b in names:
            if b != src:
                out += ['%package -n ' + b, 'Summary: synthetic', '%description -n ' + b,
                        'synthetic', '']
        for b in names:
            out.append('%files' + ('' if b == src else ' -n ' + b))
        with open(os.path.join(outdir, '%03d-%s.spec' % (n, src)), 'w') as f:
            f.write('\n'.join(out) + '\n')
    print('%d specs, %d binary packages' % (len(specs), sum(len(x[3]) for x in specs)))
    return 0


def cmd_rpm_oval_sbom(sbom, oval_path, report):
    """Expected findings of an oval-sbom SBOM by the OVAL file."""
    with open(sbom) as f:
        comps = json.load(f)['components']
    pkgs = []
    major = None
    for c in comps:
        q = dict(x.split('=', 1) for x in c['purl'].split('?', 1)[1].split('&'))
        major = q['distro'].split('-', 1)[1].split('.')[0]
        props = {p['name']: p['value'] for p in c.get('properties', [])}
        e = q.get('epoch', '0')
        v, r = c['version'].rsplit('-', 1)
        pkgs.append((c['name'], rpm_epoch_evr(e, v, r), q['arch'],
                     props.get('aquasecurity:trivy:SrcName', c['name'])))
    exp = oval_expected(oval_path, major, pkgs)
    return compare('rpm oval sbom (rhel %s)' % major, exp, report, OVAL_KEYS)


def main(argv):
    cmd = argv[1]
    if cmd == 'apk-vectors':
        bad = apkver.check_vectors(argv[2])
        if bad:
            print('apk comparison disagrees with the vectors:\n' + '\n'.join(bad))
            return 1
        print('apk comparison: all vectors agree')
        return 0
    if cmd == 'alpine':
        return cmd_alpine(*argv[2:5])
    if cmd == 'deb':
        return cmd_deb(argv[2:])
    if cmd == 'deb-status':
        return cmd_deb_status(*argv[2:5])
    if cmd == 'rpm-sbom':
        return cmd_rpm_sbom(*argv[2:])
    if cmd == 'rpm-rebuilds':
        return cmd_rpm_rebuilds(*argv[2:])
    if cmd == 'rpm-oval':
        return cmd_rpm_oval(*argv[2:5])
    if cmd == 'oval-sbom':
        return cmd_oval_sbom(*argv[2:4])
    if cmd == 'oval-specs':
        return cmd_oval_specs(*argv[2:4])
    if cmd == 'rpm-oval-sbom':
        return cmd_rpm_oval_sbom(*argv[2:5])
    if cmd == 'osv-status':
        return cmd_osv_status(argv[2], argv[3])
    if cmd == 'deb-tracker-synthetic':
        return cmd_deb_tracker_synthetic(argv[3], argv[4])
    raise SystemExit('unknown command ' + cmd)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
