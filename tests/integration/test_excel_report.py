"""write_error_report: bad cells filled and commented, 错误说明 column, 问题清单 sheet."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from tests.fixtures.excel_factory import excel_like, roster_file, roster_sheet, xls_like
from yibao_desktop.adapters.excel import Problem, read_roster, write_error_report
from yibao_desktop.domain.ids import make_id_number

ZHANG = make_id_number("445202", date(1995, 3, 1), 0, "男")


def _person(**overrides) -> dict:
    """A valid personnel record, changed by `overrides`."""
    return {"name": "张三", "id_number": ZHANG, "institution_code": "H44520200001", "sex": "男", **overrides}


def _report(data: bytes, problems):
    """The error report loaded with openpyxl."""
    return load_workbook(io.BytesIO(write_error_report("personnel", data, problems)))


def test_the_bad_cell_is_filled_red_and_carries_the_message_as_a_comment():
    data = roster_file("personnel", [_person(), _person(sex="女", institution_code="H44520200002")])
    result = read_roster("personnel", data)
    book = _report(data, result.problems)
    sheet = book["人员登记备案名册"]
    bad = sheet["D3"]  # 性别 of Excel row 3
    assert bad.value == "女" and bad.fill.fgColor.rgb.endswith("FFC7CE")
    assert "不一致" in bad.comment.text
    assert sheet["D2"].comment is None and sheet["D2"].fill.fgColor.rgb in ("00000000", None)


def test_the_report_keeps_row_numbers_and_adds_an_explanation_column():
    data = roster_file("personnel", [_person(), _person(name=None, institution_code="H44520200002")])
    result = read_roster("personnel", data)
    sheet = _report(data, result.problems)["人员登记备案名册"]
    assert sheet.cell(row=1, column=17).value == "错误说明"
    assert sheet.cell(row=3, column=17).value == "姓名：“姓名”不能为空"
    assert sheet.cell(row=2, column=17).value is None
    assert sheet["C2"].value == ZHANG and sheet["C2"].data_type == "s"


def test_a_numeric_id_cell_is_written_back_as_text_and_marked():
    data = excel_like(roster_sheet("personnel", [_person(id_number=int(ZHANG[:17] + "0"))]))
    result = read_roster("personnel", data)
    sheet = _report(data, result.problems)["人员登记备案名册"]
    assert isinstance(sheet["C2"].value, str) and sheet["C2"].value.startswith("4452021995")
    assert sheet["C2"].comment is not None


def test_the_problem_list_sheet_has_one_row_per_problem_sorted_by_row():
    data = roster_file("personnel", [_person(), _person(sex="女", institution_code="H44520200002")])
    problems = [
        Problem(3, "性别", "性别不对"),
        Problem(0, "", "整个文件的问题"),
        Problem(2, "姓名", "提醒一下", "warning"),
    ]
    sheet = _report(data, problems)["问题清单"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows == [
        ("行号", "列名", "类别", "问题说明"),
        ("整个文件", None, "错误", "整个文件的问题"),
        (2, "姓名", "提醒", "提醒一下"),
        (3, "性别", "错误", "性别不对"),
    ]


def test_a_warning_cell_is_filled_yellow():
    data = roster_file("personnel", [_person()])
    sheet = _report(data, [Problem(2, "姓名", "请核对", "warning")])["人员登记备案名册"]
    assert sheet["A2"].fill.fgColor.rgb.endswith("FFEB9C")


def test_an_unreadable_file_still_gets_a_report_with_the_reason():
    book = _report(xls_like(), [])
    assert book.sheetnames == ["问题清单"]
    assert ".xls" in book["问题清单"]["D2"].value
