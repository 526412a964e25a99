"""Real PostgreSQL for the tests: one private cluster per test session.

``pg_cluster`` (session) initdb's a cluster in a scratch directory and starts it as
an unprivileged user (``console.hall.pgcluster``); it is stopped and removed at the
end of the session. ``hall_url`` gives each test its own database, copied from a
template migrated once (``CREATE DATABASE ... TEMPLATE``), owned by the application
role, which is not a superuser.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest

from console.hall import pgcluster

_n = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    try:
        pgcluster.pg_bin()
    except pgcluster.ClusterError as exc:
        pytest.fail(f"PostgreSQL is needed for the hall-mode tests: {exc}")
    base = Path(tempfile.mkdtemp(prefix="duty-pg-test-"))
    base.rmdir()
    cluster = pgcluster.Cluster.create(base)
    cluster.start()
    try:
        cluster.create_hall(db="hall_template")
        from localdb import Store

        Store.open(cluster.url(db="hall_template")).close()
        yield cluster
    finally:
        cluster.destroy()


def new_database(cluster: pgcluster.Cluster) -> str:
    from psycopg import sql

    name = f"hall_t{next(_n)}"
    with cluster.admin() as con:
        con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE hall_template OWNER {}").format(
            sql.Identifier(name), sql.Identifier(pgcluster.APP_ROLE)))
    return cluster.url(db=name)


@pytest.fixture
def hall_url(pg_cluster):
    url = new_database(pg_cluster)
    yield url
    pg_cluster.drop_db(url.rsplit("/", 1)[1])


@pytest.fixture
def hall_store(hall_url):
    from localdb import Store

    s = Store.open(hall_url)
    yield s
    s.close()
