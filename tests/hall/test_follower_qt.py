"""A desk's journal follower sees another desk's commit through LISTEN/NOTIFY."""

from __future__ import annotations

from localdb import Store, journal


def test_follower_woken_by_another_desks_commit(qtbot, hall_url):
    from console.qt.context import JournalFollower

    desk_a, desk_b = Store.open(hall_url), Store.open(hall_url)
    follower = JournalFollower(desk_a)
    got: list[dict] = []
    follower.sig_changed.connect(got.append)
    assert follower.HALL_POLL_MS >= 2000  # no tight polling of the journal
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


def test_follower_reads_only_on_notifications_while_heard_and_polls_fast_while_unheard(qtbot, hall_url):
    """While LISTEN is up, the timer's ticks read nothing (the safety poll is every
    HALL_POLL_MS); while it is down (the hall database restarting), notifications are lost,
    so the follower reads at the desk's poll rate and another desk's work still shows."""
    from console.qt.context import JournalFollower

    desk_a, desk_b = Store.open(hall_url), Store.open(hall_url)
    follower = JournalFollower(desk_a)
    follower.HALL_POLL_MS = 3_600_000  # the safety poll alone would never read here
    got: list[dict] = []
    reads: list[int] = []
    ticks: list[int] = []
    real_read = follower._read
    follower._read = lambda seq: reads.append(seq) or real_read(seq)
    follower._timer.timeout.connect(lambda: ticks.append(1))
    follower.sig_changed.connect(got.append)
    follower.start()
    try:
        qtbot.waitUntil(lambda: follower._listener.connected.is_set(), timeout=10000)
        qtbot.waitUntil(lambda: len(reads) >= 1 and not follower._reading, timeout=10000)  # the wake at connect
        before = len(reads)
        qtbot.waitUntil(lambda: len(ticks) >= 4, timeout=10000)
        assert len(reads) == before  # ticks while heard: no journal read
        follower._listener.stop()  # the listener is gone: nothing will be heard
        assert not follower._listener.connected.is_set()
        with desk_b.write() as s:
            journal.record(s, "ticket", "T-unheard")
        qtbot.waitUntil(lambda: any("T-unheard" in g.get("ticket", ()) for g in got), timeout=10000)
    finally:
        follower.stop()
        desk_a.close()
        desk_b.close()
