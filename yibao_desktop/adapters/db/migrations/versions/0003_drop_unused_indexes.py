"""drop indexes no query uses: person names and initials are searched in memory, and the (person, institution)
index already serves look-ups by person; each one cost every roster import a rebuild

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch_op:
        batch_op.drop_index("ix_persons_name")
        batch_op.drop_index("ix_persons_name_initials")
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.drop_index("ix_registrations_person_id")


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.create_index("ix_registrations_person_id", ["person_id"])
    with op.batch_alter_table("persons") as batch_op:
        batch_op.create_index("ix_persons_name_initials", ["name_initials"])
        batch_op.create_index("ix_persons_name", ["name"])
