"""The pqfoot.Error hierarchy and the fields every error carries."""
import os

import pytest

import pqfoot


def test_hierarchy():
    for cls in (pqfoot.ReadError, pqfoot.NotParquetError, pqfoot.CorruptFooterError,
                pqfoot.TruncatedError, pqfoot.MalformedError, pqfoot.DepthError,
                pqfoot.MissingFieldError, pqfoot.LimitError, pqfoot.EncryptedError,
                pqfoot.OutOfMemoryError, pqfoot.InvalidArgumentError, pqfoot.NoColumnError,
                pqfoot.NotSupportedError):
        assert issubclass(cls, pqfoot.Error)
    assert issubclass(pqfoot.ReadError, OSError)
    assert issubclass(pqfoot.TruncatedError, pqfoot.CorruptFooterError)
    assert issubclass(pqfoot.NoColumnError, LookupError)
    assert issubclass(pqfoot.NotSupportedError, NotImplementedError)


def test_missing_file(tmp_path):
    p = str(tmp_path / "absent.parquet")
    with pytest.raises(pqfoot.ReadError) as ei:
        pqfoot.Footer(p)
    e = ei.value
    assert e.code == 1 and e.code_name == "PQF_ERR_IO"
    assert e.file == p and p in str(e)


def test_not_parquet(tmp_path):
    p = tmp_path / "text.parquet"
    p.write_bytes(b"hello, this is not parquet at all")
    with pytest.raises(pqfoot.NotParquetError) as ei:
        pqfoot.Footer(str(p))
    assert ei.value.code_name == "PQF_ERR_NOT_PARQUET" and ei.value.file == str(p)


def _rewrite_footer(src, dst, mutate):
    data = bytearray(open(src, "rb").read())
    n = int.from_bytes(data[-8:-4], "little")
    footer = bytearray(data[-8 - n:-8])
    mutate(footer)
    out = data[:-8 - n] + footer + len(footer).to_bytes(4, "little") + b"PAR1"
    open(dst, "wb").write(out)


def test_malformed_footer_carries_offset_and_path(user_file, tmp_path):
    dst = str(tmp_path / "bad.parquet")

    def corrupt(footer):
        # Cut the footer in the middle of the row groups: decoding runs out of bytes there.
        del footer[len(footer) // 2:]

    _rewrite_footer(user_file, dst, corrupt)
    with pytest.raises(pqfoot.CorruptFooterError) as ei:
        pqfoot.Footer(dst)
    e = ei.value
    assert e.file == dst
    assert 0 < e.offset <= os.path.getsize(dst)
    assert e.path and e.path.startswith("row_groups[")
    assert f"byte {e.offset}" in str(e)


def test_truncated_file(user_file, tmp_path):
    dst = tmp_path / "cut.parquet"
    data = open(user_file, "rb").read()
    n = int.from_bytes(data[-8:-4], "little")
    # Keep the trailer but claim a footer longer than the file.
    dst.write_bytes(data[:10] + (len(data) * 2).to_bytes(4, "little") + b"PAR1")
    with pytest.raises(pqfoot.Error) as ei:
        pqfoot.Footer(str(dst))
    assert ei.value.code_name in ("PQF_ERR_NOT_PARQUET", "PQF_ERR_TRUNCATED")
    assert n > 0


def test_no_column(user_file):
    with pytest.raises(pqfoot.NoColumnError) as ei:
        pqfoot.Footer(user_file, columns=["no_such_column"])
    assert ei.value.code_name == "PQF_ERR_NO_COLUMN"
    with pytest.raises(pqfoot.NoColumnError):
        pqfoot.Footer(user_file).chunk(0, "nope")


def test_bad_arguments(user_file):
    f = pqfoot.Footer(user_file)
    with pytest.raises(IndexError):
        f.row_group(10_000)
    with pytest.raises(IndexError):
        f.chunk(0, 150)
    with pytest.raises(TypeError):
        pqfoot.Footer(user_file, columns=[1.5])
    with pytest.raises(ValueError):
        pqfoot.Footer(user_file, columns=[])


def test_stats_columns_must_exist(user_file, user_dir):
    # stats= names columns whose statistics are kept (test_prune.py covers their use).
    with pytest.raises(pqfoot.NoColumnError):
        pqfoot.Footer(user_file, stats=["no_such_column"])
    with pytest.raises(pqfoot.Error):
        pqfoot.Dataset.open(user_dir, stats=["no_such_column"])
    assert pqfoot.Footer(user_file, stats=None).stats_columns == []
    assert pqfoot.Footer(user_file, stats=["feature_1"]).stats_columns == ["feature_1"]

def test_dataset_error_names_the_file(user_dir, tmp_path):
    import shutil
    d = tmp_path / "mixed"
    shutil.copytree(user_dir, d)
    bad = d / "zz-bad.parquet"
    bad.write_bytes(b"PAR1 garbage without a footer")
    with pytest.raises(pqfoot.NotParquetError) as ei:
        pqfoot.Dataset.open(str(d))
    assert ei.value.file == str(bad)
    ds = pqfoot.Dataset.open(str(d), skip_errors=True)
    assert ds.num_files == 3
    [(path, code, msg)] = ds.failures
    assert path == str(bad) and code == "PQF_ERR_NOT_PARQUET" and msg


def test_load_rejects_garbage(tmp_path):
    p = tmp_path / "x.pqfi"
    p.write_bytes(b"\0" * 100)
    with pytest.raises(pqfoot.Error) as ei:
        pqfoot.Dataset.load(str(p))
    assert ei.value.file == str(p)


def test_pyarrow_missing_is_a_clear_error(monkeypatch):
    import sys
    from pqfoot import _arrow
    monkeypatch.setattr(_arrow, "_modules", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        _arrow.arrow()
