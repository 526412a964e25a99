"""priority order: open work first

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

The queue's priority order put every 特急 ticket on top, closed or not, so tab 全部
opened on closed 特急 tickets above the open work. The two priority indexes gain a
leading key, "the ticket is open", so that open work comes first (特急, then by time
left) and closed tickets after it, still read from the index without a sort step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_TAIL = ['rid', 'state', 'channel', 'category_code', 'grid_resp', 'department_id', 'priority']
# the open states as of this revision (console.domain.model.OPEN_STATES); parenthesised:
# PostgreSQL needs expression index keys in parentheses (SQLite ignores them)
_OPEN = sa.text("(state IN ('accepted', 'dispatched', 'feedback', 'handling', 'pending', "
                "'registered', 'suspended', 'verified'))")
_ORDER = [sa.text('(priority_rank >= 2)'), sa.text('(limit_deadline IS NOT NULL)'),
          sa.text('(-limit_deadline)')]


def _create(order: list) -> None:
    op.create_index('ix_tickets_priority_order', 'tickets', [*order, 'created_at', *_TAIL],
                    unique=False)
    op.create_index('ix_tickets_state_priority', 'tickets', ['state', *order, 'created_at', 'rid'],
                    unique=False)


def _drop() -> None:
    op.drop_index('ix_tickets_state_priority', table_name='tickets', if_exists=True)
    op.drop_index('ix_tickets_priority_order', table_name='tickets', if_exists=True)


def upgrade() -> None:
    _drop()
    _create([_OPEN, *_ORDER])


def downgrade() -> None:
    _drop()
    _create(_ORDER)
