"""`make bench`: run every benchmark and write bench/results.json.

Each area keeps its measurements in ``bench/<area>.py`` as functions returning a dict
of figures. This runner calls them one after another (so they do not fight for the
two cores), records failures instead of aborting, and writes ``{"figure": value}``
plus ``_areas`` (per area: when it was measured, its figures, its error) and
``_errors``. A benchmark that fails has no figures in the file, only its error: never
the previous run's numbers. The exit status is 1 when any benchmark that ran failed.
``--tiny`` runs every benchmark at a tiny scale (``tests/test_bench.py`` in ``make
test``, so none can rot); its figures say nothing about the targets.
``python -m bench.readme`` writes the README's figure table from the file.
Targets are printed next to the figures; they are never asserted in tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

HERE = Path(__file__).resolve().parent

#: (area module, function) in run order (each returns dict[str, float]): the paths an
#: officer uses first, so a run cut short has measured those
SUITES = [
    ("bench.store", "run"),
    ("bench.queue", "run"),
    ("bench.map", "run"),
    ("bench.startup", "run"),
    ("bench.sync", "run"),
    ("bench.sync_ui", "run"),
    ("bench.auth", "run"),
    ("bench.sim", "run"),
    ("bench.video", "run"),
    ("bench.wall", "run"),
    ("bench.dispatch", "run"),
    ("bench.hall", "run"),
    ("bench.store_pg", "run"),
    ("bench.briefing", "run"),
    ("bench.alerts", "run"),
]

#: figure -> (comparison, target) as the issues state them
TARGETS = {
    "pin_verify_ms": ("between", (100, 500)),
    "store_upsert_vs_raw_sqlite": ("<=", 2.0),
    "queue_query_ms_p95_1m": ("<=", 10),
    "queue_query_ms_p95_1m_pg": ("<=", 20),
    "startup_s_1m": ("<=", 2.5),
    "startup_usable_s_1m": ("<=", 4),
    "rss_mb_1m": ("<=", 600),
    "rss_mb_1m_all": ("<=", 800),
    "sim_feed_changes_per_s": (">=", 20000),
    "sync_bootstrap_changes_per_s": (">=", 20000),
    "sync_bootstrap_vs_feed": (">=", 0.8),
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
    "alert_to_desk_ms_p95": ("<=", 1000),
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


def _finite(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _write(out: Path, areas: dict[str, dict], tiny: bool) -> tuple[dict[str, object], dict[str, str]]:
    results: dict[str, object] = {}
    for area in [m.split(".")[-1] for m, _ in SUITES]:
        if area in areas:
            results.update(areas[area].get("figures") or {})
    errors = {a: str(e["error"]) for a, e in areas.items() if e.get("error")}
    if errors:
        results["_errors"] = errors
    results["_areas"] = areas
    if tiny:
        results["_tiny"] = True
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--only", nargs="*", help="area modules to run, e.g. store sync")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    ap.add_argument("--tiny", action="store_true",
                    help="every benchmark at a tiny scale (make test: the code paths, not the figures)")
    args = ap.parse_args(argv)

    out = Path(args.out)
    old: dict[str, object] = {}
    if out.exists():
        try:
            old = json.loads(out.read_text())
        except ValueError:
            old = {}
    # Figures of the areas that run now start empty: a benchmark that fails leaves its
    # figures absent, with its error, never the previous run's numbers. Areas not run
    # (--only) keep theirs, with the date they were measured.
    areas: dict[str, dict] = {}
    if not args.tiny and isinstance(old.get("_areas"), dict):
        areas = {a: dict(v) for a, v in old["_areas"].items()
                 if isinstance(v, dict) and (args.only and a not in args.only)}
    ran: list[str] = []
    for mod_name, fn_name in SUITES:
        area = mod_name.split(".")[-1]
        if args.only and area not in args.only:
            continue
        ran.append(area)
        t0 = time.perf_counter()
        entry: dict[str, object] = {"measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                    "figures": {}}
        areas[area] = entry
        try:
            mod = importlib.import_module(mod_name)
            fn = getattr(mod, fn_name)
            figures = fn(tiny=True) if args.tiny else fn()
            bad = sorted(k for k, v in figures.items() if not _finite(v))
            if bad:
                raise ValueError(f"no number for {', '.join(bad)}: {figures}")
        except Exception:  # a failing benchmark must not hide the others
            entry["error"] = traceback.format_exc(limit=5)
            print(f"[bench] {area}: FAILED\n{entry['error']}", file=sys.stderr)
            _write(out, areas, args.tiny)
            continue
        finally:
            entry["seconds"] = round(time.perf_counter() - t0, 1)
            entry["load_avg_1min"] = round(os.getloadavg()[0], 1)   # how busy the machine was
        entry["figures"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
        for k, v in entry["figures"].items():
            print(f"[bench] {k} = {v} {_verdict(k, v)}", file=sys.stderr)
        print(f"[bench] {area} took {entry['seconds']} s", file=sys.stderr)
        _write(out, areas, args.tiny)   # after every area: a run cut short keeps what it measured
    results, errors = _write(out, areas, args.tiny)
    print(json.dumps({k: v for k, v in results.items() if not k.startswith("_")}, ensure_ascii=False))
    return 1 if any(a in errors for a in ran) else 0


if __name__ == "__main__":
    raise SystemExit(main())
