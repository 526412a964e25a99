"""Category rules as data: which categories are dangerous (重点监管 from intake)

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-03

``categories.dangerous``: the platform's catalogue marks the problems with a serious safety
hazard (井盖缺失、架空线坠落…); a new ticket of such a category starts under key supervision
(console.domain.category_rules.at_intake). 0 until the feed delivers the mark.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('categories') as b:
        b.add_column(sa.Column('dangerous', sa.Boolean(), nullable=False,
                               server_default=sa.text('0')))  # 0/1 in both stores


def downgrade() -> None:
    with op.batch_alter_table('categories') as b:
        b.drop_column('dangerous')
