"""hall mode: desks and presence

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

- ``desks``: one row per running desk (workstation id), refreshed by its heartbeat:
  who is logged in, which ticket is open and whether they are acting on it. Rows
  older than the presence expiry are ignored (a closed or dead desk disappears), so
  nothing ever has to clean up after a crash.
- PostgreSQL only: ``ticket_events.rowid`` (identity), the tie-break of the event
  order that SQLite's implicit rowid gives.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'desks',
        sa.Column('workstation', sa.String(), nullable=False),
        sa.Column('label', sa.String(), nullable=False, server_default=''),
        sa.Column('user_id', sa.String(), nullable=True),
        sa.Column('user_name', sa.String(), nullable=True),
        sa.Column('ticket_id', sa.String(), nullable=True),
        sa.Column('activity', sa.String(), nullable=True),  # viewing | acting
        sa.Column('pid', sa.Integer(), nullable=True),
        sa.Column('host', sa.String(), nullable=True),
        sa.Column('started_at', sa.Float(), nullable=False),
        sa.Column('heartbeat_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('workstation'),
    )
    op.create_index('ix_desks_ticket', 'desks', ['ticket_id', 'heartbeat_at'])
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('ticket_events', sa.Column('rowid', sa.BigInteger(), sa.Identity(),
                                                 nullable=False))
        # the partial indexes of 0001/0003 were written for SQLite (sqlite_where):
        # the same predicates on PostgreSQL
        present = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('tickets')}
        for name, cols, where in _partial_indexes():
            if not set(cols) <= present:  # an index of a later revision (it makes its own)
                continue
            op.drop_index(name, table_name='tickets', if_exists=True)
            op.create_index(name, 'tickets', cols, postgresql_where=sa.text(where))


def _partial_indexes() -> list[tuple[str, list[str], str]]:
    from localdb.models import Base

    out = []
    for ix in Base.metadata.tables['tickets'].indexes:
        where = ix.dialect_options['sqlite'].get('where')
        if where is not None:
            out.append((ix.name, [c.name for c in ix.columns], str(where)))
    return sorted(out)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_column('ticket_events', 'rowid')
    op.drop_index('ix_desks_ticket', table_name='desks')
    op.drop_table('desks')
