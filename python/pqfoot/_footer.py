"""pqfoot.Footer: the C type plus reading through pyarrow and pickling."""
from . import _arrow, _pqfoot


class Footer(_pqfoot.Footer):
    __doc__ = _pqfoot.Footer.__doc__
    __slots__ = ("_columns_arg", "_stats_arg", "_keep_kv")

    def __init__(self, path, columns=None, stats=None, *, keep_kv=True):
        super().__init__(path, columns, stats, keep_kv=keep_kv)
        self._columns_arg = columns
        self._stats_arg = stats
        self._keep_kv = keep_kv

    def read_row_group(self, i, columns=None):
        """Row group i of this file as a pyarrow.Table (columns: names as pyarrow takes them).

        Equal to pq.ParquetFile(path).read_row_group(i, columns=columns), without
        pyarrow decoding the whole footer.
        """
        return _arrow.read_slice(self.path, self.slice(i), columns)

    def __reduce__(self):
        # A footer is cheap to decode again; pickling carries how it was opened.
        return (_rebuild, (self.path, self._columns_arg, self._keep_kv, self._stats_arg))


def _rebuild(path, columns, keep_kv, stats=None):
    return Footer(path, columns, stats, keep_kv=keep_kv)
