#!/usr/bin/env python3
"""Cross-check `pqfoot prune` against DuckDB's reader: pqfoot must never leave
out a row group in which DuckDB reads a matching row.

    build/venv/bin/python tests/data/prune/crosscheck.py [build/pqfoot] [ROUNDS]

Checks the predicates of gen.py (and parquet-testing's, when present), then
ROUNDS random predicates over types.parquet, with and without bloom filters.
Prints how many row groups were pruned; exits 1 on the first unsound answer.
"""
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

PQFOOT = sys.argv[1] if len(sys.argv) > 1 else "build/pqfoot"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 300

LITS = {
    "ff": ["0", "3", "30", "31", "51.5", "-1", "117", "1e30"],
    "u": ["0", "7", "18446744073709551595", "9223372036854775808", "18446744073709551615"],
    "dec": ["8.75", "8.751", "-20", "0", "25.5"],
    "d": ["0", "-0.0", "-8", "3.5", "0.1"],
    "f": ["0.25", "9.5", "0.1", "2"],
    "s": ["'k005'", "'k030'", "''", "'l'"],
    "dt": ["DATE '2024-01-04'", "'2024-03-01'"],
    "i8": ["-100", "10", "0"],
}


def rand_expr(rng, depth=0):
    k = rng.randrange(6 if depth < 3 else 3)
    col = rng.choice(sorted(LITS))
    if k == 0:
        return "%s %s %s" % (col, rng.choice(["=", "!=", "<", "<=", ">", ">="]), rng.choice(LITS[col]))
    if k == 1:
        return "%s IN (%s)" % (col, ", ".join(rng.sample(LITS[col], min(2, len(LITS[col])))))
    if k == 2:
        return "%s IS %sNULL" % (col, rng.choice(["", "NOT "]))
    if k == 5:
        return "NOT (%s)" % rand_expr(rng, depth + 1)
    return "(%s) %s (%s)" % (rand_expr(rng, depth + 1), "AND" if k == 3 else "OR", rand_expr(rng, depth + 1))


def check(path, expr, stats):
    hits, n = gen.row_groups_matching(path, expr)
    for flags in ([], ["--no-bloom"]):
        out = subprocess.run([PQFOOT, "prune", "--json", "--where", expr] + flags + [path], capture_output=True,
                             text=True)
        if out.returncode != 0:
            sys.exit("pqfoot failed on %s: %s\n%s" % (path, expr, out.stderr))
        res = json.loads(out.stdout)
        keep = set(res["row_groups"])
        missing = [h for h in hits if h not in keep]
        if missing:
            sys.exit("UNSOUND: %s %s%s: pruned %s but DuckDB reads matches there" % (path, expr, flags, missing))
        stats[0] += n
        stats[1] += n - len(keep)


def main():
    stats = [0, 0]
    here = gen.HERE
    for f, exprs in gen.PREDICATES.items():
        for e in exprs:
            check(os.path.join(here, f), e, stats)
    for f, exprs in gen.PT_PREDICATES.items():
        p = os.path.join(gen.PT, f)
        if os.path.exists(p):
            for e in exprs:
                try:
                    check(p, e, stats)
                except Exception as ex:  # DuckDB cannot read it: said, not hidden
                    print("skip %s %s: %s" % (f, e, ex), file=sys.stderr)
    rng = random.Random(18)
    for _ in range(ROUNDS):
        check(os.path.join(here, "types.parquet"), rand_expr(rng), stats)
    print("crosscheck: sound; %d of %d row group answers pruned" % (stats[1], stats[0]))


if __name__ == "__main__":
    main()
