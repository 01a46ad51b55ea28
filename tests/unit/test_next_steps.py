"""What a notice or an agreement admits next, and how a changed appeal total is spread over the entries."""

from __future__ import annotations

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.next_steps import agreement_events, event_fields, notice_steps
from yibao_desktop.domain.scoring import changed_points


def keys(steps):
    return [s.key for s in steps]


def test_a_draft_is_approved_withdrawn_or_voided_and_asks_no_date():
    steps = notice_steps("draft", "suspension")
    assert keys(steps) == ["approve", "withdraw_draft", "void"]
    assert not any(s.asks_date or s.asks_effective for s in steps)
    assert [s.key for s in steps if s.asks_reason] == ["void"]


def test_only_the_issue_of_a_suspension_or_termination_asks_an_effective_date():
    for kind in ("suspension", "termination"):
        issue = notice_steps("approved", kind)[0]
        assert (issue.key, issue.asks_date, issue.asks_effective) == ("issue", True, True)
    for kind in ("notice", "reminder"):
        issue = notice_steps("approved", kind)[0]
        assert (issue.key, issue.asks_date, issue.asks_effective) == ("issue", True, False)
    assert not any(
        s.asks_effective for state in ("draft", "issued", "delivered") for s in notice_steps(state, "suspension")
    )


def test_issued_then_delivered_then_nothing_after_void():
    assert keys(notice_steps("issued", "notice")) == ["deliver", "receipt", "void"]
    assert keys(notice_steps("delivered", "notice")) == ["receipt", "void"]
    assert notice_steps("voided", "notice") == ()


def test_only_a_suspended_agreement_is_resumed_and_a_terminated_one_admits_nothing():
    kinds = agreement_events("suspended", 0)
    assert kinds[0] == "resume" and "termination" in kinds
    assert "resume" not in agreement_events("active", 0)
    assert agreement_events("terminated", 0) == ()


def test_the_guidance_period_is_extended_only_in_it_and_only_once():
    assert agreement_events("guidance", 0)[0] == "guidance_extension"
    assert "guidance_extension" not in agreement_events("guidance", 1)
    assert "guidance_extension" not in agreement_events("active", 0)


def test_each_event_kind_asks_only_its_own_fields():
    common = ("on", "decision_no", "detail")
    assert event_fields(None) == common
    assert event_fields("renewal") == event_fields("resume") == event_fields("assessment") == common
    assert event_fields("action") == (*common, "action_code", "amount_fen", "department")
    assert event_fields("suspension") == (*common, "ground_code", "effective", "until", "responsible_ids")
    assert event_fields("termination") == event_fields("suspension")
    assert event_fields("info_change") == (*common, "approval_on")


def test_a_lowered_total_keeps_the_first_entries_and_lowers_the_later_ones():
    # a notice of 5 + 4 points (2026-11-02) changed on appeal to 7: the first keeps 5, the second 2
    assert changed_points([(11, 5), (12, 4)], 7) == {11: 5, 12: 2}
    assert changed_points([(11, 5), (12, 4)], 3) == {11: 3, 12: 0}
    assert changed_points([(11, 5), (12, 4)], 0) == {11: 0, 12: 0}


def test_a_higher_total_is_added_to_the_first_entry_and_a_negative_one_refused():
    assert changed_points([(11, 5), (12, 4)], 10) == {11: 6, 12: 4}
    with pytest.raises(DomainError, match="不能为负数"):
        changed_points([(11, 5)], -1)
    with pytest.raises(DomainError, match="没有记分"):
        changed_points([], 3)
