"""Reading row groups with pyarrow through pqfoot slices.

A slice is a metadata-only Parquet file for the wanted row group(s); its chunk
offsets point into the real file, so pyarrow reads the data pages from the
file while never decoding the file's own footer.
"""
import threading

_lock = threading.Lock()
_modules = None


def arrow():
    """(pyarrow, pyarrow.parquet), imported on first use."""
    global _modules
    if _modules is None:
        with _lock:
            if _modules is None:
                try:
                    import pyarrow
                    import pyarrow.parquet
                except ImportError as e:
                    raise ImportError(
                        "pqfoot needs pyarrow to read row groups (pip install pyarrow); "
                        "footers, datasets and slices work without it") from e
                _modules = (pyarrow, pyarrow.parquet)
    return _modules


def read_slice(path, slice_bytes, columns=None):
    """The rows of a one-row-group slice of the file at path, as a pyarrow.Table."""
    pa, pq = arrow()
    md = pq.read_metadata(pa.BufferReader(slice_bytes))
    pf = pq.ParquetFile(path, metadata=md)
    try:
        return pf.read_row_group(0, columns=columns)
    finally:
        pf.close()


def concat(tables):
    pa, _ = arrow()
    return pa.concat_tables(tables)
