"""Category rules as data: which categories may be self-handled

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-03

``categories.simple``: the platform's catalogue marks the simple problems that may be handled
on the spot (自行处置, console.domain.category_rules); 0 until the feed delivers the mark.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('categories') as b:
        b.add_column(sa.Column('simple', sa.Boolean(), nullable=False,
                               server_default=sa.text('0')))  # 0/1 in both stores


def downgrade() -> None:
    with op.batch_alter_table('categories') as b:
        b.drop_column('simple')
