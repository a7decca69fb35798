"""Build the pqfoot._pqfoot extension.

By default the library's own sources (../src/*.c, ../src/dataset/*.c, ../include) are compiled
into the extension, so `pip install ./python` works on a fresh clone (needs
libzstd-dev and libxxhash-dev). With PQFOOT_SYSTEM=1 the extension links an
installed libpqfoot found through pkg-config (`make install` puts pqfoot.pc in
place) instead.
"""
import glob
import os
import re
import shlex
import subprocess
import sys

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
EXT_SOURCES = sorted(os.path.relpath(p, HERE) for p in glob.glob(os.path.join(HERE, "src", "*.c")))
EXT_CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes",
              "-Wno-missing-field-initializers"]


def has_slice_api(header_text):
    """The slice functions (the slice issue) are declared in these headers
    (pqfoot.h and pqfoot_dataset.h, concatenated)."""
    return re.search(r"\bpqf_footer_slice\s*\(", header_text) is not None and \
        re.search(r"\bpqf_dataset_slice\s*\(", header_text) is not None


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args, "pqfoot"], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"PQFOOT_SYSTEM=1 but `pkg-config {' '.join(args)} pqfoot` failed: {e}")
    return shlex.split(out)


def system_build():
    cflags = pkg_config("--cflags")
    libs = pkg_config("--libs", "--static")
    incs = [f[2:] for f in cflags if f.startswith("-I")] + ["/usr/local/include", "/usr/include"]
    header = next((os.path.join(d, "pqfoot.h") for d in incs
                   if os.path.exists(os.path.join(d, "pqfoot.h"))), None)
    text = read_headers(os.path.dirname(header)) if header else ""
    return dict(extra_compile_args=cflags, extra_link_args=libs), has_slice_api(text), [], header


def read_headers(include_dir):
    """pqfoot.h and pqfoot_dataset.h of include_dir, concatenated (a missing one is skipped)."""
    text = ""
    for name in ("pqfoot.h", "pqfoot_dataset.h"):
        path = os.path.join(include_dir, name)
        if os.path.exists(path):
            with open(path) as f:
                text += f.read()
    return text


def stage_library_sources():
    """Copy ../src and ../include below build/ so setuptools sees relative paths
    inside this directory (it refuses absolute ones and cannot place objects for
    ../ ones). Unchanged files are left alone so rebuilds stay incremental;
    staged files whose source left the tree (moved or deleted) are removed, or
    a stale copy would be compiled too."""
    stage = os.path.join("build", "pqfoot-lib")
    for sub, pattern in (("src", "*.[ch]"), (os.path.join("src", "dataset"), "*.[ch]"), ("include", "*.h")):
        os.makedirs(os.path.join(HERE, stage, sub), exist_ok=True)
        for old in glob.glob(os.path.join(HERE, stage, sub, pattern)):
            if not os.path.exists(os.path.join(REPO, sub, os.path.basename(old))):
                os.remove(old)
        for src in glob.glob(os.path.join(REPO, sub, pattern)):
            dst = os.path.join(HERE, stage, sub, os.path.basename(src))
            with open(src, "rb") as f:
                data = f.read()
            if not os.path.exists(dst) or open(dst, "rb").read() != data:
                with open(dst, "wb") as f:
                    f.write(data)
    return stage


def bundled_build():
    if not glob.glob(os.path.join(REPO, "src", "*.c")):
        sys.exit("pqfoot: ../src/*.c not found; build from the repository checkout "
                 "(pip install ./python) or set PQFOOT_SYSTEM=1 to link an installed libpqfoot")
    stage = stage_library_sources()
    lib_sources = sorted(os.path.relpath(p, HERE)
                         for p in glob.glob(os.path.join(HERE, stage, "src", "*.c")) +
                         glob.glob(os.path.join(HERE, stage, "src", "dataset", "*.c")))
    include = os.path.join(stage, "include")
    internal = os.path.join(stage, "src")
    # Every object depends on every header: setuptools rebuilds an object only
    # when one of its dependencies is newer, and a struct changed in a header
    # must not leave objects compiled against the old one.
    headers = sorted(os.path.relpath(p, HERE)
                     for d in (internal, os.path.join(internal, "dataset"), include)
                     for p in glob.glob(os.path.join(HERE, d, "*.h")))
    libraries = [("pqfoot_bundled", {
        "sources": lib_sources,
        "obj_deps": {"": headers},
        "include_dirs": [include, internal],
        "cflags": ["-std=c11", "-O2", "-fPIC", "-D_POSIX_C_SOURCE=200809L", "-pthread"],
    })]
    text = read_headers(os.path.join(REPO, "include"))
    args = dict(include_dirs=[include], libraries=["pqfoot_bundled", "zstd", "xxhash"],
                extra_link_args=["-pthread"])
    return args, has_slice_api(text), libraries, os.path.join(include, "pqfoot.h")


if os.environ.get("PQFOOT_SYSTEM", "") not in ("", "0"):
    ext_args, have_slice, clibs, header = system_build()
else:
    ext_args, have_slice, clibs, header = bundled_build()

macros = [("PQFPY_HAVE_SLICE", "1")] if have_slice else []
ext_args["extra_compile_args"] = ext_args.get("extra_compile_args", []) + EXT_CFLAGS

setup(
    libraries=clibs,
    ext_modules=[Extension("pqfoot._pqfoot", sources=EXT_SOURCES, define_macros=macros,
                           depends=glob.glob(os.path.join("src", "*.h")) + ([header] if header else []),
                           **ext_args)],
)
