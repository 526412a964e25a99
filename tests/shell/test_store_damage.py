"""A desk that cannot read its own store never says it is online (issue 14).

- a store with damaged pages: the console refuses it at start with the way out
  (recover), a --snapshot run exits 1 instead of reporting "online";
- damage met while running (a read fails with "malformed"): no traceback notice, the
  link state becomes store_damaged and stays so whatever the platform link does.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc

from tests.shell.test_app import _run


def _damage(path, size=64 * 1024):
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    total = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(total // 2)
        f.write(b"\xa5" * min(size, total // 4))


def test_a_damaged_store_stops_the_start_with_the_way_out(paths, tmp_path):
    from tests.factories import load_sample_store

    load_sample_store(paths.store).close()
    _damage(paths.store)
    proc = _run(["--platform", "http://127.0.0.1:9", "--token", "t", "--user", "officer1", "--pin", "1234",
                 "--snapshot", str(tmp_path / "s.png"), "--quit-after", "4"], paths.data_dir)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, err[-2000:]
    assert "damaged" in err and "duty-console recover" in err
    assert b'"online"' not in proc.stdout


def test_damage_met_while_running_marks_the_desk_and_it_stays_marked(qtbot):
    from console.qt import errors
    from console.qt.context import LinkStatus, Notifier
    from widgets.link_indicator import LinkIndicator

    link, notifier = LinkStatus(), Notifier()
    ind = LinkIndicator(link, sound_enabled=False)
    qtbot.addWidget(ind)
    link.set_state("online", last_ok=1.0)
    messages: list[tuple[str, str]] = []
    notifier.sig_message.connect(lambda level, text: messages.append((level, text)))
    notifier.sig_store_damage.connect(link.set_store_problem)
    errors.install(notifier)
    errors.on_store_damage(notifier.sig_store_damage.emit)
    try:
        raw = sqlite3.DatabaseError("database disk image is malformed")
        exc = sqlalchemy.exc.DatabaseError("SELECT * FROM tickets", {}, raw)
        errors.report(exc, where="queue panel")
        qtbot.waitUntil(lambda: link.state == "store_damaged", timeout=3000)
    finally:
        errors.uninstall()
    assert not any("Unexpected error" in t for _, t in messages)   # no raw traceback notice
    assert "store" in ind.text().lower() and ind.state == "store_damaged"
    link.set_state("online", last_ok=2.0)      # the platform answers: still not "online"
    assert link.state == "store_damaged" and ind.state == "store_damaged"


def test_the_window_offers_quit_and_recover_and_the_next_start_checks_in_full(qapp, qtbot, paths, settings,
                                                                             store, ctx):
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMessageBox

    from tests.shell.test_session import _comp

    c = _comp(qapp, paths, settings, store, ctx)
    quits: list[int] = []
    c.app = SimpleNamespace(quit=lambda: quits.append(1))
    ctx.link.set_state("online", last_ok=1.0)
    c._on_store_damage("database disk image is malformed")
    assert ctx.link.state == "store_damaged"
    box = c._damage_box
    qtbot.addWidget(box)
    assert box.isVisible() and "duty-console recover" in box.text()
    quit_button = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    quit_button.click()
    marker = c._recover_marker()
    assert quits == [1] and marker.read_text(encoding="utf-8") == "database disk image is malformed"
    # the marker makes the next open check the whole file, and is gone once it opened sound
    c.store.close()
    c.store = None
    c.make_context = lambda: None
    c.connect_platform = lambda: None
    c.login = lambda: None
    c.open_store()
    try:
        assert c.store is not None and c.store.checked and not marker.exists()
    finally:
        c.store.close()
