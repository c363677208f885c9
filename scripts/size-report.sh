#!/bin/sh
# size-report.sh SIZE-TOOL LIB.a...: one line per library, text/data/bss summed over its objects.
# With REPORT=FILE it also writes them machine-readable, `size.lib.<library>.text|data|bss N`
# lines (the figures of README.md/docs, docs/figures.md).
set -eu
size=$1; shift
printf '%-18s %8s %8s %8s\n' library text data bss
[ -z "${REPORT:-}" ] || : > "$REPORT.tmp"
for lib in "$@"; do
    line=$("$size" -t "$lib" | awk -v n="$(basename "$lib" .a)" '/\(TOTALS\)/ { printf "%-18s %8d %8d %8d\n", n, $1, $2, $3 }')
    echo "$line"
    [ -z "${REPORT:-}" ] || echo "$line" | awk '{ n = $1; sub(/^lib/, "", n)
        printf "size.lib.%s.text %d\nsize.lib.%s.data %d\nsize.lib.%s.bss %d\n", n, $2, n, $3, n, $4 }' >> "$REPORT.tmp"
done
if [ -n "${REPORT:-}" ]; then
    mv "$REPORT.tmp" "$REPORT"
    echo "(machine-readable: $REPORT)"
fi
