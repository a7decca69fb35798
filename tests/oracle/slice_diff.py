#!/usr/bin/env python3
"""oracle-slice-diff: `pqfoot slice` and `pqfoot slim` checked by the Apache Thrift C++ oracle.

Slices: for every file and a few row-group/column choices (all; reversed subsets with random
projections), `pqfoot slice` writes a metadata-only file; the oracle (required fields enforced)
decodes it and its JSON (--page-index --bloom [--kv]) must equal the original's JSON cut the way
docs/slice.md says: chosen row groups in the order asked, chosen chunks in leaf order, the schema
cut to the chosen leaves and their ancestors with num_children recounted, num_rows summed.

Statistics: `pqfoot slice --stats` runs (a random projection, a repeated row group) are decoded
by the oracle as above, and in addition the ColumnMetaData statistics (field 12, Statistics fields
1-8) and bloom filter location (14, 15) of every chunk of the slice must equal the original
chunk's, compared as JSON trees read from the raw footers (the original's through `pqf-oracle
footer`) by the small generic compact-protocol reader below, which shares no code with pqfoot.
Slices without --stats must hold no statistics at all.

Slim: `pqfoot slim` output must have the same bytes before the footer, decode in the oracle to
the same JSON (every flag set) and hold no statistics, encoding_stats or size_statistics; with
--drop-kv no key_value_metadata either.

Files: *.parquet under $PQF_TESTING (printed skip when absent), tests/data/*.parquet and files
generated with the oracle into $OUT (S1..S6, nested, dict, pageindex, kv, logical, random seeds).
Files the oracle or pqfoot reject, and encrypted ones, are skipped with a message.
Ends with "N passed, N failed"; exit status 1 on any failure.
"""
import json
import os
import random
import subprocess
import sys

sys.setrecursionlimit(100000)

ORACLE = os.environ.get("ORACLE", "build/pqf-oracle")
PQFOOT = os.environ.get("PQFOOT", "build/pqfoot")
OUT = os.environ.get("OUT", "build/oracle/slice")
PQF_TESTING = os.environ.get("PQF_TESTING", "../shared/parquet-testing")
RANDOM_COUNT = int(os.environ.get("RANDOM_COUNT", "30"))
SHAPES = os.environ.get("SHAPES", "S1 S2 S3 S4 S5 S6 nested dict pageindex kv logical").split()

passed = failed = skipped = 0


def run(args, check=False):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {p.stderr.decode(errors='replace')}")
    return p


def oracle_json(path, flags):
    p = run([ORACLE, "json", *flags, path])
    line = p.stdout.decode("utf-8", errors="surrogateescape").strip()
    obj = json.loads(line) if line else {"error": "no output"}
    obj.pop("file", None)
    return p.returncode, obj


def leaves_of(schema):
    """Leaf element indexes (file order) and each element's parent: elements
    with children are groups, the rest leaves (as pqfoot counts them)."""
    parent = [-1] * len(schema)
    leaves = []
    pos = 1

    def walk(p, n):
        nonlocal pos
        for _ in range(n):
            if pos >= len(schema):
                return
            me = pos
            parent[me] = p
            pos += 1
            nc = schema[me].get("num_children")
            if nc:
                walk(me, nc)
            else:
                leaves.append(me)

    if schema:
        walk(0, schema[0].get("num_children") or 0)
    return leaves, parent


def expected_slice(orig, rgs, cols, kv):
    schema = orig["schema"]
    leaves, parent = leaves_of(schema)
    keep = [False] * len(schema)
    kids = [0] * len(schema)
    keep[0] = True
    for c in sorted(set(cols)):
        e = leaves[c]
        while e > 0 and not keep[e]:
            keep[e] = True
            kids[parent[e]] += 1
            e = parent[e]
    out_schema = []
    for i, e in enumerate(schema):
        if keep[i]:
            e = dict(e)
            if e.get("num_children") is not None:
                e["num_children"] = kids[i]
            out_schema.append(e)
    chosen = sorted(set(cols))
    row_groups = []
    for r in rgs:
        g = dict(orig["row_groups"][r])
        g["columns"] = [g["columns"][c] for c in chosen]
        row_groups.append(g)
    exp = {"version": orig["version"], "num_rows": sum(orig["row_groups"][r]["num_rows"] for r in rgs),
           "created_by": orig["created_by"]}
    if kv:
        exp["key_value_metadata"] = orig.get("key_value_metadata")
    exp["schema"] = out_schema
    exp["row_groups"] = row_groups
    return exp


class Compact:
    """A generic Thrift compact-protocol reader: a struct becomes {field id: (type, value)}
    (booleans typed 1), lists become lists, binaries hex strings. Knows no Parquet type, so
    it checks pqfoot from the outside."""

    def __init__(self, b):
        self.b, self.i = b, 0

    def byte(self):
        v = self.b[self.i]
        self.i += 1
        return v

    def varint(self):
        v = shift = 0
        while True:
            c = self.byte()
            v |= (c & 0x7F) << shift
            shift += 7
            if not c & 0x80:
                return v

    def zigzag(self):
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def value(self, t):
        if t in (1, 2):
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            self.i += 8
            return self.b[self.i - 8:self.i].hex()
        if t == 8:
            n = self.varint()
            self.i += n
            return self.b[self.i - n:self.i].hex()
        if t in (9, 10):
            h = self.byte()
            n, et = h >> 4, h & 15
            if n == 15:
                n = self.varint()
            return [self.byte() == 1 if et in (1, 2) else self.value(et) for _ in range(n)]
        if t == 11:
            n = self.varint()
            kv = self.byte() if n else 0
            return [(self.value(kv >> 4), self.value(kv & 15)) for _ in range(n)]
        if t == 12:
            return self.struct()
        raise ValueError(f"compact type {t} at {self.i}")

    def struct(self):
        out, fid = {}, 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            t, d = h & 15, h >> 4
            fid = fid + d if d else self.zigzag()
            out[fid] = (1 if t == 2 else t, self.value(t))


# Statistics fields by id and the compact type the IDL gives them (1 binary max, 2 min,
# 3 i64 null_count, 4 distinct_count, 5 max_value, 6 min_value, 7/8 bool exactness).
# A field of another type is skipped, as Thrift's generated readers do.
STATS_TYPES = {1: 8, 2: 8, 3: 6, 4: 6, 5: 8, 6: 8, 7: 1, 8: 1}


def typed(st, fid, t):
    """Value of field fid of decoded struct st if it has the IDL's type t, else None."""
    v = st.get(fid)
    return v[1] if v and v[0] == t else None


def chunk_stats(footer):
    """Per row group, per chunk: {"statistics": fields 1-8 or None, "bloom": [14, 15]}."""
    md = Compact(footer).struct()
    out = []
    for g in typed(md, 4, 9) or []:
        row = []
        for c in typed(g, 1, 9) or []:
            m = typed(c, 3, 12) or {}
            st = typed(m, 12, 12)
            row.append({"statistics": None if st is None else
                        {k: v[1] for k, v in st.items() if STATS_TYPES.get(k) == v[0]},
                        "bloom": [typed(m, 14, 6), typed(m, 15, 5)]})
        out.append(row)
    return out


def slice_footer(path):
    with open(path, "rb") as fh:
        b = fh.read()
    n = int.from_bytes(b[-8:-4], "little")
    return b[len(b) - 8 - n:len(b) - 8]


def stats_problems(path, out, rgs, cols, ncols, stats, cache):
    """Differences between the slice's statistics and the original chunks' ones."""
    got = chunk_stats(slice_footer(out))
    if not stats:
        n = sum(1 for g in got for c in g if c["statistics"] is not None)
        return [f"{n} chunks carry statistics without --stats"] if n else []
    if path not in cache:
        cache.clear()
        cache[path] = chunk_stats(run([ORACLE, "footer", path], check=True).stdout)
    orig = cache[path]
    chosen = sorted(set(cols)) if cols else list(range(ncols))
    problems = []
    for r, g in zip(rgs, got):
        exp = [orig[r][c] for c in chosen]
        if g != exp:
            problems.append(f"row group {r}: statistics\n    got {json.dumps(g)[:400]}\n    exp {json.dumps(exp)[:400]}")
    return problems


def fmt_list(xs):
    return ",".join(str(x) for x in xs)


STATS_CACHE = {}


def check_slice(path, tag, orig, rgs, cols, kv, stats=False):
    global passed, failed
    out = os.path.join(OUT, "s.parquet")
    args = [PQFOOT, "slice", path, "--row-groups", fmt_list(rgs), "-o", out]
    if cols is not None:
        args += ["--columns", fmt_list(cols)]
    if kv:
        args.append("--kv")
    if stats:
        args.append("--stats")
    p = run(args)
    if p.returncode != 0:
        failed += 1
        print(f"FAIL {path} [{tag}]: pqfoot slice: {p.stderr.decode(errors='replace').strip()}")
        return
    flags = ["--page-index", "--bloom"] + (["--kv"] if kv else [])
    rc, got = oracle_json(out, flags)
    ncols = len(leaves_of(orig["schema"])[0])
    if cols is not None and not cols:
        cols = None
    exp = expected_slice(orig, rgs, cols if cols is not None else list(range(ncols)), kv)
    if rc == 0:  # column_orders: one per chosen leaf when the file has one per leaf
        po = json.loads(run([ORACLE, "presence", path]).stdout.decode() or "{}").get("column_orders", -1)
        ps = json.loads(run([ORACLE, "presence", out]).stdout.decode() or "{}").get("column_orders", -1)
        nchosen = len(set(cols)) if cols is not None else ncols
        want = nchosen if po == ncols and nchosen else -1
        if ps != want:
            got = dict(got, column_orders=ps)
            exp = dict(exp, column_orders=want)
    sp = stats_problems(path, out, rgs, cols, ncols, stats, STATS_CACHE) if rc == 0 else []
    if rc != 0 or got != exp or sp:
        failed += 1
        print(f"FAIL {path} [{tag}] rgs={fmt_list(rgs)[:60]} cols={fmt_list(cols or [])[:60]}")
        if rc != 0:
            print(f"  oracle: {got.get('error')}")
        else:
            for k in exp:
                if got.get(k) != exp[k]:
                    print(f"  key {k} differs:\n    got {json.dumps(got.get(k))[:400]}\n    exp {json.dumps(exp[k])[:400]}")
            for p in sp[:3]:
                print(f"  {p}")
        return
    passed += 1


def check_slim(path):
    global passed, failed
    out = os.path.join(OUT, "slim.parquet")
    for extra in ([], ["--drop-kv"]):
        p = run([PQFOOT, "slim", path, "-o", out, *extra])
        if p.returncode != 0:
            failed += 1
            print(f"FAIL {path} [slim {' '.join(extra)}]: {p.stderr.decode(errors='replace').strip()}")
            continue
        problems = []
        with open(path, "rb") as a, open(out, "rb") as b:
            ia, ib = a.read(), b.read()
        la = int.from_bytes(ia[-8:-4], "little")
        lb = int.from_bytes(ib[-8:-4], "little")
        if ia[: len(ia) - la - 8] != ib[: len(ib) - lb - 8]:
            problems.append("bytes before the footer differ")
        for flags in ([], ["--page-index", "--bloom"], ["--kv"]):
            _, o1 = oracle_json(path, flags)
            rc, o2 = oracle_json(out, flags)
            if extra and "key_value_metadata" in o1:
                o1["key_value_metadata"] = []
                if o2.get("key_value_metadata") is None:
                    o2["key_value_metadata"] = []
            if rc != 0 or o1 != o2:
                problems.append(f"oracle JSON differs with flags {flags}")
        pr = json.loads(run([ORACLE, "presence", out]).stdout.decode() or "{}")
        if pr.get("statistics") or pr.get("encoding_stats") or pr.get("size_statistics"):
            problems.append(f"statistics left: {pr}")
        if extra and pr.get("kv", -1) != -1:
            problems.append("key_value_metadata left with --drop-kv")
        if problems:
            failed += 1
            print(f"FAIL {path} [slim {' '.join(extra)}]: " + "; ".join(problems))
        else:
            passed += 1


def main():
    global skipped
    for tool in (ORACLE, PQFOOT):
        if not os.access(tool, os.X_OK):
            print(f"oracle-slice-diff: {tool} is not built")
            return 2
    os.makedirs(os.path.join(OUT, "gen"), exist_ok=True)
    files = []
    if os.path.isdir(PQF_TESTING):
        found = []
        for root, _, names in os.walk(PQF_TESTING):
            found += [os.path.join(root, n) for n in names if n.endswith(".parquet")]
        files += sorted(found)
        print(f"oracle-slice-diff: {len(found)} files from {PQF_TESTING}")
    else:
        print(f"oracle-slice-diff: {PQF_TESTING} absent: skipping the parquet-testing corpus")
    files += sorted(os.path.join("tests/data", n) for n in os.listdir("tests/data") if n.endswith(".parquet"))
    for s in SHAPES:
        f = os.path.join(OUT, "gen", f"{s}.parquet")
        if not os.path.exists(f):
            run([ORACLE, "gen", s, f], check=True)
        files.append(f)
    for seed in range(1, RANDOM_COUNT + 1):
        f = os.path.join(OUT, "gen", f"random-{seed}.parquet")
        if not os.path.exists(f):
            run([ORACLE, "gen", "random", f, "--seed", str(seed)], check=True)
        files.append(f)
    rnd = random.Random(16)
    for path in files:
        with open(path, "rb") as fh:
            fh.seek(-4, 2)
            if fh.read(4) == b"PARE":
                skipped += 1
                continue
        rc, orig = oracle_json(path, ["--page-index", "--bloom", "--kv"])
        if rc != 0 or "error" in orig:
            skipped += 1
            print(f"skip {path}: the oracle rejects it")
            continue
        if run([PQFOOT, "dump", "--json", path]).returncode != 0:
            skipped += 1
            print(f"skip {path}: pqfoot rejects it")
            continue
        nrg = len(orig["row_groups"])
        ncols = len(leaves_of(orig["schema"])[0])
        if any(c.get("type") is None for g in orig["row_groups"] for c in g["columns"]):
            skipped += 1
            print(f"skip {path}: encrypted columns")
            continue
        if nrg:
            check_slice(path, "all", orig, list(range(nrg)), None, False)
            rgs = sorted(rnd.sample(range(nrg), min(nrg, 3)), reverse=True)
            cols = rnd.sample(range(ncols), rnd.randint(1, ncols)) if ncols else []
            if cols:
                check_slice(path, "projection", orig, rgs, cols, True)
                check_slice(path, "stats", orig, rgs, cols, False, stats=True)
            if nrg > 1 and ncols:
                check_slice(path, "repeat", orig, [nrg - 1, 0, nrg - 1], [ncols - 1], False, stats=True)
        check_slim(path)
    print(f"oracle-slice-diff: {skipped} files skipped")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
