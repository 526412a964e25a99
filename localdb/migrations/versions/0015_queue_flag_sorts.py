"""Queue: index-served key-supervision filter and 同步 (sync) sort

Revision ID: 0015
Revises: 0017
Create Date: 2026-12-03

Two partial indexes, both over the few tickets they name, so they cost nearly nothing
on the feed's upserts of the bulk of closed tickets:

- ``ix_tickets_key_supervision``: the 重点监管 filter (``key_supervision = 1``) with the
  age order and the common filter columns, so the filter no longer walks a sort index
  through the whole table looking for the few supervised tickets;
- ``ix_tickets_pending_order``: the 同步 column's sort. Tickets with unsent actions
  (``pending > 0``) come first, by their count then age; the rest follow in the age
  order, which ``ix_tickets_created`` serves (``localdb.queue_query.segments``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0017'
branch_labels = None
depends_on = None

_TAIL = ['rid', 'state', 'channel', 'category_code', 'grid_resp', 'department_id', 'priority']


def upgrade() -> None:
    # on PostgreSQL revision 0007 already made every partial index the models declare
    # whose columns existed then (these two among them): make them here either way
    for name in ('ix_tickets_key_supervision', 'ix_tickets_pending_order'):
        op.drop_index(name, table_name='tickets', if_exists=True)
    op.create_index('ix_tickets_key_supervision', 'tickets', ['created_at', *_TAIL], unique=False,
                    sqlite_where=sa.text('key_supervision = 1'),
                    postgresql_where=sa.text('key_supervision = 1'))
    op.create_index('ix_tickets_pending_order', 'tickets', ['pending', 'created_at', *_TAIL], unique=False,
                    sqlite_where=sa.text('pending > 0'), postgresql_where=sa.text('pending > 0'))


def downgrade() -> None:
    op.drop_index('ix_tickets_pending_order', table_name='tickets')
    op.drop_index('ix_tickets_key_supervision', table_name='tickets')
