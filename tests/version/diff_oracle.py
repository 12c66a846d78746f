#!/usr/bin/python3
"""Differential test of `drydock version compare` against the real tools.

usage: diff_oracle.py deb|rpm COUNT SEED [--bench] [--dpkg-oracle=PATH]

Generates COUNT version pairs (random, and mutations of the shared
vectors) from a fixed seed, has drydock compare them all in one bulk
stdin run, and compares every answer with the package manager's own:
  deb: dpkg's version code. The helper dpkg-oracle (libdpkg, the library
       /usr/bin/dpkg is built from) answers in bulk; a sample of pairs is
       also run through `dpkg --compare-versions` itself, and must agree.
       Without the helper, every pair goes to `dpkg --compare-versions`.
  rpm: python3-rpm in-process: rpm.ver() splits [epoch:]version[-release]
       and rpm.labelCompare() orders the triples.
A version the tool rejects must be rejected by drydock too ("error").
Exit 0 when all agree; 1 with the first disagreements listed.
With --bench, prints agreement and comparisons per second of each side.

Environment: DRYDOCK (the binary), DRYDOCK_TEST_DATA (vectors);
DPKG_ORACLE or --dpkg-oracle= names the helper (optional).
"""
import concurrent.futures
import os
import random
import subprocess
import sys
import time

DIGITS = "0123456789"
LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def load_vectors(name):
    out = []
    path = os.path.join(os.environ["DRYDOCK_TEST_DATA"], "vectors", name)
    with open(path, "rb") as f:
        for line in f:
            parts = line.rstrip(b"\n").split(b"\t")
            out.extend(p for p in parts[:2] if p)
    return out


def pick(rng, weighted):
    """weighted: list of (weight, string-of-choices)."""
    total = sum(w for w, _ in weighted)
    x = rng.random() * total
    for w, chars in weighted:
        x -= w
        if x <= 0:
            return rng.choice(chars)
    return rng.choice(weighted[-1][1])


class Gen:
    def __init__(self, kind, seed):
        self.kind = kind
        self.rng = random.Random(seed)
        if kind == "deb":
            self.pool = load_vectors("deb.tsv") + [
                v for v in load_vectors("deb-valid.tsv") if v]
            # mostly what dpkg accepts; some warn-only and odd bytes
            self.chars = [(40, DIGITS), (20, LOWER), (4, UPPER),
                          (12, "."), (4, "+"), (5, "~"), (5, "-"),
                          (2, ":"), (1, "_!@=,"), (0.3, "\x80\xe9\xff"),
                          (0.3, " ")]
        else:
            self.pool = load_vectors("rpm.tsv") + load_vectors(
                "rpmvercmp.tsv")
            self.chars = [(40, DIGITS), (20, LOWER), (4, UPPER),
                          (12, "."), (4, "+_"), (5, "~"), (3, "^"),
                          (5, "-"), (2, ":"), (0.5, "%{}"),
                          (0.3, "\x80\xe9\xff")]
        self.pool = [p.decode("latin-1") for p in self.pool]

    def chunk(self):
        r = self.rng
        n = r.choice([1, 1, 1, 2, 2, 3, 4, 8, 12])
        if r.random() < 0.5:
            s = "".join(r.choice(DIGITS) for _ in range(n))
            if r.random() < 0.1:
                s = "0" * r.randint(1, 3) + s
            return s
        return "".join(pick(r, self.chars) for _ in range(n))

    def fresh(self):
        r = self.rng
        s = "".join(self.chunk() for _ in range(r.randint(1, 5)))
        if r.random() < 0.2:
            s = str(r.choice([0, 1, 2, 10, 99])) + ":" + s
        if r.random() < 0.4:
            s = s + "-" + "".join(self.chunk()
                                  for _ in range(r.randint(1, 2)))
        return s

    def mutate(self, s):
        r = self.rng
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            op = r.random()
            i = r.randint(0, len(s))
            if op < 0.25 and s:
                i = min(i, len(s) - 1)
                s = s[:i] + pick(r, self.chars) + s[i + 1:]
            elif op < 0.5:
                s = s[:i] + pick(r, self.chars) + s[i:]
            elif op < 0.65 and s:
                i = min(i, len(s) - 1)
                s = s[:i] + s[i + 1:]
            elif op < 0.8:
                s = s[:i] + self.chunk() + s[i:]
            elif op < 0.9:
                s = s + r.choice(["~", "~rc1", "^", "^git1", "+b1",
                                  ".0", "-1", "a", "0"])
            else:
                # a digit run one up or down, or with leading zeros
                digs = [k for k, c in enumerate(s) if c in DIGITS]
                if digs:
                    k = r.choice(digs)
                    c = s[k]
                    s = s[:k] + r.choice(
                        [str((int(c) + 1) % 10), str(max(int(c) - 1, 0)),
                         "0" + c]) + s[k + 1:]
        return s

    def version(self):
        r = self.rng
        x = r.random()
        if x < 0.35:
            return r.choice(self.pool)
        if x < 0.7:
            return self.mutate(r.choice(self.pool))
        return self.fresh()

    def ok(self, s):
        # no tab or newline (the line format), no leading '-' (dpkg would
        # read an option); rpm: no white space (drydock rejects it)
        if "\t" in s or "\n" in s or s.startswith("-"):
            return False
        if self.kind == "rpm" and (s == "" or " " in s):
            return False
        return s != ""

    def pair(self):
        r = self.rng
        while True:
            a = self.version()
            x = r.random()
            if x < 0.4:
                b = self.mutate(a)
            elif x < 0.5:
                b = a
            else:
                b = self.version()
            if self.ok(a) and self.ok(b):
                return a, b


def run_drydock(kind, pairs):
    data = "".join(a + "\t" + b + "\n" for a, b in pairs).encode("latin-1")
    t0 = time.perf_counter()
    p = subprocess.run([os.environ["DRYDOCK"], "version", "compare",
                        "--type", kind, "--keep-going", "--quiet"],
                       input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    out = p.stdout.decode().splitlines()
    if len(out) != len(pairs):
        sys.exit("drydock printed %d lines for %d pairs (exit %d): %s" %
                 (len(out), len(pairs), p.returncode, p.stderr[:400]))
    return out, dt


SPAWN_RATE = []
DPKG_OPS = {"<": "lt", "=": "eq", ">": "gt"}


def dpkg_binary(a, b, ours):
    """Ask /usr/bin/dpkg whether relation `ours` holds: one process."""
    op = DPKG_OPS.get(ours, "eq")
    rc = subprocess.run(["dpkg", "--compare-versions",
                         a.encode("latin-1"), op, b.encode("latin-1")],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    if rc == 2:
        return "error"
    if ours == "error":
        return "accepted"
    return ours if rc == 0 else "not " + ours


def oracle_deb(pairs, ours, sample):
    helper = os.environ.get("DPKG_ORACLE")
    for a in sys.argv:
        if a.startswith("--dpkg-oracle="):
            helper = a.split("=", 1)[1]
    t0 = time.perf_counter()
    if helper and os.path.exists(helper):
        data = "".join(a + "\t" + b + "\n" for a, b in pairs)
        p = subprocess.run([helper], input=data.encode("latin-1"),
                           stdout=subprocess.PIPE, check=True)
        theirs = p.stdout.decode().splitlines()
        dt = time.perf_counter() - t0
        # the helper must answer as /usr/bin/dpkg does
        idx = random.Random(1).sample(range(len(pairs)),
                                      min(sample, len(pairs)))
        t1 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            got = list(ex.map(lambda i: dpkg_binary(
                pairs[i][0], pairs[i][1], theirs[i]), idx))
        SPAWN_RATE.append(len(idx) / (time.perf_counter() - t1))
        bad = [(i, g) for i, g in zip(idx, got) if g != theirs[i]]
        if bad:
            for i, g in bad[:10]:
                print("dpkg-oracle says %r %s %r, dpkg says %s" %
                      (pairs[i][0], theirs[i], pairs[i][1], g))
            sys.exit(1)
        return theirs, dt, "libdpkg (dpkg-oracle), %d pairs re-checked " \
            "with dpkg --compare-versions" % len(idx)
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda k: dpkg_binary(k[0][0], k[0][1], k[1]),
                          zip(pairs, ours)))
    return got, time.perf_counter() - t0, "dpkg --compare-versions"


def oracle_rpm(pairs):
    import rpm

    def evr(s):
        try:
            v = rpm.ver(s)
        except Exception:
            return None
        return (v.e, v.v, v.r)

    t0 = time.perf_counter()
    out = []
    for a, b in pairs:
        ea, eb = evr(a), evr(b)
        if ea is None or eb is None:
            out.append("error")
            continue
        try:
            r = rpm.labelCompare(ea, eb)
        except ValueError:
            out.append("error")
            continue
        out.append("<" if r < 0 else ">" if r > 0 else "=")
    return out, time.perf_counter() - t0, "python3-rpm rpm.labelCompare"


def main():
    kind, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    bench = "--bench" in sys.argv
    if kind not in ("deb", "rpm"):
        sys.exit("type must be deb or rpm")
    if kind == "rpm":
        # the system python3 carries the rpm module
        try:
            import rpm  # noqa: F401
        except ImportError:
            sys.exit("python3-rpm is missing (scripts/install-deps.sh)")
    gen = Gen(kind, seed)
    pairs = [gen.pair() for _ in range(count)]
    ours, t_ours = run_drydock(kind, pairs)
    if kind == "deb":
        theirs, t_theirs, how = oracle_deb(pairs, ours, 200 if bench else
                                           300)
    else:
        theirs, t_theirs, how = oracle_rpm(pairs)
    bad = [i for i in range(count) if ours[i] != theirs[i]]
    rel = {}
    for o in ours:
        rel[o] = rel.get(o, 0) + 1
    print("%s: %d pairs (seed %d), %d disagree; drydock answered %s; "
          "oracle: %s" % (kind, count, seed, len(bad), rel, how))
    if bench:
        print("drydock: %.3f s, %.0f comparisons/s (one process, stdin)" %
              (t_ours, count / t_ours))
        print("oracle:  %.3f s, %.0f comparisons/s" %
              (t_theirs, count / t_theirs))
        if SPAWN_RATE:
            print("dpkg --compare-versions: %.0f comparisons/s (a process "
                  "each, 4 at a time)" % SPAWN_RATE[0])
    for i in bad[:20]:
        print("  %r vs %r: drydock %s, oracle %s" %
              (pairs[i][0], pairs[i][1], ours[i], theirs[i]))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
