"""Every console setting, declared once (MusicBrainz Picard ``options.py`` style).

Each ``Option`` has a key, a type, a default and a translatable title; nothing else
in the code spells a setting's name as a bare string::

    from console import settings as S
    cfg = S.Settings.load(paths, cli={"language": "en"})
    cfg.get(S.PLATFORM_URL)        # typed value
    cfg.platform_url               # the same, as an attribute
    cfg.source(S.LANGUAGE)         # "default" | "system" | "user" | "cli"

Layers, lowest first: declared defaults -> ``/etc/duty-console/config.ini`` ->
``<data_dir>/config.ini`` -> command line. ``set()`` + ``save()`` write the user
layer only. INI sections are the options' ``section``. Window and dock layout are
*not* settings: they live in ``layout.ini`` (see ``views.main_window``).

Qt-free: titles are marked for ``pyside6-lupdate`` with a local no-op and shown
through ``QCoreApplication.translate("settings", opt.title)`` by the dialog.
"""

from __future__ import annotations

import configparser
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

LAYERS = ("default", "system", "user", "cli", "emergency")
#: setting key -> its command-line option where the names differ
CLI_FLAGS = {"platform_url": "platform", "workstation_id": "workstation", "language": "lang"}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate looks for this name
    return text


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    title: str
    section: str = "console"
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    secret: bool = False
    #: raises ValueError with a clear message for a value of the right type that is wrong
    check: Callable[[Any], None] | None = None

    def parse(self, raw: Any) -> Any:
        """Convert a raw (INI string or CLI) value; raises ValueError when invalid."""
        if self.type is bool:
            if isinstance(raw, bool):
                value: Any = raw
            else:
                text = str(raw).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    value = True
                elif text in ("0", "false", "no", "off"):
                    value = False
                else:
                    raise ValueError(f"{self.key}: not a yes/no value: {raw!r}")
        elif self.type is list:
            value = [p.strip() for p in raw.split(",")] if isinstance(raw, str) else [str(p) for p in raw]
            value = [p for p in value if p]
        elif self.type in (int, float):
            value = self.type(str(raw).strip()) if not isinstance(raw, (int, float)) else self.type(raw)
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{self.key}: {value} is below {self.minimum}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{self.key}: {value} is above {self.maximum}")
        else:
            value = str(raw).strip()
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} is not one of {', '.join(map(str, self.choices))}")
        if self.check is not None:
            self.check(value)
        return value

    def format(self, value: Any) -> str:
        if self.type is bool:
            return "true" if value else "false"
        if self.type is list:
            return ",".join(value)
        return str(value)


REGISTRY: dict[str, Option] = {}


def declare(key: str, type_: type, default: Any, title: str, **kw: Any) -> Option:
    if key in REGISTRY:
        raise ValueError(f"setting {key!r} declared twice")
    opt = Option(key, type_, default, title, **kw)
    REGISTRY[key] = opt
    return opt


def _hostname() -> str:
    try:
        return socket.gethostname() or "workstation"
    except OSError:
        return "workstation"


def check_platform_url(value: str) -> None:
    """An http(s) URL with a host (and a valid port if one is given); "" = not set."""
    from urllib.parse import urlsplit

    if not value:
        return
    try:
        u = urlsplit(value)
        port = u.port  # raises ValueError for a port that is not a number or out of range
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a URL ({exc})") from None
    if u.scheme not in ("http", "https"):
        raise ValueError(f"{value!r} is not an http:// or https:// URL") from None
    if not u.hostname or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} has no host name") from None
    if port == 0:
        raise ValueError(f"{value!r}: port 0 is not a port") from None


# -- the settings -------------------------------------------------------------------
PLATFORM_URL = declare("platform_url", str, "", QT_TRANSLATE_NOOP("settings", "District platform URL"),
                       section="platform", check=check_platform_url)
WORKSTATION_ID = declare("workstation_id", str, _hostname(),
                         QT_TRANSLATE_NOOP("settings", "Workstation ID"), section="platform")
LANGUAGE = declare("language", str, "zh_CN", QT_TRANSLATE_NOOP("settings", "Language"),
                   choices=("zh_CN", "en"))
WARNING_LEAD_MINUTES = declare("warning_lead_minutes", int, 120,
                               QT_TRANSLATE_NOOP("settings", "Warn this many minutes before a time limit"),
                               section="duty", minimum=0, maximum=7 * 24 * 60)
ALARM_OPEN_ALERT_MINUTES = declare("alarm_open_alert_minutes", int, 15,
                                   QT_TRANSLATE_NOOP("settings", "Alert when an IoT alarm stays unanswered this many minutes"),
                                   section="duty", minimum=1, maximum=24 * 60)
DEVICE_BLIP_SECONDS = declare("device_blip_seconds", int, 120,
                              QT_TRANSLATE_NOOP("settings", "Ignore camera/sensor outages shorter than (seconds)"),
                              section="video", minimum=0, maximum=3600)
SOUND_ENABLED = declare("sound_enabled", bool, True, QT_TRANSLATE_NOOP("settings", "Play sounds"))
TOAST_SECONDS = declare("toast_seconds", int, 8, QT_TRANSLATE_NOOP("settings", "Show notices for (seconds)"),
                        minimum=1, maximum=120)
SHIFT_TIMES = declare("shift_times", list, ["07:00", "15:00", "23:00"],
                      QT_TRANSLATE_NOOP("settings", "Shift start times"), section="duty")
COMMAND_ABSENT_MINUTES = declare("command_absent_minutes", int, 10,
                                 QT_TRANSLATE_NOOP("settings", "Command passes on after a chain member is logged out (minutes)"),
                                 section="duty", minimum=1, maximum=24 * 60)
TILE_URL = declare("tile_url", str, "", QT_TRANSLATE_NOOP("settings", "Map tile URL template"),
                   section="map")
TILE_DATUM = declare("tile_datum", str, "WGS84", QT_TRANSLATE_NOOP("settings", "Datum of the map tiles"),
                     section="map", choices=("WGS84", "GCJ02", "CGCS2000"))
MBTILES_PATH = declare("mbtiles_path", str, "", QT_TRANSLATE_NOOP("settings", "Offline MBTiles file"),
                       section="map")
CAMERA_SUBSTREAM_RULE = declare("camera_substream_rule", str, "auto",
                                QT_TRANSLATE_NOOP("settings", "Use camera sub-streams"),
                                section="video", choices=("auto", "always", "never"))
SUBSTREAM_ABOVE_TILES = declare("substream_above_tiles", int, 4,
                                QT_TRANSLATE_NOOP("settings", "In auto mode, use sub-streams above this many tiles"),
                                section="video", minimum=1, maximum=64)
PATROL_SECONDS = declare("patrol_seconds", int, 30, QT_TRANSLATE_NOOP("settings", "Camera patrol interval (seconds)"),
                         section="video", minimum=5, maximum=3600)
VIDEO_MAX_TILES = declare("video_max_tiles", int, 16, QT_TRANSLATE_NOOP("settings", "Most video tiles on the wall"),
                          section="video", minimum=1, maximum=64)
DEMO_SEED = declare("demo_seed", int, 1, QT_TRANSLATE_NOOP("settings", "Demo platform seed"), section="demo")
PIN_ATTEMPTS = declare("pin_attempts", int, 5,
                       QT_TRANSLATE_NOOP("settings", "Wrong PINs before an account is locked at this desk"),
                       section="security", minimum=1, maximum=20)
PIN_LOCK_MINUTES = declare("pin_lock_minutes", int, 5,
                           QT_TRANSLATE_NOOP("settings", "First lock after wrong PINs (minutes; doubles each time)"),
                           section="security", minimum=1, maximum=24 * 60)
CA_BUNDLE = declare("ca_bundle", str, "",
                    QT_TRANSLATE_NOOP("settings", "CA bundle for the platform's TLS certificate"),
                    section="platform")
KEY_FILE = declare("key_file", str, "",
                   QT_TRANSLATE_NOOP("settings", "Key file for citizens' contact data"),
                   section="security")
STORE = declare("store", str, "", QT_TRANSLATE_NOOP(
    "settings", "Store: empty for this desk's own file, postgresql://… for the hall database"),
    section="store")
LOG_LEVEL = declare("log_level", str, "INFO", QT_TRANSLATE_NOOP("settings", "Log level"),
                    choices=("DEBUG", "INFO", "WARNING", "ERROR"))


class Settings:
    """Typed, layered settings. Not thread-safe for writes: the UI thread owns them."""

    def __init__(self, user_file: Path | None = None,
                 system_file: Path | None = None) -> None:
        self.user_file = user_file
        self.system_file = system_file
        self._layers: dict[str, dict[str, Any]] = {name: {} for name in LAYERS[1:]}
        self._listeners: list[Callable[[str, Any], None]] = []

    @property
    def warning_lead_s(self) -> float:
        """The hall's warning lead (``warning_lead_minutes``) in seconds: the queue, the map,
        the detail pane and the vital signs agree on which tickets are due soon."""
        return float(self.get(WARNING_LEAD_MINUTES)) * 60.0

    # -- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, paths: Any = None, cli: dict[str, Any] | None = None,
             system_file: Path | None = None, user_file: Path | None = None) -> "Settings":
        from console.paths import SYSTEM_CONFIG

        if system_file is None:
            system_file = Path(os.environ.get("DUTY_CONSOLE_SYSTEM_CONFIG", SYSTEM_CONFIG))
        if user_file is None and paths is not None:
            user_file = paths.config
        s = cls(user_file=user_file, system_file=system_file)
        s._layers["system"] = s._read_ini(system_file)
        if user_file is not None:
            s._layers["user"] = s._read_ini(user_file)
        for key, raw in (cli or {}).items():
            if raw is None:
                continue
            opt = _option(key)
            try:
                s._layers["cli"][opt.key] = opt.parse(raw)
            except ValueError as exc:
                flag = CLI_FLAGS.get(opt.key, opt.key.replace("_", "-"))
                raise ValueError(f"--{flag}: {exc}") from None
        return s

    @staticmethod
    def _read_ini(path: Path | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if path is None or not Path(path).is_file():
            return values
        cp = configparser.ConfigParser(interpolation=None)
        try:
            cp.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError) as exc:
            log.warning("ignoring unreadable config %s: %s", path, exc)
            return values
        for section in cp.sections():
            for key, raw in cp.items(section):
                opt = REGISTRY.get(key)
                if opt is None:
                    log.warning("%s: unknown setting [%s] %s ignored", path, section, key)
                    continue
                try:
                    values[key] = opt.parse(raw)
                except ValueError as exc:
                    log.warning("%s: %s; keeping the earlier value", path, exc)
        return values

    # -- access ----------------------------------------------------------------
    def get(self, key: Option | str) -> Any:
        opt = _option(key)
        for layer in ("emergency", "cli", "user", "system"):
            if opt.key in self._layers[layer]:
                value = self._layers[layer][opt.key]
                return list(value) if isinstance(value, list) else value
        return list(opt.default) if isinstance(opt.default, list) else opt.default

    def source(self, key: Option | str) -> str:
        opt = _option(key)
        for layer in ("emergency", "cli", "user", "system"):
            if opt.key in self._layers[layer]:
                return layer
        return "default"

    def set(self, key: Option | str, value: Any) -> None:
        """Set in the user layer (and drop a CLI override so the change shows)."""
        opt = _option(key)
        parsed = opt.parse(value)
        old = self.get(opt)
        self._layers["user"][opt.key] = parsed
        self._layers["cli"].pop(opt.key, None)
        if parsed != old:
            for fn in list(self._listeners):
                try:
                    fn(opt.key, parsed)
                except Exception:  # noqa: BLE001
                    log.exception("settings listener failed")

    def set_emergency(self, values: dict[Option | str, Any]) -> None:
        """The running emergency plan's thresholds: a layer above all others that is never
        saved; ``clear_emergency`` drops it and every value is what it was before."""
        self.clear_emergency()
        for key, value in values.items():
            opt = _option(key)
            old = self.get(opt)
            self._layers["emergency"][opt.key] = opt.parse(value)
            self._notify(opt.key, old)

    def clear_emergency(self) -> None:
        olds = {k: self.get(k) for k in self._layers["emergency"]}
        self._layers["emergency"].clear()
        for key, old in olds.items():
            self._notify(key, old)

    def _notify(self, key: str, old: Any) -> None:
        new = self.get(key)
        if new != old:
            for fn in list(self._listeners):
                try:
                    fn(key, new)
                except Exception:  # noqa: BLE001
                    log.exception("settings listener failed")

    def reset(self, key: Option | str) -> None:
        opt = _option(key)
        self._layers["user"].pop(opt.key, None)

    def subscribe(self, fn: Callable[[str, Any], None]) -> None:
        """``fn(key, value)`` after every change made through ``set``."""
        self._listeners.append(fn)

    def save(self) -> None:
        if self.user_file is None:
            return
        cp = configparser.ConfigParser(interpolation=None)
        for key, value in sorted(self._layers["user"].items()):
            opt = REGISTRY[key]
            if not cp.has_section(opt.section):
                cp.add_section(opt.section)
            cp.set(opt.section, key, opt.format(value))
        path = Path(self.user_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".ini.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            cp.write(fh)
        os.replace(tmp, path)

    def options(self) -> Iterable[Option]:
        return REGISTRY.values()

    def as_dict(self) -> dict[str, Any]:
        return {k: self.get(k) for k in REGISTRY}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in REGISTRY:
            raise AttributeError(name)
        return self.get(name)


def _option(key: Option | str) -> Option:
    if isinstance(key, Option):
        return key
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"no such setting: {key!r}") from None
