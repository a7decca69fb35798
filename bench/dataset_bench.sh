#!/usr/bin/env bash
# dataset_bench.sh -- the dataset index on 100 S2-shaped files (150 DOUBLE
# columns x 1000 one-row row groups, ~15 MB footer each) with a 15-column
# projection: build time, index size (target <= 1% of the footers), load time
# (target <= 20 ms) and retained memory (target <= 0.5% of the footers).
#
# Prints one JSON line of results, then a table. Files are generated once with
# the Thrift oracle (build/pqf-oracle gen S2 --seed N) and kept under
# $DATASET_DIR for later runs (about 24 MB each).
#
# Environment: BUILD (build), CC (cc), DATASET_FILES (100), DATASET_COLUMNS (15),
# DATASET_THREADS (number of CPUs), DATASET_REPS (21), DATASET_DIR
# ($BUILD/bench/dataset-s2).
set -euo pipefail

BUILD=${BUILD:-build}
CC=${CC:-cc}
FILES=${DATASET_FILES:-100}
COLUMNS=${DATASET_COLUMNS:-15}
THREADS=${DATASET_THREADS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
REPS=${DATASET_REPS:-21}
DIR=${DATASET_DIR:-$BUILD/bench/dataset-s2}
ORACLE=$BUILD/pqf-oracle
LIB=$BUILD/libpqfoot.a
BIN=$BUILD/bench/dataset_bench

if [ ! -x "$ORACLE" ]; then
    echo "dataset_bench: $ORACLE is missing (make oracle)" >&2
    exit 1
fi
if [ ! -f "$LIB" ]; then
    echo "dataset_bench: $LIB is missing (make all)" >&2
    exit 1
fi

mkdir -p "$DIR" "$(dirname "$BIN")"
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iinclude \
    bench/dataset_bench.c "$LIB" -lzstd -lxxhash -lpthread -o "$BIN"

# Generate what is missing, a few at a time; a file appears only once complete.
missing=()
for ((i = 0; i < FILES; i++)); do
    f=$(printf '%s/s2-%03d.parquet' "$DIR" "$i")
    [ -f "$f" ] || missing+=("$i")
done
# Files beyond FILES from an earlier, larger run would join the dataset.
for f in "$DIR"/s2-*.parquet; do
    [ -e "$f" ] || continue
    n=$(basename "$f" .parquet)
    n=$((10#${n#s2-}))
    if ((n >= FILES)); then rm -f "$f"; fi
done
if ((${#missing[@]})); then
    echo "dataset_bench: generating ${#missing[@]} S2 files in $DIR ..." >&2
    printf '%s\n' "${missing[@]}" | xargs -P "$THREADS" -I{} sh -c \
        'f=$(printf "%s/s2-%03d.parquet" "$1" "$2"); "$0" gen S2 "$f.tmp" --seed "$2" && mv "$f.tmp" "$f"' \
        "$ORACLE" "$DIR" {}
fi

"$BIN" "$DIR" "$DIR/index.pqfi" --columns "$COLUMNS" -j "$THREADS" --reps "$REPS"
