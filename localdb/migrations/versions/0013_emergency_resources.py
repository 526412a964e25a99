"""emergency resources

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

应急物资 and 应急力量 from the platform (feed kind ``resource``): supplies (what, how many,
where) and forces (team, contact, status). Their assignment to an emergency is a send
(``emergency_sends`` kind ``resource_assignment``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('resources',
                    sa.Column('id', sa.String(), nullable=False),
                    sa.Column('category', sa.String(), nullable=False),
                    sa.Column('name', sa.String(), nullable=False),
                    sa.Column('lat', sa.Float(), nullable=True),
                    sa.Column('lon', sa.Float(), nullable=True),
                    sa.Column('status', sa.String(), nullable=True),
                    sa.Column('data', sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_resources_category', 'resources', ['category'])


def downgrade() -> None:
    op.drop_index('ix_resources_category', 'resources')
    op.drop_table('resources')
