"""Tamper evidence: the audit log is append-only and hash-chained; ``duty-console audit
verify`` finds an edited or removed entry and names it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console import app as console_app
from console.domain import audit_chain
from console.domain.model import Actor, Role
from console.operations import audit as audit_ops
from localdb import Store
from localdb.actions import audit

ROOT = Path(__file__).resolve().parents[2]
LEADER = Actor("leader1", "值班长", Role.SHIFT_LEADER, "ws-1")


def _fill(store, n: int = 6) -> None:
    with store.write() as s:
        for i in range(n):
            audit(s, LEADER, "login_ok" if i % 2 else "login_failed", None, {"workstation": "ws-1", "i": i},
                  1000.0 + i)


@pytest.fixture
def desk(tmp_path, _migrated_template):
    import shutil

    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(_migrated_template, data / "console.db")
    store = Store.open(data / "console.db")
    _fill(store)
    store.close()
    return data


def _tamper(path: Path, *statements: str) -> None:
    """What someone with the file can do: drop the append-only triggers, then change rows."""
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("DROP TRIGGER audit_log_no_delete")
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def test_store_refuses_edits_and_deletes_of_audit_entries(sqlite_store):
    _fill(sqlite_store, 2)
    con = sqlite3.connect(sqlite_store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET details = '{}' WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log WHERE id = 2")
    con.close()


def test_chain_over_both_stores_and_head(store):
    _fill(store, 5)
    broken, head = audit_ops.verify(store)
    assert broken is None and head.count == 5 and head.hash != audit_chain.GENESIS
    with store.session() as s:
        assert audit_ops.head(s) == head


def test_verify_intact_store_exits_zero(desk, capsys):
    assert console_app.main(["audit", "verify", "--data-dir", str(desk)]) == 0
    out = capsys.readouterr().out
    assert "intact: 6 entries" in out


def test_deleted_entry_is_found_and_named(desk, capsys):
    _tamper(desk / "console.db", "DELETE FROM audit_log WHERE id = 3")
    assert console_app.main(["audit", "verify", "--data-dir", str(desk)]) == 1
    err = capsys.readouterr().err
    assert "entry 4" in err and "removed" in err and "2 entries before it are intact" in err


def test_edited_entry_is_found_and_named(desk, capsys):
    _tamper(desk / "console.db",
            "UPDATE audit_log SET details = '{\"workstation\": \"ws-9\"}' WHERE id = 5")
    assert console_app.main(["audit", "verify", "--data-dir", str(desk)]) == 1
    err = capsys.readouterr().err
    assert "entry 5" in err and "changed" in err


def test_rehashed_edit_breaks_the_next_link(desk, capsys):
    """Editing a row and recomputing its own hash still breaks the link after it."""
    path = desk / "console.db"
    con = sqlite3.connect(path)
    row = dict(zip(("id", "at", "actor_id", "actor", "action", "ticket_id", "details", "prev_hash"),
                   con.execute("SELECT id, at, actor_id, actor, action, ticket_id, details, prev_hash "
                               "FROM audit_log WHERE id = 2").fetchone()))
    con.close()
    row["details"] = '{"workstation": "ws-9"}'
    new_hash = audit_chain.link(row["prev_hash"], row)
    _tamper(path, f"UPDATE audit_log SET details = '{row['details']}', hash = '{new_hash}' WHERE id = 2")
    assert console_app.main(["audit", "verify", "--data-dir", str(desk)]) == 1
    assert "entry 3" in capsys.readouterr().err


def test_no_store_is_a_clear_error(tmp_path, capsys):
    assert console_app.main(["audit", "verify", "--data-dir", str(tmp_path / "none")]) == 2
    assert "no store at" in capsys.readouterr().err


def test_command_line_entry(desk):
    """The installed entry point: a real process, exit code and message."""
    _tamper(desk / "console.db", "DELETE FROM audit_log WHERE id = 1")
    r = subprocess.run([sys.executable, "-m", "console.app", "audit", "verify", "--data-dir", str(desk)],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.stderr
    assert "entry 2" in r.stderr
