"""A desk's journal follower sees another desk's commit through LISTEN/NOTIFY."""

from __future__ import annotations

from localdb import Store, journal


def test_follower_woken_by_another_desks_commit(qtbot, hall_url):
    from console.qt.context import JournalFollower

    desk_a, desk_b = Store.open(hall_url), Store.open(hall_url)
    follower = JournalFollower(desk_a)
    got: list[dict] = []
    follower.sig_changed.connect(got.append)
    assert follower._timer.interval() >= follower.HALL_POLL_MS >= 2000  # no tight polling
    follower._timer.setInterval(3_600_000)  # so that only the notification can wake it here
    follower.start()
    try:
        qtbot.waitUntil(lambda: follower._listener.connected.is_set(), timeout=10000)
        with desk_b.write() as s:
            journal.record(s, "ticket", "T-from-desk-b")
        qtbot.waitUntil(lambda: any("T-from-desk-b" in g.get("ticket", ()) for g in got),
                        timeout=10000)
    finally:
        follower.stop()
        desk_a.close()
        desk_b.close()
