#!/usr/bin/env python3
"""Generate the pruning test files and their expectations (tests/test_prune.c).

    build/venv/bin/python tests/data/prune/gen.py [PARQUET_TESTING_DATA_DIR]

Writes small Parquet files with known data here (pyarrow and DuckDB as
writers), and expect.tsv: for every (file, predicate) the row groups in which
DuckDB finds a matching row, read row group by row group with pyarrow. The
Check suite needs only the committed outputs, never Python.

expect.tsv lines: FILE <TAB> EXPR <TAB> MATCHING_ROW_GROUPS (comma list) <TAB> N
FILE is relative to this directory, or "PT:" + a parquet-testing file name.
"""
import datetime
import decimal
import math
import os
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
PT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/parquet-testing/data")


def types_table():
    n = 40
    ff = [None if i % 7 == 3 else i * 3 for i in range(n)]
    u = [2**64 - 1 - i if i >= 20 else i for i in range(n)]
    u32 = [2**32 - 1 - i if i >= 24 else i * 1000 for i in range(n)]
    i8 = [(-128 + i * 6) % 256 - 128 for i in range(n)]
    dec = [decimal.Decimal(i * 125 - 2000).scaleb(-2) for i in range(n)]
    big = [decimal.Decimal(10**30 * (i - 20) + i).scaleb(-2) for i in range(n)]
    d = [(-0.0 if i == 8 else 0.0 if i == 9 else (i - 16) * 0.5) for i in range(n)]
    f = [float(i) / 4 for i in range(n)]
    s = [("k%03d" % i) + ("x" * 80 if i % 8 == 0 else "") for i in range(n)]
    s[33] = None
    dt = [datetime.date(2024, 1, 1) + datetime.timedelta(days=i * 3) for i in range(n)]
    ts = [datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=i * 7, microseconds=i) for i in range(n)]
    allnull = [None] * n
    nan_d = [float("nan") if i % 8 == 1 else float(i) for i in range(n)]
    st = [None if i % 9 == 4 else {"x": i * 10, "y name": "v%02d" % i} for i in range(n)]
    return pa.table({
        "ff": pa.array(ff, pa.int64()),
        "u": pa.array(u, pa.uint64()),
        "u32": pa.array(u32, pa.uint32()),
        "i8": pa.array(i8, pa.int8()),
        "dec": pa.array(dec, pa.decimal128(10, 2)),
        "big": pa.array(big, pa.decimal256(40, 2)),
        "d": pa.array(d, pa.float64()),
        "f": pa.array(f, pa.float32()),
        "s": pa.array(s, pa.string()),
        "dt": pa.array(dt, pa.date32()),
        "ts": pa.array(ts, pa.timestamp("us")),
        "allnull": pa.array(allnull, pa.int32()),
        "nan_d": pa.array(nan_d, pa.float64()),
        "st": pa.array(st, pa.struct([("x", pa.int64()), ("y name", pa.string())])),
    })


PREDICATES = {
    "types.parquet": [
        "ff = 30", "ff = 31", "ff > 51.5", "ff < 0", "ff >= 117", "ff != 0", "ff IS NULL", "ff IS NOT NULL",
        "ff IN (1, 2, 3)", "ff IN (60, 61)", "NOT ff < 60", "ff < 10 OR ff > 100", "ff > 20 AND ff < 22",
        "ff = 1e308", "ff < -1e308",
        "u = 18446744073709551615", "u > 18446744073709551600", "u < 5", "u = 7", "u > 9223372036854775807",
        "u32 > 4294967290", "u32 = 3000", "u32 < 2147483648",
        "i8 < -100", "i8 = 10",
        "dec = 8.751", "dec = 8.75", "dec > 25", "dec <= -19.99", "dec < -20",
        "big > 1000000000000000000000000000", "big < -19000000000000000000000000000000",
        "d = 0", "d < 0", "d > 3.5", "d = -0.0", "d <= -8",
        "f > 9.5", "f = 0.25", "f < 0.1",
        "s = 'k005'", "s > 'k030'", "s < 'k001'", "s = 'k008" + "x" * 80 + "'", "s IS NULL", "s >= 'k039'",
        "dt = DATE '2024-01-04'", "dt > '2024-04-01'", "dt < '2024-01-01'",
        "ts >= TIMESTAMP '2024-01-10 00:00:00'", "ts < '2024-01-01 07:00:00.000001'", "ts = '2024-01-01 07:00:00.000001'",
        "allnull = 1", "allnull IS NULL", "allnull IS NOT NULL",
        "nan_d > 30", "nan_d = 1", "nan_d < 3",
        "st.x > 300", "st.x = 40", "st.x IS NULL", "st.\"y name\" = 'v05'", "st.\"y name\" > 'v30'",
    ],
    "bloom.parquet": [
        "k = 5", "k = 123456", "k IN (7, 1234567)", "name = 'name-7'", "name = 'absent'", "name IN ('a', 'b')",
        "k = 5 AND name = 'name-5'", "small = 7", "small = 41", "small IN (41, 42)", "small = 3 AND k > 8000",
        "name = 'name-49'", "name > 'name-5'", "name = 'name-25x'", "small = 40 OR name = 'name-25x'",
    ],
}

PT_PREDICATES = {
    "alltypes_tiny_pages.parquet": ["id = 7000", "id > 7299", "tinyint_col = 3", "float_col > 9", "string_col = '5'"],
    "data_index_bloom_encoding_stats.parquet": ["String = 'Hello'", "String = 'nope'", "String > 'zzz'"],
    "binary_truncated_min_max.parquet": ["utf8_full_truncation = 'x'", "utf8_partial_truncation > 'zz'",
                                         "utf8_no_truncation < 'a'", "binary_partial_truncation = 'x'"],
    "int32_decimal.parquet": ["value = 5", "value > 24", "value = 5.5"],
    "fixed_length_decimal.parquet": ["value > 24", "value = 1"],
    "byte_array_decimal.parquet": ["value > 24", "value = 1"],
    "float16_nonzeros_and_nans.parquet": ["x > 1", "x = 0"],
    "nan_in_stats.parquet": ["x > 1", "x = 1"],
    "int96_from_spark.parquet": ["a IS NULL"],
}


def row_groups_matching(path, expr):
    """Row groups holding a row DuckDB's own reader matches (row numbers mapped
    to row groups with pyarrow's metadata)."""
    md = pq.ParquetFile(path).metadata
    starts, at = [], 0
    for i in range(md.num_row_groups):
        starts.append(at)
        at += md.row_group(i).num_rows
    con = duckdb.connect()
    rows = con.execute("SELECT file_row_number FROM read_parquet(?, file_row_number=true) WHERE " + duck_sql(expr),
                       [path]).fetchall()
    hits = set()
    for (r,) in rows:
        g = max(i for i in range(len(starts)) if starts[i] <= r)
        hits.add(g)
    return sorted(hits), md.num_row_groups


def duck_sql(expr):
    # our grammar is SQL; quote column names DuckDB would take as keywords
    return expr


def main():
    os.makedirs(HERE, exist_ok=True)
    pq.write_table(types_table(), os.path.join(HERE, "types.parquet"), row_group_size=8)
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT i::BIGINT AS k, 'name-' || (i %% 50)::VARCHAR AS name, ((i %% 40) * 2)::INTEGER AS small FROM range(0, 10000) t(i) ORDER BY i) "
        "TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 2048)" % os.path.join(HERE, "bloom.parquet"))
    lines = []
    for f, exprs in PREDICATES.items():
        for e in exprs:
            hits, n = row_groups_matching(os.path.join(HERE, f), e)
            lines.append("%s\t%s\t%s\t%d" % (f, e, ",".join(map(str, hits)), n))
    for f, exprs in PT_PREDICATES.items():
        p = os.path.join(PT, f)
        if not os.path.exists(p):
            print("skip (absent): " + p, file=sys.stderr)
            continue
        for e in exprs:
            try:
                hits, n = row_groups_matching(p, e)
            except Exception as ex:  # a reader that cannot evaluate it: leave it out, say so
                print("skip %s %s: %s" % (f, e, ex), file=sys.stderr)
                continue
            lines.append("PT:%s\t%s\t%s\t%d" % (f, e, ",".join(map(str, hits)), n))
    with open(os.path.join(HERE, "expect.tsv"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
