"""settlement check runs and findings instead of stored claim lines; column mappings remembered by header set

The check now reads the settlement file where it lies (004 第四十五至四十八条 are checked against the file, not a
copy): claim_lines is dropped. Its rows were copies of files the office still holds; they are not findings and
carry no decision, so nothing is lost that a new check of the same file would not give back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    now = sa.func.current_timestamp()
    op.create_table(
        "claim_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=now, nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("header_key", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_mappings")),
        sa.UniqueConstraint("name", name=op.f("uq_claim_mappings_name")),
    )
    op.create_table(
        "claim_check_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), server_default=now, nullable=False),
        sa.Column("checked_by", sa.String(40), nullable=False),
        sa.Column("file_name", sa.String(260), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("encoding", sa.String(20), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("mapping_name", sa.String(60), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("strict", sa.Boolean(), nullable=False),
        *[sa.Column(c, sa.Integer(), nullable=False) for c in ("lines", "lines_checked", "problem_rows", "findings")],
        *[sa.Column(c, sa.BigInteger(), nullable=False) for c in ("fund_fen", "checked_fund_fen", "recoverable_fen")],
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_check_runs")),
    )
    with op.batch_alter_table("claim_check_runs") as batch_op:
        batch_op.create_index("ix_claim_check_runs_sha256", ["sha256"])
    op.create_table(
        "claim_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(60), nullable=False),
        sa.Column("institution_code", sa.String(20), nullable=False),
        sa.Column("person_code", sa.String(20), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("fund_fen", sa.Integer(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("reason_code", sa.String(20), nullable=False),
        sa.Column("recoverable", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["claim_check_runs.id"],
                                name=op.f("fk_claim_findings_run_id_claim_check_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_findings")),
    )
    with op.batch_alter_table("claim_findings") as batch_op:
        batch_op.create_index("ix_claim_findings_run_id", ["run_id"])
        batch_op.create_index("ix_claim_findings_institution_code", ["institution_code"])
    with op.batch_alter_table("claim_lines") as batch_op:
        for column in ("service_date", "person_code", "institution_code", "id_number"):
            batch_op.drop_index(f"ix_claim_lines_{column}")
    op.drop_table("claim_lines")


def downgrade() -> None:
    op.create_table(
        "claim_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(60), nullable=False),
        sa.Column("institution_code", sa.String(20), nullable=False),
        sa.Column("person_code", sa.String(20), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("fund_fen", sa.Integer(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_lines")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_claim_lines_claim_id")),
    )
    with op.batch_alter_table("claim_lines") as batch_op:
        for column in ("id_number", "institution_code", "person_code", "service_date"):
            batch_op.create_index(f"ix_claim_lines_{column}", [column])
    op.drop_table("claim_findings")
    op.drop_table("claim_check_runs")
    op.drop_table("claim_mappings")
