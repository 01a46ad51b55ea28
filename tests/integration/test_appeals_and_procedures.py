"""Appeals, repair, restoration, commendations and the dashboard on a real database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import add_institution, add_person, entry_ids_of, issue_suspension
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services import appeals, notices, procedures
from yibao_desktop.services.dashboard import load_dashboard
from yibao_desktop.services.dossier import load_dossier
from yibao_desktop.services.registry import list_registrations
from yibao_desktop.services.scoring import ScoreInput, record_scores


@pytest.fixture
def issued(ctx, make_ctx):
    """A 9-point suspension notice issued 2026-09-14 and received 2026-09-18 (中秋/国庆 ahead)."""
    rev = make_ctx("reviewer", "reviewer")
    did, idn = issue_suspension(ctx, rev)
    notices.record_delivery(ctx, did, date(2026, 9, 16))
    notices.record_receipt(ctx, did, date(2026, 9, 18))
    return did, idn


def test_an_appeal_on_the_last_day_is_accepted_and_one_day_later_refused(ctx, issued):
    did, _ = issued
    with pytest.raises(DomainError, match="2026年10月9日"):
        appeals.file_appeal(ctx, did, "person", date(2026, 10, 10), "不服")
    aid = appeals.file_appeal(ctx, did, "person", date(2026, 10, 9), "记分依据有误")
    assert appeals.list_appeals(ctx)[0].due == date(2026, 11, 5)  # 10-10 is a working Saturday
    assert aid > 0


def test_a_changed_appeal_voids_the_notice_and_restores_the_person(ctx, make_ctx, issued):
    did, idn = issued
    aid = appeals.file_appeal(ctx, did, "institution", date(2026, 9, 21), "责任认定有误")
    entry = entry_ids_of(ctx, did)[0]
    new = appeals.decide_appeal(
        make_ctx("reviewer", "reviewer"), aid, "changed", "责任认定改为一般", date(2026, 10, 12), {entry: 7}
    )
    person = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    d = load_dossier(ctx, person)
    assert d.status == "active"
    assert d.yearly_totals == {2026: 7}
    states = {x.id: x.state for x in d.dispositions}
    assert states[did] == "voided" and states[new] == "draft"
    assert next(x for x in d.dispositions if x.id == new).kind == "notice"


def test_repair_removes_points_within_the_yearly_cap(ctx, make_ctx, issued):
    _, idn = issued
    person = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    rid = procedures.apply_for_repair(ctx, person, date(2026, 11, 2), 2, "参加医保政策培训", "同意")
    assert procedures.decide_repair(make_ctx("reviewer", "reviewer"), rid, True, date(2026, 11, 5)) == 2
    assert load_dossier(ctx, person).registrations[0].year_points == 7
    from yibao_desktop.services.scoring import recompute_all

    assert recompute_all(ctx, 2026) == 1
    assert load_dossier(ctx, person).registrations[0].year_points == 7  # the batch recompute honours repairs too


def test_restoration_may_be_filed_from_fifteen_working_days_before_the_end(ctx, make_ctx, issued):
    _, idn = issued
    person = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    period = load_dossier(ctx, person).periods[0]
    assert (period.start, period.end) == (date(2026, 9, 14), date(2026, 11, 13))
    with pytest.raises(DomainError, match="最早"):
        procedures.file_restoration(ctx, period.id, date(2026, 10, 22), "同意")
    rid = procedures.file_restoration(ctx, period.id, date(2026, 10, 26), "同意")
    procedures.decide_restoration(make_ctx("reviewer", "reviewer"), rid, True, date(2026, 11, 16))
    d = load_dossier(ctx, person)
    assert d.status == "active" and d.registrations[0].status == "active"
    assert d.yearly_totals == {2026: 9}


def test_commendation_is_recorded_once_per_year(ctx, issued):
    _, idn = issued
    person = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    procedures.add_commendation(ctx, person, 2026, "好医师")
    with pytest.raises(DomainError, match="已记录"):
        procedures.add_commendation(ctx, person, 2026, "好医师")
    assert load_dossier(ctx, person).commendations == [(2026, "好医师")]


def test_the_dashboard_lists_a_draft_notice_due_five_working_days_after_the_decision(ctx):
    add_institution(ctx)
    _, idn = add_person(ctx, seq=8)
    record_scores(
        ctx,
        [
            ScoreInput(
                idn, "H44520200001", "penalty", "揭医保罚〔2026〕50号", date(2026, 11, 19), "JC", "B2-01", "general"
            )
        ],
    )
    dash = load_dashboard(ctx)
    todo = next(t for t in dash.todos if t.kind == "通知书签发")
    assert (todo.due, todo.urgency) == (date(2026, 11, 26), "later")
    assert dash.counts["drafts"] == 1
    assert any("2027" in w for w in dash.warnings)


def test_tianjin_lists_persons_reaching_six_points_for_key_supervision(ctx):
    from dataclasses import replace

    from yibao_desktop.services.profiles import load_profile

    tj = replace(ctx, profile=load_profile("tianjin"))
    add_institution(tj)
    _, idn = add_person(tj, seq=9)
    record_scores(
        tj,
        [
            ScoreInput(
                idn, "H44520200001", "penalty", "津医保罚〔2026〕5号", date(2026, 10, 9), "JC", "B2-02", "primary"
            )
        ],
    )
    assert load_dashboard(tj).counts["watch"] == 1
    assert load_dashboard(ctx).counts["watch"] == 1  # the stored flag, whatever profile reads it later
