"""The duty-console entry: messages without config, logging hygiene, fonts, snapshot runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console import app as console_app
from console import composition, logs, snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_no_platform_configured_gives_a_clear_message(capsys, monkeypatch):
    monkeypatch.delenv("DUTY_CONSOLE_TOKEN", raising=False)
    code = console_app.main([])
    err = capsys.readouterr()
    assert code == 2
    assert err.out == ""
    assert "--demo" in err.err and "--platform" in err.err and "token" in err.err
    assert "Traceback" not in err.err


def test_platform_without_token_gives_a_clear_message(capsys, monkeypatch):
    monkeypatch.delenv("DUTY_CONSOLE_TOKEN", raising=False)
    monkeypatch.setattr(console_app, "token_from_keyring", lambda url: None)
    code = console_app.main(["--platform", "http://127.0.0.1:9"])
    assert code == 2
    assert "DUTY_CONSOLE_TOKEN" in capsys.readouterr().err


def test_keyring_without_backend_fails_soft(monkeypatch):
    import keyring
    from keyring.errors import NoKeyringError

    def _raise(*a):
        raise NoKeyringError("no backend")

    monkeypatch.setattr(keyring, "get_password", _raise)
    assert console_app.token_from_keyring("http://x") is None


def test_logs_never_contain_phone_numbers_or_tokens(tmp_path):
    import logging

    logs.setup(tmp_path / "t.log", "INFO", stderr=False)
    try:
        logs.add_secret("s3cr3t-token-value")
        log = logging.getLogger("test.redact")
        log.info("reporter 13812341234 called; dept 021-58880100; token s3cr3t-token-value")
        log.info("headers %s", {"Authorization": "Bearer abc.def.ghi"})
        log.info("ticket HP2026112200012 at 1795300000.0")
    finally:
        for h in logging.getLogger().handlers:
            h.flush()
    text = (tmp_path / "t.log").read_text(encoding="utf-8")
    assert "13812341234" not in text and "58880100" not in text
    assert "s3cr3t-token-value" not in text and "abc.def.ghi" not in text
    assert "HP2026112200012" in text and "1795300000.0" in text
    logs.setup(None, "INFO", stderr=False)


def test_cjk_font_is_chosen(qapp):
    from PySide6.QtGui import QFontMetrics

    family = composition.pick_cjk_font(qapp)
    assert family is not None
    assert QFontMetrics(qapp.font()).inFont("城")


_SEEN: list = []


def _echo_subcommand(argv):
    _SEEN.append(argv)
    return 7


def test_a_subcommand_gets_the_rest_of_the_command_line(monkeypatch):
    monkeypatch.setitem(console_app.SUBCOMMANDS, "echo", ("tests.shell.test_app", "_echo_subcommand"))
    assert console_app.main(["echo", "--x", "y"]) == 7
    assert _SEEN == [["--x", "y"]]


def test_snapshot_line_keeps_every_key_when_a_group_fails(monkeypatch):
    def _broken(src):
        raise RuntimeError("boom")

    monkeypatch.setattr(snapshot, "GROUPS", [*snapshot.GROUPS, ({"extra": -1}, _broken)])
    info = snapshot.collect(None, None)
    assert list(info) == snapshot.keys() and info["extra"] == -1
    assert info["link"] == "offline" and info["tickets"] == 0


def test_environment_preparation(monkeypatch):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QTWEBENGINE_DISABLE_SANDBOX", raising=False)
    composition.prepare_environment()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    if os.geteuid() == 0:
        assert os.environ["QTWEBENGINE_DISABLE_SANDBOX"] == "1"


def test_shift_boundaries():
    from console.operations.duty_pattern import shift_of

    base = 1795314600.0  # 2026-11-22 10:30 Shanghai
    h = 3600
    assert shift_of(None, base) == ("2026-11-22", "day")
    assert shift_of(None, base + 4.5 * h) == ("2026-11-22", "evening")       # 15:00
    assert shift_of(None, base + 12.5 * h) == ("2026-11-22", "night")        # 23:00
    assert shift_of(None, base + 15 * h) == ("2026-11-22", "night")          # 01:30 next day
    assert shift_of(None, base + 20.5 * h) == ("2026-11-23", "day")          # 07:00


def test_store_error_dialog_moves_the_damaged_file_aside(qtbot, paths):
    from localdb import Store, StoreError

    from views.store_error import StoreErrorDialog

    paths.store.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as info:
        Store.open(paths.store)
    dlg = StoreErrorDialog(info.value, paths.store)
    qtbot.addWidget(dlg)
    assert dlg.rebuild_button is not None
    with qtbot.waitSignal(dlg.sig_recovered, timeout=5000):
        dlg.rebuild_button.click()
    assert list(paths.data_dir.glob("console.db.corrupt*"))
    Store.open(paths.store).close()


def _run(args, data_dir, timeout=120, env_extra=None, stdin=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DUTY_CONSOLE_DATA_DIR=str(data_dir))
    env.pop("DUTY_CONSOLE_TOKEN", None)
    env.pop("DUTY_CONSOLE_PIN", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "console.app", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=timeout, input=stdin)


def _secret_file(path, text):
    path.write_text(text + "\n")
    os.chmod(path, 0o600)
    return str(path)


def _one_json_line(proc):
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1, (proc.stdout, proc.stderr.decode(errors="replace")[-3000:])
    return json.loads(lines[0])


def test_snapshot_offline_against_a_sample_store(paths, tmp_path):
    from tests.factories import load_sample_store

    load_sample_store(paths.store).close()
    png = tmp_path / "snap.png"
    token_file = _secret_file(tmp_path / "token", "tok-secret-123")
    proc = _run(["--platform", "http://127.0.0.1:9", "--token-file", token_file, "--user", "officer1", "--pin-stdin",
                 "--snapshot", str(png), "--quit-after", "6"], paths.data_dir, stdin=b"1234\n")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    assert b"warning" not in proc.stderr
    info = _one_json_line(proc)
    assert list(info) == snapshot.keys()
    assert info["link"] == "offline"
    assert info["panels"] == ["queue", "map", "video", "commander"], "a real panel became a placeholder"
    # the login itself waits in the outbox for the platform (an auth duty record)
    assert info["tickets"] == 200 and info["pending_outbox"] == 1
    assert info["shift"] in ("day", "evening", "night")
    assert png.exists() and png.stat().st_size > 10_000
    assert (paths.log_dir / "console.log").exists()
    log = (paths.log_dir / "console.log").read_text(encoding="utf-8")
    assert "tok-secret-123" not in log and "13812341234" not in log


def test_snapshot_demo(paths, tmp_path):
    png = tmp_path / "demo.png"
    proc = _run(["--demo", "--demo-sim-arg=--history-days=2", "--snapshot", str(png), "--quit-after", "8"],
                paths.data_dir, timeout=180)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    info = _one_json_line(proc)
    assert info["link"] in ("online", "degraded")
    assert info["tickets"] > 0
    assert info["commander"]
    assert info["panels"] == ["queue", "map", "video", "commander"], "a real panel became a placeholder"
    assert png.exists()
    # the child platform was stopped
    log = (paths.log_dir / "console.log").read_text(encoding="utf-8")
    assert "stopping demo platform" in log


def test_duty_now_uses_the_roster(store):
    from console.qt.duty import duty_now

    day = duty_now(store, 1795314600.0)            # 10:30 on the 22nd
    assert (day.shift, day.date, day.commander, day.shift_leader) == ("day", "2026-11-22", "王指挥", "值班长1")
    night = duty_now(store, 1795314600.0 + 15 * 3600)  # 01:30 on the 23rd: night of the 22nd
    assert (night.shift, night.date, night.shift_leader) == ("night", "2026-11-22", "值班长3")
    from console.operations import duty_pattern

    duty_pattern.set_fallback_starts(("11:00", "16:00", "23:00"))   # the desk's shift_times
    try:
        assert duty_now(store, 1795314600.0).shift == "night"           # 10:30 is before 11:00
    finally:
        duty_pattern.set_fallback_starts(None)


def test_wall_mode_snapshot_needs_no_login_and_shows_the_signs(paths, tmp_path):
    from PySide6.QtGui import QImage

    from tests.factories import load_sample_store

    load_sample_store(paths.store).close()
    png = tmp_path / "wall.png"
    proc = _run(["--platform", "http://127.0.0.1:9", "--wall", "--screen", "7", "--layout", "1+5",
                 "--snapshot", str(png), "--quit-after", "4"], paths.data_dir,
                env_extra={"DUTY_CONSOLE_TOKEN": "tok-wall"})
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    info = _one_json_line(proc)
    assert info["mode"] == "wall" and info["screen"] == 7
    assert info["panels"] == ["map", "video", "vitals"]
    assert info["vital_signs"] >= 5 and info["tickets"] == 200 and info["alarms_open"] == 0
    assert "screen 7 does not exist" in proc.stderr.decode(errors="replace")   # said, and shown anyway
    img = QImage(str(png))
    assert img.width() > 600 and img.height() > 400
    assert len({img.pixel(x, y) for x in range(0, img.width(), 37) for y in range(0, img.height(), 37)}) > 20


def test_bad_wall_arguments_are_refused_with_a_message(paths):
    proc = _run(["--wall", "--layout", "5x5"], paths.data_dir)
    assert proc.returncode == 2 and b"--layout must be one of" in proc.stderr
    proc = _run(["--wall", "--screen", "-1"], paths.data_dir)
    assert proc.returncode == 2 and b"--screen" in proc.stderr


@pytest.mark.parametrize("url", ["not a url", "ftp://platform.example/", "http://[::1", "http://host:99999/",
                                 "http:///no-host"])
def test_a_platform_that_is_not_an_http_url_is_a_clear_error(capsys, monkeypatch, url):
    monkeypatch.setenv("DUTY_CONSOLE_TOKEN", "t")
    code = console_app.main(["--platform", url])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("duty-console: --platform: ") and repr(url) in err and "Traceback" not in err


def test_platform_urls_that_are_fine_pass():
    from console.settings import check_platform_url

    for url in ("https://platform.example/", "http://127.0.0.1:8080", "http://[::1]:8080/", ""):
        check_platform_url(url)


def test_secrets_on_the_command_line_are_warned_about_and_still_work(capsys, monkeypatch):
    args = console_app.parse_args(["--platform", "http://x", "--token", "t0k", "--user", "u1", "--pin", "1234"])
    err = capsys.readouterr().err
    assert args.token == "t0k" and args.pin == "1234"
    assert "--pin on the command line is visible" in err and "--token on the command line is visible" in err


def test_pin_and_token_from_environment_stdin_and_file(capsys, monkeypatch, tmp_path):
    import io

    monkeypatch.setenv("DUTY_CONSOLE_PIN", "482916")
    assert console_app.parse_args(["--user", "u1"]).pin == "482916"
    monkeypatch.delenv("DUTY_CONSOLE_PIN")
    monkeypatch.setattr(sys, "stdin", io.StringIO("7391\n"))
    assert console_app.parse_args(["--user", "u1", "--pin-stdin"]).pin == "7391"
    assert console_app.parse_args(["--token-file", _secret_file(tmp_path / "t", "abc")]).token == "abc"
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("content, mode, says", [
    ("abc", 0o644, "readable by other users"), ("", 0o600, "is empty"), ("a b", 0o600, "spaces"),
])
def test_bad_token_files_are_refused_with_a_message(capsys, tmp_path, content, mode, says):
    f = tmp_path / "tok"
    f.write_text(content)
    os.chmod(f, mode)
    with pytest.raises(SystemExit) as ex:
        console_app.parse_args(["--platform", "http://x", "--token-file", str(f)])
    assert ex.value.code == 2 and says in capsys.readouterr().err


def test_user_without_any_pin_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.delenv("DUTY_CONSOLE_PIN", raising=False)
    with pytest.raises(SystemExit):
        console_app.parse_args(["--user", "u1"])
    assert "DUTY_CONSOLE_PIN" in capsys.readouterr().err


def test_token_with_spaces_from_the_environment_is_refused(capsys, monkeypatch):
    monkeypatch.setenv("DUTY_CONSOLE_TOKEN", "tok en")
    assert console_app.main(["--platform", "http://127.0.0.1:9"]) == 2
    assert "spaces" in capsys.readouterr().err


def test_demo_platform_gets_its_token_out_of_sight(tmp_path):
    """The demo simulator is a real child process: its arguments (what every user sees
    in ps) do not hold the token; it answers with the token it got from the environment."""
    import urllib.request

    from console.qt.demo import DemoPlatform

    demo = DemoPlatform(tmp_path / "sim", extra_args=["--history-days=0.05", "--no-traffic", "--no-streams"])
    demo.start()
    try:
        url = demo.wait_ready()
        cmdline = Path(f"/proc/{demo.proc.pid}/cmdline").read_bytes()
        assert demo.token.encode() not in cmdline
        req = urllib.request.Request(f"{url}/api/v1/changes?limit=1",
                                     headers={"Authorization": f"Bearer {demo.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200
    finally:
        demo.stop()


@pytest.mark.parametrize("line, secret", [
    ("reporter 13812341234 called", "13812341234"),
    ("reporter +86 13812341234 called", "13812341234"),
    ("dept 021-58880100", "58880100"),
    ("ticket {'reporter_name': '陈秀英', 'state': 'registered'}", "陈秀英"),
    ('ticket {"reporter_name": "Chen Xiu Ying", "state": "registered"}', "Chen Xiu Ying"),
    ("ticket {'reporter_phone': '0213-1234', 'x': 1}", "0213-1234"),
    ("user {'verifier': 'argon2id$v1$m=65536,t=3,p=1$c2FsdA$dGFn'}", "dGFn"),
    ("login {'proof': 'ab12cd34ef', 'at': 1}", "ab12cd34ef"),
    ("actor {'user_id': 'u1', 'sig': 'deadbeefcafe'}", "deadbeefcafe"),
    ("pin=482916 given", "482916"),
])
def test_log_scrubber_per_field(tmp_path, line, secret):
    """Each personal or secret field the console handles is masked in its log."""
    import logging

    logs.setup(tmp_path / "t.log", "INFO", stderr=False)
    try:
        logging.getLogger("test.redact").info(line)
    finally:
        for h in logging.getLogger().handlers:
            h.flush()
    text = (tmp_path / "t.log").read_text(encoding="utf-8")
    logs.setup(None, "INFO", stderr=False)
    assert secret not in text and "test.redact" in text
