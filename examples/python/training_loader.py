"""The motivating training loader, on pqfoot.

Before: a map-style Dataset that cached one pq.ParquetFile per file
(functools.cache) and mapped a global index to (file, row group). Every worker
process ended up holding every file's decoded footer (~130 MB each for 150
columns x 1,000 one-row row groups) and the job ran out of memory:

    @functools.cache
    def parquet_file(path):
        return pq.ParquetFile(path)          # decodes and keeps the whole footer

    def __getitem__(self, i):
        path, rg = self.index[i]
        return parquet_file(path).read_row_group(rg)

After: one pqfoot.Dataset holds every footer compactly (a few percent of its
size), pickles to the DataLoader workers as its index bytes (no re-decoding),
and reads a row group through a metadata-only slice, so pyarrow never decodes
a whole footer.

Runs with or without torch: `python training_loader.py [DIR_OR_INDEX.pqfi]`
(no argument: a small generated dataset in a temporary directory).
"""
import os
import sys
import tempfile

import numpy as np

import pqfoot

try:  # torch is optional: the class is a plain map-style dataset without it
    from torch.utils.data import DataLoader, Dataset as TorchDataset
except ImportError:
    DataLoader = None
    TorchDataset = object


class RowGroupDataset(TorchDataset):
    """Sample i = global row group i of every file, as a float32 feature vector."""

    def __init__(self, where, columns=None):
        if str(where).endswith(".pqfi"):
            self.ds = pqfoot.Dataset.load(where)        # built once by `pqfoot index build`
        else:
            self.ds = pqfoot.Dataset.open(where, columns=columns)
        self.columns = columns

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        table = self.ds.read_row_group(i, columns=self.columns)
        # One row per row group in the motivating files: one sample.
        return np.column_stack([c.to_numpy() for c in table.columns]).astype(np.float32)[0]


def make_demo_dir(d, files=3, rows=50, cols=150):
    """Files written the way the motivating user writes them."""
    import pandas as pd
    rng = np.random.default_rng(0)
    for k in range(files):
        df = pd.DataFrame(rng.random((rows, cols)), columns=[f"feature_{j}" for j in range(cols)])
        df.to_parquet(os.path.join(d, f"part-{k:04d}.parquet"), row_group_size=1,
                      compression="zstd", compression_level=9)


def main():
    tmp = None
    if len(sys.argv) > 1:
        where = sys.argv[1]
    else:
        tmp = tempfile.TemporaryDirectory()
        where = tmp.name
        make_demo_dir(where)
    data = RowGroupDataset(where)
    print(f"{len(data)} samples in {data.ds.num_files} files; "
          f"index holds {data.ds.retained_bytes / 1e6:.2f} MB")
    order = np.random.default_rng(1).permutation(len(data))[:64]
    if DataLoader is not None:
        loader = DataLoader(data, batch_size=16, sampler=order.tolist(), num_workers=2)
        for batch in loader:
            print("batch", tuple(batch.shape))
    else:
        # Without torch: the same map-style access from two worker processes.
        import multiprocessing as mp
        with mp.get_context("spawn").Pool(2) as pool:
            samples = pool.map(_sample, [(data, int(i)) for i in order], chunksize=16)
        print(f"read {len(samples)} samples of {samples[0].shape[0]} features in 2 workers "
              "(torch not installed)")
    if tmp:
        tmp.cleanup()


def _sample(arg):
    data, i = arg
    return data[i]


if __name__ == "__main__":
    main()
