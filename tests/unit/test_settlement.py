"""Tests for the settlement check: claims during suspension/termination, unregistered persons, totals."""

from datetime import date

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.settlement import (
    ClaimLine,
    RecoverySummary,
    StatusSpan,
    classify_claim,
    person_key,
    summarize,
    unmaintained_institutions,
)

ID_A = "445202198001011234"
SUSPENDED = StatusSpan("suspended", date(2026, 3, 15), date(2026, 6, 14))
TERMINATED = StatusSpan("terminated", date(2026, 8, 1))


def claim(day, fen=10000, emergency=False, claim_id="C1", inst="H44520200001", id_number=ID_A, code="D445202000001"):
    return ClaimLine(claim_id, inst, code, id_number, day, fen, emergency)


def test_claim_on_first_day_of_suspension_is_recoverable():
    finding = classify_claim(claim(date(2026, 3, 15)), True, True, [SUSPENDED])
    assert finding.reason_code == "suspended"
    assert finding.recoverable
    assert "2026-03-15至2026-06-14" in finding.reason


def test_claim_on_last_day_of_suspension_is_caught_and_the_day_after_is_not():
    assert classify_claim(claim(date(2026, 6, 14)), True, True, [SUSPENDED]) is not None
    assert classify_claim(claim(date(2026, 6, 15)), True, True, [SUSPENDED]) is None


def test_claim_before_the_suspension_is_in_order():
    assert classify_claim(claim(date(2026, 3, 14)), True, True, [SUSPENDED]) is None


def test_emergency_claim_during_suspension_is_flagged_but_not_recoverable():
    finding = classify_claim(claim(date(2026, 4, 1), emergency=True), True, True, [SUSPENDED])
    assert finding.reason_code == "suspended"
    assert not finding.recoverable
    assert "急诊、抢救" in finding.reason


def test_open_ended_termination_catches_any_later_claim():
    finding = classify_claim(claim(date(2027, 1, 5)), True, True, [SUSPENDED, TERMINATED])
    assert finding.reason_code == "terminated"
    assert finding.recoverable


def test_termination_wins_over_an_overlapping_suspension():
    overlap = StatusSpan("suspended", date(2026, 7, 1), date(2026, 9, 30))
    assert classify_claim(claim(date(2026, 8, 10)), True, True, [overlap, TERMINATED]).reason_code == "terminated"


def test_unregistered_person_is_flagged_for_checking_not_recovered_by_default():
    finding = classify_claim(claim(date(2026, 2, 1)), False, False, [])
    assert finding.reason_code == "unregistered"
    assert not finding.recoverable
    assert "冒名" in finding.reason


def test_unregistered_person_can_be_recovered_when_the_office_decides_so():
    assert classify_claim(claim(date(2026, 2, 1)), False, True, [], recover_unregistered=True).recoverable


def test_person_without_commitment_is_flagged():
    finding = classify_claim(claim(date(2026, 2, 1)), True, False, [])
    assert finding.reason_code == "no_commitment"
    assert "服务承诺" in finding.reason


def test_registered_committed_person_outside_any_period_is_in_order():
    assert classify_claim(claim(date(2026, 2, 1)), True, True, [SUSPENDED, TERMINATED]) is None


def test_period_ending_before_it_starts_is_refused():
    with pytest.raises(DomainError):
        StatusSpan("suspended", date(2026, 3, 15), date(2026, 3, 1))


def test_unknown_period_status_is_refused():
    with pytest.raises(DomainError):
        StatusSpan("paused", date(2026, 3, 15))  # type: ignore[arg-type]


def test_person_key_prefers_id_number_and_falls_back_to_person_code():
    assert person_key(claim(date(2026, 1, 1), id_number="44520219800101123x")) == "44520219800101123X"
    assert person_key(claim(date(2026, 1, 1), id_number="")) == "D445202000001"


def test_summary_totals_recoverable_fen_per_institution_and_person_sorted():
    findings = [
        classify_claim(claim(date(2026, 4, 1), 10000, claim_id="1"), True, True, [SUSPENDED]),
        classify_claim(claim(date(2026, 4, 2), 2550, claim_id="2"), True, True, [SUSPENDED]),
        classify_claim(claim(date(2026, 4, 3), 9999, emergency=True, claim_id="3"), True, True, [SUSPENDED]),
        classify_claim(claim(date(2026, 4, 3), 500, inst="H44520200000", claim_id="4"), True, True, [SUSPENDED]),
    ]
    assert summarize(findings) == [
        RecoverySummary("H44520200000", ID_A, 1, 500),
        RecoverySummary("H44520200001", ID_A, 3, 12550),
    ]


def test_summary_rows_unpack_as_four_tuples():
    findings = [classify_claim(claim(date(2026, 4, 1), 123), True, True, [SUSPENDED])]
    inst, person, count, fen = summarize(findings)[0]
    assert (inst, person, count, fen) == ("H44520200001", ID_A, 1, 123)


def test_institutions_billing_suspended_persons_are_flagged_but_emergency_only_ones_are_not():
    findings = [
        classify_claim(claim(date(2026, 4, 1), inst="H44520200002"), True, True, [SUSPENDED]),
        classify_claim(claim(date(2026, 4, 1), inst="H44520200003", emergency=True), True, True, [SUSPENDED]),
        classify_claim(claim(date(2026, 1, 1), inst="H44520200004"), False, True, [SUSPENDED]),
    ]
    assert unmaintained_institutions(findings) == ["H44520200002"]


def test_registration_stretches_follow_the_commitment_date_and_cancellations():
    from yibao_desktop.domain.settlement import Segment, clean_spans, registration_segments

    one = registration_segments([(date(2026, 1, 1), None, date(2026, 3, 1))])
    assert one == [Segment(date(2026, 1, 1), date(2026, 2, 28), False), Segment(date(2026, 3, 1), None, True)]
    assert registration_segments([(date(2026, 1, 1), date(2026, 2, 1), None)]) == [
        Segment(date(2026, 1, 1), date(2026, 2, 1), False)
    ]
    two = registration_segments(
        [(date(2026, 1, 1), date(2026, 2, 1), date(2026, 1, 1)), (date(2026, 2, 2), None, None)]
    )
    assert two == [Segment(date(2026, 1, 1), date(2026, 2, 1), True), Segment(date(2026, 2, 2), None, False)]
    # a suspension 2026-05-01 … 2026-06-30 cuts the committed stretch in two
    assert clean_spans(one, [(date(2026, 5, 1), date(2026, 6, 30))]) == [
        (date(2026, 3, 1), date(2026, 4, 30)),
        (date(2026, 7, 1), None),
    ]
    assert clean_spans(one, [(date(2026, 5, 1), None)]) == [(date(2026, 3, 1), date(2026, 4, 30))]
