"""duty hall records: duty log, handovers, emergencies, link outages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('duty_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.String(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('ticket_id', sa.String(), nullable=True),
    sa.Column('shift_date', sa.String(), nullable=True),
    sa.Column('shift', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('duty_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_log_at'), ['at'], unique=False)

    op.create_table('emergencies',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('level', sa.String(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('ticket_id', sa.String(), nullable=True),
    sa.Column('started_at', sa.Float(), nullable=False),
    sa.Column('started_by', sa.String(), nullable=False),
    sa.Column('ended_at', sa.Float(), nullable=True),
    sa.Column('ended_by', sa.String(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('handovers',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('shift_date', sa.String(), nullable=False),
    sa.Column('shift', sa.String(), nullable=False),
    sa.Column('from_user', sa.String(), nullable=False),
    sa.Column('to_user', sa.String(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.Float(), nullable=True),
    sa.Column('acknowledged_at', sa.Float(), nullable=True),
    sa.Column('acknowledged_by', sa.String(), nullable=True),
    sa.Column('state', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handovers_created_at'), ['created_at'], unique=False)

    op.create_table('link_outages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', sa.Float(), nullable=False),
    sa.Column('ended_at', sa.Float(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('queued_at_end', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('link_outages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_outages_started_at'), ['started_at'], unique=False)

    op.create_table('emergency_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('emergency_id', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('done_at', sa.Float(), nullable=True),
    sa.Column('done_by', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['emergency_id'], ['emergencies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('emergency_id', 'position')
    )
    with op.batch_alter_table('emergency_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergency_items_emergency_id'), ['emergency_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('emergency_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emergency_items_emergency_id'))

    op.drop_table('emergency_items')
    with op.batch_alter_table('link_outages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_outages_started_at'))

    op.drop_table('link_outages')
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handovers_created_at'))

    op.drop_table('handovers')
    op.drop_table('emergencies')
    with op.batch_alter_table('duty_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_log_at'))

    op.drop_table('duty_log')
