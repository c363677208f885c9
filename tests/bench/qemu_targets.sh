#!/bin/sh
# Checks bench/qemu-report.json (written by bench/qemu/run.sh) against the Cortex-M4 boot-time
# targets of docs/performance.md: every row's value <= its target_max, and every row present.
# Usage: sh tests/bench/qemu_targets.sh REPORT.json   (exit 0 = every target met)
set -eu
J="${1:?usage: qemu_targets.sh REPORT.json}"
[ -r "$J" ] || { echo "qemu_targets: cannot read $J" >&2; exit 2; }
# One row object per line (run.sh writes it so): {"name": "...", "value": N, ..., "target_max": T}
awk '
function field(line, key,   v) {
    if (!match(line, "\"" key "\": [^,}]*")) return ""
    v = substr(line, RSTART, RLENGTH); sub(/^[^:]*: */, "", v); gsub(/"/, "", v); return v
}
/"name": / { n = field($0, "name"); v[n] = field($0, "value"); t[n] = field($0, "target_max") }
END {
    want = "ecdsa_verify sha256_per_byte boot_normal_480k_2x2 boot_normal_480k_digest " \
           "boot_install_480k_2x2 boot_install_480k_2x2_copy boot_normal_480k_policy_install_only"
    k = split(want, names, " ")
    bad = 0
    for (i = 1; i <= k; i++) {
        n = names[i]
        if (!(n in v) || v[n] == "" || t[n] == "") { printf "%s: missing from the report: NOT MET\n", n; bad = 1; continue }
        ok = v[n] + 0 <= t[n] + 0
        printf "%s: %s <= %s: %s\n", n, v[n], t[n], ok ? "met" : "NOT MET"
        if (!ok) bad = 1
    }
    exit bad
}' "$J"
