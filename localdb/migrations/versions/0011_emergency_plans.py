"""emergency plans as data

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Plans (预案) come from the platform as versioned documents (``plans`` the newest,
``plan_versions`` every version seen). An emergency keeps the plan version it started
with, its place (address, and whether it came from a map pick or an address), why it
ended with open items, and its level changes; checklist items keep their owner and
deadline. ``emergency_sends``: video pushes, conference records and warnings with the
platform's confirmation time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('emergencies') as b:
        b.add_column(sa.Column('plan_id', sa.String(), nullable=True))
        b.add_column(sa.Column('plan_version', sa.Integer(), nullable=True))
        b.add_column(sa.Column('address', sa.Text(), nullable=True))
        b.add_column(sa.Column('location_source', sa.String(), nullable=True))
        b.add_column(sa.Column('end_reason', sa.Text(), nullable=True))
        b.add_column(sa.Column('levels', sa.Text(), nullable=True))
    with op.batch_alter_table('emergency_items') as b:
        b.add_column(sa.Column('owner', sa.String(), nullable=True))
        b.add_column(sa.Column('limit_min', sa.Float(), nullable=True))
        b.add_column(sa.Column('step', sa.String(), nullable=True))
    op.create_table('plans',
                    sa.Column('id', sa.String(), nullable=False),
                    sa.Column('type', sa.String(), nullable=False),
                    sa.Column('name', sa.String(), nullable=False),
                    sa.Column('version', sa.Integer(), nullable=False),
                    sa.Column('data', sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_plans_type', 'plans', ['type'])
    op.create_table('plan_versions',
                    sa.Column('plan_id', sa.String(), nullable=False),
                    sa.Column('version', sa.Integer(), nullable=False),
                    sa.Column('data', sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint('plan_id', 'version'))
    op.create_table('emergency_sends',
                    sa.Column('id', sa.String(), nullable=False),
                    sa.Column('emergency_id', sa.String(), nullable=False),
                    sa.Column('kind', sa.String(), nullable=False),
                    sa.Column('entity_id', sa.String(), nullable=False),
                    sa.Column('at', sa.Float(), nullable=False),
                    sa.Column('by', sa.String(), nullable=False),
                    sa.Column('data', sa.Text(), nullable=False),
                    sa.Column('confirmed_at', sa.Float(), nullable=True),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_emergency_sends_emergency_id', 'emergency_sends', ['emergency_id'])


def downgrade() -> None:
    op.drop_index('ix_emergency_sends_emergency_id', 'emergency_sends')
    op.drop_table('emergency_sends')
    op.drop_table('plan_versions')
    op.drop_index('ix_plans_type', 'plans')
    op.drop_table('plans')
    with op.batch_alter_table('emergency_items') as b:
        b.drop_column('step')
        b.drop_column('limit_min')
        b.drop_column('owner')
    with op.batch_alter_table('emergencies') as b:
        for col in ('levels', 'end_reason', 'location_source', 'address', 'plan_version', 'plan_id'):
            b.drop_column(col)
