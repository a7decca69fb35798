#!/usr/bin/env bash
# oracle-slice-diff: `pqfoot slice` / `pqfoot slim` against the Apache Thrift C++ oracle
# (tests/oracle/slice_diff.py says what is compared). Environment: ORACLE, PQFOOT, OUT,
# PQF_TESTING, RANDOM_COUNT, SHAPES.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
command -v python3 >/dev/null || { echo "oracle-slice-diff: python3 absent: skipped"; exit 0; }
OUT=${OUT:-build/oracle/slice}
mkdir -p "$OUT/bin"
# Work on copies: other builds may relink build/ binaries while this runs.
cp "${ORACLE:-build/pqf-oracle}" "$OUT/bin/pqf-oracle" && cp "${PQFOOT:-build/pqfoot}" "$OUT/bin/pqfoot" || exit 2
ORACLE="$OUT/bin/pqf-oracle" PQFOOT="$OUT/bin/pqfoot" OUT="$OUT" exec python3 tests/oracle/slice_diff.py
