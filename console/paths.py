"""Where the console keeps its files.

One data directory per workstation (``--data-dir``, else ``DUTY_CONSOLE_DATA_DIR``,
else the platformdirs user data directory). Everything the console writes lives
under it: the local store, the user config, the window layout, logs, the
translation cache and the demo simulator's own data. Qt-free.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "duty-console"
APP_AUTHOR = "duty-hall"
ENV_DATA_DIR = "DUTY_CONSOLE_DATA_DIR"

#: The package root (the directory holding console/, views/, resources/ ...).
ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
I18N_DIR = RESOURCES / "i18n"
ICONS_DIR = RESOURCES / "icons"
SOUNDS_DIR = RESOURCES / "sounds"
SYSTEM_CONFIG = Path("/etc/duty-console/config.ini")


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def private(path: Path, mode: int = 0o700) -> None:
    """Make ``path`` the owner's only (a directory 0700, a file 0600) if it is looser;
    a path owned by someone else is left alone (the OS refuses anyway) and said."""
    try:
        st = path.stat()
        if st.st_mode & 0o077 and hasattr(os, "getuid") and st.st_uid == os.getuid():
            os.chmod(path, mode)
    except OSError as exc:
        import logging

        logging.getLogger(__name__).warning("cannot restrict %s: %s", path, exc)


@dataclass(frozen=True)
class Paths:
    data_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike | None = None) -> "Paths":
        d = Path(data_dir).expanduser() if data_dir else default_data_dir()
        return cls(d.resolve())

    def ensure(self) -> "Paths":
        """Create the directories; the data directory is the console user's only (0700):
        it holds citizens' data, the audit log and the key file."""
        for p in (self.data_dir, self.log_dir, self.cache_dir):
            p.mkdir(mode=0o700, parents=True, exist_ok=True)
        private(self.data_dir)
        return self

    @property
    def store(self) -> Path:
        return self.data_dir / "console.db"

    @property
    def config(self) -> Path:
        return self.data_dir / "config.ini"

    @property
    def layout(self) -> Path:
        """Window and dock geometry (kept apart from settings)."""
        return self.data_dir / "layout.ini"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "console.log"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def i18n_cache(self) -> Path:
        return self.cache_dir / "i18n"

    @property
    def demo_dir(self) -> Path:
        """The demo simulator's own data directory."""
        return self.data_dir / "demo-platform"
