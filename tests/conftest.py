"""Test set-up shared by the whole suite.

Qt runs offscreen; every test gets its own data directory so that nothing touches a
real workstation's settings or store (napari's _fresh_settings pattern).
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")

import tempfile
from pathlib import Path

# One contact-data key for the whole run (localdb.crypto): stores copied from templates
# and consoles started as child processes all open with it. Tests of the key itself
# point DUTY_CONSOLE_KEY_FILE elsewhere or remove it.
if "DUTY_CONSOLE_KEY_FILE" not in os.environ:
    from localdb import crypto as _crypto

    _key = Path(tempfile.mkdtemp(prefix="duty-key-")) / "contact.key"
    _crypto.create_key_file(_key)
    os.environ["DUTY_CONSOLE_KEY_FILE"] = str(_key)

import shutil

import pytest

from localdb import Store
from tests.pg import hall_store, hall_url, pg_cluster  # noqa: F401 - shared fixtures


@pytest.fixture
def ffmpeg():
    """The ffmpeg the set-up installs; its absence is a failure, never a skip."""
    import shutil

    exe = shutil.which("ffmpeg")
    if exe is None:
        pytest.fail("ffmpeg not found: install it (make test does, as root; packaging/sysdeps.txt)")
    return exe


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    d = tmp_path / "duty-data"
    d.mkdir()
    monkeypatch.setenv("DUTY_CONSOLE_DATA_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    """One migrated empty store, copied for each test (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture
def sqlite_store(tmp_path, _migrated_template):
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(_migrated_template, path)
    s = Store.open(path)
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request):
    """Both store modes: the desk's SQLite file and the hall's PostgreSQL database
    (a real server). Tests of SQLite-only machinery use ``sqlite_store``."""
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "hall_store")
