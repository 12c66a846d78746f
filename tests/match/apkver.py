"""apk-tools version ordering, written for the accuracy test (independent
of lib/version). Scope: versions of the grammar

    DIGITS('.'DIGITS)* [a-z]? ('_'SUFFIX DIGITS?)* ('~'HEX)? ('-r'DIGITS)?
    SUFFIX: alpha beta pre rc (before the release) cvs svn git hg p (after)

which covers every version in Alpine's installed databases and secdb
(parse() raises ValueError outside it). Rules (Gentoo-style, as apk-tools
documents them): numeric components compare as integers, except that a
component after the first with a leading zero compares as a decimal
fraction (string order with trailing zeros dropped); with equal common
components the version with more components is higher; a letter is higher
than none; suffixes compare pairwise by kind then number, and a missing
suffix sits between the pre-release kinds and the post-release ones; a
~hash is compared as a string, no hash being lower; then the -rN
revision (missing = 0). The test checks this against
tests/data/vectors/apk.tsv before using it.
"""
import re

_RE = re.compile(r'^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)'
                 r'(?:~([0-9a-f]+))?(?:-r(\d+))?$')
_SUF = {'alpha': -4, 'beta': -3, 'pre': -2, 'rc': -1, 'cvs': 1, 'svn': 2, 'git': 3, 'hg': 4, 'p': 5}


def parse(v):
    m = _RE.match(v)
    if not m:
        raise ValueError('not an apk version: %r' % v)
    nums, letter, sufs, h, rev = m.groups()
    suf = [(_SUF[k], int(n) if n else 0)
           for k, n in re.findall(r'_([a-z]+)(\d*)', sufs)]
    return nums.split('.'), letter, suf, h, int(rev) if rev else 0


def _cmp(a, b):
    return (a > b) - (a < b)


def _cmp_num(i, x, y):
    if i > 0 and (x.startswith('0') or y.startswith('0')):
        return _cmp(x.rstrip('0'), y.rstrip('0'))
    return _cmp(int(x), int(y))


def compare(a, b):
    """-1, 0 or 1 as a is lower than, equal to or higher than b."""
    na, la, sa, ha, ra = parse(a)
    nb, lb, sb, hb, rb = parse(b)
    for i, (x, y) in enumerate(zip(na, nb)):
        c = _cmp_num(i, x, y)
        if c:
            return c
    c = _cmp(len(na), len(nb))
    if c:
        return c
    c = _cmp(la, lb)
    if c:
        return c
    for x, y in zip(sa, sb):
        c = _cmp(x, y)
        if c:
            return c
    if len(sa) != len(sb):
        # the longer one's next suffix against "no suffix" (kind 0)
        extra = sa[len(sb)] if len(sa) > len(sb) else sb[len(sa)]
        sign = 1 if extra[0] > 0 else -1
        return sign if len(sa) > len(sb) else -sign
    c = _cmp(ha or '', hb or '')
    if c:
        return c
    return _cmp(ra, rb)


def check_vectors(path):
    """Check compare() on every line of a vectors file (A TAB B TAB op);
    returns the list of failing lines."""
    bad = []
    want = {'<': -1, '=': 0, '>': 1}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            a, b, op = line.split('\t')[:3]
            got = compare(a, b)
            if got != want[op]:
                bad.append('%d: %s %s %s, got %d' % (n, a, op, b, got))
    return bad


if __name__ == '__main__':
    import sys
    bad = check_vectors(sys.argv[1])
    print('\n'.join(bad))
    sys.exit(1 if bad else 0)
