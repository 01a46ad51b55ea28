"""verification of open evaluation items: application_checks (who answered which item, when, on what evidence)
and the evaluation round of each application

Existing evaluated applications are round 1; their stored items have no verification (those already concluded keep
their result, those still to be evaluated are checked under the new rule).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("evaluation_round", sa.Integer(), nullable=False, server_default="0"))
    op.execute(sa.text("UPDATE applications SET evaluation_round = 1 WHERE evaluated_on IS NOT NULL"))
    op.create_table(
        "application_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("answer", sa.String(4), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("verified_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_application_checks_application_id_applications"),
        sa.PrimaryKeyConstraint("id", name="pk_application_checks"),
    )
    op.create_index("ix_application_checks_application_id", "application_checks", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_application_checks_application_id", table_name="application_checks")
    op.drop_table("application_checks")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("evaluation_round")
