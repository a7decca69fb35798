#!/usr/bin/env bash
# Regenerate the small generated Parquet files the tests use, with build/pqf-oracle:
#   tests/data/*.parquet              golden / unit-test inputs (each < 50 KB)
#   corpus/examples/example.parquet   the `make demo` example (S1 shape, 200 rows)
# Output is deterministic: rerunning must leave `git status` clean (oracle-selftest checks it).
#
# Environment: ORACLE (default build/pqf-oracle), DATA (default tests/data),
#              EXAMPLE (default corpus/examples/example.parquet).
set -euo pipefail

ORACLE=${ORACLE:-build/pqf-oracle}
DATA=${DATA:-tests/data}
EXAMPLE=${EXAMPLE:-corpus/examples/example.parquet}
RANDOM_SEEDS=(1 2 3 6 7 9)

mkdir -p "$DATA" "$(dirname "$EXAMPLE")"
made=()
gen() { # SHAPE OUT [options]
    "$ORACLE" gen "$@"
    made+=("$2")
}

gen tiny      "$DATA/tiny.parquet"        # 3 flat columns x 2 row groups
gen nested    "$DATA/nested.parquet"      # list<double>, map<string,double>, struct, flat
gen dict      "$DATA/dict.parquet"        # dictionary pages in every chunk
gen pageindex "$DATA/pageindex.parquet"   # offset/column indexes and bloom filters
gen kv        "$DATA/kv.parquet"          # file + column key-value metadata, odd strings
gen logical   "$DATA/logical.parquet"     # every logical type with parameters, field ids
gen tiny      "$DATA/nostats.parquet" --no-stats
for s in "${RANDOM_SEEDS[@]}"; do
    gen random-small "$DATA/random-small-$s.parquet" --seed "$s"
done
gen S1 "$EXAMPLE" --rows 200

status=0
for f in "${made[@]}"; do
    size=$(stat -c %s "$f")
    limit=51200
    [ "$f" = "$EXAMPLE" ] && limit=204800
    if [ "$size" -ge "$limit" ]; then
        echo "make-test-data: $f is $size bytes (limit $limit)" >&2
        status=1
    fi
    pages=--pages
    case "$f" in */random-*) pages= ;; esac   # random shapes have synthetic pages
    "$ORACLE" check $pages "$f" >/dev/null || {
        echo "make-test-data: $f fails the consistency check" >&2
        status=1
    }
done
[ $status -eq 0 ] && echo "make-test-data: wrote ${#made[@]} files"
exit $status
