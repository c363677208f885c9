#!/bin/sh
# size-report.sh SIZE-TOOL LIB.a...: one line per library, text/data/bss summed over its objects.
set -eu
size=$1; shift
printf '%-18s %8s %8s %8s\n' library text data bss
for lib in "$@"; do
    "$size" -t "$lib" | awk -v n="$(basename "$lib" .a)" '/\(TOTALS\)/ { printf "%-18s %8d %8d %8d\n", n, $1, $2, $3 }'
done
