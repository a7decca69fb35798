"""The filter loop: for each value k, the rows where ff == k.

Before, with Polars over the whole directory in a loop (memory creeps with
every iteration):

    for k in values:
        df = pl.scan_parquet(f"{d}/*.parquet").filter(pl.col("ff") == k).collect()

With pqfoot: the footers are decoded once into one compact Dataset, each
iteration reads row groups through slices and hands them to Polars.

Row-group pruning (`ds.prune("ff == k")`, the pruning issue's grammar) is not
merged yet: until it is, every row group is a candidate. When Dataset gains
prune(), this loop uses it and reads only the row groups whose statistics
admit ff == k.

Run: `python filter_loop.py [DIR]` (no argument: a generated directory).
"""
import os
import sys
import tempfile

import pqfoot


def candidates(ds, k):
    if hasattr(ds, "prune"):  # the pruning issue
        return ds.prune(f"ff == {k}")
    return range(len(ds))


def filter_loop(ds, values):
    import polars as pl
    for k in values:
        idx = list(candidates(ds, k))
        if not idx:
            yield k, pl.DataFrame()
            continue
        df = pl.from_arrow(ds.read_row_groups(idx)).filter(pl.col("ff") == k)
        yield k, df


def make_demo_dir(d, files=4, groups=10, rows=100):
    """ff sorted across row groups, so pruning would keep one group per value."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    rng = np.random.default_rng(0)
    v = 0
    for k in range(files):
        ff = np.repeat(np.arange(v, v + groups), rows)
        v += groups
        t = pa.table({"ff": ff, "x": rng.random(len(ff)), "y": rng.random(len(ff))})
        pq.write_table(t, os.path.join(d, f"part-{k}.parquet"), row_group_size=rows)
    return v


def main():
    tmp = None
    if len(sys.argv) > 1:
        d, n = sys.argv[1], 10
    else:
        tmp = tempfile.TemporaryDirectory()
        d = tmp.name
        n = make_demo_dir(d)
    ds = pqfoot.Dataset.open(d)
    for k, df in filter_loop(ds, range(0, n, max(1, n // 8))):
        print(f"ff == {k}: {df.height} rows")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
