"""warning lead per category, priority order

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

- ``categories.warning_lead_minutes``: the catalogue's warning lead of a category
  (NULL: the hall's default, setting ``warning_lead_minutes``).
- ``tickets.warn_lead_s``: that lead copied onto each ticket when it is written (and
  when the catalogue changes), so that the limit-state clauses stay index range scans:
  ``ix_tickets_limit_deadline`` now carries it.
- ``ix_tickets_priority_order`` / ``ix_tickets_state_priority``: the queue's priority
  order (特急 first, then by time left) for every tab, and for one state; they replace
  ``ix_tickets_priority_created`` (the old order by priority rank only).
- ``ix_tickets_running_deadline`` goes: no query uses it since the limit states are
  ranges on ``limit_deadline``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_TAIL = ['rid', 'state', 'channel', 'category_code', 'grid_resp', 'department_id', 'priority']
# parenthesised: PostgreSQL needs expression index keys in parentheses (SQLite ignores them)
_ORDER = [sa.text('(priority_rank >= 2)'), sa.text('(limit_deadline IS NOT NULL)'), sa.text('(-limit_deadline)')]
_RUNNING = ("state IN ('accepted', 'dispatched', 'feedback', 'handling', 'pending', "
            "'registered', 'verified')")


# Plain ALTER/CREATE/DROP (not batch mode): the tickets table must never be copied.
def upgrade() -> None:
    op.add_column('categories', sa.Column('warning_lead_minutes', sa.Float(), nullable=True))
    op.add_column('tickets', sa.Column('warn_lead_s', sa.Float(), nullable=True))
    op.drop_index('ix_tickets_limit_deadline', table_name='tickets', if_exists=True)
    op.create_index('ix_tickets_limit_deadline', 'tickets', ['limit_deadline', 'warn_lead_s'],
                    unique=False, sqlite_where=sa.text('limit_deadline IS NOT NULL'))
    op.drop_index('ix_tickets_running_deadline', table_name='tickets', if_exists=True)
    op.drop_index('ix_tickets_priority_created', table_name='tickets', if_exists=True)
    op.create_index('ix_tickets_priority_order', 'tickets', [*_ORDER, 'created_at', *_TAIL], unique=False)
    op.create_index('ix_tickets_state_priority', 'tickets', ['state', *_ORDER, 'created_at', 'rid'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_tickets_state_priority', table_name='tickets', if_exists=True)
    op.drop_index('ix_tickets_priority_order', table_name='tickets', if_exists=True)
    op.create_index('ix_tickets_priority_created', 'tickets', ['priority_rank', 'created_at', *_TAIL],
                    unique=False)
    op.create_index('ix_tickets_running_deadline', 'tickets', ['deadline'], unique=False,
                    sqlite_where=sa.text(_RUNNING))
    op.drop_index('ix_tickets_limit_deadline', table_name='tickets', if_exists=True)
    op.create_index('ix_tickets_limit_deadline', 'tickets', ['limit_deadline'], unique=False,
                    sqlite_where=sa.text('limit_deadline IS NOT NULL'))
    op.drop_column('tickets', 'warn_lead_s')
    op.drop_column('categories', 'warning_lead_minutes')
