"""devices and alarms: readings, access mode, alarm disposition, device events

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Every IoT alarm's loop is closed at the hall (ticket, link to a ticket, or dismissal
with a reason); sensors carry their latest reading with unit and threshold, their access
mode and the platform they come through; cameras and sensors going offline and back are
kept as events for their timelines.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_SENSOR_COLS = (("value", sa.Float()), ("unit", sa.String()), ("threshold", sa.Float()),
                ("reading_at", sa.Float()), ("reading_error", sa.String()),
                ("access_mode", sa.String()), ("via", sa.String()))
_ALARM_COLS = (("disposition", sa.String()), ("disposed_at", sa.Float()), ("disposed_by", sa.String()),
               ("dismiss_reason", sa.String()), ("note", sa.String()))


def upgrade() -> None:
    for name, typ in _SENSOR_COLS:
        op.add_column('sensors', sa.Column(name, typ, nullable=True))
    # flags are 0/1 in both stores (SMALLINT on PostgreSQL): a numeric default
    op.add_column('sensors', sa.Column('online', sa.Boolean(), nullable=False, server_default=sa.text('1')))
    for name, typ in _ALARM_COLS:
        op.add_column('alarms', sa.Column(name, typ, nullable=True))
    op.create_table(
        'device_events',
        sa.Column('id', sa.String(), primary_key=True),
        sa.Column('device_kind', sa.String(), nullable=False),
        sa.Column('device_id', sa.String(), nullable=False),
        sa.Column('event', sa.String(), nullable=False),
        sa.Column('at', sa.Float(), nullable=False),
    )
    op.create_index('ix_device_events_device', 'device_events', ['device_id', 'at'])
    op.create_index('ix_device_events_at', 'device_events', ['at'])


def downgrade() -> None:
    op.drop_table('device_events')
    with op.batch_alter_table('alarms') as b:
        for name, _ in _ALARM_COLS:
            b.drop_column(name)
    with op.batch_alter_table('sensors') as b:
        for name, _ in (*_SENSOR_COLS, ('online', None)):
            b.drop_column(name)
