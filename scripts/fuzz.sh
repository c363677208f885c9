#!/bin/sh
# bleota fuzzing campaign: every fuzz target under libFuzzer (ASan+UBSan), one after the other,
# then fuzz/report.md with executions, coverage and findings per target. docs/fuzzing.md.
#
#   scripts/fuzz.sh                       every target, FUZZ_SECONDS each
#   scripts/fuzz.sh boot sdfu=600         some targets; NAME=SECONDS sets that target's time
#   scripts/fuzz.sh img_md=3600/10000000  NAME=SECONDS/RUNS: stop at whichever comes first
#
# Environment:
#   FUZZ_SECONDS  seconds per target (default 180)
#   FUZZ_BUILD    build directory (default build/fuzz; configured with CC=clang if needed)
#   FUZZ_JOBS     parallel compile jobs (default 2)
#   FUZZ_NICE     niceness of the fuzzers (default 19: the machine stays usable)
#   FUZZ_MERGE    1: afterwards, the fewest inputs reaching every edge are merged into the seed
#                 folder (tests/.../corpus/<name>/, what the ctest replay runs); 2: merge only
#   FUZZ_REPORT   the report (default fuzz/report.md)
#   FUZZ_SRC      source tree to build (default: this one), e.g. a copy taken while other
#                 work goes on: the campaign then fuzzes that copy and merges into its seeds
# Working corpora: $FUZZ_BUILD/corpus/<name> (kept); crashes, timeouts, leaks:
# $FUZZ_BUILD/artifacts/<name>/; results: $FUZZ_BUILD/results/<name>.txt (the report lists the
# latest of every target: a campaign can run in parts). Exit 1 when a target found something.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_DEFAULT=${FUZZ_SECONDS:-180}
B=${FUZZ_BUILD:-build/fuzz}
JOBS=${FUZZ_JOBS:-2}
NICE=${FUZZ_NICE:-19}
MERGE=${FUZZ_MERGE:-0}
REPORT=${FUZZ_REPORT:-fuzz/report.md}
SRC=${FUZZ_SRC:-.}

command -v clang >/dev/null 2>&1 || {
    echo "fuzz: clang is needed for libFuzzer (Debian: apt-get install clang)" >&2
    exit 2
}
if [ ! -f "$B/CMakeCache.txt" ]; then
    CC=clang cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBO_SANITIZE=ON \
        -DBO_LIBFUZZER=ON >/dev/null
else
    cmake "$B" >/dev/null
fi
LIST="$B/fuzz-targets.txt"
all=$(awk '{print $1}' "$LIST")
[ $# -gt 0 ] || set -- $all
names=""
for spec in "$@"; do
    n=${spec%%=*}
    grep -q "^$n " "$LIST" || { echo "fuzz: no target '$n' (have: $(echo $all))" >&2; exit 2; }
    names="$names fuzz-$n"
done
nice -n "$NICE" cmake --build "$B" -j"$JOBS" --target $names >/dev/null

mkdir -p "$B/results" "$(dirname "$REPORT")"
found=0
for spec in "$@"; do
    n=${spec%%=*}
    secs=$SECONDS_DEFAULT
    runs=-1
    case $spec in
    *=*/*) secs=${spec#*=}; runs=${secs#*/}; secs=${secs%%/*} ;;
    *=*) secs=${spec#*=} ;;
    esac
    seeds=$(awk -v n="$n" '$1 == n {print $2}' "$LIST")
    maxlen=$(awk -v n="$n" '$1 == n {print $3}' "$LIST")
    work="$B/corpus/$n"
    art="$B/artifacts/$n"
    mkdir -p "$work" "$art"
    before=$(ls "$art" | wc -l)
    log="$B/results/$n.log"
    rc=0
    if [ "$MERGE" != 2 ]; then
        echo "fuzz: $n for ${secs}s$( [ "$runs" -ge 0 ] && echo " or $runs runs") (log: $log)"
        start=$(date +%s)
        set +e
        nice -n "$NICE" "$B/bin/fuzz-$n" -max_total_time="$secs" -runs="$runs" \
            -max_len="$maxlen" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$art/" "$work" "$seeds" >"$log" 2>&1
        rc=$?
        set -e
        took=$(($(date +%s) - start))
    fi
    after=$(ls "$art" | wc -l)
    merged=0
    if [ "$MERGE" != 0 ] && [ "$rc" = 0 ]; then
        # the smallest set of inputs reaching every edge the seeds and the corpus reach (greedy
        # set cover, hit counts ignored) replaces the earlier merges (<sha1> names)
        m="$B/merge/$n"
        rm -rf "$m" && mkdir -p "$m"
        nice -n "$NICE" "$B/bin/fuzz-$n" -set_cover_merge=1 -use_counters=0 -max_len="$maxlen" \
            "$m" "$seeds" "$work" >"$B/results/$n.merge.log" 2>&1 || true
        find "$seeds" -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
        own=$(for f in "$seeds"/*; do sha1sum <"$f"; done)
        for f in "$m"/*; do # (merged: the inputs the hand-made seeds did not have)
            echo "$own" | grep -q "$(sha1sum <"$f" | cut -c1-40)" ||
                { cp "$f" "$seeds/"; merged=$((merged + 1)); }
        done
    fi
    if [ "$MERGE" = 2 ]; then # keep the run's figures, update its seed counts
        awk -v m="$merged" -v s="$(ls "$seeds" | wc -l)" '{$12 = m; $13 = s; print}' \
            "$B/results/$n.txt" >"$B/results/$n.tmp" && mv "$B/results/$n.tmp" "$B/results/$n.txt"
        continue
    fi
    findings=$((after - before))
    [ "$rc" = 0 ] || [ "$findings" -gt 0 ] || findings=1 # died without an artifact
    [ "$findings" = 0 ] || found=1
    # the last coverage line and the final statistics of libFuzzer
    awk -v n="$n" -v took="$took" -v rc="$rc" -v findings="$findings" -v merged="$merged" \
        -v when="$(date -u +%Y-%m-%dT%H:%MZ)" -v seeds="$(ls "$seeds" | wc -l)" '
        /cov: [0-9]+ ft: [0-9]+/ {
            for (i = 1; i <= NF; i++) {
                if ($i == "cov:") cov = $(i + 1)
                if ($i == "ft:") ft = $(i + 1)
                if ($i == "corp:") { corp = $(i + 1); sub("/.*", "", corp) }
            }
        }
        /^stat::number_of_executed_units:/ { execs = $2 }
        /^stat::average_exec_per_sec:/ { eps = $2 }
        /^stat::peak_rss_mb:/ { rss = $2 }
        END {
            printf "%s %s %d %s %s %s %s %s %s %s %d %s %s\n", n, when, took, execs + 0, eps + 0,
                cov + 0, ft + 0, corp + 0, rss + 0, findings, rc, merged, seeds
        }' "$log" >"$B/results/$n.txt"
    echo "fuzz: $n: $(cut -d' ' -f4 "$B/results/$n.txt") executions, cov $(cut -d' ' -f6 \
        "$B/results/$n.txt"), findings $findings"
done

# ---- the report: the latest result of every target -------------------------------------------
{
    echo "# Fuzzing campaign report"
    echo
    echo "Written by \`scripts/fuzz.sh\` (\`make fuzz\`, docs/fuzzing.md): libFuzzer with ASan+UBSan,"
    echo "$(clang --version | head -n 1), on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
    echo "one target at a time at nice $NICE. Each row is the target's latest run (UTC)."
    echo "*Executions* are inputs run in that campaign, *edges* libFuzzer's \`cov:\` (coverage edges"
    echo "of the instrumented bleota code), *features* its \`ft:\`, *corpus* the inputs it kept;"
    echo "*seeds* the files of the seed folder (replayed by ctest, label fuzz), of which *merged*"
    echo "form the smallest set reaching every edge the campaign reached."
    echo
    echo "| target | run at | seconds | executions | exec/s | edges | features | corpus | seeds (merged) | findings |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in $all; do
        r="$B/results/$n.txt"
        [ -f "$r" ] || { echo "| $n | not run | | | | | | | | |"; continue; }
        awk '{ printf "| %s | %s | %d | %\047d | %\047d | %d | %d | %d | %d (+%d) | %s |\n",
               $1, $2, $3, $4, $5, $6, $7, $8, $13, $12, ($10 == 0 ? "none" : $10) }' "$r"
    done
    echo
    echo "## Findings"
    echo
    any=0
    for n in $all; do
        r="$B/results/$n.txt"
        [ -f "$r" ] || continue
        if [ "$(cut -d' ' -f10 "$r")" != 0 ]; then
            any=1
            echo "- **$n**: $(grep -m1 -E 'ERROR|property broken|deadly signal|Timeout|out-of-memory' \
                "$B/results/$n.log" | sed 's/^==[0-9]*==//')"
            echo "  artifacts in \`$B/artifacts/$n/\`, log \`$B/results/$n.log\`"
        fi
    done
    [ "$any" = 1 ] || echo "None in these runs: no crash, sanitizer report, broken property, timeout or leak."
    if ls fuzz/findings/*.bin >/dev/null 2>&1; then
        echo
        echo "Open findings known from earlier runs (tolerated by their targets so the campaign goes"
        echo "on; \`fuzz/findings/README.md\` has each one and how to reproduce it):"
        echo
        for f in fuzz/findings/*.bin; do
            echo "- \`$f\`"
        done
    fi
} >"$REPORT"
echo "fuzz: report written to $REPORT"
exit $found
