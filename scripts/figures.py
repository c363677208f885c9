#!/usr/bin/env python3
"""Figures in README.md and docs/*.md that come from generated reports (docs/figures.md).

A measured figure is marked where it is quoted:

    <!--fig:bench.fast.bleota_s %.2f-->3.04<!--/fig--> s

`bench.fast.bleota_s` names a value of a report, `%.2f` says how it is written (optional), and
the text between the markers must be exactly that value so written. Reports:

    size.*       Cortex-M4 size report, <m4 build>/reports/*.txt (make size; make test)
    powerloss.*, dfu.*   counts written by the tests, <host build>/reports/*.txt (ctest -L figures)
    bench.*      bench/report.json (committed; make bench)
    qemu.*       bench/qemu-insns.txt (committed; bench/qemu/run.sh)
    delta.*      bench/delta-report.json (committed; make bench): delta.<pair>.<field>

  scripts/figures.py            check: one line per figure that differs or is unknown, exit 1
  scripts/figures.py --update   rewrite the marked text from the reports (make figures)
  scripts/figures.py --list     every figure the reports have
"""
import argparse
import glob
import json
import os
import re
import signal
import sys

MARK = re.compile(
    r"<!--fig:(?P<name>[A-Za-z0-9_.\-]+)(?:[ \t]+(?P<fmt>[^\s>]+))?[ \t]*-->(?P<text>.*?)<!--/fig-->"
)
STRAY = re.compile(r"<!--\s*/?\s*fig\b")
CODE = re.compile(r"(`+).*?\1")  # an inline code span: markers in it are examples
FORMAT = re.compile(r"^(?P<scale>k|Ki|M)?(?P<spec>%d|%\.\d+f|n)?$")
SCALES = {"k": 1000.0, "Ki": 1024.0, "M": 1e6}
FIX = "run `make figures` (docs/figures.md)"
ROOT = None  # paths under the source tree are shown relative to it


def show(path):
    if ROOT:
        p = os.path.abspath(path.split(" (")[0])
        if p.startswith(ROOT + os.sep):
            return os.path.relpath(p, ROOT) + path[len(path.split(" (")[0]):]
    return path


class Figure:
    def __init__(self, raw, source):
        self.raw = raw  # the value as the report writes it
        self.source = source
        self.num = None
        if isinstance(raw, bool):
            self.raw = "true" if raw else "false"
        elif isinstance(raw, (int, float)):
            self.num = raw
            self.raw = json.dumps(raw)
        elif raw is None:
            self.raw = "null"
        else:
            try:
                self.num = int(raw)
            except ValueError:
                try:
                    self.num = float(raw)
                except ValueError:
                    pass


class Reports:
    """Every figure by name, and which sources could not be read."""

    def __init__(self):
        self.figs = {}
        self.missing = {}  # prefix -> why
        self.errors = []

    def add(self, name, raw, source):
        if name in self.figs and self.figs[name].raw != Figure(raw, source).raw:
            self.errors.append(
                "%s: %s is %s here but %s in %s" % (source, name, raw, self.figs[name].raw,
                                                   self.figs[name].source))
            return
        self.figs[name] = Figure(raw, source)

    def derived(self, name, value, path):
        """A figure computed from a report's figures (docs/figures.md lists them)."""
        f = Figure("%.4f" % value, path + " (derived)")
        f.num = value  # full precision for the formats; raw shows 4 decimals
        self.figs[name] = f

    def name_value_file(self, path, prefix=""):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = line.split()
                if len(parts) != 2:
                    self.errors.append("%s:%d: not a `name value` line: %s" % (path, n, line))
                    continue
                self.add(prefix + parts[0], parts[1], path)

    def name_value_dir(self, path, prefixes, what):
        files = sorted(f for f in glob.glob(os.path.join(path, "*.txt"))
                       if os.path.basename(f) != "figures.txt")
        if not files:
            for p in prefixes:
                self.missing[p] = "%s: no report in %s" % (what, path)
            return
        for f in files:
            self.name_value_file(f)

    def bench_json(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f, parse_float=str, parse_int=str)  # keep the report's digits
        except (OSError, ValueError) as e:
            self.missing["bench"] = "bench report %s: %s" % (path, e)
            return

        def walk(prefix, obj):
            if isinstance(obj, dict):
                for k, v in obj.items():
                    walk(prefix + "." + k if prefix else k, v)
            else:
                self.add("bench." + prefix, obj, path)

        for k, v in data.items():
            if k == "scenarios":
                for s, sv in v.items():  # bench.fast.bleota_s, not bench.scenarios.fast...
                    walk(s, sv)
            else:
                walk(k, v)
        # derived: each time as a ratio to the scenario's link limit (the report's "x" columns)
        for s in data.get("scenarios", {}):
            lim = self.figs.get("bench.%s.link_limit_s" % s)
            for t in ("bleota", "bleota_2x2", "stock", "reference"):
                v = self.figs.get("bench.%s.%s_s" % (s, t))
                if lim and v and lim.num and v.num is not None:
                    self.derived("bench.%s.%s_ratio" % (s, t), v.num / lim.num, path)

    def delta_json(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f, parse_float=str, parse_int=str)
        except (OSError, ValueError) as e:
            self.missing["delta"] = "delta report %s: %s" % (path, e)
            return
        self.add("delta.decoder_ipb", data.get("decoder_insns_per_image_byte"), path)
        for pair in data.get("pairs", []):
            name = str(pair.get("pair", "")).replace("-", "_")
            for k, v in pair.items():
                if k == "pair":
                    continue
                if isinstance(v, dict):  # delta.mchp.full_s_fast
                    for kk, vv in v.items():
                        self.add("delta.%s.%s_%s" % (name, k, kk), vv, path)
                else:
                    self.add("delta.%s.%s" % (name, k), v, path)

    def qemu_insns(self, path):
        if not os.path.exists(path):
            self.missing["qemu"] = "QEMU instruction counts %s: missing" % path
            return
        self.name_value_file(path, "qemu.")
        g = self.figs.get
        a, s, o = g("qemu.aes128_cbc_ipb"), g("qemu.sha256_ipb"), g("qemu.ota_path_ipb")
        if a and s and o and None not in (a.num, s.num, o.num):  # bench/qemu-report.md's ratio
            self.derived("qemu.raw_crypto_ipb", a.num + s.num, path)
            self.derived("qemu.ota_path_ratio", o.num / (a.num + s.num), path)


def render(fig, fmt):
    """The text a figure must read as, or raises ValueError."""
    m = FORMAT.match(fmt or "")
    if not m:
        raise ValueError("unknown format '%s' (docs/figures.md lists them)" % fmt)
    if fig.num is None:
        if fmt:
            raise ValueError("the report's value %s is not a number" % fig.raw)
        return fig.raw
    v = fig.num
    if m.group("scale"):
        v = v / SCALES[m.group("scale")]
    spec = m.group("spec")
    if spec is None:
        if m.group("scale"):
            raise ValueError("format '%s': a scale needs %%.Nf, %%d or n after it" % fmt)
        if isinstance(v, int):
            spec = "n"
        else:
            return fig.raw
    if spec == "n":
        return "{:,}".format(int(round(v))).replace(",", " ")
    if spec == "%d":
        return "%d" % int(round(v))
    return spec % v


def doc_files(root):
    files = [os.path.join(root, "README.md")]
    files += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    return [f for f in files if os.path.exists(f)]


def prefix_of(name):
    return name.split(".", 1)[0]


def check_file(path, rel, reports, update, out):
    """Returns (figures, problems, changed lines)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    figures = problems = changed = 0
    fence = False
    for i, line in enumerate(lines):
        where = "%s:%d" % (rel, i + 1)
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if fence:  # code blocks show markers literally: examples, not figures
            continue
        spans = [c.span() for c in CODE.finditer(line)]
        marks = [m for m in MARK.finditer(line)
                 if not any(a <= m.start() < b for a, b in spans)]
        rest = CODE.sub("", MARK.sub("", line))
        if STRAY.search(rest):
            out.append("%s: a figure marker that does not parse: write "
                       "<!--fig:NAME FORMAT-->VALUE<!--/fig--> on one line (docs/figures.md)" % where)
            problems += 1
        if not marks:
            continue
        new = line
        msgs = []
        for m in reversed(marks):  # right to left: an update keeps the earlier offsets valid
            figures += 1
            name, fmt, text = m.group("name"), m.group("fmt"), m.group("text")
            fig = reports.figs.get(name)
            if fig is None:
                why = reports.missing.get(prefix_of(name))
                if why:
                    msgs.append("%s: figure %s cannot be checked: %s: %s" % (where, name, why,
                                                                           hint(name)))
                else:
                    msgs.append("%s: figure %s: no report has it: fix the name in the marker "
                               "(`scripts/figures.py --list` shows every figure; docs/figures.md)"
                               % (where, name))
                problems += 1
                continue
            try:
                want = render(fig, fmt)
            except ValueError as e:
                msgs.append("%s: figure %s: %s" % (where, name, e))
                problems += 1
                continue
            if text == want:
                continue
            if update:
                new = new[:m.start("text")] + want + new[m.end("text"):]
                msgs.append("%s: %s: %s -> %s" % (where, name, text, want))
                changed += 1
            else:
                msgs.append("%s: figure %s reads \"%s\", the report says \"%s\" (%s = %s in %s): %s"
                            % (where, name, text, want, name, fig.raw, show(fig.source), FIX))
                problems += 1
        out.extend(reversed(msgs))
        lines[i] = new
    if update and changed:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return figures, problems, changed


def hint(name):
    return {
        "size": "build it with `make size` (make test does too)",
        "powerloss": "run the tests that write it: `ctest -L figures` (make figures does)",
        "dfu": "run the tests that write it: `ctest -L figures` (make figures does)",
        "bench": "run `make bench`",
        "qemu": "run `bash bench/qemu/run.sh`",
        "delta": "run `make bench` (bench/delta/run.sh)",
    }.get(prefix_of(name), FIX)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.dirname(here), help="the source tree")
    ap.add_argument("--size-dir", help="Cortex-M4 size reports (default build/cortex-m4/reports)")
    ap.add_argument("--no-size", action="store_true",
                    help="no Cortex-M4 build: size figures are not checked (said so)")
    ap.add_argument("--report-dir", help="test reports (default build/host/reports)")
    ap.add_argument("--bench", help="bench JSON report (default bench/report.json)")
    ap.add_argument("--qemu", help="QEMU instruction counts (default bench/qemu-insns.txt)")
    ap.add_argument("--update", action="store_true", help="rewrite marked figures from the reports")
    ap.add_argument("--list", action="store_true", help="print every figure the reports have")
    ap.add_argument("--dump", help="also write every figure as `name value` lines to this file")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    global ROOT
    ROOT = root
    size_dir = a.size_dir or os.path.join(root, "build", "cortex-m4", "reports")
    report_dir = a.report_dir or os.path.join(root, "build", "host", "reports")

    r = Reports()
    if a.no_size:
        r.missing["size"] = "no Cortex-M4 build configured (-DBO_M4_BUILD_DIR, as make test does)"
    else:
        r.name_value_dir(size_dir, ["size"], "size report")
    r.name_value_dir(report_dir, ["powerloss", "dfu"], "test reports")
    r.bench_json(a.bench or os.path.join(root, "bench", "report.json"))
    r.qemu_insns(a.qemu or os.path.join(root, "bench", "qemu-insns.txt"))
    r.delta_json(os.path.join(root, "bench", "delta-report.json"))
    for e in r.errors:
        print("figures: " + e)

    if a.dump:
        os.makedirs(os.path.dirname(os.path.abspath(a.dump)), exist_ok=True)
        with open(a.dump, "w", encoding="utf-8") as f:
            f.write("# every figure the docs may quote (scripts/figures.py; docs/figures.md)\n")
            for n in sorted(r.figs):
                f.write("%s %s\n" % (n, r.figs[n].raw))
    if a.list:
        for n in sorted(r.figs):
            print("%-52s %-14s %s" % (n, r.figs[n].raw, show(r.figs[n].source)))
        for p, why in sorted(r.missing.items()):
            print("(%s.*: %s)" % (p, why))
        return 1 if r.errors else 0

    total = problems = changed = 0
    files = doc_files(root)
    out = []
    unchecked = 0
    for path in files:
        rel = os.path.relpath(path, root)
        f_out = []
        n, p, c = check_file(path, rel, r, a.update, f_out)
        if a.no_size:  # size figures cannot be checked here: a note, not a failure
            keep = []
            for line in f_out:
                if " cannot be checked: no Cortex-M4 build" in line:
                    unchecked += 1
                    p -= 1
                else:
                    keep.append(line)
            f_out = keep
        out += f_out
        total, problems, changed = total + n, problems + p, changed + c
    for line in out:
        print(line)
    problems += len(r.errors)
    note = " (%d size figures not checked: no Cortex-M4 build)" % unchecked if unchecked else ""
    if a.update:
        print("figures: %d marked in %d files, %d updated, %d problems%s"
              % (total, len(files), changed, problems, note))
    else:
        print("figures: %d marked in %d files, %d problems (differs from its report, unknown or "
              "unreadable)%s" % (total, len(files), problems, note))
        if problems:
            print("figures: fix: %s" % FIX)
    return 1 if problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `--list | head` ends quietly
    sys.exit(main())
