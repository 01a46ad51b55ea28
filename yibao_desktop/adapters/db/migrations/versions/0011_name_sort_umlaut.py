"""persons.name_sort: names with ü (吕 lǚ, 闾, 女 …) sort as in the dictionary, lu < lü < luan < lüe < lun < luo
(吕 before 罗); their stored keys wrote ü as 'v' and sorted 吕 after 罗, so they are recomputed here.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from yibao_desktop.domain.pinyin import name_sort_key

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    # the old keys wrote ü as 'v' (no syllable of standard pinyin contains v): only those rows change
    rows = conn.execute(sa.text("SELECT id, name, name_sort FROM persons WHERE name_sort LIKE '%v%'")).all()
    changed = [{"key": name_sort_key(name), "id": pid} for pid, name, old in rows if name_sort_key(name) != old]
    if changed:
        conn.execute(sa.text("UPDATE persons SET name_sort = :key WHERE id = :id"), changed)


def downgrade() -> None:
    """Nothing to undo: the older program reads the recomputed keys as plain text and still opens the database."""
