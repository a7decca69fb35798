#!/usr/bin/env bash
# Generate the seed shapes, run pqfoot and Apache Thrift C++ side by side, write bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
OUT=$B/bench
REPS=${BENCH_REPS:-21}
ROUNDS=${BENCH_ROUNDS:-7}
NRSS=${BENCH_RSS_FILES:-200}
mkdir -p "$OUT"

for s in S1 S2 S3 S4 S5 S6; do
    [ -s "$OUT/$s.parquet" ] || { echo "generating $s" >&2; "$B/pqf-oracle" gen "$s" "$OUT/$s.parquet"; }
done
# Wide shapes: S5's columns (parquet-cpp-style statistics and dictionary pages) in other counts.
# W1 10,000 columns x 10 row groups, W2 10,000 x 1, W3 1,000 x 20 (S5 is 2,000 x 10).
gen_wide() { # name columns rows (row groups of 10 rows)
    [ -s "$OUT/$1.parquet" ] || { echo "generating $1" >&2; "$B/pqf-oracle" gen S5 "$OUT/$1.parquet" --columns "$2" --rows "$3"; }
}
gen_wide W1 10000 100
gen_wide W2 10000 10
gen_wide W3 1000 200

# A directory of S2 files for peak RSS of `pqfoot stat` (hard links: same bytes, no extra disk).
RSSDIR=$OUT/rss-s2
mkdir -p "$RSSDIR"
for i in $(seq 1 "$NRSS"); do
    f=$(printf '%s/s2-%03d.parquet' "$RSSDIR" "$i")
    [ -e "$f" ] || ln "$OUT/S2.parquet" "$f" 2>/dev/null || cp "$OUT/S2.parquet" "$f"
done

TABLE=$OUT/table.md
JSON=$OUT/results.jsonl
"$B/pqf_bench" --reps "$REPS" --rounds "$ROUNDS" --oracle "$B/pqf-oracle" "$OUT"/S[1-6].parquet "$OUT"/W[1-3].parquet > "$TABLE" 2> "$JSON"
"$B/pqf_bench" --rss "$B/pqfoot" "$RSSDIR" >> "$TABLE" 2>> "$JSON"
cat "$TABLE"

DATASET=""
if [ -x bench/dataset_bench.sh ] || [ -f bench/dataset_bench.sh ]; then
    DATASET=$(BUILD="$B" bash bench/dataset_bench.sh 2>&1 | tail -n 40) || DATASET="dataset bench failed:
$DATASET"
    printf '%s\n' "$DATASET"
fi

{
    echo "# Benchmark results"
    echo
    echo "Written by \`make bench\` ($(date -u +%Y-%m-%d)). Machine: $(grep -c ^processor /proc/cpuinfo) vCPUs (bench process on $(nproc) of them), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"
    echo "$(free -g | awk '/Mem:/{print $2}') GB; $(${CC:-cc} --version | head -1); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "pqfoot's decoding path: $("$B/pqf_bench" --path) (\`pqf_decode_path()\`; PQF_PORTABLE forces the portable one)."
    echo "Timings are medians of warm decodes of the footer held in memory, pqfoot and Apache Thrift C++"
    echo "(our IDL, thrift-compiler 0.17, TCompactProtocol over TMemoryBuffer, full FileMetaData), measured in"
    echo "$ROUNDS rounds of about $(( (REPS + ROUNDS - 1) / ROUNDS )) decodes each: every round times pqfoot, its PQF_PORTABLE path, then Thrift"
    echo "and the skip-walk, so the two sides of a round's ratio ran seconds apart. pqfoot's warm decodes share one pqf_dctx (its work memory"
    echo "stays between decodes); 'first decode' is the median over 9 fresh processes (\`pqf_bench --first\`) of their one"
    echo "pqf_footer_decode() of the footer already in memory (read before the clock starts), its ratio to the warm median (the median"
    echo "of each process's ratio to a warm median of 15 decodes taken just before it, so both sides ran moments apart)"
    echo "The whole table, the oracle's runs and the fresh processes included, runs on the one CPU \`pqf_bench\` started on."
    echo "and the minor page faults during that decode (\`pf\`: fresh work memory the kernel maps and zeroes)."
    echo "'speed-up' (and the PQF_PORTABLE ratio) is the median of the rounds' ratios and"
    echo "'rounds' range' their spread. Retained bytes: pqfoot's exact \`pqf_footer_bytes()\`; Thrift's live heap bytes after decode"
    echo "(replaced global operator new/delete). The skip-walk visits every field and stores nothing: the floor"
    echo "for any compact-protocol decoder. '15-col' projects the first 15 leaf columns; 'minimal' keeps one"
    echo "column without the path check. Only ratios from one run mean anything on this noisy machine."
    echo
    echo "Shapes: S1 15 double columns x 100 row groups of 10 rows; S2 150 x 1000 one-row groups with"
    echo "parquet-cpp-style statistics; S3 = S2 without statistics/encoding stats; S4 = S2 with 50-character"
    echo "names; S5 2000 columns x 10 row groups; S6 nested (list, map, struct) x 500 row groups; W1 10,000 columns x 10"
    echo "row groups, W2 10,000 x 1, W3 1,000 x 20 (S5's columns: statistics and dictionary pages like S2)."
    echo
    cat "$TABLE"
    if [ -n "$DATASET" ]; then
        echo
        echo "## Dataset index (100 S2 files, 15-column projection)"
        echo
        echo '```'
        printf '%s\n' "$DATASET"
        echo '```'
    fi
} > bench/RESULTS.md
echo "wrote bench/RESULTS.md" >&2
