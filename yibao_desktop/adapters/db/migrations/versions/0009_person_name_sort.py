"""persons.name_sort: the pinyin (dictionary) order of the name, so lists sort 陈 before 林 before 曾 as a Chinese
reader expects instead of by code point; existing persons get their key here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from yibao_desktop.domain.pinyin import name_sort_key

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table copy: on SQLite a batch copy would drop a table other rows point to)
    op.add_column("persons", sa.Column("name_sort", sa.String(400), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM persons")).all()
    if rows:
        conn.execute(sa.text("UPDATE persons SET name_sort = :key WHERE id = :id"),
                     [{"key": name_sort_key(name), "id": pid} for pid, name in rows])


def downgrade() -> None:
    op.drop_column("persons", "name_sort")  # SQLite ≥ 3.35 drops a column in place
