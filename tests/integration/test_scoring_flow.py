"""Scoring end to end through the services on a real database: totals, dispositions, linkage, notices."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import add_institution, add_person
from yibao_desktop.domain.errors import DomainError, PermissionDenied
from yibao_desktop.services import notices
from yibao_desktop.services.dossier import load_dossier
from yibao_desktop.services.registrations import RegistrationInput, list_registrations, register_person
from yibao_desktop.services.scoring import ScoreInput, preview_score, record_scores


def score(idn, inst, no, day, code, resp="general", points=None, batch="JC1", kind="penalty"):
    return ScoreInput(idn, inst, kind, no, day, batch, code, resp, "none", points)


@pytest.fixture
def two_sites(ctx):
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    add_institution(ctx, "H44520200002", "榕城区中医医院", kind="tcm_hospital")
    _, idn = add_person(ctx, "H44520200001", "曾志伟", seq=3)
    register_person(
        ctx,
        RegistrationInput(
            name="曾志伟",
            id_number=idn,
            person_code="D445202000003",
            institution_code="H44520200002",
            commitment=True,
            commitment_on=date(2025, 3, 1),
            registered_on=date(2025, 3, 1),
        ),
        today=date(2025, 3, 1),
    )
    return idn


def test_multi_site_doctor_scored_5_and_4_is_suspended_at_both_institutions(ctx, make_ctx, two_sites):
    idn = two_sites
    clerk, reviewer = make_ctx("clerk", "clerk"), make_ctx("reviewer", "reviewer")
    first = record_scores(
        clerk, [score(idn, "H44520200001", "揭医保罚〔2026〕5号", date(2026, 3, 2), "B2-02", "important")]
    )
    p = preview_score(
        clerk, [score(idn, "H44520200002", "揭医保罚〔2026〕9号", date(2026, 6, 1), "B2-03", batch="JC2")]
    )
    assert (p.total_before, p.total_after, p.disposition.kind) == (5, 9, "suspension")
    assert p.disposition.months == 2 and p.disposition.months_choices == (1, 6)
    second = record_scores(
        clerk, [score(idn, "H44520200002", "揭医保罚〔2026〕9号", date(2026, 6, 1), "B2-03", batch="JC2")], months=3
    )
    with pytest.raises(PermissionDenied):
        notices.approve(clerk, second)
    notices.approve(reviewer, second)
    assert notices.issue(reviewer, second, date(2026, 11, 20), date(2026, 11, 30)) == "揭医保记〔2026〕1号"
    regs = [r for r in list_registrations(ctx) if r.id_number == idn]
    assert {r.status for r in regs} == {"suspended"} and len(regs) == 2
    d = load_dossier(ctx, regs[0].person_id)
    assert (d.status, d.status_start, d.status_end) == ("suspended", date(2026, 11, 30), date(2027, 2, 28))
    assert d.yearly_totals == {2026: 9}
    assert first != second


def test_points_of_december_2025_do_not_count_in_2026(ctx, two_sites):
    idn = two_sites
    record_scores(ctx, [score(idn, "H44520200001", "揭医保罚〔2025〕80号", date(2025, 12, 20), "B3-01", "important")])
    p = preview_score(ctx, [score(idn, "H44520200001", "揭医保罚〔2026〕2号", date(2026, 1, 10), "B2-03", "important")])
    assert (p.total_before, p.total_after, p.disposition.kind) == (0, 5, "notice")


def test_one_decision_of_12_points_terminates_with_a_three_year_ban(ctx, make_ctx, two_sites):
    idn = two_sites
    reviewer = make_ctx("reviewer", "reviewer")
    did = record_scores(ctx, [score(idn, "H44520200001", "揭医保罚〔2026〕30号", date(2026, 5, 6), "B4-01", "primary")])
    notices.approve(reviewer, did)
    notices.issue(reviewer, did, date(2026, 5, 11))
    d = load_dossier(ctx, load_dossier_id(ctx, idn))
    assert d.status == "terminated"
    assert d.dispositions[0].years == 3
    assert (d.status_start, d.status_end, d.ban_end) == (date(2026, 5, 11), date(2029, 5, 10), date(2029, 5, 10))
    add_institution(ctx, "H44520200003", "揭东区人民医院")
    with pytest.raises(DomainError, match="2029年5月10日"):
        register_person(
            ctx,
            RegistrationInput(
                name="曾志伟", id_number=idn, person_code="D445202000003", institution_code="H44520200003"
            ),
            today=date(2026, 11, 23),
        )


def load_dossier_id(ctx, idn):
    return next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)


def test_same_inspection_same_violation_counts_once_at_its_highest(ctx, two_sites):
    idn = two_sites
    record_scores(
        ctx,
        [score(idn, "H44520200001", "揭医保协处〔2026〕1号", date(2026, 4, 1), "B1-02", "primary", kind="agreement")],
    )
    p = preview_score(
        ctx,
        [score(idn, "H44520200001", "揭医保协处〔2026〕2号", date(2026, 4, 1), "B1-02", "general", kind="agreement")],
    )
    assert (p.total_before, p.total_after) == (3, 3)
    p2 = preview_score(
        ctx,
        [score(idn, "H44520200001", "揭医保协处〔2026〕3号", date(2026, 4, 1), "B1-03", "general", kind="agreement")],
    )
    assert p2.total_after == 4


def test_points_outside_the_band_are_refused_with_the_range(ctx, two_sites):
    with pytest.raises(DomainError, match="4 至 6"):
        record_scores(
            ctx, [score(two_sites, "H44520200001", "揭医保罚〔2026〕7号", date(2026, 4, 1), "B2-01", points=8)]
        )


def test_a_duplicate_score_of_the_same_decision_is_refused(ctx, two_sites):
    s = score(two_sites, "H44520200001", "揭医保罚〔2026〕8号", date(2026, 4, 1), "B2-01")
    record_scores(ctx, [s])
    with pytest.raises(DomainError, match="已录入"):
        record_scores(ctx, [s])


def test_notice_numbers_are_never_reused_after_voiding(ctx, make_ctx, two_sites):
    reviewer = make_ctx("reviewer", "reviewer")
    ids = [
        record_scores(
            ctx,
            [
                score(
                    two_sites,
                    "H44520200001",
                    f"揭医保协处〔2026〕{n}号",
                    date(2026, 2, n),
                    "B1-0" + str(n),
                    kind="agreement",
                    batch=f"P{n}",
                )
            ],
        )
        for n in (1, 2)
    ]
    for i in ids:
        notices.approve(reviewer, i)
    assert notices.issue(reviewer, ids[0], date(2026, 2, 13)) == "揭医保记〔2026〕1号"
    notices.void(reviewer, ids[0], "文书号录错")
    assert notices.issue(reviewer, ids[1], date(2026, 2, 13)) == "揭医保记〔2026〕2号"
    from yibao_desktop.services.documents import list_documents

    docs = {d[0]: d[4] for d in list_documents(ctx)}
    assert docs == {"揭医保记〔2026〕1号": True, "揭医保记〔2026〕2号": False}


def test_issue_date_before_the_decision_date_is_refused(ctx, make_ctx, two_sites):
    did = record_scores(ctx, [score(two_sites, "H44520200001", "揭医保罚〔2026〕9号", date(2026, 4, 1), "B2-01")])
    reviewer = make_ctx("reviewer", "reviewer")
    notices.approve(reviewer, did)
    with pytest.raises(DomainError, match="不能早于"):
        notices.issue(reviewer, did, date(2026, 3, 31))


def test_a_one_clerk_office_can_switch_review_off(ctx, two_sites):
    ctx.settings.review_required = False
    did = record_scores(ctx, [score(two_sites, "H44520200001", "揭医保罚〔2026〕11号", date(2026, 4, 1), "B2-01")])
    assert notices.issue(ctx, did, date(2026, 4, 2)).endswith("1号")
