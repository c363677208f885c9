#!/bin/sh
# Checks a bleota-bench JSON report (bench/report.json or a fresh one) against the targets of
# docs/performance.md: per scenario, bleota_s <= 1.10 x link_limit_s on fast, 1.05 x on phone,
# 1.02 x on legacy; stock_s < reference_s everywhere. A missing or failed (null) figure fails.
# Usage: sh tests/bench/targets.sh REPORT.json   (exit 0 = every target met)
set -eu
J="${1:?usage: targets.sh REPORT.json}"
[ -r "$J" ] || { echo "targets: cannot read $J" >&2; exit 2; }
# The report has one scenario object per "    \"name\": {" line and its figures one per line
# at six spaces (bench/report.c writes it so).
awk '
function num(line,   v) { v = line; sub(/^[^:]*: */, "", v); sub(/,$/, "", v); return v }
/^    "(fast|phone|legacy)": \{/ { s = $1; gsub(/[":]/, "", s); seen[s] = 1 }
/^      "link_limit_s":/ { lim[s] = num($0) }
/^      "bleota_s":/     { b[s] = num($0) }
/^      "stock_s":/      { st[s] = num($0) }
/^      "reference_s":/  { r[s] = num($0) }
END {
    t["fast"] = 1.10; t["phone"] = 1.05; t["legacy"] = 1.02
    bad = 0
    n = split("fast phone legacy", names, " ")
    for (i = 1; i <= n; i++) {
        k = names[i]
        if (!(k in seen)) { printf "%s: missing from the report\n", k; bad = 1; continue }
        if (b[k] == "" || b[k] == "null" || lim[k] == "") {
            printf "%s: bleota failed or missing: NOT MET\n", k; bad = 1
        } else if (b[k] + 0 > t[k] * lim[k]) {
            printf "%s: bleota %.3f s = %.3fx the link limit %.3f s > %.2fx: NOT MET\n", k, b[k], b[k] / lim[k], lim[k], t[k]; bad = 1
        } else {
            printf "%s: bleota %.3f s = %.3fx the link limit (<= %.2fx): met\n", k, b[k], b[k] / lim[k], t[k]
        }
        if (st[k] == "" || st[k] == "null" || r[k] == "" || r[k] == "null") {
            printf "%s: stock or reference failed or missing: NOT MET\n", k; bad = 1
        } else if (st[k] + 0 >= r[k] + 0) {
            printf "%s: stock %.3f s >= reference %.3f s: NOT MET\n", k, st[k], r[k]; bad = 1
        } else {
            printf "%s: stock %.3f s < reference %.3f s: met\n", k, st[k], r[k]
        }
    }
    exit bad
}' "$J"
