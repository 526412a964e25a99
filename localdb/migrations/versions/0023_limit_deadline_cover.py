"""Queue: the limit-state index covers the filter and sort columns

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-03

``ix_tickets_limit_deadline`` listed (limit_deadline, warn_lead_s) only, so the 已超时 and
即将超时 tabs, read by their deadline range, looked up every ticket of the range in the
table to filter it by channel, state, ... or sort it by another column (at 1M tickets
the overdue range is about 80,000 rows). It now carries the row id, the common filter
columns and the sort columns of the queue (``localdb.queue_query.SORT_COLUMNS``), so a
tab, its filters and any of those sorts read this partial index only (open tickets: it
stays small beside the bulk of closed ones). Same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0020'
branch_labels = None
depends_on = None

NAME = 'ix_tickets_limit_deadline'
COLUMNS = ['limit_deadline', 'warn_lead_s', 'rid', 'state', 'channel', 'category_code', 'grid_resp',
           'department_id', 'priority', 'created_at', 'updated_at', 'pending']
WHERE = 'limit_deadline IS NOT NULL'


def _create(columns: list[str]) -> None:
    op.drop_index(NAME, table_name='tickets', if_exists=True)
    op.create_index(NAME, 'tickets', columns, unique=False, sqlite_where=sa.text(WHERE),
                    postgresql_where=sa.text(WHERE))


def upgrade() -> None:
    _create(COLUMNS)


def downgrade() -> None:
    _create(['limit_deadline', 'warn_lead_s'])
