import shutil

import pytest

from localdb import Store


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
