"""supervision alerts and their acknowledgements

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

``supervision_alerts``: one row per crossing a ticket made (entered 即将超时, went
overdue, arrived as 特急 / 重点监管 / IoT, lay dormant), keyed by the crossing's
deterministic id (``console.domain.supervision.alert_id``) so that it is raised once
whichever desk sees it first; the reminders sent (count, level, when) and the
acknowledgement (who, at which desk, when, note).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supervision_alerts',
                    sa.Column('id', sa.String(), nullable=False),
                    sa.Column('ticket_id', sa.String(), nullable=False),
                    sa.Column('kind', sa.String(), nullable=False),
                    sa.Column('mark', sa.Float(), nullable=True),
                    sa.Column('since', sa.Float(), nullable=True),
                    sa.Column('raised_at', sa.Float(), nullable=False),
                    sa.Column('raised_by_ws', sa.String(), nullable=True),
                    sa.Column('reminders', sa.Integer(), nullable=False, server_default='0'),
                    sa.Column('level', sa.Integer(), nullable=False, server_default='0'),
                    sa.Column('reminded_at', sa.Float(), nullable=True),
                    sa.Column('acked_at', sa.Float(), nullable=True),
                    sa.Column('acked_by', sa.String(), nullable=True),
                    sa.Column('acked_ws', sa.String(), nullable=True),
                    sa.Column('ack_note', sa.Text(), nullable=True),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_supervision_alerts_ticket', 'supervision_alerts', ['ticket_id'])
    op.create_index('ix_supervision_alerts_raised', 'supervision_alerts', ['raised_at'])
    op.create_index('ix_supervision_alerts_open', 'supervision_alerts', ['raised_at'],
                    sqlite_where=sa.text('acked_at IS NULL'), postgresql_where=sa.text('acked_at IS NULL'))


def downgrade() -> None:
    op.drop_table('supervision_alerts')
