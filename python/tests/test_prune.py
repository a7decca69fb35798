"""Statistics and pruning: stats=, Footer/Dataset.prune, stats(), slices with statistics.

Soundness is checked against pyarrow's own evaluation of the data: for random predicates
over a generated file, every row group in which pyarrow finds a matching row must be kept.
"""
import datetime
import os
import pickle
import random
import threading

import pytest

import pqfoot

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")
pq = pytest.importorskip("pyarrow.parquet")

from conftest import REPO  # noqa: E402
from test_read import assert_same  # noqa: E402

PRUNE_DATA = os.path.join(REPO, "tests", "data", "prune")
ROWS, RG_ROWS = 240, 12
COLS = ["a", "k", "x", "s", "d"]


def gen_table(seed):
    """Random ints with nulls, a sorted int (so pruning bites), floats, strings, dates."""
    r = random.Random(seed)
    day0 = datetime.date(2020, 1, 1)
    return pa.table({
        "a": pa.array([None if r.random() < 0.1 else r.randint(-60, 60) for _ in range(ROWS)],
                      pa.int64()),
        "k": pa.array([i // 5 for i in range(ROWS)], pa.int32()),
        "x": pa.array([round(r.uniform(-10, 10), 2) for _ in range(ROWS)], pa.float64()),
        "s": pa.array([None if r.random() < 0.05 else f"v{r.randint(0, 99):02d}" for _ in range(ROWS)],
                      pa.string()),
        "d": pa.array([day0 + datetime.timedelta(days=i // 3) for i in range(ROWS)], pa.date32()),
    })


@pytest.fixture(scope="module")
def gen_file(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("prune") / "gen.parquet")
    pq.write_table(gen_table(7), path, row_group_size=RG_ROWS)
    return path


@pytest.fixture(scope="module")
def gen_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("prune_dir")
    for i in range(3):
        pq.write_table(gen_table(100 + i), str(d / f"part-{i}.parquet"), row_group_size=RG_ROWS)
    return str(d)


# ------------------------------------------------ random predicates ---


def literal(r, col):
    """(pqfoot text, pyarrow scalar) for a literal of col's kind."""
    if col == "a":
        v = r.randint(-70, 70)
        return str(v), pa.scalar(v, pa.int64())
    if col == "k":
        v = r.randint(-2, ROWS // 5 + 2)
        return str(v), pa.scalar(v, pa.int32())
    if col == "x":
        v = round(r.uniform(-12, 12), 1)
        return repr(v), pa.scalar(v, pa.float64())
    if col == "s":
        v = f"v{r.randint(0, 105):02d}"
        return f"'{v}'", pa.scalar(v)
    v = datetime.date(2020, 1, 1) + datetime.timedelta(days=r.randint(-3, ROWS // 3 + 3))
    return f"'{v.isoformat()}'", pa.scalar(v, pa.date32())


OPS = {"=": lambda f, v: f == v, "!=": lambda f, v: f != v, "<": lambda f, v: f < v,
       "<=": lambda f, v: f <= v, ">": lambda f, v: f > v, ">=": lambda f, v: f >= v}


def leaf(r):
    col = r.choice(COLS)
    f = pc.field(col)
    kind = r.random()
    if kind < 0.1:
        neg = r.random() < 0.5
        return f"{col} IS {'NOT ' if neg else ''}NULL", (f.is_valid() if neg else f.is_null())
    if kind < 0.25:
        lits = [literal(r, col) for _ in range(r.randint(1, 4))]
        text = f"{col} IN ({', '.join(t for t, _ in lits)})"
        return text, f.isin(pa.array([v.as_py() for _, v in lits], lits[0][1].type))
    op = r.choice(list(OPS))
    t, v = literal(r, col)
    return f"{col} {op} {t}", OPS[op](f, v)


def predicate(r, depth=0):
    """(text, pyarrow expression); AND/OR are Kleene, as SQL and pqfoot's 3-valued logic."""
    if depth >= 2 or r.random() < 0.4:
        return leaf(r)
    kind = r.choice(["and", "or", "not"])
    if kind == "not":
        t, e = predicate(r, depth + 1)
        return f"NOT ({t})", ~e
    (t1, e1), (t2, e2) = predicate(r, depth + 1), predicate(r, depth + 1)
    if kind == "and":
        return f"({t1}) AND ({t2})", e1 & e2
    return f"({t1}) OR ({t2})", e1 | e2


def matching_row_groups(path, expr):
    """Row groups where pyarrow finds a row for which expr is true."""
    pf = pq.ParquetFile(path)
    return [i for i in range(pf.metadata.num_row_groups)
            if pf.read_row_group(i).filter(expr).num_rows > 0]


def test_prune_is_sound_on_random_predicates(gen_file):
    f = pqfoot.Footer(gen_file, stats=COLS)
    assert f.stats_columns == COLS
    pf = pq.ParquetFile(gen_file)
    groups = [pf.read_row_group(i) for i in range(pf.metadata.num_row_groups)]
    r = random.Random(18)
    pruned = 0
    for _ in range(250):
        text, expr = predicate(r)
        kept = f.prune(text)
        assert kept == sorted(set(kept))
        truth = [i for i, g in enumerate(groups) if g.filter(expr).num_rows > 0]
        missing = set(truth) - set(kept)
        assert not missing, f"{text}: row groups {sorted(missing)} match but were pruned"
        pruned += len(groups) - len(kept)
    assert pruned > 250, "the predicates pruned almost nothing: the check would be vacuous"


def test_prune_without_stats_keeps_everything(gen_file):
    f = pqfoot.Footer(gen_file)
    assert f.stats_columns == []
    assert f.prune("k = 3") == list(range(f.num_row_groups))
    # a column without kept statistics never prunes; one with them does
    g = pqfoot.Footer(gen_file, stats=["a"])
    assert g.prune("k = 3") == list(range(g.num_row_groups))
    assert len(pqfoot.Footer(gen_file, stats=[1]).prune("k = 3")) == 1


def test_dataset_prune_matches_files(gen_dir):
    ds = pqfoot.Dataset.open(gen_dir, stats=["k", "s", "a"])
    assert ds.stats_columns == ["a", "k", "s"]
    r = random.Random(5)
    for _ in range(60):
        text, expr = predicate(r)
        got = ds.prune(text)
        want, base = [], 0
        for path in ds.files:
            f = pqfoot.Footer(path, stats=["k", "s", "a"])
            want += [base + i for i in f.prune(text)]
            truth = matching_row_groups(path, expr)
            assert set(truth) <= set(f.prune(text)), text
            base += f.num_row_groups
        assert got == want, text


def test_pickled_and_saved_dataset_prune_the_same(gen_dir, tmp_path):
    ds = pqfoot.Dataset.open(gen_dir, stats=["k", "d"])
    preds = ["k = 7", "k >= 40 AND d < '2020-01-20'", "NOT (k < 45)", "d IN ('2020-01-02', '2020-02-01')"]
    want = [ds.prune(p) for p in preds]
    assert any(len(w) < len(ds) for w in want)
    # the index bytes carry the statistics: no file is needed to prune
    data = ds.index_bytes()
    clone = pickle.loads(pickle.dumps(ds))
    assert [clone.prune(p) for p in preds] == want
    assert clone.stats_columns == ["k", "d"]
    for i in range(len(ds)):
        assert clone.stats(i, "k") == ds.stats(i, "k")
    ds.save(str(tmp_path / "x.pqfi"))
    loaded = pqfoot.Dataset.load(str(tmp_path / "x.pqfi"))
    assert [loaded.prune(p) for p in preds] == want
    assert pqfoot.Dataset.from_index_bytes(data).prune("k = 7") == want[0]
    # without statistics the index is smaller and prunes nothing
    plain = pqfoot.Dataset.open(gen_dir)
    assert len(plain.index_bytes()) < len(data)
    assert plain.prune("k = 7") == list(range(len(plain)))


def test_read_pruned_row_groups(gen_dir):
    ds = pqfoot.Dataset.open(gen_dir, stats=["k"])
    kept = ds.prune("k = 20")
    assert 0 < len(kept) < len(ds)
    t = ds.read_row_groups(kept)
    full = pa.concat_tables(pq.read_table(p) for p in ds.files)
    assert t.filter(pc.field("k") == 20).num_rows == full.filter(pc.field("k") == 20).num_rows > 0


def test_bloom_filters():
    path = os.path.join(PRUNE_DATA, "bloom.parquet")
    f = pqfoot.Footer(path, stats=["k", "name"])
    assert f.stats(0, "name")["bloom_offset"] is not None
    assert f.stats(0, "k")["bloom_offset"] is None
    # inside every row group's min/max, absent from the data: only the filters prune it
    plain = f.prune("name = 'name-7x'")
    with_bloom = f.prune("name = 'name-7x'", bloom=True)
    assert plain == list(range(f.num_row_groups)) and with_bloom == []
    assert f.prune("name = 'name-7'", bloom=True) == matching_row_groups(path, pc.field("name") == "name-7")
    ds = pqfoot.Dataset.open([path], stats=["name"])
    assert ds.prune("name = 'name-7x'", bloom=True) == with_bloom
    assert ds.prune("name = 'name-7x'") == plain


def test_stats_accessor(gen_file):
    f = pqfoot.Footer(gen_file, stats=["k", "s"])
    md = pq.ParquetFile(gen_file).metadata
    for rg in range(f.num_row_groups):
        st = f.stats(rg, "k")
        want = md.row_group(rg).column(1).statistics
        assert int.from_bytes(st["min_value"], "little", signed=True) == want.min
        assert int.from_bytes(st["max_value"], "little", signed=True) == want.max
        assert st["null_count"] == want.null_count
        assert st["num_values"] == want.num_values
        s = f.stats(rg, 3)
        assert s["min_value"].decode() == md.row_group(rg).column(3).statistics.min
    with pytest.raises(pqfoot.NoColumnError):
        f.stats(0, "a")  # not kept
    with pytest.raises(pqfoot.NoColumnError):
        f.stats(0, "nope")
    with pytest.raises(IndexError):
        f.stats(f.num_row_groups, "k")


def test_prune_errors(gen_file, gen_dir):
    f = pqfoot.Footer(gen_file, stats=["k"])
    ds = pqfoot.Dataset.open(gen_dir, stats=["k"])
    for target in (f, ds):
        with pytest.raises(pqfoot.InvalidArgumentError) as e:
            target.prune("k >")
        assert e.value.code_name == "PQF_ERR_INVALID_ARG" and e.value.offset == 3
        with pytest.raises(pqfoot.NoColumnError) as e:
            target.prune("k = 1 AND nope = 2")
        assert e.value.offset == 10 and e.value.path.startswith("nope")
        with pytest.raises(pqfoot.InvalidArgumentError) as e:
            target.prune("k = 'text'")
        assert e.value.offset == 4
        with pytest.raises(pqfoot.InvalidArgumentError):
            target.prune("d = '2020-13-45'")
        with pytest.raises(TypeError):
            target.prune(b"k = 1")
        with pytest.raises(pqfoot.Error):
            target.prune("")
    with pytest.raises(pqfoot.NoColumnError):
        pqfoot.Footer(gen_file, stats=["nope"])
    with pytest.raises(pqfoot.Error):
        pqfoot.Dataset.open(gen_dir, stats=["nope"])
    with pytest.raises(TypeError):
        pqfoot.Footer(gen_file, stats=[1.5])


def test_prune_from_threads(gen_dir):
    ds = pqfoot.Dataset.open(gen_dir, stats=["k", "a"])
    want = {p: ds.prune(p) for p in ("k = 3", "a > 50 OR k < 2", "NOT k >= 10")}
    errors = []

    def work():
        try:
            for _ in range(50):
                for p, w in want.items():
                    assert ds.prune(p) == w
        except Exception as e:  # reported below
            errors.append(e)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors


def test_pickled_footer_keeps_stats(gen_file):
    f = pqfoot.Footer(gen_file, stats=["k"])
    g = pickle.loads(pickle.dumps(f))
    assert g.stats_columns == ["k"] and g.prune("k = 3") == f.prune("k = 3")


# ------------------------------------------------ slices with statistics ---


def slice_md(b):
    return pq.read_metadata(pa.BufferReader(b))


def stats_files(nested_file):
    out = [os.path.join(PRUNE_DATA, n) for n in ("types.parquet", "bloom.parquet")]
    return out + [nested_file]


def test_slice_statistics_equal_the_originals(nested_file, gen_file):
    for path in stats_files(nested_file) + [gen_file]:
        orig = pq.ParquetFile(path).metadata
        f = pqfoot.Footer(path, stats=list(range(orig.num_columns)))
        for rg in range(orig.num_row_groups):
            md = slice_md(f.slice(rg, stats=True))
            assert md.num_columns == orig.num_columns
            for j in range(orig.num_columns):
                a, b = orig.row_group(rg).column(j), md.row_group(0).column(j)
                assert a.is_stats_set == b.is_stats_set, (path, rg, j)
                if a.is_stats_set:
                    assert a.statistics == b.statistics, (path, rg, j)
                    assert a.statistics.to_dict() == b.statistics.to_dict()
            # without stats=True (or without kept statistics) none are written
            plain = slice_md(f.slice(rg))
            assert not any(plain.row_group(0).column(j).is_stats_set for j in range(orig.num_columns))
            nostats = slice_md(pqfoot.Footer(path).slice(rg, stats=True))
            assert not any(nostats.row_group(0).column(j).is_stats_set for j in range(orig.num_columns))


def test_slice_statistics_of_chosen_columns(gen_file):
    orig = pq.ParquetFile(gen_file).metadata
    f = pqfoot.Footer(gen_file, stats=["k", "s"])
    md = slice_md(f.slice([3, 1], columns=["a", "k", "s"], stats=True))
    assert [md.schema.column(j).name for j in range(3)] == ["a", "k", "s"]
    for r, rg in enumerate([3, 1]):
        assert not md.row_group(r).column(0).is_stats_set  # a: statistics not kept
        assert md.row_group(r).column(1).statistics == orig.row_group(rg).column(1).statistics
        assert md.row_group(r).column(2).statistics == orig.row_group(rg).column(3).statistics


def test_reads_through_stats_slices_equal_full_reads(nested_file, gen_file):
    for path in stats_files(nested_file) + [gen_file]:
        pf = pq.ParquetFile(path)
        f = pqfoot.Footer(path, stats=list(range(pf.metadata.num_columns)))
        for rg in range(pf.metadata.num_row_groups):
            md = slice_md(f.slice(rg, stats=True))
            got = pq.ParquetFile(path, metadata=md).read_row_group(0)
            assert_same(got, pf.read_row_group(rg))  # NaN equals NaN here


def test_dataset_slice_with_stats(gen_dir):
    ds = pqfoot.Dataset.open(gen_dir, stats=["k"])
    clone = pickle.loads(pickle.dumps(ds))
    for i in (0, len(ds) // 2, len(ds) - 1):
        path, rg = ds.locate(i)
        orig = pq.ParquetFile(path).metadata.row_group(rg).column(1).statistics
        for d in (ds, clone):
            md = slice_md(d.slice(i, columns=["k"], stats=True))
            assert md.row_group(0).column(0).statistics == orig
        assert ds.slice(i, stats=True) == clone.slice(i, stats=True)
