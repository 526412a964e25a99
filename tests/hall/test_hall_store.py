"""The hall store on a real PostgreSQL server: opening, bad input, migrations."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from localdb import Store, StoreError, journal
from localdb.pg import PgStore, migrate
from localdb.store import head_revision, is_store_url
from tests.pg import new_database


def test_url_selects_the_hall_store(hall_url):
    assert is_store_url(hall_url) and not is_store_url("/var/lib/duty/store.sqlite3")
    store = Store.open(hall_url)
    try:
        assert isinstance(store, PgStore) and store.dialect == "postgresql"
        assert "***" in store.location and hall_url.split(":")[2].split("@")[0] not in store.location
        with store.session() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
            sup = s.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
            assert sup is False  # the console's role is not a superuser
            assert s.execute(text("SELECT count(*) FROM pg_extension WHERE extname='pg_trgm'")).scalar() == 1
    finally:
        store.close()


def test_wrong_password_database_and_port_are_clear(pg_cluster):
    good = pg_cluster.url(db="hall_template")
    with pytest.raises(StoreError) as ei:
        Store.open(pg_cluster.url(password="wrong", db="hall_template"))
    assert ei.value.kind == "auth" and "password" in str(ei.value) and "wrong@" not in str(ei.value)
    with pytest.raises(StoreError) as ei:
        Store.open(good.rsplit("/", 1)[0] + "/no_such_hall")
    assert ei.value.kind == "auth" and "no such database" in str(ei.value)
    from console.hall.pgcluster import free_port

    with pytest.raises(StoreError) as ei:
        Store.open(good.replace(f":{pg_cluster.port}/", f":{free_port()}/"))
    assert ei.value.kind == "unreachable" and "unreachable" in str(ei.value)


def test_superuser_is_refused(pg_cluster, hall_url):
    from psycopg import sql

    with pg_cluster.admin() as con:
        con.execute(sql.SQL("CREATE ROLE boss LOGIN SUPERUSER PASSWORD {}").format(sql.Literal("pw")))
    try:
        with pytest.raises(StoreError) as ei:
            Store.open(hall_url.replace(hall_url.split("//")[1].split("@")[0], "boss:pw"))
        assert ei.value.kind == "auth" and "superuser" in str(ei.value)
    finally:
        with pg_cluster.admin() as con:
            con.execute("DROP ROLE boss")


def test_schema_newer_than_the_code_is_refused_and_left_alone(hall_url):
    store = Store.open(hall_url)
    with store.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        s.execute(text("INSERT INTO sync_state (key, value) VALUES ('k', 'v')"))
    store.close()
    with pytest.raises(StoreError) as ei:
        Store.open(hall_url)
    assert ei.value.kind == "newer" and "9999" in str(ei.value)
    import psycopg

    with psycopg.connect(hall_url) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999"
        assert con.execute("SELECT value FROM sync_state WHERE key='k'").fetchone()[0] == "v"


def test_two_desks_migrating_at_once_one_migrates_the_other_waits(pg_cluster):
    from psycopg import sql

    from console.hall.pgcluster import APP_ROLE

    name = "hall_fresh_migrate"
    with pg_cluster.admin() as con:
        con.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                  sql.Identifier(APP_ROLE)))
    with pg_cluster.admin(name) as con:
        con.execute("CREATE EXTENSION pg_trgm")
    url = pg_cluster.url(db=name)
    found: list = []
    errors: list = []
    go = threading.Barrier(3)

    def desk() -> None:
        go.wait()
        try:
            found.append(migrate(url))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=desk) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert not errors, errors
        # exactly one desk found an empty database; the others found it migrated
        assert sorted(found, key=str) == sorted([None, head_revision(), head_revision()], key=str)
    finally:
        pg_cluster.drop_db(name)


def test_hall_writes_from_two_store_handles_share_one_journal(hall_url):
    a, b = Store.open(hall_url), Store.open(hall_url)
    try:
        with a.write() as s:
            journal.record(s, "ticket", "from-a")
        with b.write() as s:
            journal.record(s, "ticket", "from-b")
        with a.session() as s:
            assert [e for _, _, e in journal.since(s, 0)] == ["from-a", "from-b"]
    finally:
        a.close()
        b.close()


def test_separate_databases_per_test(pg_cluster):
    u1, u2 = new_database(pg_cluster), new_database(pg_cluster)
    assert u1 != u2
    for u in (u1, u2):
        pg_cluster.drop_db(u.rsplit("/", 1)[1])
