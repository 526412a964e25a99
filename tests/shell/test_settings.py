"""Settings: declared once, typed, layered defaults -> system -> user -> CLI."""

from __future__ import annotations

import pytest

from console import settings as S


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_defaults_are_typed(tmp_path):
    s = S.Settings.load(system_file=tmp_path / "none.ini", user_file=tmp_path / "user.ini")
    assert s.get(S.LANGUAGE) == "zh_CN" and s.source(S.LANGUAGE) == "default"
    assert s.get(S.WARNING_LEAD_MINUTES) == 120 and isinstance(s.warning_lead_minutes, int)
    assert s.sound_enabled is True
    assert s.shift_times == ["07:00", "15:00", "23:00"]
    assert s.workstation_id  # host name
    assert s.get("patrol_seconds") == s.get(S.PATROL_SECONDS)


def test_layers_in_order(tmp_path):
    system, user = tmp_path / "etc.ini", tmp_path / "user.ini"
    _write(system, "[platform]\nplatform_url = http://district.example\n[duty]\nwarning_lead_minutes = 60\n"
                   "[console]\nsound_enabled = no\n")
    _write(user, "[duty]\nwarning_lead_minutes = 30\n[map]\ntile_datum = GCJ02\n")
    s = S.Settings.load(system_file=system, user_file=user, cli={"language": "en", "warning_lead_minutes": "15"})
    assert (s.platform_url, s.source(S.PLATFORM_URL)) == ("http://district.example", "system")
    assert (s.sound_enabled, s.source(S.SOUND_ENABLED)) == (False, "system")
    assert (s.tile_datum, s.source(S.TILE_DATUM)) == ("GCJ02", "user")
    assert (s.warning_lead_minutes, s.source(S.WARNING_LEAD_MINUTES)) == (15, "cli")
    assert (s.language, s.source(S.LANGUAGE)) == ("en", "cli")
    assert s.source(S.PATROL_SECONDS) == "default"


def test_bad_values_in_files_are_ignored_not_fatal(tmp_path, caplog):
    user = tmp_path / "user.ini"
    _write(user, "[duty]\nwarning_lead_minutes = soon\n[map]\ntile_datum = BD09\n[x]\nno_such = 1\n")
    s = S.Settings.load(system_file=tmp_path / "none.ini", user_file=user)
    assert s.warning_lead_minutes == 120 and s.tile_datum == "WGS84"
    assert "no_such" in caplog.text and "BD09" in caplog.text


def test_bad_cli_value_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="language"):
        S.Settings.load(system_file=tmp_path / "none.ini", cli={"language": "fr"})


def test_set_and_save_write_only_the_user_layer(tmp_path):
    system, user = tmp_path / "etc.ini", tmp_path / "user.ini"
    _write(system, "[platform]\nplatform_url = http://district.example\n")
    s = S.Settings.load(system_file=system, user_file=user)
    seen = []
    s.subscribe(lambda k, v: seen.append((k, v)))
    s.set(S.PATROL_SECONDS, "45")
    s.set(S.SOUND_ENABLED, False)
    s.save()
    text = user.read_text(encoding="utf-8")
    assert "patrol_seconds = 45" in text and "sound_enabled = false" in text
    assert "platform_url" not in text
    again = S.Settings.load(system_file=system, user_file=user)
    assert again.patrol_seconds == 45 and again.sound_enabled is False
    assert seen == [("patrol_seconds", 45), ("sound_enabled", False)]
    with pytest.raises(ValueError):
        s.set(S.PATROL_SECONDS, 1)  # below the minimum


def test_every_setting_declared_once_with_title():
    assert len(S.REGISTRY) == len({o.key for o in S.REGISTRY.values()})
    for key in ("platform_url", "workstation_id", "language", "warning_lead_minutes", "sound_enabled",
                "tile_url", "tile_datum", "mbtiles_path", "shift_times", "camera_substream_rule",
                "patrol_seconds"):
        opt = S.REGISTRY[key]
        assert opt.title and opt.type in (str, int, float, bool, list)
    with pytest.raises(ValueError):
        S.declare("language", str, "x", "dup")
    with pytest.raises(KeyError):
        S.Settings().get("nope")
    with pytest.raises(AttributeError):
        S.Settings().nope  # noqa: B018


def test_settings_dialog_round_trip(qtbot, settings):
    from views.settings_dialog import SettingsDialog

    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    dlg.editors["patrol_seconds"].setValue(90)
    dlg.editors["shift_times"].setText("08:00, 16:00, 00:00")
    dlg.buttons.accepted.emit()
    assert settings.patrol_seconds == 90
    assert settings.shift_times == ["08:00", "16:00", "00:00"]
    assert "patrol_seconds = 90" in settings.user_file.read_text(encoding="utf-8")


def test_the_shipped_example_config_is_read_without_a_warning(tmp_path, caplog):
    """packaging/config.ini.example is what a hall's IT engineer copies: every key in it
    must be a declared setting in its section, and every value must parse."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "packaging" / "config.ini.example"
    caplog.set_level("WARNING")
    s = S.Settings.load(system_file=example, user_file=tmp_path / "none.ini")
    assert not [r for r in caplog.records if r.levelname == "WARNING"], caplog.text
    assert s.get("platform_url") == "https://platform.example.district/"
    assert s.get("shift_times") == ["07:00", "15:00", "23:00"]
    assert s.get("warning_lead_minutes") == 120
    assert s.get("sound_enabled") is True
