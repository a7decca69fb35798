#!/usr/bin/env bash
# oracle-selftest: generate every shape (S2 included) with build/pqf-oracle, then check that
# Thrift decodes each one, that the files are self-consistent (chunk ranges inside the file,
# contiguous chunks, row counts that sum, real pages that match their metadata), that output is
# deterministic, that the footer/--footer-only/stdin paths agree, that errors are reported as
# specified, and that tests/data and corpus/examples are what make-test-data.sh produces.
#
# Environment: ORACLE (default build/pqf-oracle), OUT (default build/oracle/selftest).
set -uo pipefail

ORACLE=${ORACLE:-build/pqf-oracle}
OUT=${OUT:-build/oracle/selftest}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Every JSON line printed is collected and parsed once at the end (python3, when present).
ALL_JSON="$OUT/all.jsonl"
: >"$ALL_JSON"

# One generated file: check (with pages for real shapes) and decode with the flag sets
# (all four for small files, none and all for big ones).
verify() { # FILE PAGES(0/1)
    local f=$1 pages=$2 flags variants=("" "--page-index --bloom --kv")
    [ "$(stat -c %s "$f")" -lt 1000000 ] && variants+=("--page-index --bloom" "--kv")
    if [ "$pages" = 1 ]; then
        "$ORACLE" check --pages "$f" >"$OUT/check.txt" || { fail "check --pages $f: $(cat "$OUT/check.txt")"; return; }
    else
        "$ORACLE" check "$f" >"$OUT/check.txt" || { fail "check $f: $(cat "$OUT/check.txt")"; return; }
    fi
    for flags in "${variants[@]}"; do
        # shellcheck disable=SC2086
        "$ORACLE" json $flags "$f" >"$OUT/line.json" || { fail "json $flags $f: $(head -c 300 "$OUT/line.json")"; return; }
        if grep -q '^{"file":"[^"]*","error":' "$OUT/line.json"; then
            fail "json $flags $f printed an error line"
            return
        fi
        [ -z "$flags" ] && cat "$OUT/line.json" >>"$ALL_JSON"
        [ -n "$flags" ] && [ "$(stat -c %s "$f")" -lt 1000000 ] && cat "$OUT/line.json" >>"$ALL_JSON"
    done
    ok
}

echo "== real shapes"
for s in tiny nested dict pageindex kv logical S1 S2 S3 S4 S5 S6; do
    t0=$(now)
    "$ORACLE" gen "$s" "$OUT/$s.parquet" --seed 1 || { fail "gen $s"; continue; }
    t1=$(now)
    verify "$OUT/$s.parquet" 1
    t2=$(now)
    printf '  %-10s %10d bytes  gen %ss  check+json %ss\n' "$s" "$(stat -c %s "$OUT/$s.parquet")" \
        "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")"
done

echo "== random shapes"
for seed in $(seq 1 40); do
    "$ORACLE" gen random "$OUT/random-$seed.parquet" --seed "$seed" || { fail "gen random $seed"; continue; }
    verify "$OUT/random-$seed.parquet" 0
done
for seed in $(seq 1 20); do
    "$ORACLE" gen random-small "$OUT/random-small-$seed.parquet" --seed "$seed" || { fail "gen random-small $seed"; continue; }
    verify "$OUT/random-small-$seed.parquet" 0
done
echo "  60 random files"

echo "== determinism and options"
for args in "S1 --seed 7" "S6 --seed 3" "random --seed 11" "logical --seed 2"; do
    # shellcheck disable=SC2086
    set -- $args
    "$ORACLE" gen "$1" "$OUT/det-a.parquet" "${@:2}" && "$ORACLE" gen "$1" "$OUT/det-b.parquet" "${@:2}" &&
        cmp -s "$OUT/det-a.parquet" "$OUT/det-b.parquet" && ok || fail "gen $args is not deterministic"
done
"$ORACLE" gen S1 "$OUT/s1-a.parquet" --seed 1 && "$ORACLE" gen S1 "$OUT/s1-b.parquet" --seed 2 &&
    ! cmp -s "$OUT/s1-a.parquet" "$OUT/s1-b.parquet" && ok || fail "S1 ignores --seed"
"$ORACLE" gen S1 "$OUT/s1-small.parquet" --columns 4 --rows 30 --rg-rows 7 && verify "$OUT/s1-small.parquet" 1
"$ORACLE" json "$OUT/s1-small.parquet" | grep -q '"num_rows":30,' && ok || fail "--rows not honoured"
# S3 = S2 without statistics/encoding stats: same chunks, much smaller footer.
s2=$("$ORACLE" footer "$OUT/S2.parquet" | wc -c)
s3=$("$ORACLE" footer "$OUT/S3.parquet" | wc -c)
[ "$s3" -lt $((s2 / 2)) ] && ok || fail "S3 footer ($s3) not much smaller than S2's ($s2)"
"$ORACLE" gen nope "$OUT/x.parquet" 2>/dev/null && fail "unknown shape accepted" || ok

echo "== footer, --footer-only and stdin"
for s in tiny logical S6; do
    f="$OUT/$s.parquet"
    "$ORACLE" footer "$f" >"$OUT/$s.footer" || { fail "footer $s"; continue; }
    want=$("$ORACLE" json --kv --page-index --bloom "$f" | sed 's/^{"file":"[^"]*",/{/')
    got=$("$ORACLE" json --kv --page-index --bloom --footer-only "$OUT/$s.footer" | sed 's/^{"file":"[^"]*",/{/')
    [ "$want" = "$got" ] && ok || fail "--footer-only differs for $s"
    got=$("$ORACLE" json --kv --page-index --bloom - <"$f")
    [ "${got:0:13}" = '{"file":"-","' ] && [ "$(printf '%s' "$got" | sed 's/^{"file":"-",/{/')" = "$want" ] &&
        ok || fail "stdin differs for $s"
done

echo "== error reporting"
printf 'not a parquet file' >"$OUT/bad-magic.parquet"
head -c 100 "$OUT/tiny.footer" >"$OUT/truncated.footer"
printf 'PAR1\x00\x00\x00\x00PARE' >"$OUT/encrypted.parquet"
for args in "$OUT/bad-magic.parquet" "--footer-only $OUT/truncated.footer" "$OUT/encrypted.parquet" "$OUT/missing.parquet"; do
    # shellcheck disable=SC2086
    line=$("$ORACLE" json $args)
    rc=$?
    [ $rc -eq 1 ] && [[ "$line" =~ ^\{\"file\":\"[^\"]*\",\"error\":\"thrift:\ .*\"\}$ ]] && ok ||
        fail "json $args: rc=$rc line=$line"
done
# A good file after a bad one still prints, and the exit status is 1.
n=$("$ORACLE" json "$OUT/bad-magic.parquet" "$OUT/tiny.parquet" | wc -l)
[ "$n" = 2 ] && ok || fail "json stops after a failing file"

echo "== JSON escaping"
line=$("$ORACLE" json --kv "$OUT/kv.parquet")
for want in '\u0001\u001f' 'NUL \u0000 inside' 'bad utf-8: '$'\xef\xbf\xbd''( '$'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd' \
            '\"quoted\" \\ back\tslash\nnewline' '"key":"no value","value":null' '"key":"","value":""' \
            'ünïcødé ✓ 𝄞'; do
    [[ "$line" == *"$want"* ]] && ok || fail "kv.parquet JSON lacks: $want"
done
line=$("$ORACLE" json "$OUT/logical.parquet")
for lt in STRING MAP LIST ENUM DECIMAL DATE TIME TIMESTAMP INTEGER UNKNOWN JSON BSON UUID FLOAT16 \
          VARIANT GEOMETRY GEOGRAPHY FILE; do
    [[ "$line" == *"\"logical_type\":\"$lt\"}"* ]] && ok || fail "logical.parquet lacks logical_type $lt"
done

echo "== hand-encoded footers (union edge cases, negative enum)"
# FileMetaData{version 1, schema [SchemaElement{type -7, name "r", logicalType LT}], num_rows 0,
# row_groups []}, compact protocol written out by hand; LT varies.
craft() { # LT_BYTES(printf escapes) EXPECTED_LOGICAL
    local f="$OUT/craft.footer"
    printf '\x15\x02\x19\x1c\x15\x0d\x38\x01r\x6c'"$1"'\x00\x16\x00\x19\x0c\x00' >"$f"
    local want='{"file":"'"$f"'","version":1,"num_rows":0,"created_by":null,"schema":[{"name":"r","type":-7,"type_length":null,"repetition_type":null,"num_children":null,"converted_type":null,"scale":null,"precision":null,"field_id":null,"logical_type":'"$2"'}],"row_groups":[]}'
    local got
    got=$("$ORACLE" json --footer-only "$f")
    [ "$got" = "$want" ] && ok || fail "crafted footer LT=$1: got $got"
}
craft '\x1c\x00\x2c\x00\x00' '"STRING"'   # STRING and LIST set: the lowest id wins
# present, but no member this version knows: UNRECOGNIZED, never "absent" (docs/dump-json.md)
craft '\x00' '"UNRECOGNIZED"'                # union with no member
craft '\x0c\x32\x00\x00' '"UNRECOGNIZED"' # only an unknown member (id 25)
# TIMESTAMP without its required fields: Thrift rejects the whole footer.
printf '\x15\x02\x19\x1c\x15\x0d\x38\x01r\x6c\x8c\x00\x00\x00\x16\x00\x19\x0c\x00' >"$OUT/craft.footer"
line=$("$ORACLE" json --footer-only "$OUT/craft.footer")
[ $? -eq 1 ] && [[ "$line" == *'"error":"thrift: TProtocolException: '* ]] && ok ||
    fail "missing required field inside TimestampType accepted: $line"

echo "== bench"
line=$("$ORACLE" bench --reps 3 --skip-walk "$OUT/S6.parquet")
[[ "$line" =~ ^\{\"file\":\".*\",\"footer_bytes\":[0-9]+,\"decode_ns_median\":[0-9]+,\"decode_ns_min\":[0-9]+,\"retained_bytes\":[0-9]+,\"column_chunks\":3500,\"skipwalk_ns_median\":[0-9]+,\"skipwalk_ns_min\":[0-9]+\}$ ]] &&
    ok || fail "bench line: $line"
echo "  S6: $line"
line=$("$ORACLE" bench --reps 5 --skip-walk "$OUT/S2.parquet")
echo "  S2: $line"

echo "== tests/data and corpus/examples are up to date"
DATA="$OUT/data" EXAMPLE="$OUT/example.parquet" ORACLE="$ORACLE" bash "$HERE/make-test-data.sh" >/dev/null ||
    fail "make-test-data.sh"
for f in "$OUT"/data/*.parquet; do
    committed="tests/data/$(basename "$f")"
    [ -f "$committed" ] || { fail "$committed missing (run make oracle-data)"; continue; }
    cmp -s "$f" "$committed" && ok || fail "$committed differs from make-test-data.sh output (run make oracle-data)"
done
if [ -f corpus/examples/example.parquet ]; then
    cmp -s "$OUT/example.parquet" corpus/examples/example.parquet && ok ||
        fail "corpus/examples/example.parquet is stale (run make oracle-data)"
else
    fail "corpus/examples/example.parquet missing (run make oracle-data)"
fi

echo "== every JSON line parses"
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys
# Parse every line; enums (i32 on the wire) must print as signed 32-bit values.
n = neg = 0
def enums(o):
    global neg
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("type", "codec", "converted_type", "repetition_type") and v is not None:
                assert -2**31 <= v < 2**31, (k, v)
                neg += v < 0
            enums(v)
    elif isinstance(o, list):
        for v in o:
            enums(v)
for line in open(sys.argv[1], "rb"):
    d = json.loads(line)
    assert isinstance(d, dict)
    enums(d)
    n += 1
print("  %d lines, %d negative enum values" % (n, neg))' "$ALL_JSON" && ok || fail "a JSON line does not parse or has an out-of-range enum"
else
    echo "  (python3 absent: skipped)"
fi

echo "oracle-selftest: $checks checks passed, $failures failed"
[ $failures -eq 0 ]
