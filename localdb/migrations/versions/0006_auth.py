"""accounts: PIN verifiers, lockout, hash-chained audit

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

- users.pin_hash becomes users.verifier (an argon2id verifier this desk made at a
  successful login, or an old sha256 one that is replaced at the next login), plus the
  platform's public KDF salt/parameters (users.kdf, JSON) and users.disabled.
- login_attempts: wrong PINs in a row, locks so far and the lock's end, per user and desk.
- audit_log.prev_hash/hash: each row's hash covers its content and the previous row's
  hash (console.domain.audit_chain), so a deleted or edited row breaks the chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as b:
        b.alter_column("pin_hash", new_column_name="verifier")
        b.add_column(sa.Column("kdf", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.text("0")))  # 0/1 in both stores
    op.create_table(
        "login_attempts",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("workstation", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locks", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "workstation"),
    )
    with op.batch_alter_table("audit_log") as b:
        b.add_column(sa.Column("prev_hash", sa.String(), nullable=False, server_default=""))
        b.add_column(sa.Column("hash", sa.String(), nullable=False, server_default=""))
    _chain_existing()
    if op.get_bind().dialect.name == "sqlite":  # append-only: the store itself refuses
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def _chain_existing() -> None:
    """Entries written before the chain existed are chained now, in their order."""
    from console.domain import audit_chain

    con = op.get_bind()
    rows = con.execute(sa.text("SELECT id, at, actor_id, actor, action, ticket_id, details "
                               "FROM audit_log ORDER BY id")).mappings().all()
    prev = audit_chain.GENESIS
    for r in rows:
        h = audit_chain.link(prev, dict(r))
        con.execute(sa.text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                    {"p": prev, "h": h, "i": r["id"]})
        prev = h


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{verb}")
    with op.batch_alter_table("audit_log") as b:
        b.drop_column("hash")
        b.drop_column("prev_hash")
    op.drop_table("login_attempts")
    with op.batch_alter_table("users") as b:
        b.drop_column("disabled")
        b.drop_column("kdf")
        b.alter_column("verifier", new_column_name="pin_hash")
