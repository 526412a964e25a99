"""``bench.briefing`` at a small scale: it builds its store, writes both files and
reports the figure ``make bench`` records (the 1M-ticket run is the benchmark's)."""

from __future__ import annotations

import json


def test_briefing_bench_small(tmp_path):
    from bench import briefing as bb

    fig = bb.briefing_month(n=6000, path=tmp_path / "bench.sqlite3", out_dir=tmp_path)
    assert fig["briefing_store_tickets"] == 6000
    assert fig["briefing_month_s"] >= fig["briefing_figures_s"] > 0
    data = json.loads((tmp_path / "briefing.json").read_text(encoding="utf-8"))
    assert data["month"]["month"] == bb.MONTH
    assert data["month"]["total"]["received"] == fig["briefing_month_received"] > 0
    assert data["month"]["total"]["closed"] > 0  # closures were filled in
    assert (tmp_path / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
    # reused, not rebuilt, on a second run
    again = bb.briefing_month(n=6000, path=tmp_path / "bench.sqlite3", out_dir=tmp_path)
    assert again["briefing_month_received"] == fig["briefing_month_received"]


def test_alert_to_desk_bench_small(tmp_path, qapp):
    from bench import alerts as ba

    fig = ba.alert_to_desk(n=2000, samples=4, gap_s=0.3, path=tmp_path / "alerts.sqlite3")
    assert fig["alert_to_desk_missed"] == 0  # every crossing reached the leader's desk
    assert 0 <= fig["alert_to_desk_ms_p50"] <= fig["alert_to_desk_ms_max"]
