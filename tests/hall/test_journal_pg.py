"""The hall journal never skips a late-committing transaction, and wakes desks.

The trap: a sequence number is drawn at INSERT, not at COMMIT. A slow transaction
draws n, a fast one draws n+1 and commits first; a follower reading ``seq > last``
sees n+1, moves its cursor past n, and never sees n when it commits.
"""

from __future__ import annotations

import random
import threading
import time

import psycopg

from localdb import Store, journal
from localdb.wakeup import Listener


def _follow(store, stop: threading.Event, seen: list) -> None:
    last = 0
    while True:
        done = stop.is_set()
        with store.session() as s:
            rows = journal.since(s, last)
        for seq, _k, eid in rows:
            assert seq > last
            last = seq
            seen.append(eid)
        if done and not rows:
            return


def test_the_trap_is_real_without_the_hall_write_lock(hall_url):
    """Control: two raw transactions that bypass PgStore.write() lose an entry."""
    slow = psycopg.connect(hall_url)
    fast = psycopg.connect(hall_url)
    try:
        slow.execute("INSERT INTO journal (kind, entity_id, at) VALUES ('t', 'slow', 0)")
        fast.execute("INSERT INTO journal (kind, entity_id, at) VALUES ('t', 'fast', 0)")
        fast.commit()
        store = Store.open(hall_url)
        with store.session() as s:
            first = journal.since(s, 0)
        assert [e for _, _, e in first] == ["fast"]
        slow.commit()
        with store.session() as s:
            later = journal.since(s, first[-1][0])
        store.close()
        assert later == []  # 'slow' committed with a lower number: a follower skipped it
    finally:
        slow.close()
        fast.close()


def test_slow_writer_blocks_the_fast_one_until_it_commits(hall_url):
    slow_store, fast_store, reader = (Store.open(hall_url) for _ in range(3))
    in_slow = threading.Event()
    release = threading.Event()
    fast_done = threading.Event()

    def slow() -> None:
        with slow_store.write() as s:
            journal.record(s, "t", "slow")
            in_slow.set()
            release.wait(30)

    def fast() -> None:
        with fast_store.write() as s:
            journal.record(s, "t", "fast")
        fast_done.set()

    ts = threading.Thread(target=slow)
    ts.start()
    assert in_slow.wait(30)
    tf = threading.Thread(target=fast)
    tf.start()
    # the fast writer waits for the hall write lock: nothing of it is visible, and it
    # has drawn no number yet
    assert not fast_done.wait(1.0)
    with reader.session() as s:
        assert journal.since(s, 0) == []
    release.set()
    ts.join(30)
    tf.join(30)
    with reader.session() as s:
        rows = journal.since(s, 0)
    assert [e for _, _, e in rows] == ["slow", "fast"]
    assert rows[0][0] < rows[1][0]
    for st in (slow_store, fast_store, reader):
        st.close()


def test_followers_miss_nothing_with_slow_and_fast_writers_interleaved(hall_url):
    writers = [Store.open(hall_url) for _ in range(6)]
    follower_store = Store.open(hall_url)
    rng = random.Random(16)
    plans = [[rng.choice((0.0, 0.0, 0.001, 0.02)) for _ in range(40)] for _ in writers]
    committed: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    seen: list[str] = []

    def write(i: int, store) -> None:
        for n, pause in enumerate(plans[i]):
            eid = f"w{i}-{n}"
            try:
                with store.write() as s:
                    journal.record(s, "t", eid)
                    if pause:
                        time.sleep(pause)  # a slow transaction: commits well after drawing its number
                    if n % 7 == 3:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                continue
            with lock:
                committed.append(eid)

    followers = [threading.Thread(target=_follow, args=(follower_store, stop, seen))]
    threads = [threading.Thread(target=write, args=(i, st)) for i, st in enumerate(writers)]
    for t in followers + threads:
        t.start()
    for t in threads:
        t.join(120)
    stop.set()
    for t in followers:
        t.join(60)
    assert sorted(seen) == sorted(committed)  # nothing missed, nothing rolled back shown
    assert len(seen) == len(set(seen)) == 6 * 40 - 6 * len(range(3, 40, 7))
    for st in writers + [follower_store]:
        st.close()


def test_listen_notify_wakes_a_desk_on_commit_only(hall_url):
    store = Store.open(hall_url)
    wakes: list[float] = []
    woke = threading.Event()

    def on_wake() -> None:
        wakes.append(time.monotonic())
        woke.set()

    lis = Listener(hall_url, on_wake).start()
    try:
        assert lis.connected.wait(10)
        assert woke.wait(10)  # the catch-up wake after connecting
        woke.clear()
        try:
            with store.write() as s:
                journal.record(s, "ticket", "rolled-back")
                raise RuntimeError("no commit")
        except RuntimeError:
            pass
        assert not woke.wait(1.0)  # a rollback sends nothing
        with store.write() as s:
            journal.record_many(s, "ticket", ["a", "b", "c"])
        assert woke.wait(10)
    finally:
        lis.stop()
        store.close()
