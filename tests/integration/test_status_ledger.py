"""The status ledger: every suspension/termination is a dated period with its source and document number, whatever
made it; statuses derive from it; restoration (《规程》第三十九条) and repairs (第三十八条) follow the printed period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.builders import add_institution, add_person, issue_suspension
from yibao_desktop.adapters.db.models import Person, StatusPeriod
from yibao_desktop.domain.errors import DomainError, PermissionDenied
from yibao_desktop.services import notices, score_followups
from yibao_desktop.services.agreements import EventInput, approve_event, record_event, sign_agreement
from yibao_desktop.services.agreements_query import agreement_events, proposed_events
from yibao_desktop.services.dossier import load_dossier
from yibao_desktop.services.registrations import list_registrations
from yibao_desktop.services.scoring import ScoreInput, preview_score, record_scores
from yibao_desktop.services.standing import sync_statuses

H1, P1 = "H44520200001", "H44520200009"


@pytest.fixture
def private(ctx):
    """A private hospital with two registered doctors and an annual agreement from 2026-01-01."""
    iid = add_institution(ctx, P1, "揭阳康华医院", ownership="private")
    _, a = add_person(ctx, P1, "陈丽娟", seq=4, sex="女")
    _, b = add_person(ctx, P1, "林建华", seq=5, code="D445202000005")
    aid = sign_agreement(ctx, iid, "揭医保协〔2026〕1号", "annual", date(2026, 1, 1), newly_designated=False)
    pids = {r.id_number: r.person_id for r in list_registrations(ctx)}
    return aid, pids[a], pids[b]


def _suspend(
    ctx,
    make_ctx,
    aid,
    pid,
    on=date(2026, 5, 6),
    until=date(2026, 8, 5),
    no="揭医保协处〔2026〕3号",
    ground="major_risk",
):
    record_event(
        ctx,
        aid,
        EventInput(
            kind="suspension",
            on=on,
            decision_no=no,
            effective=on,
            until=until,
            ground_code=ground,
            responsible_ids=[pid] if pid else [],
        ),
    )
    event = next(e for e in proposed_events(ctx, aid) if e.kind == "suspension")
    return approve_event(make_ctx("reviewer2", "reviewer"), event.id)


def test_an_agreement_suspension_puts_the_responsible_person_in_the_ledger_with_its_document(ctx, make_ctx, private):
    aid, pid, other = private
    assert "1名责任人员同步暂停" in _suspend(ctx, make_ctx, aid, pid)
    d = load_dossier(ctx, pid)
    assert d.status == "suspended" and {r.status for r in d.registrations} == {"suspended"}
    [p] = d.periods
    assert (p.start, p.end, p.doc_no, p.source) == (
        date(2026, 5, 6),
        date(2026, 8, 5),
        "揭医保协处〔2026〕3号",
        "agreement",
    )
    assert load_dossier(ctx, other).status == "active"  # not named responsible (《规程》第三十四条)
    from yibao_desktop.services.settlement_reference import load_ledger

    with ctx.uow() as uow:
        [seen] = load_ledger(uow.session).periods[pid]
    # printed until 2026-08-05, never resumed: it still holds on 11-23 (domain/persons.py: held_span)
    assert (seen.status, seen.start, seen.end) == ("suspended", date(2026, 5, 6), None)


def test_the_one_who_entered_an_agreement_suspension_cannot_approve_it(ctx, make_ctx, private):
    aid, pid, _ = private
    record_event(
        ctx,
        aid,
        EventInput(kind="suspension", on=date(2026, 5, 6), decision_no="揭医保协处〔2026〕3号", responsible_ids=[pid]),
    )
    [event] = proposed_events(ctx, aid)
    with pytest.raises(PermissionDenied, match="本人录入"):
        approve_event(ctx, event.id)
    assert load_dossier(ctx, pid).periods == []


def test_resuming_the_agreement_ends_the_periods_it_started_the_day_before(ctx, make_ctx, private):
    aid, pid, _ = private
    _suspend(ctx, make_ctx, aid, pid, until=None)
    assert load_dossier(ctx, pid).periods[0].end == date(2026, 11, 1)  # 180 days, 《广东办法》第四十一条
    msg = record_event(ctx, aid, EventInput(kind="resume", on=date(2026, 7, 1)))
    assert "1名责任人员的暂停期同步结束" in msg
    d = load_dossier(ctx, pid)
    assert d.status == "active" and d.periods[0].ended_on == date(2026, 6, 30)


def test_a_public_institutions_own_request_to_suspend_is_refused_with_the_article(ctx, private):
    aid, _, _ = private
    iid = add_institution(ctx, H1)
    pub = sign_agreement(ctx, iid, "揭医保协〔2026〕2号", "annual", date(2026, 1, 1), newly_designated=False)
    with pytest.raises(DomainError, match="第四十三条"):
        record_event(
            ctx,
            pub,
            EventInput(
                kind="suspension", on=date(2026, 5, 6), decision_no="揭医保协处〔2026〕4号", ground_code="requested"
            ),
        )
    assert [e.kind for e in agreement_events(ctx, pub)] == ["sign"]
    with pytest.raises(DomainError, match="提前3个月"):
        record_event(
            ctx,
            aid,
            EventInput(
                kind="suspension",
                on=date(2026, 5, 6),
                decision_no="揭医保协处〔2026〕5号",
                ground_code="requested",
                effective=date(2026, 8, 5),
            ),
        )
    record_event(
        ctx,
        aid,
        EventInput(
            kind="suspension",
            on=date(2026, 5, 6),
            decision_no="揭医保协处〔2026〕5号",
            ground_code="requested",
            effective=date(2026, 8, 6),
        ),
    )  # a private one may ask


def test_the_guidance_period_is_extended_once_and_a_second_violation_means_no_renewal(ctx):
    iid = add_institution(ctx, P1, "揭阳康华医院", ownership="private")
    aid = sign_agreement(ctx, iid, "揭医保协〔2026〕3号", "annual", date(2026, 3, 2))
    assert "2027年3月1日" in record_event(ctx, aid, EventInput(kind="guidance_extension", on=date(2026, 8, 3)))
    with pytest.raises(DomainError, match="不予续签"):
        record_event(ctx, aid, EventInput(kind="guidance_extension", on=date(2026, 11, 2)))


def test_a_second_suspension_in_the_term_proposes_termination(ctx, make_ctx, private):
    aid, pid, _ = private
    _suspend(ctx, make_ctx, aid, pid)
    record_event(ctx, aid, EventInput(kind="resume", on=date(2026, 8, 6)))
    msg = _suspend(ctx, make_ctx, aid, pid, on=date(2026, 10, 9), until=date(2026, 11, 8), no="揭医保协处〔2026〕8号")
    assert "第四十二条（一）" in msg
    [proposal] = proposed_events(ctx, aid)
    assert proposal.kind == "termination" and "累计2次及以上被中止协议" in proposal.detail
    approve_event(make_ctx("reviewer3", "reviewer"), proposal.id)
    d = load_dossier(ctx, pid)
    assert d.status == "terminated" and [p.source for p in d.periods] == ["agreement"] * 3


@pytest.mark.parametrize(("filed", "overdue"), [(date(2026, 10, 19), False), (date(2026, 10, 20), True)])
def test_an_information_change_after_thirty_working_days_is_flagged(ctx, private, filed, overdue):
    aid, _, _ = private  # approved 2026-09-01; 中秋 and 国庆 fall inside, the 30th working day is 2026-10-19
    msg = record_event(
        ctx, aid, EventInput(kind="info_change", on=filed, approval_on=date(2026, 9, 1), detail="法定代表人变更")
    )
    assert ("已逾期" in msg) is overdue
    with pytest.raises(DomainError, match="批准变更的日期"):
        record_event(ctx, aid, EventInput(kind="info_change", on=filed))


def test_an_early_restoration_pass_takes_effect_the_day_after_the_printed_period(ctx, make_ctx):
    _, idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))  # 2026-09-14 … 2026-11-13
    pid = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    period = load_dossier(ctx, pid).periods[0]
    rid = score_followups.file_restoration(ctx, period.id, date(2026, 10, 26), "同意恢复")
    early = replace(make_ctx("reviewer", "reviewer"), clock=lambda: date(2026, 11, 5))
    assert score_followups.decide_restoration(early, rid, True, date(2026, 11, 5)) == date(2026, 11, 14)
    with ctx.uow() as uow:
        assert sync_statuses(uow.session, date(2026, 11, 13)) == 0  # the last printed day: still suspended
        uow.session.rollback()
    d = load_dossier(replace(ctx, clock=lambda: date(2026, 11, 13)), pid)
    assert d.status == "suspended"  # decided on 11-05: the printed period stands through its last day
    assert {r.status for r in d.registrations} == {"suspended"}
    assert d.periods[0].ended_on == date(2026, 11, 13) and d.periods[0].end == date(2026, 11, 13)
    # the next day the 一医一档 shows it as of that day, before anything re-derived the stored status
    d = load_dossier(replace(ctx, clock=lambda: date(2026, 11, 14)), pid)
    assert d.status == "active" and {r.status for r in d.registrations} == {"active"}
    from yibao_desktop.services.standing import apply_todays_statuses

    with ctx.uow() as uow:
        assert uow.session.get(Person, pid).status == "suspended"  # stored: what the lists read until re-derived
    assert apply_todays_statuses(replace(ctx, clock=lambda: date(2026, 11, 14))) == 1  # at opening / midnight
    with ctx.uow() as uow:
        assert uow.session.get(Person, pid).status == "active"
    assert apply_todays_statuses(replace(ctx, clock=lambda: date(2026, 11, 14))) == 0


def _terminate(ctx, make_ctx) -> int:
    """8 points (notice) on 2025-10-09, then 4 on 2025-11-10: 12 accumulated → termination issued 2025-11-14 with a
    1-year ban, period 2025-11-14 … 2026-11-13."""
    add_institution(ctx, H1)
    _, idn = add_person(ctx, H1, seq=7)
    rev = make_ctx("reviewer", "reviewer")
    for no, on, code, resp in (
        ("揭医保罚〔2025〕30号", date(2025, 10, 9), "B3-01", "important"),
        ("揭医保罚〔2025〕41号", date(2025, 11, 10), "B2-02", "general"),
    ):
        did = record_scores(ctx, [ScoreInput(idn, H1, "penalty", no, on, "", code, resp)])
    notices.approve(rev, did)
    notices.issue(rev, did, date(2025, 11, 14))
    return next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)


def test_after_a_termination_a_pass_is_recorded_within_ten_working_days_before_the_end(ctx, make_ctx):
    pid = _terminate(ctx, make_ctx)
    period = load_dossier(ctx, pid).periods[0]
    assert (period.status, period.end, period.ban_end) == ("terminated", date(2026, 11, 13), date(2026, 11, 13))
    rid = score_followups.file_restoration(ctx, period.id, date(2026, 10, 26), "同意恢复")
    effect = score_followups.decide_restoration(make_ctx("reviewer", "reviewer"), rid, True, date(2026, 11, 9))
    assert effect == date(2026, 11, 14)
    d = load_dossier(ctx, pid)
    assert d.status == "active" and {r.cancelled_on for r in d.registrations} == {date(2026, 11, 14)}


def test_a_repair_is_subtracted_before_the_yearly_cap(ctx, make_ctx):
    add_institution(ctx, H1)
    _, idn = add_person(ctx, H1, seq=8)
    pid = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    record_scores(
        ctx, [ScoreInput(idn, H1, "penalty", "揭医保罚〔2026〕11号", date(2026, 3, 2), "", "B3-01", "important")]
    )  # 8
    rid = score_followups.apply_for_repair(ctx, pid, date(2026, 4, 1), 4, "参加医保政策培训", "同意")
    assert score_followups.decide_repair(make_ctx("reviewer", "reviewer"), rid, True, date(2026, 4, 8)) == 4
    p = preview_score(
        ctx, [ScoreInput(idn, H1, "penalty", "揭医保罚〔2026〕19号", date(2026, 6, 1), "", "B2-02", "important")]
    )  # + 5: 13 − 4 = 9, not min(13, 12) − 4 = 8
    assert (p.total_after, p.disposition.kind) == (9, "suspension")
    assert load_dossier(ctx, pid).yearly_totals == {2026: 4}  # the 一医一档 totals are net of repairs


def test_every_suspended_or_terminated_registration_is_covered_by_a_period(ctx, make_ctx, private):
    aid, pid, _ = private
    _suspend(ctx, make_ctx, aid, pid)
    issue_suspension(ctx, make_ctx("reviewer", "reviewer"))
    with ctx.uow() as uow:
        s = uow.session
        from yibao_desktop.adapters.db.models import Registration

        stopped = set(s.scalars(select(Registration.person_id).where(Registration.status != "active")))
        covered = set(s.scalars(select(StatusPeriod.person_id).where(StatusPeriod.voided.is_(False))))
    assert stopped and stopped <= covered


def test_the_work_list_shows_a_suspension_reaching_180_days_and_the_proposed_termination(ctx, make_ctx, private):
    from yibao_desktop.services.dashboard import load_dashboard

    aid, pid, _ = private
    _suspend(ctx, make_ctx, aid, pid, on=date(2026, 5, 28), until=None)
    todo = next(t for t in load_dashboard(ctx).todos if t.kind == "中止满期")
    assert todo.due == date(2026, 11, 24) and "第四十一条" in todo.detail  # 180 days from 05-28 end on 11-23
    record_event(ctx, aid, EventInput(kind="resume", on=date(2026, 6, 1)))
    _suspend(ctx, make_ctx, aid, pid, on=date(2026, 9, 1), until=date(2026, 10, 31), no="揭医保协处〔2026〕9号")
    kinds = {t.kind: t.detail for t in load_dashboard(ctx).todos}
    assert "第四十二条（一）" in kinds["协议待审核"]


def test_a_batch_export_the_day_after_a_printed_end_tells_the_ledger(ctx, make_ctx):
    """No window was opened on 11-14: the personnel export brings the stored status to today's first."""
    from io import BytesIO

    from openpyxl import load_workbook

    from yibao_desktop.services.rosters import export_roster

    _, idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))  # 2026-09-14 … 2026-11-13
    pid = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    rid = score_followups.file_restoration(ctx, load_dossier(ctx, pid).periods[0].id, date(2026, 10, 26), "同意")
    early = replace(make_ctx("reviewer", "reviewer"), clock=lambda: date(2026, 11, 5))
    score_followups.decide_restoration(early, rid, True, date(2026, 11, 5))

    def exported_row(on: date) -> list:
        book = load_workbook(BytesIO(export_roster(replace(ctx, clock=lambda: on), "personnel")), read_only=True)
        return next(list(r) for r in book.worksheets[0].iter_rows(values_only=True) if idn in r)

    assert "暂停" in exported_row(date(2026, 11, 13))  # the last printed day: still suspended
    assert "暂停" not in exported_row(date(2026, 11, 14))
    with ctx.uow() as uow:
        assert uow.session.get(Person, pid).status == "active"
