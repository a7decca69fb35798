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


GIL_PROBE = r"""
import os, sys, threading, time
import pqfoot
fifo, what = sys.argv[1], sys.argv[2]
err = []
def reader():
    try:
        pqfoot.Footer(fifo) if what == "footer" else pqfoot.Dataset.open([fifo], threads=1)
    except pqfoot.Error as e:
        err.append(e)
t = threading.Thread(target=reader)
t.start()
time.sleep(0.3)
# open() of a FIFO blocks until a writer comes: only if the reader released the
# GIL can this thread run to be that writer.
fd = os.open(fifo, os.O_WRONLY)
os.close(fd)
t.join()
print("released", type(err[0]).__name__ if err else "no error")
"""


@pytest.mark.parametrize("what", ["footer", "dataset"])
def test_gil_released_while_decoding(tmp_path, what):
    import os
    import subprocess
    import sys
    fifo = str(tmp_path / "blocked.parquet")
    os.mkfifo(fifo)
    r = subprocess.run([sys.executable, "-c", GIL_PROBE, fifo, what], capture_output=True,
                       text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("released"), r.stdout
