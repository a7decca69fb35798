#!/usr/bin/env bash
# Golden-output tests of the pqfoot CLI.
#
#   bash tests/cli/run.sh [--update] [PQFOOT]     (run from anywhere; PQFOOT defaults to build/pqfoot)
#
# Every case runs one shell command line in the repository root, where `pqfoot`
# is the binary under test, and compares its stdout, stderr and exit status with
# tests/cli/expected/NAME.txt. Any difference fails the case. --update rewrites
# the expected files (and removes ones no case uses) instead of comparing:
# review the git diff afterwards.
#
# Inputs: the hand-made files of tests/cli/data/ (see mkdata.py), the oracle's
# files in tests/data/ and the Apache parquet-testing files in $PQF_TESTING/data
# (PQF_TESTING defaults to ../shared/parquet-testing, relative to the repository
# root, as in the Makefile). Cases whose inputs are absent are skipped with a
# printed line, never failed. Timings and retained sizes are masked (see mask).
set -u
# System messages (strerror) and sorting in the C locale, whatever the user's.
export LC_ALL=C

UPDATE=0
if [ "${1:-}" = "--update" ]; then UPDATE=1; shift; fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-build/pqfoot}
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
PT=${PQF_TESTING:-../shared/parquet-testing}/data
EXPECTED="$ROOT/tests/cli/expected"
D=tests/cli/data

if [ ! -x "$BIN" ]; then
    echo "run.sh: $BIN is not built (make all)" >&2
    exit 2
fi
cd "$ROOT" || exit 2
[ -d "$PT" ] || echo "run.sh: SKIP the parquet-testing cases: $PT is absent (set PQF_TESTING to the checkout)"
mkdir -p "$EXPECTED"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

PASS=0 FAIL=0 SKIP=0
declare -A SEEN=()
REQ=()

# requires PATH...: the next case is skipped unless every PATH exists.
requires() { REQ=("$@"); }

# Masks what legitimately changes without the CLI changing: decode times, and
# the library's retained bytes (its compact model is tuned independently;
# the Check suites test it, these tests test the CLI around it).
# Width-independent: a masked table cell is replaced together with the padding
# before it (right-aligned cells), so a slower run's wider number, which
# shifts the padding, gives the same text. Unmasked cells keep their padding,
# which depends only on their own value.
mask() {
    sed -E -e 's/"decode_ns":[0-9]+/"decode_ns":N/g' \
        -e 's/"retained_bytes":[0-9]+,"ratio":[0-9.]+/"retained_bytes":R,"ratio":P/g' \
        -e 's/[0-9]+ bytes retained \([0-9.]+%\)/R bytes retained (P%)/' \
        -e 's/decode [0-9]+\.[0-9]+ ms/decode T ms/' \
        -e 's/retained [0-9]+ bytes \([0-9.]+%\)/retained R bytes (P%)/' \
        -e 's/[0-9.]+ retained bytes per chunk/R retained bytes per chunk/' \
        -e 's/^( *[0-9]+) +[0-9]+ +[0-9.]+% +[0-9]+\.[0-9]+( +[0-9]+ +[0-9]+ +[0-9.]+) +[0-9.]+  /\1  R  P%  T\2  R  /'
}

# case_ NAME COMMAND: run COMMAND (a shell line using `pqfoot`) and
# compare with the golden file (stdout masked by `mask`).
case_() {
    local name=$1 cmd=$2
    SEEN[$name]=1
    local p
    for p in "${REQ[@]+"${REQ[@]}"}"; do
        if [ ! -e "$p" ]; then
            SKIP=$((SKIP + 1))
            echo "skip $name (no $p)"
            REQ=()
            return
        fi
    done
    REQ=()
    local out="$WORK/$name.out" err="$WORK/$name.err" got="$WORK/$name.txt"
    PQF_BIN="$BIN" PT="$PT" CASE_TMP="$WORK" bash -c 'pqfoot() { "$PQF_BIN" "$@"; }; '"$cmd" \
        >"$out" 2>"$err" </dev/null
    local status=$?
    {
        echo "\$ $cmd"
        echo "[stdout]"
        mask <"$out"
        echo "[stderr]"
        cat "$err"
        echo "[exit $status]"
    } | sed -e "s#$PT#\$PT#g" >"$got"
    local want="$EXPECTED/$name.txt"
    if [ "$UPDATE" = 1 ]; then
        cp "$got" "$want"
        PASS=$((PASS + 1))
    elif [ ! -f "$want" ]; then
        FAIL=$((FAIL + 1))
        echo "FAIL $name: no expected output (run with --update to create it)"
    elif diff -u "$want" "$got" >"$WORK/$name.diff"; then
        PASS=$((PASS + 1))
    else
        FAIL=$((FAIL + 1))
        echo "FAIL $name"
        head -n 40 "$WORK/$name.diff"
    fi
}

# ---------------------------------------------------------------- help, usage
case_ help              'pqfoot --help'
case_ version           'pqfoot --version | sed -E "s/[0-9]+\.[0-9]+\.[0-9]+/X.Y.Z/"'
case_ help_dump         'pqfoot dump --help'
case_ help_schema       'pqfoot schema --help'
case_ help_stat         'pqfoot stat --help'
case_ help_check        'pqfoot check --help'
case_ usage_no_command  'pqfoot'
case_ usage_unknown_cmd 'pqfoot frobnicate x.parquet'
case_ usage_unknown_opt 'pqfoot dump --frob tests/cli/data/crafted.parquet'
case_ usage_no_file     'pqfoot dump'
case_ usage_no_file_stat 'pqfoot stat --json'
case_ usage_no_value    'pqfoot dump --columns'
case_ usage_empty_columns 'pqfoot dump --json --columns , tests/cli/data/crafted.parquet'
case_ usage_bad_range   'pqfoot dump --row-group 3-1 tests/cli/data/crafted.parquet'
case_ usage_json_filter 'pqfoot dump --json --column id tests/cli/data/crafted.parquet'
case_ usage_bad_repeat  'pqfoot stat --repeat 0 tests/cli/data/crafted.parquet'
case_ usage_schema_opt  'pqfoot schema --json tests/cli/data/crafted.parquet'
case_ usage_check_opt   'pqfoot check --all tests/cli/data/crafted.parquet'

# ----------------------------------------------------------------------- dump
case_ dump_crafted        'pqfoot dump tests/cli/data/crafted.parquet'
case_ dump_crafted_kept   'pqfoot dump --kv --page-index --bloom tests/cli/data/crafted.parquet'
case_ dump_column_filter  'pqfoot dump --column tags --column id tests/cli/data/crafted.parquet'
case_ dump_projection     'pqfoot dump --columns name,tags tests/cli/data/crafted.parquet'
# --portable turns off the AVX-512 path: the same output either way
case_ dump_portable_same  'cmp <(pqfoot dump --json corpus/examples/example.parquet) <(pqfoot dump --json --portable corpus/examples/example.parquet) && echo same'
case_ dump_elided         'pqfoot dump tests/cli/data/many_row_groups.parquet'
case_ dump_all            'pqfoot dump --all tests/cli/data/many_row_groups.parquet'
case_ dump_row_group      'pqfoot dump --row-group 5 tests/cli/data/many_row_groups.parquet'
case_ dump_row_group_range 'pqfoot dump --row-group=2-4 tests/cli/data/many_row_groups.parquet'
case_ dump_row_group_out  'pqfoot dump --row-group 9 tests/cli/data/crafted.parquet'
case_ dump_column_none    'pqfoot dump --column nope tests/cli/data/crafted.parquet'
case_ dump_encrypted_col  'pqfoot dump tests/cli/data/encrypted_column.parquet'
case_ dump_several        'pqfoot dump tests/cli/data/many_row_groups.parquet tests/cli/data/not_parquet.txt tests/cli/data/encrypted_column.parquet'
case_ dump_dash_dash      'cp tests/cli/data/encrypted_column.parquet "$CASE_TMP/-x.parquet" && cd "$CASE_TMP" && pqfoot schema -- -x.parquet'

# ---------------------------------------------------------------- dump --json
case_ json_crafted        'pqfoot dump --json tests/cli/data/crafted.parquet'
case_ json_crafted_kept   'pqfoot dump --json --page-index --bloom --kv tests/cli/data/crafted.parquet'
case_ json_page_index     'pqfoot dump --json --page-index tests/cli/data/crafted.parquet'
case_ json_bloom          'pqfoot dump --json --bloom tests/cli/data/crafted.parquet'
case_ json_kv             'pqfoot dump --json --kv tests/cli/data/crafted.parquet'
case_ json_columns        'pqfoot dump --json --columns name,tags.list tests/cli/data/crafted.parquet'
case_ json_columns_eq     'pqfoot dump --json --columns=price tests/cli/data/crafted.parquet'
case_ json_columns_none   'pqfoot dump --json --columns nope tests/cli/data/crafted.parquet'
case_ json_options_after 'pqfoot dump tests/cli/data/many_row_groups.parquet --json --columns v tests/cli/data/encrypted_column.parquet --kv'
case_ json_encrypted_col  'pqfoot dump --json tests/cli/data/encrypted_column.parquet'
case_ json_several        'pqfoot dump --json tests/cli/data/many_row_groups.parquet tests/cli/data/not_parquet.txt tests/cli/data/encrypted_column.parquet'
case_ json_errors         'pqfoot dump --json tests/cli/data/not_parquet.txt tests/cli/data/short_file.parquet tests/cli/data/truncated_footer.parquet tests/cli/data/missing.parquet tests/cli/data'

# --------------------------------------------------------------------- errors
case_ err_not_parquet     'pqfoot dump tests/cli/data/not_parquet.txt'
case_ err_truncated       'pqfoot dump tests/cli/data/truncated_footer.parquet'
case_ err_short_file      'pqfoot schema tests/cli/data/short_file.parquet'
case_ err_missing         'pqfoot check tests/cli/data/missing.parquet'
case_ err_directory       'pqfoot dump tests/cli'

# --------------------------------------------------------------------- schema
case_ schema_crafted      'pqfoot schema tests/cli/data/crafted.parquet'
case_ schema_several      'pqfoot schema tests/cli/data/crafted.parquet tests/cli/data/many_row_groups.parquet'

# ----------------------------------------------------------------------- stat
case_ stat_json           'pqfoot stat --json tests/cli/data/crafted.parquet tests/cli/data/many_row_groups.parquet'
case_ stat_json_fields    'pqfoot stat --json tests/cli/data/crafted.parquet | tr , "\n" | sed -E "s/[{}]//g; s/:.*//"'
case_ stat_json_repeat    'pqfoot stat --json --repeat 5 --columns id tests/cli/data/crafted.parquet'
case_ stat_json_kept      'pqfoot stat --json --kv --page-index --bloom tests/cli/data/crafted.parquet'
case_ stat_dir            'pqfoot stat --json tests/cli/data'
case_ stat_walk           'mkdir -p "$CASE_TMP/w/b/c" "$CASE_TMP/w/a" && cp tests/cli/data/crafted.parquet "$CASE_TMP/w/b/c/z.parquet" && cp tests/cli/data/many_row_groups.parquet "$CASE_TMP/w/a/y.parquet" && cp tests/cli/data/crafted.parquet "$CASE_TMP/w/x.PARQUET" && cp tests/cli/data/crafted.parquet "$CASE_TMP/w/b/notes.txt" && ln -s ../b "$CASE_TMP/w/a/link" && cd "$CASE_TMP/w" && pqfoot stat --json . b/../a/ | sed -E "s/,\"file_size.*//"'
case_ stat_text           'pqfoot stat tests/cli/data/crafted.parquet tests/cli/data/many_row_groups.parquet'
case_ stat_text_repeat    'pqfoot stat --repeat 3 tests/cli/data/many_row_groups.parquet'
case_ stat_missing        'pqfoot stat tests/cli/data/missing.parquet tests/cli/data/crafted.parquet'

# ---------------------------------------------------------------------- check
case_ check_good          'pqfoot check tests/cli/data/crafted.parquet tests/cli/data/many_row_groups.parquet tests/cli/data/encrypted_column.parquet'
case_ check_bad           'pqfoot check tests/cli/data/bad_check.parquet'
case_ check_mixed         'pqfoot check tests/cli/data/bad_check.parquet tests/cli/data/not_parquet.txt tests/cli/data/crafted.parquet'

# --------------------------------------------------------------------- pipes
# A reader that stops early: no message, exit 0.
case_ pipe_closed_early   'pqfoot dump --json $(for i in $(seq 300); do echo tests/cli/data/crafted.parquet; done) | head -c 20; s=("${PIPESTATUS[@]}"); echo; echo "status ${s[*]}"'

# ------------------------------------------------- the oracle's tests/data files
for f in tiny nested dict pageindex kv logical; do
    requires "tests/data/$f.parquet"
    case_ "data_${f}_dump" "pqfoot dump --kv --page-index --bloom tests/data/$f.parquet"
    requires "tests/data/$f.parquet"
    case_ "data_${f}_json" "pqfoot dump --json --kv --page-index --bloom tests/data/$f.parquet"
    requires "tests/data/$f.parquet"
    case_ "data_${f}_check" "pqfoot check tests/data/$f.parquet"
done

requires corpus/examples/example.parquet
case_ example_check       'pqfoot check corpus/examples/example.parquet'
requires corpus/examples/example.parquet
case_ example_dump_tail   'pqfoot dump --row-group 18-30 --column c3 corpus/examples/example.parquet'

# ------------------------------------------------ Apache parquet-testing files
requires "$PT/alltypes_plain.parquet"
case_ pt_dump_alltypes    'pqfoot dump "$PT/alltypes_plain.parquet"'
requires "$PT/alltypes_plain.parquet" "$PT/nested_structs.rust.parquet" "$PT/data_index_bloom_encoding_stats.parquet"
case_ pt_json_several     'pqfoot dump --json --page-index --bloom --kv "$PT/alltypes_plain.parquet" "$PT/nested_structs.rust.parquet" "$PT/data_index_bloom_encoding_stats.parquet"'
requires "$PT/nested_lists.snappy.parquet" "$PT/nested_maps.snappy.parquet"
case_ pt_schema_nested    'pqfoot schema "$PT/nested_lists.snappy.parquet" "$PT/nested_maps.snappy.parquet"'
requires "$PT/alltypes_tiny_pages.parquet"
case_ pt_dump_page_index  'pqfoot dump --page-index --row-group 0 --column int_col "$PT/alltypes_tiny_pages.parquet"'
requires "$PT/alltypes_plain.parquet" "$PT/dict-page-offset-zero.parquet" "$PT/nulls.snappy.parquet"
case_ pt_check            'pqfoot check "$PT/alltypes_plain.parquet" "$PT/dict-page-offset-zero.parquet" "$PT/nulls.snappy.parquet"'
requires "$PT/uniform_encryption.parquet.encrypted"
case_ pt_encrypted_footer 'pqfoot dump --json "$PT/uniform_encryption.parquet.encrypted"'
requires "$PT/encrypt_columns_plaintext_footer.parquet.encrypted"
case_ pt_plaintext_footer 'pqfoot dump --columns double_field,float_field "$PT/encrypt_columns_plaintext_footer.parquet.encrypted"'
requires "$PT/byte_array_decimal.parquet" "$PT/int96_from_spark.parquet" "$PT/float16_nonzeros_and_nans.parquet"
case_ pt_schema_logical   'pqfoot schema "$PT/byte_array_decimal.parquet" "$PT/int96_from_spark.parquet" "$PT/float16_nonzeros_and_nans.parquet"'

# ---------------------------------------------------------- stale golden files
for f in "$EXPECTED"/*.txt; do
    [ -e "$f" ] || continue
    n=$(basename "$f" .txt)
    [ -n "${SEEN[$n]+x}" ] && continue
    if [ "$UPDATE" = 1 ]; then
        rm -f "$f"
        echo "removed stale $f"
    else
        FAIL=$((FAIL + 1))
        echo "FAIL $n: expected/$n.txt belongs to no case"
    fi
done

[ "$SKIP" -gt 0 ] && echo "$SKIP skipped (inputs absent)"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
