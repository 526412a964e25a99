"""command chain marks and the night hand-off

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

- ``command_marks``: what the command chain's members did that decides who holds
  command (``console.domain.command``): logged in or out at a workstation, marked
  themselves off or on post, handed command over. One row per synced duty record
  (kind ``command``), so every desk of the hall sees the same chain.
- ``night_watches``: the night hand-off of the live video watch to the local police
  station (三班二运转: "晚上23:00至次日上午7:00，转接属地派出所负责实时图像监控"): who handed
  it to which station with which cameras and layouts, the open urgent tickets and the
  callbacks expected, and the morning take-back with its summary.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'command_marks',
        sa.Column('id', sa.String(), nullable=False),
        sa.Column('person_id', sa.String(), nullable=False),
        sa.Column('event', sa.String(), nullable=False),
        sa.Column('at', sa.Float(), nullable=False),
        sa.Column('workstation', sa.String(), nullable=False, server_default=''),
        sa.Column('to_person', sa.String(), nullable=False, server_default=''),
        sa.Column('note', sa.String(), nullable=False, server_default=''),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_command_marks_at', 'command_marks', ['at'])
    op.create_table(
        'night_watches',
        sa.Column('id', sa.String(), nullable=False),
        sa.Column('shift_date', sa.String(), nullable=False),
        sa.Column('station', sa.String(), nullable=False),
        sa.Column('handed_by', sa.String(), nullable=False),
        sa.Column('handed_at', sa.Float(), nullable=False),
        sa.Column('details', sa.Text(), nullable=False, server_default='{}'),
        sa.Column('taken_back_by', sa.String(), nullable=True),
        sa.Column('taken_back_at', sa.Float(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_night_watches_date', 'night_watches', ['shift_date'])


def downgrade() -> None:
    op.drop_index('ix_night_watches_date', table_name='night_watches')
    op.drop_table('night_watches')
    op.drop_index('ix_command_marks_at', table_name='command_marks')
    op.drop_table('command_marks')
