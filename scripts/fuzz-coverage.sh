#!/bin/sh
# What a fuzz target's seed corpus reaches: clang source-based coverage of the replay binary
# run over the corpus (no mutations), per function. docs/fuzzing.md.
#
#   scripts/fuzz-coverage.sh otas_gatt src/dfu src/ota/ota.c     functions of these sources
#   scripts/fuzz-coverage.sh boot                                   every bleota source it links
#   FUZZ_COV_FUNCS='checkpoint|resume' scripts/fuzz-coverage.sh otas_gatt src   only matching
#   FUZZ_COV_FILES=1 scripts/fuzz-coverage.sh sdfu src/sdfu        per file, and the total
#   FUZZ_COV_SHOW='flush bo_dfu_blank' ...   then these functions line by line, with counts
#
# Build directory: FUZZ_COV_BUILD (default build/fuzz-cov). Output: llvm-cov's table (regions,
# lines, branches per function); the profile stays in $FUZZ_COV_BUILD/cov-<name>.profdata for
# `llvm-cov show` (line by line).
set -eu
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 TARGET [SOURCE-PATH...]" >&2; exit 2; }
n=$1
shift
B=${FUZZ_COV_BUILD:-build/fuzz-cov}
command -v clang >/dev/null 2>&1 || { echo "fuzz-coverage: clang needed" >&2; exit 2; }
cov=llvm-cov
prof=llvm-profdata
command -v $cov >/dev/null 2>&1 || cov=llvm-cov-14
command -v $prof >/dev/null 2>&1 || prof=llvm-profdata-14
if [ ! -f "$B/CMakeCache.txt" ]; then
    CC=clang cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Debug -DBO_SANITIZE=OFF \
        -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
        -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" >/dev/null
fi
cmake "$B" >/dev/null
nice cmake --build "$B" -j"${FUZZ_JOBS:-2}" --target "fuzz_$n" >/dev/null
corpus=$(awk -v n="$n" '$1 == n {print $2}' "$B/fuzz-targets.txt")
raw="$B/cov-$n.profraw"
rm -f "$raw"
LLVM_PROFILE_FILE="$raw" "$B/bin/fuzz_$n" "$corpus" 0 >/dev/null
$prof merge -o "$B/cov-$n.profdata" "$raw"
paths=""
for p in "$@"; do
    paths="$paths $(pwd)/$p"
done
[ -n "$paths" ] || paths="$(pwd)/src $(pwd)/tools"
if [ -n "${FUZZ_COV_FILES:-}" ]; then
    $cov report "$B/bin/fuzz_$n" -instr-profile="$B/cov-$n.profdata" $paths | sed "s|$(pwd)/||"
    exit 0
fi
$cov report "$B/bin/fuzz_$n" -instr-profile="$B/cov-$n.profdata" -show-functions $paths |
    if [ -n "${FUZZ_COV_FUNCS:-}" ]; then grep -E "^File '|^Name|${FUZZ_COV_FUNCS}"; else cat; fi |
    sed "s|$(pwd)/||"
for f in ${FUZZ_COV_SHOW:-}; do
    echo
    $cov show "$B/bin/fuzz_$n" -instr-profile="$B/cov-$n.profdata" -name="$f" $paths |
        sed "s|$(pwd)/||"
done
