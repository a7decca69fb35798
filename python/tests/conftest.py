"""Shared fixtures: files written the way the motivating users write them,
nested schemas, and the parquet-testing corpus (when present)."""
import glob
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The motivating shape: 150 float64 columns, one row per row group, zstd level 9.
USER_COLUMNS = 150
USER_ROWS = 12


def write_user_file(path, rows=USER_ROWS, seed=0):
    """Write a file exactly as the training-loader user does (pandas, defaults otherwise)."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.random((rows, USER_COLUMNS)),
                      columns=[f"feature_{i}" for i in range(USER_COLUMNS)])
    df.to_parquet(path, row_group_size=1, compression="zstd", compression_level=9)
    return path


@pytest.fixture(scope="session")
def user_dir(tmp_path_factory):
    """A directory of three user-shaped files (different row counts)."""
    d = tmp_path_factory.mktemp("user")
    for k, rows in enumerate((USER_ROWS, 5, 9)):
        write_user_file(str(d / f"part-{k}.parquet"), rows=rows, seed=k)
    return str(d)


@pytest.fixture(scope="session")
def user_file(user_dir):
    return os.path.join(user_dir, "part-0.parquet")


def nested_table():
    """Lists, maps, structs, nulls and the Arrow types that need ARROW:schema to round-trip."""
    pa = pytest.importorskip("pyarrow")
    import datetime
    import decimal
    n = 10
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "name": pa.array([None if i % 4 == 0 else f"n{i}" for i in range(n)], pa.string()),
        "big": pa.array([f"L{i}" * i for i in range(n)], pa.large_string()),
        "tags": pa.array([[f"t{j}" for j in range(i % 3)] if i % 5 else None for i in range(n)],
                         pa.list_(pa.string())),
        "matrix": pa.array([[[i, j] for j in range(i % 2 + 1)] for i in range(n)],
                           pa.list_(pa.list_(pa.int32()))),
        "attrs": pa.array([[("k", i), ("j", -i)] if i % 3 else [] for i in range(n)],
                          pa.map_(pa.string(), pa.int64())),
        "point": pa.array([{"x": float(i), "y": None if i % 2 else [i, i + 1]} for i in range(n)],
                          pa.struct([("x", pa.float64()), ("y", pa.list_(pa.int16()))])),
        "when": pa.array([datetime.datetime(2024, 1, 1, i) for i in range(n)],
                         pa.timestamp("us", tz="Europe/Paris")),
        "day": pa.array([datetime.date(2020, 1, i + 1) for i in range(n)], pa.date32()),
        "price": pa.array([decimal.Decimal(f"{i}.25") for i in range(n)], pa.decimal128(9, 2)),
        "flag": pa.array([i % 2 == 0 for i in range(n)], pa.bool_()),
        "cat": pa.array([["a", "b", "c"][i % 3] for i in range(n)]).dictionary_encode(),
        "raw": pa.array([bytes([i]) * 4 for i in range(n)], pa.binary(4)),
        "small": pa.array([i - 5 for i in range(n)], pa.int8()),
        "unsigned": pa.array([2 ** 63 + i for i in range(n)], pa.uint64()),
        "span": pa.array([datetime.timedelta(seconds=i) for i in range(n)], pa.duration("ms")),
    })


@pytest.fixture(scope="session")
def nested_file(tmp_path_factory):
    pq = pytest.importorskip("pyarrow.parquet")
    path = str(tmp_path_factory.mktemp("nested") / "nested.parquet")
    pq.write_table(nested_table(), path, row_group_size=3)
    return path


def parquet_testing_dir():
    d = os.environ.get("PQF_TESTING") or os.path.join(REPO, "..", "shared", "parquet-testing")
    return d if os.path.isdir(d) else None


def parquet_testing_files():
    d = parquet_testing_dir()
    if not d:
        return []
    return sorted(glob.glob(os.path.join(d, "data", "*.parquet")))


@pytest.fixture
def parquet_testing_root():
    d = parquet_testing_dir()
    if not d:
        pytest.skip("parquet-testing not found (../shared/parquet-testing or $PQF_TESTING)")
    return d
