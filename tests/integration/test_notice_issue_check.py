"""Annex 3 is checked when it is issued, not when it is first printed: a notice that would print with an empty
required blank is refused by `notices.issue` naming the field in Chinese, and the refused issue writes nothing
(no number, no period, still 已审核). The cap sentence prints only when the yearly cap cut points."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.builders import add_institution, add_person, score_nine_points
from yibao_desktop.adapters import pdf
from yibao_desktop.adapters.db.models import Disposition, Person, StatusPeriod
from yibao_desktop.domain.persons import NoticeState
from yibao_desktop.services import notices, printing
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.scoring import ScoreInput, record_scores

CAP = "超出部分不再累计"


@pytest.fixture
def people(ctx, make_ctx):
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    return make_ctx("clerk", "clerk"), make_ctx("reviewer", "reviewer")


def test_an_approved_notice_with_an_empty_required_blank_is_refused_at_issue_and_nothing_is_written(ctx, people):
    clerk, reviewer = people
    _, idn = add_person(ctx, name="曾志伟", seq=3)
    did = score_nine_points(clerk, idn, "H44520200001", "揭医保罚〔2026〕3号")
    notices.approve(reviewer, did)
    with ctx.uow() as uow:  # a record whose sex was never filled in
        uow.session.scalar(select(Person).where(Person.id_number == idn)).sex = ""
        uow.commit()
    registered = list_documents(ctx)
    with pytest.raises(pdf.IncompleteDocument) as err:
        notices.issue(reviewer, did, date(2026, 11, 20), date(2026, 11, 30))
    assert "缺少：性别" in err.value.message and "处理通知书" in err.value.message
    assert err.value.missing == ["性别"]
    with ctx.uow() as uow:
        disp = uow.session.get(Disposition, did)
        assert (disp.state, disp.doc_no, disp.issued_on) == (NoticeState.APPROVED, None, None)
        assert not list(uow.session.scalars(select(StatusPeriod).where(StatusPeriod.disposition_id == did)))
    assert list_documents(ctx) == registered  # no number taken
    with ctx.uow() as uow:  # filled in, the same notice issues and takes the first number
        uow.session.scalar(select(Person).where(Person.id_number == idn)).sex = "男"
        uow.commit()
    doc_no = notices.issue(reviewer, did, date(2026, 11, 20), date(2026, 11, 30))
    assert doc_no.endswith("〔2026〕1号")


def _score(clerk, idn: str, decision_no: str, code: str, points: int, on: date) -> int:
    item = ScoreInput(idn, "H44520200001", "penalty", decision_no, on, "", code, "primary", "none", points)
    return record_scores(clerk, [item])


def test_the_cap_sentence_prints_only_when_the_cap_cut_points(ctx, people):
    clerk, _ = people
    _, exactly = add_person(ctx, name="曾志伟", seq=3)
    score_nine_points(clerk, exactly, "H44520200001", "揭医保罚〔2026〕3号")
    twelve = _score(clerk, exactly, "揭医保罚〔2026〕4号", "B1-01", 3, date(2026, 11, 10))  # 9 + 3 = 12
    _, above = add_person(ctx, name="林秀英", seq=4)
    score_nine_points(clerk, above, "H44520200001", "揭医保罚〔2026〕5号")
    fifteen = _score(clerk, above, "揭医保罚〔2026〕6号", "B2-01", 6, date(2026, 11, 10))  # 9 + 6 = 15 → 12
    at_twelve, cut = printing.notice_data(ctx, twelve), printing.notice_data(ctx, fifteen)
    assert (at_twelve["year_total"], at_twelve["cap_note"]) == (12, "")
    assert cut["year_total"] == 12 and CAP in cut["cap_note"]
