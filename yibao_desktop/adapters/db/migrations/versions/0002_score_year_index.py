"""index score entries by person and decision date (yearly totals read one person-year at a time)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("score_entries") as batch_op:
        batch_op.create_index("ix_score_entries_person_year", ["person_id", "decision_date"])


def downgrade() -> None:
    with op.batch_alter_table("score_entries") as batch_op:
        batch_op.drop_index("ix_score_entries_person_year")
