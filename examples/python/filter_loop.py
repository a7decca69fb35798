"""The filter loop: for each value k, the rows where ff == k.

Before, with Polars over the whole directory in a loop (memory creeps with
every iteration):

    for k in values:
        df = pl.scan_parquet(f"{d}/*.parquet").filter(pl.col("ff") == k).collect()

With pqfoot: the footers are decoded once into one compact Dataset that keeps
the statistics of ff alone (stats=["ff"]); each iteration asks it which row
groups may hold ff == k (`ds.prune`, the `pqfoot prune` grammar), reads only
those through slices (`read_row_groups`) and hands them to Polars. Nothing
grows between iterations: the Dataset is the only thing kept.

Run: `python filter_loop.py [DIR [COLUMN]]` (no argument: a generated directory).
"""
import os
import sys
import tempfile

import pqfoot


def filter_loop(ds, values, column="ff"):
    """Yield (k, rows where column == k, row groups read) for each k."""
    import polars as pl
    for k in values:
        idx = ds.prune(f"{column} = {k}")
        if not idx:
            yield k, pl.DataFrame(), 0
            continue
        df = pl.from_arrow(ds.read_row_groups(idx)).filter(pl.col(column) == k)
        yield k, df, len(idx)


def make_demo_dir(d, files=4, groups=10, rows=100):
    """ff sorted across row groups, so pruning keeps one group per value."""
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
    column = sys.argv[2] if len(sys.argv) > 2 else "ff"
    if len(sys.argv) > 1:
        d, n = sys.argv[1], 10
    else:
        tmp = tempfile.TemporaryDirectory()
        d = tmp.name
        n = make_demo_dir(d)
    ds = pqfoot.Dataset.open(d, stats=[column])
    for k, df, read in filter_loop(ds, range(0, n, max(1, n // 8)), column):
        print(f"{column} == {k}: {df.height} rows from {read} of {len(ds)} row groups")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
