"""The 工作台 line "中止满期" (《广东办法》第四十一条: a suspension not resumed within 180 days ends the agreement) offers
to enter the termination proposal: one service call (services/agreements.py: propose_termination), a second
reviewer approves it; cancelling opens the agreement instead; a second proposal is refused in Chinese."""

from __future__ import annotations

from datetime import date

from tests.builders import as_user, record_approved
from yibao_desktop.services.agreements import EventInput, approve_event, sign_agreement
from yibao_desktop.services.agreements_query import proposed_events
from yibao_desktop.services.dashboard import load_dashboard


def _expiring(window) -> int:
    """An agreement suspended from 2026-05-28 with no end: the 180th day is 2026-11-23 (today in the tests)."""
    ctx = window.ctx
    iid = window.institutions.all_rows[0].id
    aid = sign_agreement(ctx, iid, "揭医保协〔2026〕1号", "annual", date(2026, 1, 1), newly_designated=False)
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="suspension",
            on=date(2026, 5, 28),
            effective=date(2026, 5, 28),
            decision_no="揭医保协处〔2026〕3号",
            ground_code="major_risk",
        ),
    )
    return aid


def test_the_expired_suspension_line_enters_the_termination_proposal(window, asked):
    aid = _expiring(window)
    calls, answers = asked
    todo = next(t for t in load_dashboard(window.ctx).todos if t.kind == "中止满期")
    answers["text"] = ["揭医保协决〔2026〕11号"]
    window.work.open_todo(todo)
    assert any(name == "text" and "180日" in args[2] for name, args in calls)  # the profile's days, not typed
    [proposal] = proposed_events(window.ctx, aid)
    assert (proposal.kind, proposal.on, proposal.decision_no) == (
        "termination",
        date(2026, 11, 23),
        "揭医保协决〔2026〕11号",
    )
    assert "第四十一条" in proposal.detail
    answers["text"] = ["揭医保协决〔2026〕12号"]
    window.work.open_todo(todo)  # entered twice: refused, nothing new
    assert any(name == "error" and "已有待审核的解除协议" in args[2] for name, args in calls)
    assert len(proposed_events(window.ctx, aid)) == 1
    approve_event(as_user(window.ctx, "reviewer2", "reviewer"), proposal.id)
    assert not proposed_events(window.ctx, aid)


def test_cancelling_opens_the_agreement_and_enters_nothing(window, asked):
    aid = _expiring(window)
    todo = next(t for t in load_dashboard(window.ctx).todos if t.kind == "中止满期")
    window.work.open_todo(todo)  # ask.text answers None: cancelled
    assert proposed_events(window.ctx, aid) == [] and window.current_tab() is window.agreements
