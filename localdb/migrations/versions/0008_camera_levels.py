"""camera security levels

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Cameras are shared by information-security level (按照信息安全分级): each carries its level
(1 公开, 2 内部, 3 受限; NULL counts as internal). The street's camera policy (which role
is cleared to which level, posts for police cameras) is kept in ``settings_kv`` under
``camera_policy`` as the platform sent it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cameras', sa.Column('security_level', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cameras') as b:
        b.drop_column('security_level')
