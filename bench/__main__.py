"""`make bench`: run every benchmark and write bench/results.json.

Each area keeps its measurements in ``bench/<area>.py`` as functions returning a dict
of figures. This runner calls them one after another (so they do not fight for the
two cores), records failures instead of aborting, and writes ``{"figure": value}``.
Targets are printed next to the figures; they are never asserted in tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

HERE = Path(__file__).resolve().parent

#: (area module, function) in run order; each returns dict[str, float]
SUITES = [
    ("bench.auth", "run"),
    ("bench.store", "run"),
    ("bench.sync", "run"),
    ("bench.sim", "run"),
    ("bench.queue", "run"),
    ("bench.startup", "run"),
    ("bench.map", "run"),
    ("bench.video", "run"),
    ("bench.wall", "run"),
    ("bench.dispatch", "run"),
    ("bench.sync_ui", "run"),
    ("bench.hall", "run"),
    ("bench.briefing", "run"),
]

#: figure -> (comparison, target) as the issues state them
TARGETS = {
    "pin_verify_ms": ("between", (100, 500)),
    "store_upsert_vs_raw_sqlite": ("<=", 2.0),
    "queue_query_ms_p95_1m": ("<=", 10),
    "startup_s_1m": ("<=", 2.5),
    "rss_mb_1m": ("<=", 600),
    "sim_feed_changes_per_s": (">=", 20000),
    "sync_bootstrap_changes_per_s": (">=", 20000),
    "outbox_replay_actions_per_s": (">=", 500),
    "offline_detect_s": ("<=", 5),
    "reconnect_converge_s": ("<=", 10),
    "ui_max_stall_ms_during_sync": ("<=", 100),
    "queue_tab_switch_ms_p95": ("<=", 50),
    "queue_scroll_fps": (">=", 50),
    "action_to_visible_ms": ("<=", 50),
    "map_first_render_s_50k": ("<=", 3),
    "map_update_500_ms": ("<=", 100),
    "video_wall_vs_bare_cpu": ("<=", 1.2),
    "video_wall_16_min_fps": (">=", 24),
    "video_first_frame_ms": ("<=", 2000),
    "video_reconnect_s": ("<=", 5),
    "wall_mode_rss_mb": ("<=", 500),
    "tiles_cached_first_paint_s": ("<=", 1.5),
    "hall_visibility_ms_p95": ("<=", 500),
    "sync_failover_s": ("<=", 15),
    "sync_bootstrap_changes_per_s_pg": (">=", 20000),
    "briefing_month_s": ("<=", 10),
}


def _verdict(name: str, value: float) -> str:
    if name not in TARGETS or not isinstance(value, (int, float)):
        return ""
    op, target = TARGETS[name]
    if op == "between":
        ok = target[0] <= value <= target[1]
        return f"(target {target[0]}..{target[1]}: {'ok' if ok else 'MISSED'})"
    ok = value <= target if op == "<=" else value >= target
    return f"(target {op} {target}: {'ok' if ok else 'MISSED'})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--only", nargs="*", help="area modules to run, e.g. store sync")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    args = ap.parse_args(argv)

    results: dict[str, object] = {}
    errors: dict[str, str] = {}
    out = Path(args.out)
    if out.exists():
        try:
            results.update(json.loads(out.read_text()))
        except ValueError:
            pass
        results.pop("_errors", None)
    for mod_name, fn_name in SUITES:
        area = mod_name.split(".")[-1]
        if args.only and area not in args.only:
            continue
        t0 = time.perf_counter()
        try:
            mod = importlib.import_module(mod_name)
            figures = getattr(mod, fn_name)()
        except ModuleNotFoundError as exc:
            if exc.name == mod_name:
                errors[area] = "no benchmarks yet"
                continue
            errors[area] = traceback.format_exc(limit=3)
            continue
        except Exception:  # a failing benchmark must not hide the others
            errors[area] = traceback.format_exc(limit=5)
            print(f"[bench] {area}: FAILED\n{errors[area]}", file=sys.stderr)
            continue
        for k, v in figures.items():
            results[k] = round(v, 3) if isinstance(v, float) else v
            print(f"[bench] {k} = {results[k]} {_verdict(k, v)}", file=sys.stderr)
        print(f"[bench] {area} took {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if errors:
        results["_errors"] = errors
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "_errors"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
