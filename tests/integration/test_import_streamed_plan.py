"""The personnel preview plans each block of rows as soon as it is read (services/rosters/personnel_plan.py:
PersonnelPlanner as the reader's RowSink): the plan and the problems are exactly those of planning the whole file
at once, whether the look-ups read the tables whole or block by block, and a second pass over a sliced sheet
(merged cells found while slicing) starts the plan again instead of planning its rows twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import add_institution, signed_in
from tests.integration.test_excel_slices import _book
from tests.integration.test_import_speedups import H1, many_rows, roster
from yibao_desktop.adapters.excel import read_roster, slices
from yibao_desktop.bootstrap import build_context
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.rosters import commit_import, preview_import
from yibao_desktop.services.rosters import personnel_plan as roster_plan
from yibao_desktop.services.rosters.common import read_choices, text_limits

H2 = "H44520200002"


@pytest.fixture
def ctx(tmp_path):
    context = signed_in(build_context(f"sqlite:///{tmp_path / 'streamed.sqlite3'}"))
    context.clock = lambda: date(2026, 11, 23)
    add_institution(context, H1, "揭阳市人民医院")
    add_institution(context, H2, "揭阳市中医院")
    yield context
    context.engine.dispose()


@pytest.fixture
def takes(monkeypatch):
    """Records, for every block the planner takes, how many rows it held and whether the tables were read whole."""
    seen: list[tuple[int, bool]] = []
    take = roster_plan.PersonnelPlanner.take

    def counted(self, rows, problems):
        seen.append((len(rows), self.all_persons))
        return take(self, rows, problems)

    monkeypatch.setattr(roster_plan.PersonnelPlanner, "take", counted)
    return seen


def whole_file_plan(ctx, data: bytes) -> tuple[list, list]:
    """The plan and the sorted problems of planning the read file in one go (the commit's re-plan does this)."""
    read = read_roster(
        "personnel",
        data,
        extra_choices=read_choices("personnel"),
        max_lengths=text_limits("personnel"),
        keep_rows_with_errors=False,
    )
    problems = list(read.problems)
    with ctx.uow() as uow:
        plan = roster_plan.plan_personnel(ctx, uow.session, read.rows, problems)
    problems.sort(key=lambda p: (p.row, p.severity != "error"))
    return plan, problems


def summary(plan: list) -> list[tuple]:
    return [(p.action, p.row["_row"], p.target.get("person_id"), p.target.get("registration_id")) for p in plan]


def mixed_rows(known: list[list]) -> list[list]:
    """2,600 rows over three blocks: known persons unchanged and changed, new ones, and in later blocks a known ID
    number under another name, a known person code on someone else and a repeat of a row of the first block."""
    rows = [list(r) for r in known[:1200]]  # unchanged
    for r in rows[1000:1100]:
        r.extend([None, None, None, None, "主任医师"])  # changed title
    for i in range(1400):
        idn = make_id_number("445221", date(1975, 1, 1) + timedelta(days=i), 7, "男")
        rows.append(["陈建华", f"D445221{800000 + i:06d}", idn, None, None, None, None, H2])
    rows[1500][2] = known[2000][2]  # Excel row 1502: the ID number of a known 林秀英 under the name 陈建华
    rows[2100][1] = known[5][1]  # Excel row 2102: the person code of the sixth known person
    rows[2500] = list(rows[20])  # Excel row 2502: the same person and institution as Excel row 22
    return rows


@pytest.mark.parametrize("tables_whole", [True, False])
def test_a_preview_planned_block_by_block_equals_planning_the_whole_file(ctx, takes, monkeypatch, tables_whole):
    known = many_rows(3000)
    commit_import(ctx, preview_import(ctx, "personnel", roster(known), "已登记.xlsx"))
    if tables_whole:  # 3,000 stored persons > 2,600 rows: only a lower bar lets the planner read the tables whole
        real = roster_plan.not_bigger_than
        monkeypatch.setattr(roster_plan, "not_bigger_than", lambda s, m, keys: real(s, m, keys * 2))
    takes.clear()
    data = roster(mixed_rows(known))
    preview = preview_import(ctx, "personnel", data, "名册.xlsx")
    streamed = list(takes)
    plan, problems = whole_file_plan(ctx, data)

    assert len(streamed) == 3 and {whole for _n, whole in streamed} == {tables_whole}
    assert summary(preview.plan) == summary(plan) and preview.problems == problems
    errors = [(p.row, p.column) for p in preview.problems if p.severity == "error"]
    # 2102: the code belongs to a stored person, and to Excel row 7 of the file
    assert errors == [(1502, "姓名"), (2102, "医保相关人员代码"), (2102, "医保相关人员代码"), (2502, "身份证件号码")]
    assert preview.counts == {"new": 1397, "changed": 100, "unchanged": 1100, "rejected": 3}
    assert commit_import(ctx, preview, accept_valid=True)["new"] == 1397


def test_a_second_pass_over_a_sliced_sheet_plans_its_rows_once(ctx, takes, monkeypatch):
    def build(sheet):
        sheet.merge_cells("K40:K42")  # 执业类别 of Excel rows 40–42 merged: the slicing pass finds it
        for row in sheet.iter_rows(min_row=2):
            row[7].value, row[14].value = H1, "否"  # at a known institution, no commitment to date

    data = _book(build, 300)
    monkeypatch.setattr(slices, "SLICE_ABOVE", 0)
    monkeypatch.setattr(slices, "SLICE_BYTES", 3000)

    preview = preview_import(ctx, "personnel", data, "名册.xlsx")

    rows = [p.row["_row"] for p in preview.plan]
    assert len(rows) == len(set(rows)) == 300 - 2 and {41, 42}.isdisjoint(rows)
    assert sum(n for n, _whole in takes) > 300  # both passes handed rows over; only the second one's were kept
    merged = [p for p in preview.problems if p.severity == "error"]
    assert [(p.row, p.column) for p in merged] == [(41, "执业类别"), (42, "执业类别")]
    assert "合并单元格" in merged[0].message


def test_the_planners_one_pass_for_usual_rows_says_what_the_row_by_row_checks_say(ctx):
    # every condition of the one-pass path broken once, amid usual rows: the plan and the problems of take() are
    # those of calling row() for each row (RowPlanner.plan)
    known = many_rows(30)
    commit_import(ctx, preview_import(ctx, "personnel", roster(known[:10]), "已登记.xlsx"))
    rows = [[*r, None, None, None, None, None, "正常", "是", date(2025, 3, 1)] for r in known[10:]]
    rows[0][6] = "别的医院"  # institution name differs: a warning, still planned
    rows[1][7] = "H44520299999"  # unknown institution
    rows[2][0] = "王丽娟"  # same ID number as row 4 below under another name
    rows[4][2], rows[4][6], rows[4][7] = rows[2][2], None, H2  # (at another institution: not a duplicate row)
    rows[5][2] = known[3][2]  # a stored person (a new registration of a known person)
    rows[6][1] = None  # no person code
    rows[7][1] = known[4][1]  # the code of a stored person
    rows[8][1] = rows[9][1]  # one code for two ID numbers
    rows[10][13] = "暂停"  # a status other than 正常: a warning
    rows[11][15] = None  # signed without a date
    rows[12][15] = date(2031, 1, 1)  # a date not yet come
    rows[13][14], rows[13][15] = "否", None  # not signed: nothing to date
    read = read_roster("personnel", roster(rows), extra_choices=read_choices("personnel"))
    assert not read.errors
    with ctx.uow() as uow:
        one_pass = roster_plan.PersonnelPlanner(ctx, uow.session)
        one_pass.start(len(read.rows))
        one_pass.take(read.rows, [])
        by_row = roster_plan.PersonnelPlanner(ctx, uow.session)
        by_row.start(len(read.rows))
        by_row._look_up(read.rows)
        problems: list = []
        plan = by_row.plan(read.rows, problems)
    assert summary(one_pass.planned) == summary(plan) and one_pass.problems == problems
    assert {p.row for p in problems} == {2, 3, 6, 8, 9, 11, 12, 13, 14} and len(plan) == 20 - 7
