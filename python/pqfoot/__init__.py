"""pqfoot: Parquet footers and datasets held compactly, for data loaders.

`Footer` decodes one file's footer; `Dataset` indexes many files and maps a
global row-group index to (file, row group). Both keep the statistics of the
columns named in stats=, so prune(where) tells which row groups may hold
matching rows. Reading goes through slices: a
metadata-only Parquet file for the wanted row group that pyarrow reads in
place of the file's own (large) footer. pyarrow is optional and imported on
first use.
"""
from . import _pqfoot
from ._pqfoot import (
    Error, ReadError, NotParquetError, CorruptFooterError, TruncatedError, MalformedError,
    DepthError, MissingFieldError, LimitError, EncryptedError, OutOfMemoryError,
    InvalidArgumentError, NoColumnError, NotSupportedError, decode_path, library_version,
    HAVE_SLICE,
)
from ._dataset import Dataset
from ._footer import Footer

__version__ = "0.1.0"

__all__ = [
    "Footer", "Dataset", "Error", "ReadError", "NotParquetError", "CorruptFooterError",
    "TruncatedError", "MalformedError", "DepthError", "MissingFieldError", "LimitError",
    "EncryptedError", "OutOfMemoryError", "InvalidArgumentError", "NoColumnError",
    "NotSupportedError", "decode_path", "library_version", "HAVE_SLICE",
]
