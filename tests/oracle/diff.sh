#!/usr/bin/env bash
# oracle-diff: differential test of `pqfoot dump --json` against the Apache Thrift C++ oracle
# (`pqf-oracle json`). Both print the canonical line of docs/dump-json.md; they must be equal
# byte for byte for every file and flag set.
#
# Files: every *.parquet under $PQF_TESTING whose footer is not encrypted (skipped with a
# message when the folder is absent), tests/data/*.parquet, $RANDOM_COUNT random-seed files and
# S1..S6, generated into $OUT. Flag sets: none, "--page-index --bloom", "--kv".
#
# Verdicts per file and flag set:
#   equal lines                          pass
#   both reject                          pass (reported: "rejected by both")
#   Thrift rejects, pqfoot accepts       fail, unless known (kind thrift-rejects)
#   pqfoot rejects, Thrift accepts       fail, unless known (kind pqfoot-rejects)
#   both accept, lines differ            fail, unless known (kind differs); a unified diff of the
#                                        first mismatch of the file is printed
#   pqfoot crashes / prints nothing      fail, always
# Known differences are listed in tests/oracle/known-differences.txt: one per line,
# "PATTERN KIND REASON...", PATTERN a shell glob matched against the path as passed.
#
# Environment: ORACLE, PQFOOT, OUT, PQF_TESTING, RANDOM_COUNT (200), KNOWN, VARIANTS
# (newline-separated flag sets, default the three above). Ends with "N passed, N failed".
set -uo pipefail

ORACLE=${ORACLE:-build/pqf-oracle}
PQFOOT=${PQFOOT:-build/pqfoot}
OUT=${OUT:-build/oracle/diff}
PQF_TESTING=${PQF_TESTING:-../shared/parquet-testing}
RANDOM_COUNT=${RANDOM_COUNT:-200}
KNOWN=${KNOWN:-$(dirname "$0")/known-differences.txt}
VARIANTS=${VARIANTS:-$'\n--page-index --bloom\n--kv'}

for tool in "$ORACLE" "$PQFOOT"; do
    [ -x "$tool" ] || { echo "oracle-diff: $tool is not built"; exit 2; }
done
mkdir -p "$OUT/gen" "$OUT/bin"
# Work on copies: other builds may relink build/ binaries while this runs.
cp "$ORACLE" "$OUT/bin/pqf-oracle" && cp "$PQFOOT" "$OUT/bin/pqfoot" || exit 2
ORACLE="$OUT/bin/pqf-oracle" PQFOOT="$OUT/bin/pqfoot"

# ------------------------------------------------------------------------------- known list
known_pat=() known_kind=() known_why=()
if [ -f "$KNOWN" ]; then
    while read -r pat kind why; do
        case "$pat" in ''|'#'*) continue ;; esac
        case "$kind" in pqfoot-rejects|thrift-rejects|differs|any) ;;
            *) echo "oracle-diff: $KNOWN: bad kind '$kind' for $pat"; exit 2 ;; esac
        known_pat+=("$pat") known_kind+=("$kind") known_why+=("$why")
    done <"$KNOWN"
fi
known() { # FILE KIND -> prints the reason, status 0 when listed
    local i
    for i in "${!known_pat[@]}"; do
        # shellcheck disable=SC2053
        if [[ "$1" == ${known_pat[$i]} ]] && { [ "${known_kind[$i]}" = "$2" ] || [ "${known_kind[$i]}" = any ]; }; then
            printf '%s' "${known_why[$i]}"
            return 0
        fi
    done
    return 1
}

# -------------------------------------------------------------------------------- the files
files=()
if [ -d "$PQF_TESTING" ]; then
    enc=0
    while IFS= read -r -d '' f; do
        if [ "$(tail -c 4 "$f" 2>/dev/null)" = PARE ]; then enc=$((enc + 1)); continue; fi
        files+=("$f")
    done < <(find "$PQF_TESTING" -type f -name '*.parquet' -print0 | sort -z)
    echo "oracle-diff: ${#files[@]} files from $PQF_TESTING ($enc with encrypted footers skipped)"
else
    echo "oracle-diff: $PQF_TESTING absent: skipping the parquet-testing corpus"
fi
for f in tests/data/*.parquet; do [ -f "$f" ] && files+=("$f"); done
for s in $(seq 1 "$RANDOM_COUNT"); do
    f="$OUT/gen/random-$s.parquet"
    "$ORACLE" gen random "$f" --seed "$s" || { echo "oracle-diff: gen random $s failed"; exit 2; }
    files+=("$f")
done
for s in S1 S2 S3 S4 S5 S6; do
    f="$OUT/gen/$s.parquet"
    "$ORACLE" gen "$s" "$f" || { echo "oracle-diff: gen $s failed"; exit 2; }
    files+=("$f")
done

# ------------------------------------------------------------------------------ comparison
is_error() { head -c 65536 "$1" | grep -Eq '^\{"file":"([^"\\]|\\.)*","error":'; }
split_json() { sed 's/,"/,\n"/g; s/\[{/[\n{/g' "$1"; } # one key per line, for diffs

passed=0 failed=0 both_rejected=0 known_count=0
mapfile -t variants <<<"$VARIANTS"
o="$OUT/oracle.json" p="$OUT/pqfoot.json"
for f in "${files[@]}"; do
    verdict=pass
    shown_diff=0
    for v in "${variants[@]}"; do
        # shellcheck disable=SC2086
        "$ORACLE" json $v "$f" >"$o" 2>/dev/null
        # shellcheck disable=SC2086
        "$PQFOOT" dump --json $v "$f" >"$p" 2>"$OUT/pqfoot.stderr"
        prc=$?
        label="$f${v:+ [$v]}"
        if [ $prc -ge 128 ] || [ ! -s "$p" ]; then
            echo "FAIL $label: pqfoot exit status $prc, output $(stat -c %s "$p") bytes: $(head -c 200 "$OUT/pqfoot.stderr")"
            verdict=fail
            continue
        fi
        oe=0 pe=0
        is_error "$o" && oe=1
        is_error "$p" && pe=1
        kind=
        if [ $oe = 1 ] && [ $pe = 1 ]; then
            [ -z "$v" ] && { echo "rejected by both: $f: $(head -c 300 "$o" | sed 's/.*"error"://')"; both_rejected=$((both_rejected + 1)); }
            continue
        elif [ $oe = 1 ]; then
            kind=thrift-rejects
            msg="Thrift rejects ($(head -c 300 "$o" | sed 's/.*"error"://')) but pqfoot accepts"
        elif [ $pe = 1 ]; then
            kind=pqfoot-rejects
            msg="pqfoot rejects: $(head -c 400 "$p" | sed 's/^{"file":"\([^"\\]\|\\.\)*",//')"
        elif ! cmp -s "$o" "$p"; then
            kind=differs
            msg="lines differ"
        else
            continue
        fi
        if why=$(known "$f" "$kind"); then
            [ "$verdict" = pass ] && verdict=known
            [ -z "$v" ] && echo "known ($kind) $f: $why"
            continue
        fi
        echo "FAIL $label: $msg"
        verdict=fail
        if [ "$kind" = differs ] && [ $shown_diff = 0 ]; then
            shown_diff=1
            diff -u --label "oracle $label" --label "pqfoot $label" \
                <(split_json "$o") <(split_json "$p") | head -n 40
        fi
    done
    case $verdict in
        pass) passed=$((passed + 1)) ;;
        known) passed=$((passed + 1)) known_count=$((known_count + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done

echo "oracle-diff: ${#files[@]} files x ${#variants[@]} flag sets; $both_rejected rejected by both, $known_count with known differences"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
