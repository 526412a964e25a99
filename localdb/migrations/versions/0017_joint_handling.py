"""Joint handling: a ticket's co-handling departments

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-03

``tickets.co_handlers``: the co-handling departments beside the lead of a jointly
dispatched ticket (联合执法, "2+X"), each with its own state and feedback, as JSON
(console.domain.joint). NULL for a ticket with one department.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('tickets', sa.Column('co_handlers', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('tickets', 'co_handlers')
