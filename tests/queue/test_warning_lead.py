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
