#!/usr/bin/env bash
# make cross-check: pqfoot on other architectures, built with Debian's cross compilers and run
# under qemu-user.
#
#   bash tools/cross-check.sh [TARGET...]      TARGET: arm64 s390x i386 i386-sse2 (default: all)
#
# For each target it
#   1. builds the library, the CLI and the Check suites with -Werror (build-cross/TARGET/),
#   2. runs the Check suites and the fuzz corpus replay (C harnesses) under qemu-user (i386:
#      natively when the x86-64 kernel runs 32-bit programs),
#   3. compares `pqfoot dump --json` (plain, and with --kv --page-index --bloom) with the
#      native build, byte for byte (stdout, stderr, exit status), on tests/data, tests/cli/data,
#      corpus/examples and every Parquet file under $PQF_TESTING when present,
#   4. builds a .pqfi index of a scratch copy of the test files with both builds and compares
#      them byte for byte, then has each build verify (--thorough) the index the other wrote:
#      for s390x that is an index written on the other byte order.
# i386 is the plain i686 baseline (no SSE2: the scalar branches); i386-sse2 adds -msse2.
#
# It installs what it needs (root or sudo; see install_tools: cross binutils, C library and
# libgcc, qemu-user, and a cross gcc where that removes nothing, else clang --target), and
# the target's libzstd/libxxhash/check packages with `apt-get download` into a private sysroot
# (build-cross/sysroot-ARCH/), not with multiarch installs: those require the foreign package to
# be the same version as the host's, which fails when the host has a security update the
# foreign architecture lacks (bookworm-security has no s390x). Architectures it had to add with
# `dpkg --add-architecture` to download are removed again at the end.
# CROSS_NO_DEPS=1 skips every installation (everything must be there already).
# Run from anywhere; the native build is build/ (made with `make all` first).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
OUT=$ROOT/build-cross
PQF_TESTING=${PQF_TESTING:-../shared/parquet-testing}
JOBS=${JOBS:-2}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(arm64 s390x i386 i386-sse2)
DEV_PKGS=(libzstd1 libzstd-dev libxxhash0 libxxhash-dev check libsubunit0 libsubunit-dev)

log() { echo "cross-check: $*"; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

# target -> Debian architecture, compiler triplet, multiarch directory, qemu, extra CFLAGS, and
# Check's fork mode for qemu. i386 programs run natively where the x86-64 kernel can run them
# (see the main loop): qemu-i386 7.2 spins forever in Check's forked test children and in
# test_dataset even in-process, while the same binaries pass natively in seconds. Without native
# i386 support they go through qemu-i386 in-process (CK_FORK=no).
target_vars() {
    case "$1" in
        arm64) ARCH=arm64 TRIPLET=aarch64-linux-gnu MULTI=aarch64-linux-gnu QEMU=qemu-aarch64 EXTRA= FORK=yes ;;
        s390x) ARCH=s390x TRIPLET=s390x-linux-gnu MULTI=s390x-linux-gnu QEMU=qemu-s390x EXTRA= FORK=yes ;;
        i386) ARCH=i386 TRIPLET=i686-linux-gnu MULTI=i386-linux-gnu QEMU=qemu-i386 EXTRA= FORK=no ;;
        i386-sse2) ARCH=i386 TRIPLET=i686-linux-gnu MULTI=i386-linux-gnu QEMU=qemu-i386 EXTRA=-msse2 FORK=no ;;
        *) echo "cross-check: unknown target $1 (arm64 s390x i386 i386-sse2)" >&2; exit 2 ;;
    esac
    SYSROOT=$OUT/sysroot-$ARCH
}

# The compiler for the target: gcc where Debian's cross gcc (or, for i386, gcc-multilib's -m32)
# is installed, else clang --target, which needs only the cross binutils, libc and libgcc.
pick_compiler() {
    TOOL_AR=$TRIPLET-ar
    if [ "$ARCH" = i386 ] && dpkg-query -W -f='${Status}' gcc-multilib 2>/dev/null | grep -q 'install ok installed'; then
        TOOL_CC="gcc -m32"
    elif command -v "$TRIPLET-gcc" >/dev/null; then
        TOOL_CC=$TRIPLET-gcc
    else
        TOOL_CC="clang --target=$TRIPLET"
    fi
}

# ------------------------------------------------------------------ tools ---
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# qemu-user, and per target the cross binutils, C library and libgcc: these coexist with
# everything. Debian's cross gcc packages conflict with gcc-multilib, so gcc-TRIPLET is added
# only when apt would remove nothing for it; otherwise clang --target builds (pick_compiler).
install_tools() {
    local pkgs=(qemu-user clang) missing=() t
    for t in "${TARGETS[@]}"; do
        target_vars "$t"
        pkgs+=("binutils-$TRIPLET" "libc6-dev-$ARCH-cross" "libgcc-12-dev-$ARCH-cross")
    done
    for t in $(printf '%s\n' "${pkgs[@]}" | sort -u); do installed "$t" || missing+=("$t"); done
    export DEBIAN_FRONTEND=noninteractive
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        $SUDO apt-get update -qq || true
        $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
    fi
    for t in "${TARGETS[@]}"; do
        target_vars "$t"
        [ "$ARCH" = i386 ] && installed gcc-multilib && continue
        installed "gcc-$TRIPLET" && continue
        if apt-get install -s --no-install-recommends "gcc-$TRIPLET" 2>/dev/null | grep -q '^Remv'; then
            log "not installing gcc-$TRIPLET (it would remove installed packages): clang builds $t"
        else
            $SUDO apt-get install -y -qq --no-install-recommends "gcc-$TRIPLET" >/dev/null ||
                log "gcc-$TRIPLET failed to install: clang builds $t"
        fi
    done
}

# ------------------------------------------------- the target's -dev files ---
ADDED_ARCHES=()
restore_arches() {
    [ ${#ADDED_ARCHES[@]} -eq 0 ] && return 0
    local a
    for a in "${ADDED_ARCHES[@]}"; do $SUDO dpkg --remove-architecture "$a" || true; done
    log "removed the architectures added for downloads (${ADDED_ARCHES[*]})"
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    ADDED_ARCHES=()
}
trap restore_arches EXIT

# Downloads DEV_PKGS for $ARCH and unpacks them into $SYSROOT (once).
fetch_sysroot() {
    [ -f "$SYSROOT/.complete" ] && return 0
    if [ -n "${CROSS_NO_DEPS:-}" ]; then
        log "$ARCH: $SYSROOT is missing and CROSS_NO_DEPS is set"
        return 1
    fi
    if ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
        $SUDO dpkg --add-architecture "$ARCH" || return 1
        ADDED_ARCHES+=("$ARCH")
        # a partial mirror failure (another architecture's index) must not stop us
        $SUDO apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported errors (going on)"
    fi
    local debs=$OUT/debs-$ARCH p
    rm -rf "$debs" "$SYSROOT" && mkdir -p "$debs" "$SYSROOT"
    for p in "${DEV_PKGS[@]}"; do
        (cd "$debs" && apt-get download -qq "$p:$ARCH" >/dev/null 2>&1) || {
            log "$ARCH: cannot download $p:$ARCH"
            return 1
        }
    done
    for p in "$debs"/*.deb; do dpkg-deb -x "$p" "$SYSROOT" || return 1; done
    touch "$SYSROOT/.complete"
}

# ------------------------------------------------------------ comparisons ---
# The files dump --json runs on.
dump_inputs() {
    local d
    for d in tests/data tests/cli/data corpus/examples "$PQF_TESTING"; do
        [ -d "$d" ] && find "$d" -type f \( -name '*.parquet' -o -name '*.parquet.encrypted' \)
    done | sort
}

# run_pair NAME ARGS...: the native and the cross CLI on the same arguments; 0 if stdout,
# stderr and exit status agree. $CROSS_CLI and $NATIVE_CLI are set by the caller.
run_pair() {
    local name=$1 w=$WORK/pair
    shift
    "$NATIVE_CLI" "$@" >"$w.n.out" 2>"$w.n.err"
    echo "exit $?" >>"$w.n.out"
    $QEMU_RUN "$CROSS_CLI" "$@" >"$w.c.out" 2>"$w.c.err"
    echo "exit $?" >>"$w.c.out"
    if cmp -s "$w.n.out" "$w.c.out" && cmp -s "$w.n.err" "$w.c.err"; then return 0; fi
    echo "  DIFF $name: $*"
    diff <(cat "$w.n.out" "$w.n.err") <(cat "$w.c.out" "$w.c.err") | head -n 6 | sed 's/^/    /'
    return 1
}

compare_dumps() {
    local f n=0 bad=0
    while IFS= read -r f; do
        n=$((n + 1))
        run_pair dump dump --json "$f" || bad=$((bad + 1))
        run_pair dump-all dump --json --kv --page-index --bloom "$f" || bad=$((bad + 1))
    done < <(dump_inputs)
    echo "$n files, $((2 * n)) dumps, $bad differ"
    [ "$bad" -eq 0 ]
}

# same_sections A B: the two .pqfi files hold the same sections (docs/index-format.md: header,
# table of id/codec/offset/stored/size/XXH64 of the decompressed bytes, zstd frames or stored
# data) once decompressed: header bytes 0-15, each section's id, size, hash and contents.
same_sections() {
    python3 - "$1" "$2" <<'PY'
import struct, subprocess, sys
def sections(path):
    b = open(path, 'rb').read()
    n, = struct.unpack_from('<I', b, 24)
    out = []
    for i in range(n):
        sid, codec, off, stored, size, h = struct.unpack_from('<IIQQQQ', b, 32 + 40 * i)
        data = b[off:off + stored]
        if codec == 1:
            data = subprocess.run(['zstd', '-dcq'], input=data, capture_output=True, check=True).stdout
        out.append((sid, size, h, data))
    return b[:16], out
a, b = sections(sys.argv[1]), sections(sys.argv[2])
for (ia, sa, ha, da), (ib, sb, hb, db) in zip(a[1], b[1]):
    # stored sizes differ with the frames; length (bytes 16-23) with them
    print("    section %d: %d bytes, %s" % (ia, len(da), "same" if (ia, sa, ha, da) == (ib, sb, hb, db) else "DIFFERENT"))
sys.exit(0 if a == b else 1)
PY
}

compare_index() {
    local d=$WORK/dataset rc=0
    rm -rf "$d" && mkdir -p "$d/sub"
    cp -p tests/data/*.parquet "$d/" 2>/dev/null
    cp -p tests/cli/data/crafted.parquet tests/cli/data/many_row_groups.parquet corpus/examples/*.parquet "$d/sub/" 2>/dev/null
    "$NATIVE_CLI" index build "$d" -o "$d/native.pqfi" -q || { echo "  native index build failed"; return 1; }
    $QEMU_RUN "$CROSS_CLI" index build "$d" -o "$d/cross.pqfi" -q || { echo "  cross index build failed"; return 1; }
    if cmp -s "$d/native.pqfi" "$d/cross.pqfi"; then
        echo "  .pqfi identical ($(wc -c <"$d/native.pqfi") bytes, $(find "$d" -name '*.parquet' | wc -l) files)"
    elif same_sections "$d/native.pqfi" "$d/cross.pqfi"; then
        # zstd promises to decode anywhere, not to compress to the same bytes everywhere
        echo "  .pqfi: every section identical once decompressed; the zstd frames differ" \
             "($(wc -c <"$d/native.pqfi") vs $(wc -c <"$d/cross.pqfi") bytes)"
    else
        echo "  DIFF: the .pqfi files differ"
        rc=1
    fi
    cp "$d/native.pqfi" "$OUT/$TARGET.native.pqfi" && cp "$d/cross.pqfi" "$OUT/$TARGET.cross.pqfi"
    # each build loads and verifies the index the other one wrote
    if "$NATIVE_CLI" index verify --thorough "$d/cross.pqfi" >"$WORK/v.out" 2>&1; then
        echo "  native build verifies the $TARGET-written index"
    else
        echo "  FAIL: native build cannot verify the $TARGET-written index:"; sed 's/^/    /' "$WORK/v.out" | head
        rc=1
    fi
    if $QEMU_RUN "$CROSS_CLI" index verify --thorough "$d/native.pqfi" >"$WORK/v.out" 2>&1; then
        echo "  $TARGET build verifies the natively written index"
    else
        echo "  FAIL: $TARGET build cannot verify the natively written index:"; sed 's/^/    /' "$WORK/v.out" | head
        rc=1
    fi
    return $rc
}

# ------------------------------------------------------------------- main ---
[ -z "${CROSS_NO_DEPS:-}" ] && install_tools
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; restore_arches' EXIT
trap 'exit 130' INT TERM

log "native build (build/)"
nice -n 10 make -s -j"$JOBS" all >/dev/null || { echo "cross-check: native make all failed" >&2; exit 1; }
NATIVE_CLI=$ROOT/build/pqfoot
FUZZ_C=$(ls fuzz/fuzz_*.c | sed 's#^fuzz/\(.*\)\.c$#\1#' | tr '\n' ' ')

declare -A RESULT=()
for TARGET in "${TARGETS[@]}"; do
    target_vars "$TARGET"
    pick_compiler
    log "=== $TARGET ($TOOL_CC $EXTRA)"
    if ! command -v "${TOOL_CC%% *}" >/dev/null || ! command -v "$QEMU" >/dev/null; then
        RESULT[$TARGET]="SKIPPED (no ${TOOL_CC%% *} or $QEMU)"; continue
    fi
    if ! fetch_sysroot; then
        RESULT[$TARGET]="SKIPPED (no $ARCH libzstd/libxxhash/check packages)"; continue
    fi
    BUILD=build-cross/$TARGET
    LIBDIR_T=$SYSROOT/usr/lib/$MULTI
    # the C fuzz harnesses only: the C++ ones need the Thrift oracle
    MAKEVARS=(BUILD="$BUILD" CC="$TOOL_CC" AR="$TOOL_AR" WERROR=-Werror FUZZ_NAMES="$FUZZ_C"
              CFLAGS="-O2 -g $EXTRA -isystem $SYSROOT/usr/include -isystem $SYSROOT/usr/include/$MULTI"
              LDFLAGS="-L$LIBDIR_T -Wl,-rpath,$LIBDIR_T")
    export PKG_CONFIG_LIBDIR=$LIBDIR_T/pkgconfig PKG_CONFIG_SYSROOT_DIR=$SYSROOT
    QEMU_RUN="$QEMU -L /usr/$TRIPLET"
    status=""
    if ! nice -n 10 make -s -j"$JOBS" "${MAKEVARS[@]}" lib-and-tools fuzz-replay-bins \
            $(ls tests/test_*.c | sed "s#^tests/\(.*\)\.c#$BUILD/tests/\1#") >"$OUT/$TARGET.build.log" 2>&1; then
        tail -n 30 "$OUT/$TARGET.build.log"
        RESULT[$TARGET]="FAIL (build; $OUT/$TARGET.build.log)"; unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR; continue
    fi
    if [ "$ARCH" = i386 ] && "$BUILD/pqfoot" --version >/dev/null 2>&1; then
        QEMU_RUN="" FORK=yes
        log "$TARGET: built; the kernel runs i386 programs: suites and comparisons run natively"
    else
        log "$TARGET: built; running the Check suites under $QEMU (CK_FORK=$FORK)"
    fi
    # qemu is slow: Check's per-test timeouts scaled up
    # (a hang must not stall the whole run: at most 30 minutes per target)
    # (and an emulated process's resident set is the emulator's: tests skip RSS checks)
    if PQF_TEST_EMULATED=${QEMU_RUN:+1} CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-20} timeout 1800 nice -n 10 \
            make -s "${MAKEVARS[@]}" CK_FORK=$FORK TEST_RUNNER="$QEMU_RUN" unit-tests >"$OUT/$TARGET.tests.log" 2>&1; then
        status+="suites pass; "
    else
        status+="SUITES FAIL; "
    fi
    grep -E '^[0-9]+%: Checks|^==|SKIP|Failures|Errors' "$OUT/$TARGET.tests.log" | sed 's/^/  /'
    if nice -n 10 make -s "${MAKEVARS[@]}" TEST_RUNNER="$QEMU_RUN" fuzz-replay-run \
            >"$OUT/$TARGET.replay.log" 2>&1; then
        status+="fuzz replay passes; "
    else
        status+="FUZZ REPLAY FAILS ($OUT/$TARGET.replay.log); "
    fi
    tail -n 3 "$OUT/$TARGET.replay.log" | sed 's/^/  /'
    unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
    CROSS_CLI=$ROOT/$BUILD/pqfoot
    log "$TARGET: dump --json against the native build"
    if compare_dumps >"$WORK/dumps.txt"; then status+="dumps identical ($(tail -n 1 "$WORK/dumps.txt")); "
    else status+="DUMPS DIFFER ($(tail -n 1 "$WORK/dumps.txt")); "; fi
    sed 's/^/  /' "$WORK/dumps.txt" | tail -n 40
    log "$TARGET: .pqfi against the native build"
    if compare_index; then status+="index equal (bytes, or sections once decompressed) and cross-loadable"
    else status+="INDEX CHECK FAILED"; fi
    RESULT[$TARGET]="$TOOL_CC: $status"
done

echo
echo "cross-check summary:"
rc=0
for TARGET in "${TARGETS[@]}"; do
    echo "  $TARGET: ${RESULT[$TARGET]:-not run}"
    case "${RESULT[$TARGET]:-}" in *FAIL*|*DIFFER*|SKIPPED*|"") rc=1 ;; esac
done
exit $rc
