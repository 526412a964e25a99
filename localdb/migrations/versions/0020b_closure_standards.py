"""Category rules as data: the closure standard of each category (结案标准)

Revision ID: 0020b
Revises: 0023
Create Date: 2026-12-03

``categories.closure_standard``: a JSON list of what 核查 must confirm for a ticket of the
category (console.domain.category_rules.closure_refusal); ``[]`` until the feed delivers it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020b'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('categories') as b:
        b.add_column(sa.Column('closure_standard', sa.Text(), nullable=False,
                               server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('categories') as b:
        b.drop_column('closure_standard')
