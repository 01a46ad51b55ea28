"""The whole-block ID number check (the roster import's fast path) gives exactly what check_id_number gives each
cell, and hands every block with one doubtful cell back to the cell-by-cell check."""

from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum.cn import ric

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import check_id_number, id_numbers_all_valid, make_id_number

TODAY = date(2026, 11, 23)


def _valid_numbers(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    regions = ("445202", "445203", "440103", "110101", "310101", "999999")  # 999999 never existed: a warning
    return [
        make_id_number(
            rng.choice(regions),
            date(1900, 1, 1).fromordinal(rng.randint(date(1900, 1, 1).toordinal(), TODAY.toordinal())),
            rng.randint(0, 498),
            rng.choice("男女"),
        )
        for _ in range(count)
    ]


def test_a_block_of_valid_numbers_gives_what_the_cell_check_gives_each():
    values = _valid_numbers(3000, seed=16)
    fast = id_numbers_all_valid(values, today=TODAY)
    assert fast == [check_id_number(v, today=TODAY) for v in values]
    assert any(info.warnings for info in fast) and any(info.number.endswith("X") for info in fast)


def test_the_check_digit_is_the_one_stdnum_computes():
    for number in _valid_numbers(5000, seed=7):
        assert number[17] == ric.calc_check_digit(number)
        assert id_numbers_all_valid([number], today=TODAY) == [check_id_number(number, today=TODAY)]
        for wrong in "0123456789X".replace(number[17], ""):
            assert id_numbers_all_valid([number[:17] + wrong], today=TODAY) is None


def _with_check_digit(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


GOOD = make_id_number("445202", date(1985, 3, 1), 3, "男")


@pytest.mark.parametrize(
    "bad",
    [
        GOOD[:17] + ("0" if GOOD[17] != "0" else "1"),  # check digit
        make_id_number("445202", date(2026, 11, 24), 1, "男"),  # born after today
        _with_check_digit("445202" + "18991231" + "001"),  # before 1900
        _with_check_digit("445202" + "19850230" + "001"),  # 30 February
        GOOD.lower() if GOOD.endswith("X") else GOOD[:17].lower() + "x",  # lower-case x, or a wrong digit
        "４" + GOOD[1:],  # a full-width digit: normalised by the general path, not passed as it is
        " " + GOOD,
        GOOD[:15],
        GOOD + "\n" + GOOD,  # two numbers pasted into one cell
        445202198503010033,
        None,
        "",
    ],
)
def test_a_block_with_one_doubtful_number_is_left_to_the_cell_check(bad):
    assert id_numbers_all_valid([GOOD, bad, GOOD], today=TODAY) is None
    if isinstance(bad, str) and bad.strip() and bad.strip().upper() != GOOD:
        # what the fast path declined, the general path refuses (or, for full-width digits, normalises)
        try:
            info = check_id_number(bad, today=TODAY)
        except DomainError:
            return
        assert info.number != bad
