"""Scoring rules: bands, responsibility positions, mitigation, same-inspection merging and yearly totals."""

from __future__ import annotations

from datetime import date

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.policy import resolve_profile
from yibao_desktop.domain.scoring import (
    BANDS,
    Circumstance,
    Responsibility,
    ScoreFact,
    allowed_points,
    check_points,
    counted_points,
    decision_points,
    effective_band,
    propose_points,
    running_totals,
    yearly_total,
)
from yibao_desktop.paths import resources_dir

C, R = Circumstance, Responsibility


@pytest.fixture(scope="module")
def national():
    return resolve_profile("national", lambda n: (resources_dir() / "profiles" / f"{n}.toml").read_text("utf-8"))


def fact(entry_id, points, day, batch="", code="B2-01", decision="D1", active=True):
    return ScoreFact(entry_id, decision, day, batch, code, points, active)


def test_bands_are_the_national_point_ranges():
    assert BANDS == {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def test_labels_are_chinese():
    assert R.IMPORTANT.label == "重要"
    assert C.BAND_DOWN.label == "减轻一档" and C.HEAVIER.label == "从重"


def test_band_moves_one_step_and_stays_within_one_to_four():
    assert effective_band(2, C.BAND_DOWN) == 1
    assert effective_band(1, C.BAND_DOWN) == 1
    assert effective_band(4, C.BAND_UP) == 4
    assert effective_band(3, C.LIGHTER) == 3


@pytest.mark.parametrize(
    ("band", "c", "expected"),
    [
        (2, C.NONE, (4, 6)),
        (2, C.LIGHTER, (4, 5)),
        (2, C.HEAVIER, (5, 6)),
        (2, C.BAND_DOWN, (1, 3)),
        (2, C.BAND_UP, (7, 9)),
        (4, C.BAND_UP, (10, 12)),
        (1, C.BAND_DOWN, (1, 3)),
    ],
)
def test_allowed_points_follow_band_and_circumstance(band, c, expected):
    assert allowed_points(band, c) == expected


@pytest.mark.parametrize(
    ("band", "r", "c", "expected"),
    [
        (2, R.GENERAL, C.NONE, 4),
        (2, R.IMPORTANT, C.NONE, 5),
        (2, R.PRIMARY, C.NONE, 6),
        (3, R.PRIMARY, C.LIGHTER, 8),
        (3, R.GENERAL, C.LIGHTER, 7),
        (3, R.GENERAL, C.HEAVIER, 8),
        (3, R.PRIMARY, C.HEAVIER, 9),
        (3, R.IMPORTANT, C.BAND_DOWN, 5),
        (3, R.PRIMARY, C.BAND_UP, 12),
        (1, R.GENERAL, C.BAND_DOWN, 1),
    ],
)
def test_proposed_points_take_the_responsibility_position(national, band, r, c, expected):
    assert propose_points(band, r, c, national) == expected


def test_points_outside_the_allowed_range_are_refused_with_the_range():
    with pytest.raises(DomainError, match="4 至 5 分"):
        check_points(6, 2, C.LIGHTER)
    with pytest.raises(DomainError, match="第3档减轻一档后为第2档记分应在 4 至 6 分之间"):
        check_points(7, 3, C.BAND_DOWN)
    with pytest.raises(DomainError, match="10 至 12"):
        check_points(13, 4, C.NONE)
    check_points(5, 2, C.LIGHTER)


def test_same_batch_same_violation_counts_only_the_highest():
    facts = [fact(1, 3, date(2026, 3, 2), "JC-01", "B1-01"), fact(2, 2, date(2026, 3, 2), "JC-01", "B1-01")]
    assert counted_points(facts) == {1: 3, 2: 0}
    assert yearly_total(facts, 2026) == 3


def test_a_later_higher_entry_of_the_same_batch_and_violation_replaces_the_earlier():
    facts = [fact(1, 2, date(2026, 3, 2), "JC-01", "B1-01"), fact(2, 3, date(2026, 3, 5), "JC-01", "B1-01")]
    assert counted_points(facts) == {1: 0, 2: 3}


def test_same_batch_different_violations_add_up():
    facts = [fact(1, 3, date(2026, 3, 2), "JC-01", "B1-01"), fact(2, 5, date(2026, 3, 2), "JC-01", "B2-01")]
    assert yearly_total(facts, 2026) == 8


def test_entries_without_batch_are_never_merged():
    facts = [fact(1, 3, date(2026, 3, 2), "", "B1-01"), fact(2, 2, date(2026, 4, 2), "", "B1-01")]
    assert yearly_total(facts, 2026) == 5


def test_inactive_entries_count_nothing():
    facts = [fact(1, 6, date(2026, 3, 2), active=False), fact(2, 4, date(2026, 4, 1))]
    assert counted_points(facts) == {1: 0, 2: 4}


def test_multi_site_doctor_adds_up_across_institutions_to_nine():
    facts = [
        fact(1, 5, date(2026, 4, 8), "A-1", "B2-03", "D-A"),
        fact(2, 4, date(2026, 6, 15), "B-7", "B2-02", "D-B"),
    ]
    assert yearly_total(facts, 2026) == 9


def test_december_points_do_not_carry_into_the_next_year():
    facts = [fact(1, 8, date(2025, 12, 20)), fact(2, 5, date(2026, 1, 10), code="B2-02")]
    assert yearly_total(facts, 2025) == 8
    assert yearly_total(facts, 2026) == 5


def test_yearly_total_is_capped_at_twelve():
    facts = [fact(1, 9, date(2026, 2, 2), code="B3-01"), fact(2, 6, date(2026, 5, 6), code="B2-01")]
    assert yearly_total(facts, 2026) == 12


def test_running_totals_follow_score_date_then_entry_id():
    facts = [
        fact(3, 4, date(2026, 5, 6), code="B2-01"),
        fact(1, 3, date(2026, 2, 2), "JC", "B1-01"),
        fact(2, 2, date(2026, 2, 2), "JC", "B1-01"),
        fact(4, 9, date(2026, 8, 1), code="B3-01"),
        fact(5, 1, date(2025, 8, 1), code="B1-02"),
    ]
    assert running_totals(facts, 2026) == {1: 3, 2: 3, 3: 7, 4: 12}


def test_one_decision_of_twelve_points_is_counted_as_twelve():
    facts = [
        fact(1, 12, date(2026, 5, 8), code="B4-01", decision="医保处〔2026〕3号"),
        fact(2, 4, date(2026, 2, 8), code="B2-01", decision="医保处〔2026〕1号"),
    ]
    assert decision_points(facts, "医保处〔2026〕3号") == 12
    assert decision_points(facts, "医保处〔2026〕1号") == 4
