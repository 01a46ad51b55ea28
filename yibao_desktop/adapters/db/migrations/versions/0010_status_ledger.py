"""one status ledger: every suspension/termination is a period with its source and document number, whatever made
it (score notice, agreement action, appeal, repair, restoration); agreement events get maker–checker and the
approving authority's date of an information change

Existing data is converted: a period voided with its notice is marked voided, periods take their notice's number,
and every person suspended or terminated through an agreement action (who had no period before) gets the period
of that action, so the settlement check and the 一医一档 see them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_AGREEMENT_SUSPENSION_DAYS = 180  # 广东省医疗机构医疗保障定点管理暂行办法 第四十一条: not resumed in 180 days → ends


def upgrade() -> None:
    with op.batch_alter_table("status_periods") as batch_op:
        batch_op.add_column(sa.Column("agreement_event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("doc_no", sa.String(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("voided", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key("fk_status_periods_agreement_event_id_agreement_events", "agreement_events",
                                    ["agreement_event_id"], ["id"])
        batch_op.create_index("ix_status_periods_agreement_event_id", ["agreement_event_id"])
    with op.batch_alter_table("agreement_events") as batch_op:
        batch_op.add_column(sa.Column("approval_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("state", sa.String(length=12), nullable=False, server_default="done"))
        batch_op.add_column(sa.Column("entered_by", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=40), nullable=False, server_default=""))
    _convert(op.get_bind())


def _convert(conn) -> None:
    sp = sa.table("status_periods", sa.column("id"), sa.column("person_id"), sa.column("disposition_id"),
                  sa.column("agreement_event_id"), sa.column("status"), sa.column("start"), sa.column("end"),
                  sa.column("ban_end"), sa.column("ended_on"), sa.column("source"), sa.column("doc_no"),
                  sa.column("voided"), sa.column("version"))
    disp = sa.table("dispositions", sa.column("id"), sa.column("state"), sa.column("doc_no"))
    for pid, state, doc_no in conn.execute(sa.select(sp.c.id, disp.c.state, disp.c.doc_no)
                                           .join(disp, disp.c.id == sp.c.disposition_id)).all():
        conn.execute(sa.update(sp).where(sp.c.id == pid).values(doc_no=doc_no or "", voided=state == "voided"))
    ev = sa.table("agreement_events", sa.column("id"), sa.column("kind"), sa.column("on"), sa.column("effective"),
                  sa.column("until"), sa.column("decision_no"), sa.column("agreement_id"))
    link = sa.table("agreement_event_persons", sa.column("event_id"), sa.column("person_id"))
    rows = conn.execute(sa.select(ev.c.id, ev.c.kind, ev.c.on, ev.c.effective, ev.c.until, ev.c.decision_no,
                                  ev.c.agreement_id, link.c.person_id)
                        .join(link, link.c.event_id == ev.c.id)
                        .where(ev.c.kind.in_(["suspension", "termination"])).order_by(ev.c.on, ev.c.id)).all()
    resumes = {}
    for ag_id, on in conn.execute(sa.select(ev.c.agreement_id, ev.c.on).where(ev.c.kind == "resume")):
        resumes.setdefault(ag_id, []).append(on)
    for eid, kind, on, effective, until, doc_no, ag_id, person_id in rows:
        start = _as_date(effective or on)
        status = "suspended" if kind == "suspension" else "terminated"
        end = _as_date(until) if until else (start + timedelta(days=_AGREEMENT_SUSPENSION_DAYS - 1)
                                             if kind == "suspension" else _one_year(start))
        ended = None
        later = sorted(_as_date(r) for r in resumes.get(ag_id, []) if _as_date(r) >= start)
        if kind == "suspension" and later:
            ended = later[0] - timedelta(days=1)
        conn.execute(sa.insert(sp).values(person_id=person_id, agreement_event_id=eid, status=status, start=start,
                                          end=end, ban_end=end if status == "terminated" else None,
                                          ended_on=ended, source="agreement", doc_no=doc_no or "", voided=False,
                                          version=1))


def _as_date(v) -> date:
    return date.fromisoformat(v) if isinstance(v, str) else v


def _one_year(start: date) -> date:
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return date(start.year + 1, 2, 28)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM status_periods WHERE source = 'agreement'"))
    with op.batch_alter_table("agreement_events") as batch_op:
        for col in ("approved_by", "entered_by", "state", "approval_on"):
            batch_op.drop_column(col)
    with op.batch_alter_table("status_periods") as batch_op:
        batch_op.drop_index("ix_status_periods_agreement_event_id")
        batch_op.drop_constraint("fk_status_periods_agreement_event_id_agreement_events", type_="foreignkey")
        for col in ("voided", "doc_no", "agreement_event_id"):
            batch_op.drop_column(col)
