"""Alembic environment for the local store.

Run programmatically by ``localdb.store.migrate`` with an open connection in
``config.attributes["connection"]``; also usable from the alembic CLI with
``-x db=<path>`` for autogenerate during development.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from localdb.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    db = context.get_x_argument(as_dictionary=True).get("db", "dev.sqlite3")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        _run(conn)
