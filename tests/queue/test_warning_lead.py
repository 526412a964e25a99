"""The queue uses the hall's warning lead (setting warning_lead_minutes), as the map does."""

from console import settings as S
from localdb import queue_query as qq
from views.queue import QueuePanel
from views.queue_model import LIMIT_STATE_ROLE

from .conftest import NOW, make_ctx
from .test_queue_panel import _all_rows


def _due_soon(store, lead_s: float) -> int:
    with store.session() as s:
        return qq.count(s, {"limit": ["warning"], "lead_s": lead_s}, NOW)


def test_the_due_soon_tab_follows_the_warning_lead_setting(qtbot, store):
    ten_hours, two_hours = _due_soon(store, 36000.0), _due_soon(store, 7200.0)
    assert ten_hours > two_hours  # the sample store tells the two settings apart
    ctx = make_ctx(store)
    ctx.settings.set(S.WARNING_LEAD_MINUTES, 600)
    ctx.settings.set(S.SOUND_ENABLED, False)
    panel = QueuePanel(ctx)
    qtbot.addWidget(panel)
    assert panel.model.lead_s == 36000.0
    qtbot.waitUntil(lambda: panel.counts.get("warning") == ten_hours)
    panel.tabs.setCurrentIndex(panel.tab_keys.index("warning"))
    rows = _all_rows(panel)
    assert len(rows) == ten_hours
    states = {panel.model.index(i, 0).data(LIMIT_STATE_ROLE) for i in range(len(rows))}
    assert states == {"warning"}  # every row is coloured due-soon under the 10 h lead


def test_a_category_lead_from_the_catalogue_beats_the_hall_default(qtbot, store):
    import math

    from sqlalchemy import text

    from localdb import feed

    with store.session() as s:
        tid, deadline, kind, code = s.execute(text(
            "SELECT id, limit_deadline, category_kind, category_code FROM tickets "
            "WHERE limit_deadline > :a ORDER BY limit_deadline LIMIT 1"), {"a": NOW + 7200}).one()
        cat = dict(s.execute(text("SELECT * FROM categories WHERE id = :i"), {"i": f"{kind}:{code}"}).one()._mapping)
    before = _due_soon(store, 7200.0)

    def panel_row_state():
        panel = QueuePanel(make_ctx(store))
        qtbot.addWidget(panel)
        panel.apply_external_filter({"ids": [tid]})
        return panel, panel.model.index(0, 0).data(LIMIT_STATE_ROLE)

    panel, state = panel_row_state()
    assert state == "on_time"  # more than the hall's two hours left
    lead_min = math.ceil((deadline - NOW) / 60) + 1
    data = {k: cat[k] for k in ("kind", "code", "big_code", "big_name", "small_name", "limit_hours",
                                "limit_mode", "urgent_limit_hours")}
    rep = feed.apply_changes(store, [{"seq": 1, "kind": "category", "op": "upsert", "id": cat["id"],
                                      "data": {**data, "warning_lead_minutes": lead_min}}], "c2", now=NOW)
    assert tid in rep.changed["ticket"]  # the panels hear of the ticket whose colour changes
    panel, state = panel_row_state()
    assert state == "warning"
    assert _due_soon(store, 7200.0) > before
    qtbot.waitUntil(lambda: panel.counts.get("warning") == _due_soon(store, 7200.0))
