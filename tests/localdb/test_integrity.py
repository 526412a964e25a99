"""Damage in the middle of the store file is found when the store opens (issue 14).

256 KiB of random bytes in the middle of a store used to go unnoticed: the console
started "online" and the queue showed a raw SQLAlchemy traceback. Now the time-boxed
``quick_check`` at open refuses the file (kind ``corrupt``, with the way out), a store
too big for the time box is checked in full by ``Store.verify`` in the background, and
recovery gives a sound store again with the queued actions kept.
"""

from __future__ import annotations

import os
import random

import pytest

from localdb import Store, StoreError, feed, outbox
from localdb import store as store_mod
from localdb.recovery import recover
from tests.localdb.helpers import NOW, change, ticket


def _big_store(path, n=3000):
    st = Store.open(path)
    feed.apply_changes(st, [change(ticket(i, state="pending", description="描述" * 40), i)
                            for i in range(1, n)], "c1", now=NOW)
    with st.write() as s:
        outbox.enqueue(s, {"command_id": "kept-1", "ticket_id": ticket(1).id, "verb": "annotate",
                           "params": {"text": "不能丢"}, "expected_version": 1,
                           "actor": {"user_id": "u1", "name": "张三", "role": "officer"},
                           "issued_at": NOW})
    st.checkpoint()
    st.close()
    return path


def _damage_middle(path, size=256 * 1024, seed=14):
    total = path.stat().st_size
    assert total > 4 * size, total
    rng = random.Random(seed)
    with open(path, "r+b") as f:
        f.seek(total // 2)
        f.write(bytes(rng.getrandbits(8) for _ in range(size)))
        f.flush()
        os.fsync(f.fileno())


def test_random_bytes_in_the_middle_are_refused_at_open_and_recovery_gives_a_sound_store(tmp_path):
    path = _big_store(tmp_path / "store.sqlite3")
    _damage_middle(path)
    with pytest.raises(StoreError) as ei:
        Store.open(path)
    assert ei.value.kind == "corrupt"
    assert "duty-console recover" in str(ei.value)
    report = recover(path)
    assert report.moved_to.exists()
    st = Store.open(path)
    try:
        assert st.checked
        with st.session() as s:
            assert st.verify() is None
            assert outbox.depth(s) == report.salvaged_outbox
    finally:
        st.close()


def test_a_store_too_big_for_the_time_box_is_checked_in_full_afterwards(tmp_path, monkeypatch):
    path = _big_store(tmp_path / "store.sqlite3")
    sound = Store.open(path)
    assert sound.checked and sound.verify() is None
    sound.close()
    _damage_middle(path)
    monkeypatch.setattr(store_mod, "QUICK_CHECK_S", 0.0)   # the box closes at once
    st = Store.open(path)
    try:
        assert st.checked is False          # open did not wait for the whole check ...
        problem = st.verify()               # ... the background check finds the damage
        assert problem and st.checked is False
    finally:
        st.close()


def test_the_time_box_interrupts_a_long_check(tmp_path):
    import sqlite3

    con = sqlite3.connect(tmp_path / "big.sqlite3")
    con.execute("CREATE TABLE t (a, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", ((i, f"{i:0200d}") for i in range(150_000)))
    con.execute("CREATE INDEX ix ON t (b)")
    con.commit()
    assert store_mod.quick_check(con, 0.001) is None     # not finished in a millisecond
    assert store_mod.quick_check(con, 60) == ""           # sound, given the time
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 150_000  # the connection still works
    con.close()


def _recover_cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "console.app", "recover", *args],
                          capture_output=True, text=True, timeout=120)


def test_duty_console_recover_repairs_a_damaged_store_and_leaves_a_sound_one(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    from console.paths import Paths

    path = _big_store(Paths.resolve(data).store)
    ok = _recover_cli("--data-dir", str(data))
    assert ok.returncode == 0 and "sound" in ok.stdout, ok.stderr
    assert not list(path.parent.glob("*.corrupt-*"))
    _damage_middle(path)
    fixed = _recover_cli("--data-dir", str(data))
    assert fixed.returncode == 0, fixed.stderr
    assert "damaged" in fixed.stdout and "unsent action(s) kept" in fixed.stdout
    assert list(path.parent.glob("*.corrupt-*"))
    st = Store.open(path, check=True)   # sound again
    st.close()
    missing = _recover_cli("--data-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no store" in missing.stderr and "Traceback" not in missing.stderr
