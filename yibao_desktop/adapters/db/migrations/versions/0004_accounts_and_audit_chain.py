"""accounts with argon2id password hashes and lockout, maker–checker columns, the chained audit log

Existing users were created without a password (the program used to start as admin): they are disabled, so the first
start asks for the administrator's account. Existing audit entries are chained in id order and the head recorded.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.execute(sa.text("UPDATE users SET active = :f WHERE password_hash = ''").bindparams(f=False))
    for table in ("appeals", "repairs", "restorations"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("entered_by", sa.String(40), nullable=False, server_default=""))
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.add_column(sa.Column("changes", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))
        batch_op.create_index("ix_audit_entries_at", ["at"])
        batch_op.create_index("ix_audit_entries_username", ["username"])
    _chain_existing()


def _chain_existing() -> None:
    """Hash the entries written before the chain existed, oldest first, and store the head."""
    from yibao_desktop.domain.audit_chain import GENESIS, ChainEntry, entry_hash

    conn = op.get_bind()
    t = sa.table("audit_entries", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                 sa.column("username", sa.String), sa.column("action", sa.String), sa.column("entity", sa.String),
                 sa.column("entity_id", sa.Integer), sa.column("detail", sa.Text), sa.column("prev_hash", sa.String),
                 sa.column("hash", sa.String))
    rows = conn.execute(sa.select(t.c.id, t.c.at, t.c.username, t.c.action, t.c.entity, t.c.entity_id,
                                  t.c.detail).order_by(t.c.id)).all()
    prev, last_id = GENESIS, 0
    for r in rows:
        at = r.at.replace(microsecond=0)
        digest = entry_hash(ChainEntry(r.id, at, r.username, r.action, r.entity, r.entity_id, r.detail or "", "",
                                       prev))
        conn.execute(t.update().where(t.c.id == r.id).values(prev_hash=prev, hash=digest, at=at))
        prev, last_id = digest, r.id
    s = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text),
                 sa.column("version", sa.Integer))
    conn.execute(s.insert().values(key="audit_head", value=f"{last_id}:{prev}", version=1))  # the row writers lock


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.drop_index("ix_audit_entries_username")
        batch_op.drop_index("ix_audit_entries_at")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("changes")
    for table in ("restorations", "repairs", "appeals"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("entered_by")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("password_hash")
    op.execute(sa.text("DELETE FROM settings WHERE key = 'audit_head'"))
