"""pqfoot.Dataset: the C type plus reading through pyarrow and pickling."""
import os
import shutil
import tempfile
import threading

from . import _arrow, _pqfoot


class Dataset(_pqfoot.Dataset):
    __doc__ = _pqfoot.Dataset.__doc__
    # Index bytes for pickling, made once (the dataset never changes).
    __slots__ = ("_index_bytes", "__weakref__")

    def read_row_group(self, i, columns=None):
        """Global row group i as a pyarrow.Table, equal to pyarrow's own read of that row group.

        columns: names as pyarrow's read_row_group takes them (top-level or dotted nested).
        """
        path, _ = self.locate(i)
        return _arrow.read_slice(path, self.slice(i), columns)

    def read_row_groups(self, indexes, columns=None):
        """The given global row groups, concatenated in that order, as one pyarrow.Table."""
        tables = [self.read_row_group(i, columns) for i in indexes]
        if not tables:
            raise ValueError("read_row_groups needs at least one index")
        return tables[0] if len(tables) == 1 else _arrow.concat(tables)

    def index_bytes(self):
        """The dataset as .pqfi index bytes (what save() writes), with absolute file paths."""
        data = getattr(self, "_index_bytes", None)
        if data is None:
            d = tempfile.mkdtemp(prefix="pqfoot-")
            try:
                p = os.path.join(d, "dataset.pqfi")
                self.save(p)
                with open(p, "rb") as f:
                    data = f.read()
            finally:
                shutil.rmtree(d, ignore_errors=True)
            self._index_bytes = data
        return data

    @classmethod
    def from_index_bytes(cls, data):
        """A Dataset from index_bytes() (checked like load())."""
        d = tempfile.mkdtemp(prefix="pqfoot-")
        try:
            p = os.path.join(d, "dataset.pqfi")
            with open(p, "wb") as f:
                f.write(data)
            return cls.load(p)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def __reduce__(self):
        # Workers receive the index, not the files: no footer is decoded again.
        return (_restore, (type(self), self.index_bytes()))


def _restore(cls, data):
    return cls.from_index_bytes(data)
