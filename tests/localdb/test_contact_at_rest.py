"""Citizens' contact data at rest: the store file holds no reporter's name or phone in
clear (tickets, the platform's copy, outbox, events, quarantine), the key is not in the
store, and a missing, wrong or loose key stops the opening with a clear message
without touching the store."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from console.domain.model import Actor, Role
from console.operations import tickets as ops
from localdb import Store, StoreError, crypto, repo
from localdb.feed import apply_changes
from tests.localdb.helpers import NOW, change, ticket

PHONE, NAME = "13912345678", "陈秀英"
PHONE2, NAME2 = "13700001111", "刘建国"
OFFICER = Actor("officer1", "李", Role.OFFICER, "WS-1")
LEADER = Actor("leader1", "王", Role.SHIFT_LEADER, "WS-1")


@pytest.fixture
def own_key(tmp_path, monkeypatch):
    """The default place: contact.key beside the store (not the run's shared key)."""
    monkeypatch.delenv(crypto.ENV_KEY_FILE, raising=False)
    return tmp_path / crypto.KEY_FILE_NAME


def _file_bytes(path: Path) -> bytes:
    out = b""
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            out += p.read_bytes()
    return out


def _clear_in(path: Path) -> list[str]:
    data = _file_bytes(path)
    return [v for v in (PHONE, NAME, PHONE2, NAME2) if v.encode() in data]


def _fill(store) -> tuple[str, str]:
    """A feed ticket with a pending local action (ticket_base, outbox), a new ticket
    made at the desk (outbox create, local event) and a quarantined feed item."""
    t = ticket(1, reporter_name=NAME, reporter_phone=PHONE)
    bad = change(ticket(2, reporter_name=NAME, reporter_phone=PHONE).to_dict() | {"state": "nonsense"}, 2)
    apply_changes(store, [change(t), bad], "c1", now=NOW)
    ops.annotate(store, OFFICER, t.id, "核实中", NOW + 1)
    new = ops.create_ticket(store, OFFICER, NOW + 2, channel="hotline_12345", category_kind="event",
                            category_code="01001", category_name="井盖", description="井盖缺失",
                            address="浦东南路1号", reporter_name=NAME2, reporter_phone=PHONE2,
                            lat=31.2, lon=121.5, grids={"street": "S-01"})
    return t.id, new.id


def test_store_file_has_no_reporter_contact_in_clear(tmp_path, own_key):
    path = tmp_path / "console.db"
    store = Store.open(path)
    feed_id, new_id = _fill(store)
    with store.session() as s:
        assert repo.get_ticket(s, feed_id).reporter_phone == PHONE
        assert repo.get_ticket(s, new_id).reporter_name == NAME2
        assert repo.base_ticket(s, feed_id).reporter_phone == PHONE
    assert _clear_in(path) == []
    store.checkpoint()
    store.close()
    assert _clear_in(path) == []
    # the key is where it is said to be, the owner's only, and not in the store
    assert own_key.is_file() and (os.stat(own_key).st_mode & 0o777) == 0o600
    key_line = own_key.read_text().split()[-1].encode()
    assert key_line not in _file_bytes(path)
    # opened again (a new process would do the same): the officer sees the contact
    store = Store.open(path)
    try:
        shown = ops.reveal_contact(store, LEADER, feed_id, NOW + 3)
        assert shown == {"reporter_name": NAME, "reporter_phone": PHONE}
    finally:
        store.close()


def test_the_outbox_sends_the_contact_in_clear(tmp_path, own_key):
    """Sealing is for the file only: the command the pusher sends carries the real phone,
    and its signature still covers it."""
    from localdb import outbox

    store = Store.open(tmp_path / "console.db")
    try:
        _fill(store)
        with store.session() as s:
            sends = outbox.next_batch(s, 10)
        create = [e for e in sends if e["verb"] == "create"][0]
        assert create["params"]["ticket"]["reporter_phone"] == PHONE2
    finally:
        store.close()


def test_store_from_before_encryption_is_sealed_at_open(tmp_path, own_key):
    path = tmp_path / "console.db"
    store = Store.open(path)
    tid = _fill(store)[0]
    store.close()
    # what an older console left: clear values and no key id
    con = sqlite3.connect(path)
    con.execute("UPDATE tickets SET reporter_name = ?, reporter_phone = ? WHERE id = ?", (NAME, PHONE, tid))
    con.execute("DELETE FROM sync_state WHERE key = ?", (crypto.KEY_ID_STATE,))
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert PHONE.encode() in _file_bytes(path)
    store = Store.open(path)
    store.checkpoint()
    with store.session() as s:
        assert repo.get_ticket(s, tid).reporter_phone == PHONE
    store.close()
    con = sqlite3.connect(path)
    (val,) = con.execute("SELECT reporter_phone FROM tickets WHERE id = ?", (tid,)).fetchone()
    con.close()
    assert val.startswith("enc1:")


def _digest(path: Path) -> str:
    return hashlib.sha256(_file_bytes(path)).hexdigest()


def _sealed_store(tmp_path) -> Path:
    path = tmp_path / "console.db"
    store = Store.open(path)
    _fill(store)
    store.checkpoint()
    store.close()
    return path


def test_missing_key_is_refused_and_the_store_untouched(tmp_path, own_key):
    path = _sealed_store(tmp_path)
    own_key.unlink()
    before = _digest(path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert err.value.kind == "key" and "missing" in str(err.value) and str(own_key) in str(err.value)
    assert _digest(path) == before
    assert not own_key.exists()  # no new key made behind the officer's back


def test_wrong_key_is_refused(tmp_path, own_key):
    path = _sealed_store(tmp_path)
    other = tmp_path / "other.key"
    crypto.create_key_file(other)
    before = _digest(path)
    with pytest.raises(StoreError) as err:
        Store.open(path, key_file=other)
    assert err.value.kind == "key" and "not the key" in str(err.value)
    assert _digest(path) == before


def test_loose_or_damaged_key_file_is_refused(tmp_path, own_key):
    path = _sealed_store(tmp_path)
    os.chmod(own_key, 0o644)
    with pytest.raises(StoreError, match="chmod 600"):
        Store.open(path)
    os.chmod(own_key, 0o600)
    good = own_key.read_text()
    own_key.write_text(good.replace("key ", "key !!"))
    with pytest.raises(StoreError, match="damaged"):
        Store.open(path)
    own_key.write_text("hello\n")
    with pytest.raises(StoreError, match="not a contact key file"):
        Store.open(path)
    own_key.write_text(good)
    Store.open(path).close()  # the right file again: opens


def test_rotation_reseals_with_the_new_key(tmp_path, own_key):
    path = _sealed_store(tmp_path)
    old = crypto.read_key_file(own_key).kid
    new = crypto.rotate_key_file(own_key).kid
    assert new != old
    store = Store.open(path)
    store.checkpoint()
    with store.session() as s:
        tids = [t["id"] for t in s.execute(
            __import__("sqlalchemy").text("SELECT id FROM tickets")).mappings()]
        phones = {repo.get_ticket(s, t).reporter_phone for t in tids}
    store.close()
    assert phones >= {PHONE, PHONE2}
    data = _file_bytes(path)
    assert f"enc1:{new}:".encode() in data
    con = sqlite3.connect(path)
    stale = con.execute("SELECT count(*) FROM tickets WHERE reporter_phone LIKE ?", (f"enc1:{old}:%",)).fetchone()[0]
    con.close()
    assert stale == 0


def test_cipher_unit():
    c = crypto.Cipher(os.urandom(32))
    s = c.seal(PHONE)
    assert s.startswith(f"enc1:{c.kid}:") and PHONE not in s and c.open(s) == PHONE
    assert c.seal(s) == s and c.seal("") == "" and c.open("plain") == "plain"
    assert c.seal(PHONE) != s  # a fresh nonce each time
    other = crypto.Cipher(os.urandom(32))
    assert other.open(s) == s  # not its key: left sealed, never lost
    forged = s[:-4] + ("AAAA" if not s.endswith("AAAA") else "BBBB")
    assert c.open(forged) == forged
    nested = {"ticket": {"reporter_phone": PHONE, "x": [{"reporter_name": NAME}]}}
    sealed = c.seal_obj(nested)
    assert PHONE not in str(sealed) and NAME not in str(sealed) and c.open_obj(sealed) == nested


def test_hall_store_seals_too(hall_store):
    t = ticket(1, reporter_name=NAME, reporter_phone=PHONE)
    apply_changes(hall_store, [change(t)], "c1", now=NOW)
    from sqlalchemy import text

    with hall_store.session() as s:
        raw = s.execute(text("SELECT reporter_name, reporter_phone FROM tickets")).one()
        assert all(v.startswith("enc1:") for v in raw)
        assert repo.get_ticket(s, t.id).reporter_phone == PHONE


def test_key_command_shows_and_rotates(tmp_path, own_key, capsys):
    from console import app as console_app

    data = tmp_path
    store = Store.open(data / "console.db")
    tid = _fill(store)[0]
    store.close()
    assert console_app.main(["key", "show", "--data-dir", str(data)]) == 0
    old = crypto.read_key_file(own_key).kid
    assert f"current key {old}" in capsys.readouterr().out
    assert console_app.main(["key", "rotate", "--data-dir", str(data)]) == 0
    new = crypto.read_key_file(own_key).kid
    assert new != old and f"new key {new}" in capsys.readouterr().out
    con = sqlite3.connect(data / "console.db")
    kid = con.execute("SELECT value FROM sync_state WHERE key=?", (crypto.KEY_ID_STATE,)).fetchone()[0]
    (phone,) = con.execute("SELECT reporter_phone FROM tickets WHERE id=?", (tid,)).fetchone()
    con.close()
    assert kid == new and phone.startswith(f"enc1:{new}:")
    own_key.unlink()
    assert console_app.main(["key", "show", "--data-dir", str(data)]) == 2
    assert "missing" in capsys.readouterr().err
