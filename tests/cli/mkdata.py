#!/usr/bin/env python3
"""Write the small hand-made Parquet files of tests/cli/data/.

Only the footers matter to pqfoot, so the "data" between the leading magic and
the footer is filler. Each file is built from a FileMetaData written with a
minimal Thrift compact-protocol encoder (below), so the files are small and
every field in them is deliberate. Run from the repository root:

    python3 tests/cli/mkdata.py
    python3 tests/cli/mkdata.py --big /tmp/big.parquet   (a large footer, not committed)

The outputs are committed; rerun only when changing this script, then review
the golden outputs with `make cli-tests`.
"""
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# Compact protocol type ids.
T_TRUE, T_FALSE, T_BYTE, T_I16, T_I32, T_I64 = 1, 2, 3, 4, 5, 6
T_BINARY, T_LIST, T_STRUCT = 8, 9, 12


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


class S:
    """A struct: fields given as (id, type, value); written in the given order."""

    def __init__(self, *fields):
        self.fields = [f for f in fields if f is not None and f[2] is not None]


def enc_value(t, v):
    if t in (T_BYTE,):
        return struct.pack("b", v)
    if t in (T_I16, T_I32, T_I64):
        return varint(zigzag(v))
    if t == T_BINARY:
        if isinstance(v, str):
            v = v.encode("utf-8")
        return varint(len(v)) + v
    if t == T_STRUCT:
        return enc_struct(v)
    if t == T_LIST:
        et, items = v
        n = len(items)
        head = bytes([(n << 4) | et]) if n < 15 else bytes([0xF0 | et]) + varint(n)
        body = b"".join(
            bytes([T_TRUE if x else T_FALSE]) if et == T_TRUE else enc_value(et, x)
            for x in items)
        return head + body
    raise ValueError(t)


def enc_struct(s):
    out = bytearray()
    last = 0
    for fid, t, v in s.fields:
        wt = t
        if t == T_TRUE:  # booleans live in the field header
            wt = T_TRUE if v else T_FALSE
        delta = fid - last
        if 0 < delta <= 15:
            out.append((delta << 4) | wt)
        else:
            out.append(wt)
            out += varint(zigzag(fid))
        last = fid
        if t != T_TRUE:
            out += enc_value(t, v)
    out.append(0)
    return bytes(out)


def lst(et, items):
    return (et, items)


# --- Parquet structs -------------------------------------------------------

BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY, FLBA = range(8)
REQUIRED, OPTIONAL, REPEATED = range(3)
UNCOMPRESSED, SNAPPY, GZIP, ZSTD = 0, 1, 2, 6


def elem(name, type=None, rep=None, children=None, conv=None, type_length=None,
         scale=None, precision=None, field_id=None, logical=None):
    return S((1, T_I32, type), (2, T_I32, type_length), (3, T_I32, rep),
             (4, T_BINARY, name), (5, T_I32, children), (6, T_I32, conv),
             (7, T_I32, scale), (8, T_I32, precision), (9, T_I32, field_id),
             (10, T_STRUCT, logical))


def lt(member_id, body=None):
    return S((member_id, T_STRUCT, body if body is not None else S()))


def lt_timestamp(utc, unit):
    return lt(8, S((1, T_TRUE, utc), (2, T_STRUCT, S((unit, T_STRUCT, S())))))


def lt_int(bits, signed):
    return lt(10, S((1, T_BYTE, bits), (2, T_TRUE, signed)))


def lt_decimal(scale, precision):
    return lt(5, S((1, T_I32, scale), (2, T_I32, precision)))


def meta(type, path, codec, num_values, uncomp, comp, data_off, dict_off=None,
         bloom_off=None, bloom_len=None):
    return S((1, T_I32, type), (2, T_LIST, lst(T_I32, [0, 3])),
             (3, T_LIST, lst(T_BINARY, path)), (4, T_I32, codec),
             (5, T_I64, num_values), (6, T_I64, uncomp), (7, T_I64, comp),
             (9, T_I64, data_off), (11, T_I64, dict_off),
             (14, T_I64, bloom_off), (15, T_I32, bloom_len))


def chunk(md, file_offset=0, file_path=None, oi=None, ci=None, crypto=None):
    return S((1, T_BINARY, file_path), (2, T_I64, file_offset), (3, T_STRUCT, md),
             (4, T_I64, oi[0] if oi else None), (5, T_I32, oi[1] if oi else None),
             (6, T_I64, ci[0] if ci else None), (7, T_I32, ci[1] if ci else None),
             (8, T_STRUCT, crypto))


def row_group(chunks, total_byte_size, num_rows, file_offset=None, comp=None, ordinal=None):
    return S((1, T_LIST, lst(T_STRUCT, chunks)), (2, T_I64, total_byte_size),
             (3, T_I64, num_rows), (5, T_I64, file_offset), (6, T_I64, comp),
             (7, T_I16, ordinal))


def file_meta(schema, num_rows, rgs, kv=None, created_by=None, version=2):
    kvs = None
    if kv is not None:
        kvs = lst(T_STRUCT, [S((1, T_BINARY, k), (2, T_BINARY, v)) for k, v in kv])
    return S((1, T_I32, version), (2, T_LIST, lst(T_STRUCT, schema)),
             (3, T_I64, num_rows), (4, T_LIST, lst(T_STRUCT, rgs)),
             (5, T_LIST, kvs), (6, T_BINARY, created_by))


def parquet(data_len, fmd):
    footer = enc_struct(fmd)
    return b"PAR1" + bytes(data_len) + footer + struct.pack("<I", len(footer)) + b"PAR1"


def write(name, content):
    with open(os.path.join(OUT, name), "wb") as fp:
        fp.write(content)


# --- the files -------------------------------------------------------------

SCHEMA = [
    elem("schema", children=5),
    elem("id", INT64, REQUIRED, field_id=1),
    elem("name", BYTE_ARRAY, OPTIONAL, conv=0, logical=lt(1), field_id=2),
    elem("ts", INT64, OPTIONAL, conv=10, logical=lt_timestamp(True, 2)),
    elem("price", FLBA, REQUIRED, type_length=8, conv=5, scale=2, precision=18,
         logical=lt_decimal(2, 18)),
    elem("tags", rep=OPTIONAL, children=1, conv=3, logical=lt(3)),
    elem("list", rep=REPEATED, children=1),
    elem("element", INT32, OPTIONAL, logical=lt_int(16, True), conv=16),
]
LEAVES = [(["id"], INT64), (["name"], BYTE_ARRAY), (["ts"], INT64), (["price"], FLBA),
          (["tags", "list", "element"], INT32)]

CREATED_BY = (b'pqfoot "mkdata" \\ tab\there \x01 bad:\xff overlong:\xc0\xaf '
              b'surrogate:\xed\xa0\x80 cut:\xe2\x82 ok:\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80')


def good_row_groups(first_offset, rows_list, codec=SNAPPY):
    """Contiguous chunks, 100 bytes each; returns (row_groups, end offset)."""
    rgs = []
    pos = first_offset
    for ordinal, rows in enumerate(rows_list):
        chunks = []
        start = pos
        for li, (path, ptype) in enumerate(LEAVES):
            dict_off = pos if path == ["name"] else None
            data_off = pos + 30 if dict_off is not None else pos
            nv = rows * 2 if path[0] == "tags" else rows
            # indexes and bloom filters live after the chunks, before the footer
            pi = (1200 + 50 * li, 20 + li), (1600 + 50 * li, 30 + li)
            bloom = (2000 + 100 * li, 64) if path == ["name"] else (None, None)
            md = meta(ptype, path, codec, nv, 150, 100, data_off, dict_off,
                      bloom[0], bloom[1])
            chunks.append(chunk(md, file_offset=pos + 100, oi=pi[0], ci=pi[1]))
            pos += 100
        rgs.append(row_group(chunks, 750, rows, file_offset=start, comp=pos - start,
                             ordinal=ordinal))
    return rgs, pos


def make_crafted():
    rgs, end = good_row_groups(4, [3, 2])
    fmd = file_meta(SCHEMA, 5, rgs,
                    kv=[("k1", "v1"), ("no_value", None), ("we\"ird\n", "t\u00e9xt \x7f")],
                    created_by=CREATED_BY)
    write("crafted.parquet", parquet(max(end - 4 + 64, 2200), fmd))


def make_bad_check():
    rgs, end = good_row_groups(4, [3, 2])
    rg0 = rgs[0].fields[0][2][1]  # chunks of row group 0
    rg1 = rgs[1].fields[0][2][1]
    # row group 0, id: num_values below the row count of a flat required column
    rg0[0] = chunk(meta(INT64, ["id"], SNAPPY, 2, 150, 100, 4), file_offset=104)
    # row group 0, name: dictionary page after the data page
    rg0[1] = chunk(meta(BYTE_ARRAY, ["name"], SNAPPY, 3, 150, 100, 104, 160), file_offset=204)
    # row group 1, ts: overlaps its neighbour (starts 50 bytes early)
    rg1[2] = chunk(meta(INT64, ["ts"], SNAPPY, 2, 150, 100, 650), file_offset=750)
    # row group 1, price: starts inside the leading magic; physical type differs
    # from the schema's
    rg1[3] = chunk(meta(INT32, ["price"], SNAPPY, 2, 150, 50, 2), file_offset=52)
    # row group 1, tags: the data page lies after the chunk's bytes
    rg1[4] = chunk(meta(INT32, ["tags", "list", "element"], SNAPPY, 4, 150, 100, 1010, 904),
                   file_offset=1004)
    # file num_rows disagrees with the row groups (3 + 2)
    fmd = file_meta(SCHEMA, 7, rgs, created_by="pqfoot mkdata (bad_check)")
    write("bad_check.parquet", parquet(end - 4 + 16, fmd))


def make_truncated_footer():
    rgs, end = good_row_groups(4, [3, 2])
    footer = enc_struct(file_meta(SCHEMA, 5, rgs, created_by="pqfoot mkdata"))
    cut = footer[: len(footer) * 2 // 3]  # ends inside the row groups
    body = b"PAR1" + bytes(end - 4) + cut + struct.pack("<I", len(cut)) + b"PAR1"
    write("truncated_footer.parquet", body)


def make_many_row_groups():
    schema = [elem("schema", children=1), elem("v", DOUBLE, REQUIRED)]
    rgs = []
    pos = 4
    for i in range(8):
        md = meta(DOUBLE, ["v"], ZSTD, 10 + i, 90, 40 + i, pos)
        rgs.append(row_group([chunk(md, file_offset=pos)], 90, 10 + i, file_offset=pos,
                             comp=40 + i, ordinal=i))
        pos += 40 + i
    fmd = file_meta(schema, sum(10 + i for i in range(8)), rgs, created_by="pqfoot mkdata")
    write("many_row_groups.parquet", parquet(pos - 4, fmd))


def make_encrypted_column():
    # One plaintext chunk, one chunk whose ColumnMetaData is encrypted (absent
    # here, with crypto_metadata = EncryptionWithFooterKey), one in another file.
    schema = [elem("schema", children=3), elem("a", INT32, REQUIRED),
              elem("secret", BYTE_ARRAY, OPTIONAL), elem("far", INT32, OPTIONAL)]
    chunks = [
        chunk(meta(INT32, ["a"], UNCOMPRESSED, 4, 20, 20, 4), file_offset=4),
        chunk(None, file_offset=24, crypto=S((1, T_STRUCT, S()))),
        chunk(meta(INT32, ["far"], GZIP, 4, 30, 25, 4), file_offset=4,
              file_path="part-0001.parquet"),
    ]
    fmd = file_meta(schema, 4, [row_group(chunks, 70, 4)], created_by="pqfoot mkdata")
    write("encrypted_column.parquet", parquet(60, fmd))


def make_big(path, ncols=150, nrgs=1000):
    """A footer of seed shape S2 (150 DOUBLE columns x 1000 row groups, about
    9 MB) for trying the CLI on a large footer; not committed."""
    schema = [elem("schema", children=ncols)] + [
        elem("c%03d" % i, DOUBLE, OPTIONAL) for i in range(ncols)]
    rgs = []
    pos = 4
    for r in range(nrgs):
        chunks = []
        start = pos
        for i in range(ncols):
            md = meta(DOUBLE, ["c%03d" % i], SNAPPY, 1, 60, 50, pos + 20, pos)
            chunks.append(chunk(md, file_offset=pos + 20))
            pos += 50
        rgs.append(row_group(chunks, ncols * 60, 1, file_offset=start, comp=pos - start,
                             ordinal=r % 32768))
    footer = enc_struct(file_meta(schema, nrgs, rgs, created_by="pqfoot mkdata (big)"))
    with open(path, "wb") as fp:
        fp.write(b"PAR1")
        fp.seek(pos)  # sparse: the data area is never read
        fp.write(footer + struct.pack("<I", len(footer)) + b"PAR1")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--big":
        make_big(sys.argv[2])
        return 0
    os.makedirs(OUT, exist_ok=True)
    make_crafted()
    make_bad_check()
    make_truncated_footer()
    make_many_row_groups()
    make_encrypted_column()
    write("not_parquet.txt", b"this is a text file, not a parquet file\n")
    # The magic at both ends but a footer length longer than the file.
    write("short_file.parquet", b"PAR1" + struct.pack("<I", 1000) + b"PAR1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
