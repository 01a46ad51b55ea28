"""one active registration per person and institution, enforced by the database (a partial unique index)

Two clerks importing the same roster at the same moment on PostgreSQL used to create duplicate active
registrations. Duplicates already in a database are cancelled here, keeping the oldest one; the reason is recorded.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTIVE = sa.text("cancelled_on IS NULL")


def upgrade() -> None:
    conn = op.get_bind()
    duplicates = conn.execute(sa.text(
        "SELECT r.id, r.registered_on FROM registrations r WHERE r.cancelled_on IS NULL AND EXISTS ("
        " SELECT 1 FROM registrations o WHERE o.person_id = r.person_id AND o.institution_id = r.institution_id"
        " AND o.cancelled_on IS NULL AND o.id < r.id)")).all()
    for reg_id, registered_on in duplicates:
        conn.execute(sa.text("UPDATE registrations SET cancelled_on = :on, cancel_reason = :why WHERE id = :id"),
                     {"on": registered_on, "why": "重复的登记备案（同时导入所致），升级时注销，保留最早一条", "id": reg_id})
    op.create_index("uq_registrations_active_person_institution", "registrations", ["person_id", "institution_id"],
                    unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)


def downgrade() -> None:
    op.drop_index("uq_registrations_active_person_institution", table_name="registrations")
