"""并案: a ticket may follow a main ticket

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

``tickets.duplicate_of``: the main ticket a duplicate report follows (several citizens
reporting the same fallen tree); it closes with the main. A partial index finds a main's
duplicates (few tickets have one).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('tickets', sa.Column('duplicate_of', sa.String(), nullable=True))
    op.create_index('ix_tickets_duplicate_of', 'tickets', ['duplicate_of'], unique=False,
                    sqlite_where=sa.text('duplicate_of IS NOT NULL'),
                    postgresql_where=sa.text('duplicate_of IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_tickets_duplicate_of', table_name='tickets')
    op.drop_column('tickets', 'duplicate_of')
