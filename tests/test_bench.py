"""Every benchmark runs in `make test` at a tiny scale, so none can rot; a benchmark
that fails leaves no figure behind (only its error); the README's figure table is the
one written from bench/results.json."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import readme
from bench.__main__ import SUITES
from bench.__main__ import main as bench_main

ROOT = Path(__file__).resolve().parents[1]
AREAS = [m.split(".")[-1] for m, _ in SUITES]

#: figures each area must produce (the names the README and the issues quote)
MUST = {
    "auth": ["pin_verify_ms"],
    "store": ["store_upsert_vs_raw_sqlite", "queue_query_ms_p95_1m", "queue_query_count_1m"],
    "sync": ["sync_bootstrap_changes_per_s", "sync_bootstrap_vs_feed", "outbox_replay_actions_per_s", "offline_detect_s",
             "reconnect_converge_s"],
    "sim": ["sim_feed_changes_per_s"],
    "queue": ["queue_tab_switch_ms_p95", "queue_scroll_fps", "action_to_visible_ms"],
    "startup": ["startup_s_1m", "rss_mb_1m", "rss_mb_1m_all", "startup_usable_s_1m",
                "startup_usable_vs_bare_webengine"],
    "map": ["map_first_render_s_50k", "map_update_500_ms", "map_markers_drawn"],
    "video": ["video_wall_vs_bare_cpu", "video_wall_16_min_fps", "video_first_frame_ms", "video_reconnect_s"],
    "wall": ["wall_mode_rss_mb", "tiles_cached_first_paint_s"],
    "sync_ui": ["ui_max_stall_ms_during_sync"],
    "dispatch": ["dispatch_top1_accuracy", "dispatch_advice_ms"],
    "hall": ["hall_visibility_ms_p95", "sync_failover_s", "sync_bootstrap_changes_per_s_pg"],
    "store_pg": ["queue_query_ms_p95_1m_pg", "queue_query_count_1m_pg"],
    "briefing": ["briefing_month_s"],
    "alerts": ["alert_to_desk_ms_p95"],
}


def test_every_area_is_checked():
    assert sorted(MUST) == sorted(AREAS)


@pytest.mark.parametrize("area", AREAS)
def test_tiny_run(area, tmp_path):
    out = tmp_path / "results.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_DISABLE_SANDBOX": "1"}
    proc = subprocess.run([sys.executable, "-m", "bench", "--tiny", "--only", area, "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
    res = json.loads(out.read_text())
    assert "_errors" not in res, res["_errors"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = res["_areas"][area]["figures"]
    for name in MUST[area]:
        assert name in figures, (name, figures)
    for name, v in figures.items():
        assert isinstance(v, (int, float)) and math.isfinite(v) and v >= 0, (name, v)
    # positive where a zero would mean nothing was measured
    assert all(figures[n] > 0 for n in MUST[area] if n != "video_reconnect_s"), figures
    if area == "map":   # the tiny run draws and moves every marker it claims
        assert figures["map_markers_drawn"] == 500 and figures["map_markers_updated"] == 20


def test_a_failed_benchmark_leaves_its_error_not_last_runs_number(tmp_path, monkeypatch):
    (tmp_path / "benchfail_area.py").write_text(
        "def run(tiny=False):\n    raise RuntimeError('the platform did not start')\n")
    (tmp_path / "benchok_area.py").write_text("def run(tiny=False):\n    return {'fresh_figure': 2.5}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("bench.__main__.SUITES", [("benchfail_area", "run"), ("benchok_area", "run")])
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"old_figure": 7.0, "_areas": {
        "benchfail_area": {"measured": "2026-01-01T00:00:00Z", "figures": {"old_figure": 7.0}},
        "benchok_area": {"measured": "2026-01-01T00:00:00Z", "figures": {"fresh_figure": 1.0}}}}))
    assert bench_main(["--out", str(out)]) == 1
    res = json.loads(out.read_text())
    assert "old_figure" not in res and "old_figure" not in res["_areas"]["benchfail_area"]["figures"]
    assert "the platform did not start" in res["_errors"]["benchfail_area"]
    assert res["fresh_figure"] == 2.5
    table = readme.render(res)
    assert "failed: RuntimeError: the platform did not start" in table and "7.0" not in table

    # running one area again keeps the other's figures and its error goes once it passes
    (tmp_path / "benchfail_area.py").write_text("def run(tiny=False):\n    return {'old_figure': 3.0}\n")
    import importlib

    import benchfail_area

    importlib.reload(benchfail_area)
    assert bench_main(["--out", str(out), "--only", "benchfail_area"]) == 0
    res = json.loads(out.read_text())
    assert res["old_figure"] == 3.0 and res["fresh_figure"] == 2.5 and "_errors" not in res


def test_a_figure_that_is_not_a_number_is_a_failure(tmp_path, monkeypatch):
    (tmp_path / "benchnan_area.py").write_text("def run(tiny=False):\n    return {'x': float('nan')}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("bench.__main__.SUITES", [("benchnan_area", "run")])
    out = tmp_path / "results.json"
    assert bench_main(["--out", str(out)]) == 1
    res = json.loads(out.read_text())
    assert "x" not in res and "no number for x" in res["_errors"]["benchnan_area"]


def test_readme_table_is_the_one_written_from_results_json():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    path = ROOT / "bench" / "results.json"
    # no file yet: the table must say that nothing was measured, not show typed figures
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    assert readme.rewrite(text, results) == text, "README.md's figure table is stale: python -m bench.readme"
    assert not results.get("_tiny"), "bench/results.json is from a tiny-scale run"
    for row in readme.render(results).splitlines():
        if row.startswith("| ") and "(all)" not in row and not row.startswith("| area"):
            area, name, measured = [c.strip() for c in row.strip("|").split("|")[:3]]
            assert name in results["_areas"][area]["figures"], row
    if not results:
        assert "not measured" in text and "Measured never." in text



def test_a_store_built_earlier_with_todays_indexes_is_reused_not_rebuilt(tmp_path):
    """The migrations write expression index columns in parentheses, the models do not:
    the comparison once never matched and every full run rebuilt the 1M store (10-17 min).
    A mark left in the first build survives only if the second call reuses the file."""
    import sqlite3

    from bench.store import build_queue_store

    path = tmp_path / "q.sqlite3"
    build_queue_store(path, 300).close()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE bench_mark (x)")
    con.commit()
    con.close()
    build_queue_store(path, 300).close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='bench_mark'").fetchone()[0] == 1
    con.close()
    # fewer tickets than asked for: built again (the mark is gone)
    build_queue_store(path, 400).close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='bench_mark'").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 400
    con.close()
