"""Datasets: addressing, save/load, pickling."""
import os
import pickle

import pytest

import pqfoot

pq = pytest.importorskip("pyarrow.parquet")


def expected_layout(paths):
    out = []
    for p in paths:
        for rg in range(pq.ParquetFile(p).metadata.num_row_groups):
            out.append((p, rg))
    return out


def test_open_dir(user_dir):
    ds = pqfoot.Dataset.open(user_dir)
    files = sorted(os.path.join(user_dir, n) for n in os.listdir(user_dir))
    assert ds.files == files
    assert len(ds) == ds.num_row_groups == 12 + 5 + 9
    assert ds.num_rows == 26
    assert [ds.locate(i) for i in range(len(ds))] == expected_layout(files)
    assert ds.locate(-1) == (files[-1], 8)
    assert ds.locate_row(12) == (files[1], 0, 0)
    assert ds.columns[:2] == ["feature_0", "feature_1"]
    with pytest.raises(IndexError):
        ds.locate(len(ds))


def test_open_list_and_single(user_dir, user_file):
    files = sorted(os.path.join(user_dir, n) for n in os.listdir(user_dir))[::-1]
    ds = pqfoot.Dataset.open(files, threads=2)
    assert ds.files == files
    assert [ds.locate(i) for i in range(len(ds))] == expected_layout(files)
    one = pqfoot.Dataset.open(user_file)
    assert one.files == [user_file] and len(one) == 12


def test_projection(user_dir):
    ds = pqfoot.Dataset.open(user_dir, columns=["feature_1", "feature_2"], keep_kv=False)
    full = pqfoot.Dataset.open(user_dir, keep_kv=False)
    assert ds.columns == ["feature_1", "feature_2"]
    # Fewer chunks kept: less memory. The schema is kept whole either way, and
    # columns with identical layouts share their model entries, so how much less
    # depends on the model's tuning; only the direction is the contract.
    assert ds.retained_bytes < full.retained_bytes
    assert [full.locate(i) for i in range(len(full))] == [ds.locate(i) for i in range(len(ds))]
    # pandas' and Arrow's schema metadata is kept by default, for exact Arrow types.
    assert pqfoot.Dataset.open(user_dir).retained_bytes > full.retained_bytes


def test_save_load(user_dir, tmp_path):
    ds = pqfoot.Dataset.open(user_dir)
    idx = str(tmp_path / "data.pqfi")
    ds.save(idx)
    back = pqfoot.Dataset.load(idx)
    assert isinstance(back, pqfoot.Dataset)
    assert back.files == ds.files
    assert len(back) == len(ds) and back.num_rows == ds.num_rows
    assert [back.locate(i) for i in range(len(ds))] == [ds.locate(i) for i in range(len(ds))]


def test_pickle_by_index_bytes(user_dir):
    ds = pqfoot.Dataset.open(user_dir, columns=["feature_0"])
    blob = pickle.dumps(ds)
    # The index, not the files' footers: far smaller than one footer.
    assert len(blob) < pq.read_metadata(ds.files[0]).serialized_size
    back = pickle.loads(blob)
    assert type(back) is pqfoot.Dataset
    assert back.files == [os.path.abspath(p) for p in ds.files]
    assert len(back) == len(ds) and back.columns == ["feature_0"]
    assert pickle.dumps(ds) == blob  # made once, then reused


def test_pickle_footer(user_file):
    f = pqfoot.Footer(user_file, columns=["feature_9"])
    back = pickle.loads(pickle.dumps(f))
    assert back.projected_columns == ["feature_9"] and back.num_rows == f.num_rows


def test_pickle_into_worker_process(user_dir):
    import multiprocessing as mp
    ds = pqfoot.Dataset.open(user_dir)
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        got = pool.apply(_worker_locate, (ds, 13))
    assert got == ds.locate(13)


def _worker_locate(ds, i):
    return ds.locate(i)
