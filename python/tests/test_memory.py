"""Opening and closing over and over keeps memory flat (Python heap and RSS)."""
import gc
import os
import tracemalloc

import pqfoot


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def churn(user_dir, user_file, rounds):
    for _ in range(rounds):
        f = pqfoot.Footer(user_file)
        f.chunk(3, 7)
        f.row_group(1)
        ds = pqfoot.Dataset.open(user_dir, threads=1)
        ds.locate(5)
        if pqfoot.HAVE_SLICE:
            f.slice([0, 1])
            ds.slice(4)
        try:
            pqfoot.Footer(user_file, columns=["missing"])
        except pqfoot.NoColumnError:
            pass
        del f, ds
    gc.collect()


def test_repeated_open_close_is_flat(user_dir, user_file):
    churn(user_dir, user_file, 30)  # warm up allocator pools and caches
    tracemalloc.start()
    before_py = tracemalloc.get_traced_memory()[0]
    before_rss = rss_bytes()
    churn(user_dir, user_file, 300)
    after_py = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    after_rss = rss_bytes()
    # 300 rounds each decode ~4 footers of ~100 KB; a leak of one would show as MBs.
    assert after_py - before_py < 256 * 1024, (before_py, after_py)
    assert after_rss - before_rss < 8 * 1024 * 1024, (before_rss, after_rss)
