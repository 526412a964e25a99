"""Moving a desk from its SQLite file to the hall store keeps its unsent outbox."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from console.operations import tickets as ops
from localdb import Store, feed, outbox
from tests.localdb.helpers import NOW, OFFICER, change, ticket

ROOT = Path(__file__).resolve().parents[2]


def test_hall_join_copies_the_unsent_outbox_once(tmp_path, hall_url):
    path = tmp_path / "desk.sqlite3"
    desk = Store.open(path)
    hall_store = Store.open(hall_url)
    try:
        t1, t2 = ticket(1, state="registered"), ticket(2, state="pending")
        for st in (desk, hall_store):
            feed.apply_changes(st, [change(t1, 1), change(t2, 2)], "c", now=NOW)
        ops.annotate(desk, OFFICER, t1.id, "离线时写的备注", NOW)
        ops.accept(desk, OFFICER, t2.id, NOW)
        with desk.session() as s:
            want = [(e["command_id"], e["verb"]) for e in outbox.next_batch(s)]
        assert len(want) == 2
        desk.close()

        def join() -> dict:
            proc = subprocess.run([sys.executable, "-m", "console.app", "hall-join", "--from", str(path),
                                   "--store", hall_url], cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert proc.returncode == 0, proc.stderr
            return json.loads(proc.stdout.strip().splitlines()[-1])

        assert join() == {"copied": 2, "skipped": 0, "unsent_in_desk_file": 2}
        assert join() == {"copied": 0, "skipped": 2, "unsent_in_desk_file": 2}  # twice: nothing twice
        with hall_store.session() as s:
            got = [(e["command_id"], e["verb"]) for e in outbox.next_batch(s)]
            assert got == want  # same ids (the district deduplicates by them), same order
    finally:
        hall_store.close()


def test_hall_join_says_what_is_wrong(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "console.app", "hall-join", "--from", str(tmp_path / "none"),
                           "--store", "postgresql://x@127.0.0.1:1/hall"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "no desk store" in proc.stderr
