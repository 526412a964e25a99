"""The README's figure table, written from ``bench/results.json``.

    python -m bench.readme            # rewrite the table in README.md
    python -m bench.readme --check    # exit 1 when README.md differs from the file

The table sits between ``<!-- bench:begin -->`` and ``<!-- bench:end -->``; nothing in
it is typed by hand. A benchmark that failed in the last run shows its error, not a
number; a figure no run produced says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.__main__ import SUITES, TARGETS

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
RESULTS = HERE / "results.json"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

#: figures shown without a target, next to the targeted ones of their area
ALSO = ("queue_query_ms_p50_1m", "queue_query_count_1m", "startup_panels_s_1m", "map_rss_with_web_mb",
        "map_markers_drawn", "video_first_frame_ms", "wall_mode_web_processes")


def _fmt(v: object) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if v else "0"


def _target(name: str) -> str:
    if name not in TARGETS:
        return ""
    op, t = TARGETS[name]
    if op == "between":
        return f"{t[0]}–{t[1]}"
    return f"{'≤' if op == '<=' else '≥'} {t}"


def _verdict(name: str, v: object) -> str:
    if name not in TARGETS or not isinstance(v, (int, float)):
        return ""
    op, t = TARGETS[name]
    ok = t[0] <= v <= t[1] if op == "between" else (v <= t if op == "<=" else v >= t)
    return "met" if ok else "**missed**"


def render(results: dict) -> str:
    """The table (with its markers) for ``results`` as ``python -m bench`` wrote it."""
    areas = results.get("_areas") or {}
    lines = [BEGIN, "",
             "Written by `python -m bench.readme` from `bench/results.json` (`make bench`; "
             "a 2-core machine shared with other work, 1M cached tickets where named).", "",
             "| area | figure | measured | target | |", "|---|---|---|---|---|"]
    order = [mod.split(".")[-1] for mod, _ in SUITES]
    for area in order + [a for a in areas if a not in order]:
        entry = areas.get(area) or {}
        figures = entry.get("figures") or {}
        if entry.get("error"):
            last = [ln for ln in str(entry["error"]).strip().splitlines() if ln.strip()][-1:]
            msg = (last[0].strip() if last else "failed").replace("|", "\\|")[:160]
            lines.append(f"| {area} | (all) | failed: {msg} | | |")
            continue
        if not figures:
            lines.append(f"| {area} | (all) | not measured | | |")
            continue
        names = [n for n in TARGETS if n in figures] + [n for n in ALSO if n in figures and n not in TARGETS]
        for n in names:
            lines.append(f"| {area} | {n} | {_fmt(figures[n])} | {_target(n)} | {_verdict(n, figures[n])} |")
    dates = sorted({str(e.get("measured"))[:10] for e in areas.values() if e.get("measured")})
    when = "never" if not dates else dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    loads = sorted(float(e["load_avg_1min"]) for e in areas.values() if e.get("load_avg_1min") is not None)
    if loads:
        when += f" (load average at the end of each area: {loads[0]:g} to {loads[-1]:g})"
    lines += ["", f"Measured {when}." + (" (A tiny-scale run: not figures to quote.)"
                                         if results.get("_tiny") else ""), "", END]
    return "\n".join(lines)


def rewrite(readme: str, results: dict) -> str:
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {BEGIN} … {END} block")
    return readme[:start] + render(results) + readme[end + len(END):]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.readme", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--results", default=str(RESULTS))
    ap.add_argument("--readme", default=str(README))
    a = ap.parse_args(argv)
    path = Path(a.readme)
    text = path.read_text(encoding="utf-8")
    res_path = Path(a.results)
    new = rewrite(text, json.loads(res_path.read_text(encoding="utf-8")) if res_path.exists() else {})
    if a.check:
        if new != text:
            print(f"{path} is not the table of {a.results}: run python -m bench.readme", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
