"""A granted repair that brings the year's total below the suspension band ends the running suspension
(《规程》第三十八条 "缩减暂停或终止期限", 第二十九条 9 points): the ledger period ends the day before the decision, the
repair decision takes its number (医保修), and the 一医一档 and the settlement check see the shorter period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.builders import issue_suspension
from yibao_desktop.adapters.db.models import Document
from yibao_desktop.domain.dispositions import repair_ends_period
from yibao_desktop.services import score_followups
from yibao_desktop.services.dossier import load_dossier
from yibao_desktop.services.registrations import list_registrations
from yibao_desktop.services.settlement import check_file

from .test_settlement_check import OWN, write_text


def _suspended(ctx, make_ctx) -> tuple[int, str]:
    """9 points on 2026-09-11, suspension 2026-09-14 … 2026-11-13."""
    _, idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))
    return next(r.person_id for r in list_registrations(ctx) if r.id_number == idn), idn


def test_a_repair_below_nine_points_ends_the_running_suspension_with_its_number(ctx, make_ctx, tmp_path):
    pid, idn = _suspended(ctx, make_ctx)
    rid = score_followups.apply_for_repair(ctx, pid, date(2026, 10, 5), 1, "参加医保政策培训", "同意")
    assert score_followups.decide_repair(make_ctx("reviewer", "reviewer"), rid, True, date(2026, 10, 8)) == 1
    d = load_dossier(ctx, pid)
    assert d.yearly_totals == {2026: 8} and d.status == "active"
    [period] = d.periods
    assert (period.start, period.end, period.ended_on) == (date(2026, 9, 14), date(2026, 11, 13), date(2026, 10, 7))
    assert period.ended_by == "记分修复 揭医保修〔2026〕1号"  # the 一医一档 says what ended it
    from yibao_desktop.qt.dossier_view import dossier_html

    html = dossier_html(d, date(2026, 11, 23))
    assert "结束依据" in html and "揭医保修〔2026〕1号" in html
    with ctx.uow() as uow:
        docs = uow.session.execute(select(Document.doc_type, Document.doc_no, Document.ref_id)).all()
    assert ("repair", "揭医保修〔2026〕1号", rid) in [tuple(r) for r in docs]
    path = write_text(
        tmp_path / "c.csv",
        OWN,
        [
            ["K1", "H44520200001", "", idn, "2026-10-07", "10", "否"],
            ["K2", "H44520200001", "", idn, "2026-10-08", "20", "否"],
        ],
    )
    assert [f.claim.claim_id for f in check_file(ctx, path).findings] == ["K1"]


def test_a_refused_repair_leaves_the_suspension_and_takes_no_number(ctx, make_ctx):
    pid, _ = _suspended(ctx, make_ctx)
    rid = score_followups.apply_for_repair(ctx, pid, date(2026, 10, 5), 1, "参加医保政策培训", "同意")
    assert score_followups.decide_repair(make_ctx("reviewer", "reviewer"), rid, False, date(2026, 10, 8)) == 0
    d = load_dossier(ctx, pid)
    assert d.status == "suspended" and d.periods[0].ended_on is None and d.periods[0].ended_by == ""
    with ctx.uow() as uow:
        assert uow.session.scalar(select(Document.id).where(Document.doc_type == "repair")) is None


def test_which_periods_a_repaired_total_ends():
    assert repair_ends_period("suspended", 8) and not repair_ends_period("suspended", 9)
    assert repair_ends_period("terminated", 8) and not repair_ends_period("terminated", 10)
