"""Reading through slices equals pyarrow's own read of the same row group."""
import math
import os

import pytest

import pqfoot
from conftest import parquet_testing_files

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

needs_slice = pytest.mark.skipif(not pqfoot.HAVE_SLICE,
                                 reason="libpqfoot built without pqf_footer_slice (slice issue)")


def pyarrow_read(path, i, columns=None):
    return pq.ParquetFile(path).read_row_group(i, columns=columns)


def _same(a, b):
    """Values equal, with NaN equal to NaN (Table.equals says NaN != NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def assert_same(got, want):
    assert got.schema.equals(want.schema), (got.schema, want.schema)
    if not got.equals(want):
        assert got.num_rows == want.num_rows
        for name in want.column_names:
            assert _same(got[name].to_pylist(), want[name].to_pylist()), name


@needs_slice
def test_slice_is_a_metadata_only_file(user_file):
    f = pqfoot.Footer(user_file)
    s = f.slice([3, 1])
    assert s[:4] == b"PAR1" and s[-4:] == b"PAR1"
    md = pq.read_metadata(pa.BufferReader(s))
    assert md.num_row_groups == 2 and md.num_rows == 2
    assert md.num_columns == 150
    full = pq.read_metadata(user_file)
    assert md.row_group(0).column(5).data_page_offset == full.row_group(3).column(5).data_page_offset
    assert md.row_group(1).column(5).data_page_offset == full.row_group(1).column(5).data_page_offset
    # A slice is a small fraction of the footer.
    assert len(s) < full.serialized_size / 2


@needs_slice
def test_slice_columns(nested_file):
    f = pqfoot.Footer(nested_file)
    md = pq.read_metadata(pa.BufferReader(f.slice(0, columns=["point", "id"], kv=False)))
    assert [md.schema.column(i).path for i in range(md.num_columns)] == \
        ["id", "point.x", "point.y.list.element"]


@needs_slice
def test_user_files_every_row_group(user_dir):
    ds = pqfoot.Dataset.open(user_dir)
    for i in range(len(ds)):
        path, rg = ds.locate(i)
        assert_same(ds.read_row_group(i), pyarrow_read(path, rg))


@needs_slice
def test_nested_every_row_group(nested_file):
    ds = pqfoot.Dataset.open(nested_file)
    f = pqfoot.Footer(nested_file)
    for i in range(len(ds)):
        want = pyarrow_read(nested_file, i)
        assert_same(ds.read_row_group(i), want)
        assert_same(f.read_row_group(i), want)


@needs_slice
@pytest.mark.parametrize("columns", [["id"], ["point"], ["attrs", "tags"], ["point.x", "when"],
                                     ["cat", "price", "span"]])
def test_projections(nested_file, columns):
    ds = pqfoot.Dataset.open(nested_file)
    for i in range(len(ds)):
        assert_same(ds.read_row_group(i, columns=columns), pyarrow_read(nested_file, i, columns))


@needs_slice
def test_projected_dataset(user_dir):
    cols = ["feature_4", "feature_140"]
    ds = pqfoot.Dataset.open(user_dir, columns=cols)
    for i in (0, 7, len(ds) - 1):
        path, rg = ds.locate(i)
        assert_same(ds.read_row_group(i), pyarrow_read(path, rg, cols))
        assert_same(ds.read_row_group(i, columns=["feature_140"]),
                    pyarrow_read(path, rg, ["feature_140"]))


@needs_slice
def test_read_row_groups(user_dir):
    ds = pqfoot.Dataset.open(user_dir)
    idx = [20, 3, 3, 0]
    got = ds.read_row_groups(idx, columns=["feature_1"])
    want = pa.concat_tables([pyarrow_read(*ds.locate(i), ["feature_1"]) for i in idx])
    assert_same(got, want)


@needs_slice
def test_loaded_and_pickled_datasets_read(user_dir, tmp_path):
    import pickle
    ds = pqfoot.Dataset.open(user_dir)
    ds.save(str(tmp_path / "d.pqfi"))
    for other in (pqfoot.Dataset.load(str(tmp_path / "d.pqfi")), pickle.loads(pickle.dumps(ds))):
        assert_same(other.read_row_group(17), ds.read_row_group(17))


def _pyarrow_can_open(path):
    try:
        pq.ParquetFile(path)
        return True
    except Exception:
        return False


def _uncompressed_bytes(f):
    return sum(f.chunk(rg, c)["total_uncompressed_size"] or 0
               for rg in range(f.num_row_groups) for c in range(f.num_columns))


@needs_slice
@pytest.mark.parametrize("path", parquet_testing_files() or [None],
                         ids=lambda p: os.path.basename(p) if p else "absent")
def test_parquet_testing_files(path):
    if path is None:
        pytest.skip("parquet-testing not found (../shared/parquet-testing or $PQF_TESTING)")
    if not _pyarrow_can_open(path):
        pytest.skip("pyarrow itself cannot open this file")
    f = pqfoot.Footer(path)
    if _uncompressed_bytes(f) > 64 << 20:
        pytest.skip("decompresses to more than 64 MB: too slow for this suite")
    for rg in range(f.num_row_groups):
        try:
            want = pyarrow_read(path, rg)
        except Exception as e:  # e.g. deliberately corrupt pages
            pytest.skip(f"pyarrow itself cannot read row group {rg}: {e}")
        assert_same(f.read_row_group(rg), want)


@needs_slice
def test_slice_without_pyarrow_footer_decode(user_file, monkeypatch):
    """read_row_group never hands pyarrow the file's own footer."""
    calls = []
    real = pq.read_metadata

    def spy(where, *a, **kw):
        calls.append(where)
        return real(where, *a, **kw)

    monkeypatch.setattr(pq, "read_metadata", spy)
    pqfoot.Footer(user_file).read_row_group(2)
    assert calls and all(isinstance(c, pa.BufferReader) for c in calls)
