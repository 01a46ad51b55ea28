"""Implausible dates are refused alike by the registration and score forms, the roster imports and the settlement
import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution, add_person
from tests.integration.test_rosters import H1, ZENG, person, roster, score
from tests.integration.test_settlement_check import OWN, write_text
from yibao_desktop.adapters.db.models import ScoreEntry
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.registry import (
    RegistrationInput,
    cancel_registration,
    list_registrations,
    record_commitment,
    register_person,
)
from yibao_desktop.services.rosters import preview_import
from yibao_desktop.services.scoring import ScoreInput, preview_score, record_scores
from yibao_desktop.services.settlement import check_file

# conftest's ctx has today = 2026-11-23
LIANG = make_id_number("445202", date(1990, 9, 9), 21, "女")


@pytest.fixture
def site(ctx):
    add_institution(ctx, H1, "揭阳市人民医院")
    return ctx


def _errors(preview) -> dict[tuple[int, str], str]:
    return {(p.row, p.column): p.message for p in preview.problems if p.severity == "error"}


def test_roster_commitment_dates_in_2030_and_before_birth_are_refused_by_cell(site):
    rows = [
        person("曾志伟", ZENG, "D445202000011", 承诺日期=date(2030, 1, 5)),
        person("梁丽", LIANG, "D445202000021", 承诺日期=date(1901, 3, 1)),
    ]
    found = _errors(preview_import(site, "personnel", roster("personnel", rows)))
    assert "承诺日期（2030年1月5日）晚于今天（2026年11月23日）" in found[(2, "承诺日期")]
    assert "早于本人出生日期（1990年9月9日）" in found[(3, "承诺日期")]


def test_the_registration_form_refuses_the_same_commitment_dates_with_the_same_words(site):
    data = RegistrationInput(
        name="梁丽",
        id_number=LIANG,
        person_code="D445202000021",
        institution_code=H1,
        commitment=True,
        commitment_on=date(1901, 3, 1),
    )
    with pytest.raises(DomainError) as err:
        register_person(site, data)
    assert err.value.field == "commitment_on" and "早于本人出生日期（1990年9月9日）" in err.value.message
    data.commitment_on, data.registered_on = date(2026, 11, 23), date(2026, 11, 24)
    with pytest.raises(DomainError, match="登记备案日期（2026年11月24日）晚于今天") as err:
        register_person(site, data)
    assert err.value.field == "registered_on" and list_registrations(site) == []


def test_a_commitment_recorded_later_and_a_cancellation_must_not_lie_in_the_future(site):
    rid, _ = add_person(site, H1, "曾志伟", seq=11, on=date(2026, 3, 2))
    version = list_registrations(site)[0].version
    with pytest.raises(DomainError, match="承诺日期（2026年12月1日）晚于今天"):
        record_commitment(site, rid, date(2026, 12, 1), version)
    with pytest.raises(DomainError, match="注销日期（2027年1月4日）晚于今天"):
        cancel_registration(site, rid, date(2027, 1, 4), "调离本机构", version)
    with pytest.raises(DomainError, match="不能早于登记备案日期（2026年3月2日）"):
        cancel_registration(site, rid, date(2026, 3, 1), "调离本机构", version)


def test_score_decisions_dated_1995_or_in_the_future_are_refused_on_import(site):
    add_person(site, H1, "曾志伟", seq=11)
    rows = [
        score(ZENG, "揭医保罚〔1995〕5号", date(1995, 6, 1), "B1-01"),
        score(ZENG, "揭医保罚〔2026〕6号", date(2026, 11, 24), "B1-01"),
    ]
    found = _errors(preview_import(site, "scores", roster("scores", rows)))
    assert "早于记分制度施行之日（2025年1月1日）" in found[(2, "决定日期")]
    assert "晚于今天" in found[(3, "决定日期")]


def test_the_score_form_refuses_decisions_dated_1995_or_tomorrow_with_the_words_of_the_import(site):
    add_person(site, H1, "曾志伟", seq=11)
    imported = _errors(
        preview_import(
            site, "scores", roster("scores", [score(ZENG, "揭医保罚〔1995〕5号", date(1995, 6, 1), "B1-01")])
        )
    )[(2, "决定日期")]
    for day, words in ((date(1995, 6, 1), imported.rstrip("。")), (date(2026, 11, 24), "晚于今天")):
        item = ScoreInput(ZENG, H1, "penalty", "揭医保罚〔1995〕5号", day, "JC1", "B1-01", "primary")
        for call in (preview_score, record_scores):
            with pytest.raises(DomainError) as info:
                call(site, [item])
            assert words in info.value.message and info.value.field == "decision_date"
    with site.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ScoreEntry)) == 0


def test_a_claim_served_in_2031_is_a_problem_row_and_not_checked(site, tmp_path):
    path = write_text(
        tmp_path / "c.csv",
        OWN,
        [
            ["C1", H1, "D445202000011", "", "2026-09-13", "100.00", "否"],
            ["C2", H1, "D445202000011", "", "2031-01-02", "100.00", "否"],
        ],
    )
    outcome = check_file(site, path)
    (err,) = [p for p in outcome.problems if p.severity == "error"]
    assert (err.row, err.column) == (3, "服务日期") and "服务日期（2031年1月2日）晚于今天" in err.message
    assert [f.claim.claim_id for f in outcome.findings] == ["C1"]  # C1 unregistered; C2 is not checked
