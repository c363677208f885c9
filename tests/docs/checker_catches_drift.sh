#!/bin/bash
# docs_figures_checker_catches_drift: scripts/figures.py (docs/figures.md) on a scratch tree with
# its own reports: it passes when every marked figure equals its report; it fails, one line per
# figure naming file:line, the figure, the report's value and `make figures`, on a changed
# figure, a name no report has and a malformed marker, and ignores markers shown as code;
# --update rewrites the changed figure (and leaves the rest alone); --list and --dump show the
# figures; a missing report is named with the command that makes it.
set -euo pipefail
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
CHK="$BO_SOURCE_DIR/scripts/figures.py"
T="$BO_TMP/docs-figures"
rm -rf "$T"
mkdir -p "$T/root/docs" "$T/root/bench" "$T/size" "$T/rep"
cat > "$T/root/bench/report.json" <<'EOF'
{
  "image": {"bytes": 491520, "format": "signed-digest"},
  "scenarios": {
    "fast": {"link_limit_s": 3.022, "bleota_s": 3.114, "stock_on_reference_s": null}
  }
}
EOF
printf '# counts\naes128_cbc_ipb 56.13\nsha256_ipb 58.94\nota_path_ipb 140.67\n' > "$T/root/bench/qemu-insns.txt"
printf 'size.boot.flash 20144\nsize.demo.ota_stack_mbedtls.flash 32901\n' > "$T/size/size-fw.txt"
printf 'powerloss.dfu_every_op.cut_points 25179\n' > "$T/rep/powerloss.dfu_every_op.txt"
cat > "$T/root/README.md" <<'EOF'
# x

Bootloader <!--fig:size.boot.flash-->20 144<!--/fig--> B, OTA <!--fig:size.demo.ota_stack_mbedtls.flash k%.1f-->32.9<!--/fig--> KB.
fast: <!--fig:bench.fast.bleota_s %.2f-->3.11<!--/fig--> s = <!--fig:bench.fast.bleota_ratio %.2f-->1.03<!--/fig-->x, <!--fig:bench.image.format-->signed-digest<!--/fig-->.
EOF
cat > "$T/root/docs/a.md" <<'EOF'
Cut points: <!--fig:powerloss.dfu_every_op.cut_points-->25 179<!--/fig-->; ratio
<!--fig:qemu.ota_path_ratio %.3f-->1.222<!--/fig-->, <!--fig:qemu.ota_path_ipb %.0f-->141<!--/fig--> insns.
EOF
run() {
    python3 "$CHK" --root "$T/root" --size-dir "$T/size" --report-dir "$T/rep" "$@"
}
run --dump "$T/rep/figures.txt" > "$T/ok.out" || { cat "$T/ok.out"; fail "a tree whose figures match failed"; }
grep -q '^figures: 8 marked in 2 files, 0 problems' "$T/ok.out" || fail "summary: $(cat "$T/ok.out")"
grep -qx 'bench.fast.bleota_s 3.114' "$T/rep/figures.txt" || fail "--dump lacks bench.fast.bleota_s"
grep -qx 'size.boot.flash 20144' "$T/rep/figures.txt" || fail "--dump lacks size.boot.flash"
run --list > "$T/list.out"
grep -q '^powerloss.dfu_every_op.cut_points  *25179 ' "$T/list.out" || fail "--list"

# drift: a changed figure, an unknown name, a broken marker; markers in code are examples
cp "$T/root/README.md" "$T/README.good"
sed -i 's/20 144/20 176/' "$T/root/README.md"
cat >> "$T/root/docs/a.md" <<'EOF'
Unknown: <!--fig:bench.fast.no_such_s-->1<!--/fig-->.
Broken: <!--fig:bench.fast.bleota_s-->3.114
```
<!--fig:size.boot.flash-->1<!--/fig--> <!--fig:NAME
```
Syntax: `<!--fig:NAME FORMAT-->VALUE<!--/fig-->`.
EOF
rc=0
run > "$T/bad.out" || rc=$?
cat "$T/bad.out"
[ "$rc" = 1 ] || fail "drift: exit $rc, want 1"
grep -qF 'README.md:3: figure size.boot.flash reads "20 176", the report says "20 144" (size.boot.flash = 20144 in ' "$T/bad.out" ||
    fail "no file:line/figure/value line for the changed figure"
# shellcheck disable=SC2016 # the backquotes are literal
grep -q 'README.md:3: .*run `make figures`' "$T/bad.out" || fail "the fix is not named"
grep -q 'docs/a.md:3: figure bench.fast.no_such_s: no report has it' "$T/bad.out" || fail "unknown name not reported"
grep -q 'docs/a.md:4: a figure marker that does not parse' "$T/bad.out" || fail "broken marker not reported"
[ "$(grep -c '^README.md:\|^docs/a.md:' "$T/bad.out")" = 3 ] || fail "want exactly 3 problem lines"
grep -q '^figures: 9 marked in 2 files, 3 problems' "$T/bad.out" || fail "summary after drift"

# --update fixes the changed figure; the unknown one still fails
rc=0
run --update > "$T/upd.out" || rc=$?
[ "$rc" = 1 ] || fail "--update with an unknown figure: exit $rc, want 1"
grep -q 'README.md:3: size.boot.flash: 20 176 -> 20 144' "$T/upd.out" || fail "--update did not say what it changed"
cmp "$T/root/README.md" "$T/README.good" || fail "--update did not restore README.md exactly"

# a report that is missing is named with the command that makes it
rm "$T/size/size-fw.txt"
rc=0
run > "$T/miss.out" || rc=$?
[ "$rc" = 1 ] || fail "missing size report: exit $rc"
grep -q 'figure size.boot.flash cannot be checked: size report: no report in .*make size' "$T/miss.out" ||
    fail "missing report not named: $(cat "$T/miss.out")"
echo ok
