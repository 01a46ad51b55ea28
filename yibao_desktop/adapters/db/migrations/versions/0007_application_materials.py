"""supplement tracking: one row per 第八条 item of each application (handed in at intake, asked for by the
supplement notice, the day it arrived) and the deadline named in the notice, instead of a JSON text

The JSON in applications.materials named the items in the words of the Guangdong 办法 (the only wording stored
before this revision); it is converted item by item and the column dropped. Items that arrived with the supplement
get the day the supplement was recorded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import json
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# code → the name stored before 0006 (《广东办法》第八条, word for word)
OLD_NAMES = {
    "application_form": "广东省医疗保障定点医疗机构申请表",
    "licence": "医疗机构执业许可证、中医诊所备案证或军队医疗机构为民服务许可证复印件",
    "management_rules": "与医疗保障政策对应的内部管理制度和财务制度文本",
    "information_system": "与医疗保障有关的信息系统相关材料",
    "fund_forecast": "纳入定点后使用医疗保障基金的预测性分析报告",
    "provincial_other": "省级医疗保障行政部门按相关规定要求提供的其他材料",
}

_apps = sa.table("applications", sa.column("id", sa.Integer), sa.column("materials", sa.Text),
                 sa.column("received_on", sa.Date), sa.column("supplement_received_on", sa.Date),
                 sa.column("supplement_deadline", sa.Date))
_items = sa.table("application_materials", sa.column("application_id", sa.Integer), sa.column("item", sa.String),
                  sa.column("at_intake", sa.Boolean), sa.column("requested", sa.Boolean),
                  sa.column("received_on", sa.Date), sa.column("recorded_by", sa.String))


def _stored(text: str | None) -> dict:
    return json.loads(text) if (text or "").startswith("{") else {}


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("supplement_deadline", sa.Date(), nullable=True))
    op.create_table(
        "application_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("at_intake", sa.Boolean(), nullable=False),
        sa.Column("requested", sa.Boolean(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_application_materials_application_id_applications"),
        sa.PrimaryKeyConstraint("id", name="pk_application_materials"),
        sa.UniqueConstraint("application_id", "item", name="uq_application_materials_application_id_item"),
    )
    conn = op.get_bind()
    for app in conn.execute(sa.select(_apps.c.id, _apps.c.materials, _apps.c.received_on,
                                      _apps.c.supplement_received_on)).all():
        stored = _stored(app.materials)
        present, requested = set(stored.get("present", [])), set(stored.get("requested", []))
        rows = []
        for code, name in OLD_NAMES.items():
            asked = name in requested
            at_intake = name in present and not asked
            arrived = app.received_on if at_intake else (app.supplement_received_on if asked and name in present
                                                          else None)
            rows.append({"application_id": app.id, "item": code, "at_intake": at_intake, "requested": asked,
                         "received_on": arrived, "recorded_by": ""})
        conn.execute(_items.insert(), rows)
        if stored.get("deadline"):
            conn.execute(_apps.update().where(_apps.c.id == app.id).values(
                supplement_deadline=date.fromisoformat(stored["deadline"])))
    _drop_column("applications", "materials")


def _drop_column(table: str, column: str) -> None:
    """ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 natively): a batch copy of `applications` would drop and recreate
    the table, which the foreign keys of application_checks / application_materials refuse inside the migration."""
    op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("materials", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    apps = {r.id: r for r in conn.execute(sa.select(_apps.c.id, _apps.c.supplement_deadline)).all()}
    by_app: dict[int, dict] = {}
    for r in conn.execute(sa.select(_items.c.application_id, _items.c.item, _items.c.requested,
                                    _items.c.received_on)).all():
        d = by_app.setdefault(r.application_id, {"present": [], "requested": []})
        if r.received_on is not None:
            d["present"].append(OLD_NAMES[r.item])
        if r.requested:
            d["requested"].append(OLD_NAMES[r.item])
    for app_id, d in by_app.items():
        deadline = apps[app_id].supplement_deadline if app_id in apps else None
        d["deadline"] = deadline.isoformat() if deadline else None
        conn.execute(_apps.update().where(_apps.c.id == app_id).values(materials=json.dumps(d, ensure_ascii=False)))
    op.drop_table("application_materials")
    _drop_column("applications", "supplement_deadline")
