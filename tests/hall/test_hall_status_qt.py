"""Every desk's status bar shows the hall: who syncs, desks online, an unreachable hall
database (within 5 s, and back by itself), and the snapshot line says the same."""

from __future__ import annotations

import time

from console import snapshot
from console.hall.presence import PresenceBeat
from console.qt.context import AppContext, TaskRunner
from console.qt.sync_bridge import SyncBridge
from localdb import Store
from widgets.link_indicator import LinkIndicator


def _desk(hall_url, sim, ws: str):
    store = Store.open(hall_url)
    ctx = AppContext(store=store, actor=None, tasks=TaskRunner())
    ctx.presence = PresenceBeat(store, ws, ws).start()
    bridge = SyncBridge.connect_platform(ctx, sim.url, sim.token, ws)
    return ctx, bridge


def test_status_bar_shows_the_hall_and_an_unreachable_hall_database(qtbot, hall_url, sim, pg_cluster):
    desks = [_desk(hall_url, sim, ws) for ws in ("1号工位", "2号工位")]
    bars = []
    for ctx, bridge in desks:
        bar = LinkIndicator(ctx.link, sound_enabled=False)
        qtbot.addWidget(bar)
        bars.append(bar)
        bridge.start()
    try:
        qtbot.waitUntil(lambda: sorted(b.engine.role for _c, b in desks) == ["holding", "standby"],
                        timeout=20000)
        holder = next(b.engine.workstation for _c, b in desks if b.engine.role == "holding")
        texts = lambda: [bar.hall_label.text() for bar in bars]  # noqa: E731
        qtbot.waitUntil(lambda: sum("this desk syncs for the hall" in t for t in texts()) == 1
                        and sum(f"sync: {holder}" in t for t in texts()) == 1
                        and all("2 desks online" in t for t in texts()), timeout=10000)
        assert all(not bar.hall_label.isHidden() for bar in bars)

        info = snapshot.collect(desks[0][0], None)
        assert list(info) == snapshot.keys()
        assert (info["store"], info["desks_online"], info["sync_holder"]) == ("postgresql", 2, holder)

        pg_cluster.stop(mode="immediate")  # the hall server goes down
        t_down = time.monotonic()
        try:
            qtbot.waitUntil(lambda: all("Hall database unreachable" in t for t in texts()), timeout=5000)
            said_s = time.monotonic() - t_down
            print(f"hall_db_unreachable_shown_s={said_s:.2f}")
        finally:
            pg_cluster.start()
        qtbot.waitUntil(lambda: all("desks online" in t for t in texts()), timeout=20000)
        qtbot.waitUntil(lambda: sum(b.engine.role == "holding" for _c, b in desks) == 1, timeout=20000)
    finally:
        for ctx, bridge in desks:
            bridge.stop()
            ctx.presence.close()
            ctx.tasks.wait(5000)
            ctx.store.close()


def test_desk_mode_snapshot_says_sqlite(tmp_path):
    store = Store.open(tmp_path / "desk.sqlite3")
    try:
        info = snapshot.collect(AppContext(store=store, actor=None), None)
        assert (info["store"], info["desks_online"], info["sync_holder"]) == ("sqlite", None, None)
    finally:
        store.close()
