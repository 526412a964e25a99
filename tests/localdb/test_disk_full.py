"""A full disk is its own kind of problem, said once (issue 14).

It was reported as kind ``other`` (the dialog would have offered to move a healthy file
aside) under ~280 "--- Logging error ---" tracebacks. SQLite's own limit on the file
(``max_page_count``) gives the real SQLITE_FULL; /dev/full gives the real ENOSPC.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from console import logs
from localdb import Store, StoreError


def test_a_full_disk_is_kind_disk_full_and_the_store_stays_usable(tmp_path):
    st = Store.open(tmp_path / "store.sqlite3")
    try:
        with pytest.raises(StoreError) as ei:
            with st.write() as s:
                raw = s.connection().connection.driver_connection
                pages = raw.execute("PRAGMA page_count").fetchone()[0]
                raw.execute(f"PRAGMA max_page_count = {pages}")
                s.execute(text("CREATE TABLE filler (b BLOB)"))
                for _ in range(50):
                    s.execute(text("INSERT INTO filler VALUES (randomblob(100000))"))
        assert ei.value.kind == "disk_full"
        assert "full" in str(ei.value) and "Free some space" in str(ei.value)
        with st.session() as s:       # nothing half-written: the file reads as before
            assert s.execute(text("SELECT count(*) FROM sqlite_master WHERE name='filler'")).scalar() == 0
    finally:
        st.close()
    Store.open(tmp_path / "store.sqlite3", check=True).close()   # and it is sound


def test_a_log_file_on_a_full_disk_costs_one_line_not_one_per_record(capfd):
    from pathlib import Path

    root = logging.getLogger()
    saved = list(root.handlers)
    try:
        logs.setup(Path("/dev/full"), stderr=False)
        for i in range(300):
            logging.getLogger("test.disk").error("record %d", i)
    finally:
        for h in list(root.handlers):
            if getattr(h, "_duty_console", False):
                root.removeHandler(h)
                h.close()
        for h in saved:
            if h not in root.handlers:
                root.addHandler(h)
    err = capfd.readouterr().err
    assert err.count("cannot write the log file") == 1, err[:2000]
    assert "Logging error" not in err
