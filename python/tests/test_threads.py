"""Objects shared between threads; decoding and opening release the GIL."""
import concurrent.futures as cf

import pytest

import pqfoot


def test_concurrent_decodes_and_lookups(user_dir, user_file):
    ds = pqfoot.Dataset.open(user_dir)
    f = pqfoot.Footer(user_file)
    want_locate = [ds.locate(i) for i in range(len(ds))]
    want_chunks = [f.chunk(rg, 5) for rg in range(f.num_row_groups)]

    def work(k):
        g = pqfoot.Footer(user_file)
        assert g.num_rows == f.num_rows
        assert [ds.locate(i) for i in range(len(ds))] == want_locate
        assert [f.chunk(rg, 5) for rg in range(f.num_row_groups)] == want_chunks
        return pqfoot.Dataset.open(user_dir, threads=1).num_rows

    with cf.ThreadPoolExecutor(8) as ex:
        assert list(ex.map(work, range(32))) == [ds.num_rows] * 32


@pytest.mark.skipif(not pqfoot.HAVE_SLICE, reason="libpqfoot built without slices")
def test_concurrent_reads(user_dir):
    pytest.importorskip("pyarrow")
    ds = pqfoot.Dataset.open(user_dir)
    want = [ds.read_row_group(i) for i in range(len(ds))]

    def read(i):
        return ds.read_row_group(i).equals(want[i]) and len(ds.slice(i)) > 0

    with cf.ThreadPoolExecutor(6) as ex:
        assert all(ex.map(read, list(range(len(ds))) * 4))


def test_gil_released_while_opening(user_dir):
    """While one thread opens a dataset, another keeps running Python code."""
    import threading
    import time
    ticks = 0
    stop = threading.Event()

    def spin():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    t = threading.Thread(target=spin)
    t.start()
    try:
        for _ in range(20):
            pqfoot.Dataset.open(user_dir, threads=1)
    finally:
        stop.set()
        t.join()
    assert ticks > 0
