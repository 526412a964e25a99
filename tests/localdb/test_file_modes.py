"""The data directory and the store are the console user's only (0700 / 0600)."""

from __future__ import annotations

import os
import stat

from console.paths import Paths
from localdb import Store
from localdb.actions import audit
from console.domain.model import Actor, Role


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_new_data_dir_and_store_are_private(tmp_path):
    paths = Paths.resolve(tmp_path / "desk").ensure()
    assert _mode(paths.data_dir) == 0o700
    store = Store.open(paths.store)
    with store.write() as s:  # a write makes the -wal and -shm files
        audit(s, Actor("u1", "x", Role.OFFICER, "ws"), "login_ok", None, {}, 1.0)
    try:
        for p in (paths.store, paths.store.with_name("console.db-wal"), paths.store.with_name("console.db-shm")):
            assert _mode(p) == 0o600, p
    finally:
        store.close()


def test_loose_existing_modes_are_tightened(tmp_path):
    data = tmp_path / "desk"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    Store.open(data / "console.db").close()
    os.chmod(data / "console.db", 0o644)
    paths = Paths.resolve(data).ensure()
    Store.open(paths.store).close()
    assert _mode(data) == 0o700
    assert _mode(data / "console.db") == 0o600

