"""write_template: exact headers, frozen header, text-formatted ID columns, drop-downs on a hidden sheet, 填写说明."""

from __future__ import annotations

import functools
import io

import pytest
from openpyxl import load_workbook

from yibao_desktop.adapters.excel import ROSTER_KINDS, columns, read_roster, roster_title, write_template


@functools.cache
def _template(kind: str) -> bytes:
    """The plain template of `kind` (built once per test run; tests only read it)."""
    return write_template(kind)


@functools.cache
def _book(kind: str):
    """The plain template of `kind`, loaded with openpyxl once (tests only read it)."""
    return load_workbook(io.BytesIO(_template(kind)))


@pytest.mark.parametrize("kind", ROSTER_KINDS)
def test_the_template_header_row_is_exactly_the_spec_headers(kind):
    sheet = _book(kind).worksheets[0]
    assert sheet.title == roster_title(kind)
    assert [c.value for c in sheet[1]] == [c.header for c in columns(kind)]
    assert sheet.freeze_panes == "A2"


def test_the_personnel_template_has_a_hidden_list_sheet_and_an_instruction_sheet():
    book = _book("personnel")
    assert book.sheetnames == ["人员登记备案名册", "选项", "填写说明"]
    assert book["选项"].sheet_state == "hidden" and book["填写说明"].sheet_state == "visible"
    help_text = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "身份证件号码" in help_text and "文本" in help_text


def test_the_id_and_code_columns_are_text_formatted_for_two_thousand_rows():
    sheet = _book("personnel").worksheets[0]
    assert sheet["C2"].number_format == "@" and sheet["C2001"].number_format == "@"  # 身份证件号码
    assert sheet["H500"].number_format == "@"  # 医药机构代码
    assert sheet.column_dimensions["C"].number_format == "@"
    assert sheet["E2"].number_format == "yyyy-mm-dd"  # 出生日期
    assert sheet.column_dimensions["C"].width >= 22


def test_choice_columns_get_list_validations_that_point_into_the_hidden_sheet():
    book = _book("personnel")
    sheet, lists = book.worksheets[0], book["选项"]
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert set(validations) == {"D2:D2001", "N2:N2001", "O2:O2001"}  # 性别, 登记备案状态, 是否签订承诺书
    status = validations["N2:N2001"]
    assert status.type == "list" and status.formula1 == "'选项'!$B$2:$B$4"
    assert [lists.cell(row=r, column=2).value for r in range(1, 5)] == [
        "登记备案状态",
        "正常",
        "暂停",
        "终止",
    ]


def test_extra_choices_such_as_violation_codes_get_their_own_drop_down():
    data = write_template("scores", extra_choices={"violation_code": ["B1-01", "B2-03"], "情节": ["从轻"]})
    book = load_workbook(io.BytesIO(data))
    sheet, lists = book.worksheets[0], book["选项"]
    refs = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert "H2:H2001" in refs  # 违规行为代码
    column = refs["H2:H2001"].split("$")[1]
    values = [c.value for c in lists[column] if c.value]
    assert values == ["违规行为代码", "B1-01", "B2-03"]
    circumstance = [c.value for c in lists[refs["K2:K2001"].split("$")[1]] if c.value]
    assert circumstance == ["情节", "无", "从轻", "减轻一档", "从重", "加重一档"]


def test_a_blank_template_reads_back_as_an_empty_roster_without_problems():
    result = read_roster("institutions", _template("institutions"))
    assert result.total_rows == 0 and result.problems == []
