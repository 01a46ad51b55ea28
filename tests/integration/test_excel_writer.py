"""write_table and write_roster: typed cells, formula-safe text, widths, and export → import round trips."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.fixtures.excel_factory import sheet_xml
from yibao_desktop.adapters.excel import read_roster, write_roster, write_table
from yibao_desktop.adapters.excel.writer import display_width
from yibao_desktop.domain.ids import make_credit_code, make_id_number

ZHANG = make_id_number("445202", date(1995, 3, 1), 0, "男")
LI = make_id_number("110101", date(1988, 12, 31), 3, "女")


def _sheet(data: bytes):
    """First worksheet of an .xlsx."""
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_write_table_types_dates_codes_and_money_and_freezes_the_header():
    data = write_table(
        "导出",
        ["身份证件号码", "日期", "金额", "是否"],
        [[ZHANG, date(2026, 3, 1), 123450, True], [LI, datetime(2026, 3, 2, 8, 0), 5, False]],
        ["id", "date", "money", "bool"],
    )
    sheet = _sheet(data)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet["A2"].value == ZHANG and sheet["A2"].number_format == "@"
    assert sheet["B2"].value == datetime(2026, 3, 1) and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["B3"].value == datetime(2026, 3, 2) and sheet["B3"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].value == 1234.5 and sheet["C2"].number_format == "#,##0.00" and sheet["C3"].value == 0.05
    assert sheet["D2"].value == "是" and sheet["D3"].value == "否"


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=cmd|' /C calc'!A0"]
)
def test_no_exported_text_cell_starts_like_a_formula_tab_and_carriage_return_too(text):
    data = write_table("x", ["备注"], [[text]], ["text"])
    assert "<f>" not in sheet_xml(data)
    value = _sheet(data)["A2"].value  # (a CR comes back escaped as _x000D_, or as a line feed)
    assert value[0] == " " and value[1:].replace("_x000D_", "\r").replace("\n", "\r") == text


@pytest.mark.parametrize("kind", ["code", "id", "choice"])
def test_tab_and_carriage_return_led_values_are_neutralised_in_code_columns_and_headers(kind):
    data = write_table("x", ["\t=1+1", "b"], [["\t=2+2", "\r=3+3"]], [kind, kind])
    sheet = _sheet(data)
    assert (sheet["A1"].value, sheet["A2"].value) == (" \t=1+1", " \t=2+2")
    assert sheet["B2"].value[0] == " " and sheet["B2"].value[1:] in ("\r=3+3", "\n=3+3", "_x000D_=3+3")


@pytest.mark.parametrize("kind", ["text", "choice", "code", "id", "date", "bool", "money", "int", "float"])
def test_formula_text_is_neutralised_in_every_column_kind_str_subclasses_too(kind):
    from enum import StrEnum

    class Label(StrEnum):
        SUM = "=1+1"

    data = write_table("x", ["a", "b"], [["=1+1", Label.SUM]], [kind, kind])
    assert "<f>" not in sheet_xml(data)
    sheet = _sheet(data)
    assert sheet["A2"].value == sheet["B2"].value == " =1+1"


def test_column_widths_count_chinese_characters_double():
    assert display_width("揭阳市人民医院") == 14 and display_width("H44520200001") == 12
    sheet = _sheet(write_table("x", ["机构名称", "代码"], [["揭阳市人民医院", "H1"]], ["text", "code"]))
    # (xlsxwriter stores the width with its pixel padding: 16 characters → 16.71)
    assert int(sheet.column_dimensions["A"].width) == 16 and int(sheet.column_dimensions["B"].width) == 6


def test_a_sheet_title_with_forbidden_characters_is_cleaned():
    book = load_workbook(io.BytesIO(write_table("追回清单[2026/03]", ["a"], [], ["text"])))
    assert book.sheetnames == ["追回清单_2026_03_"]


def _personnel() -> list[dict]:
    """Two complete personnel rows as read_roster returns them."""
    base = {
        "person_code": None,
        "phone": "13800138000",
        "institution_name": "揭阳市人民医院",
        "institution_code": "H44520200001",
        "region_code": "445202",
        "practice_type": "执业医师",
        "practice_category": "临床",
        "practice_scope": "内科专业",
        "title": "主治医师",
        "status": "正常",
    }
    return [
        {
            **base,
            "name": "张三",
            "person_code": "D445202000001",
            "id_number": ZHANG,
            "sex": "男",
            "birth_date": date(1995, 3, 1),
            "commitment_signed": True,
            "commitment_date": date(2026, 1, 5),
            "_row": 2,
        },
        {
            **base,
            "name": "阿依古丽·买买提",
            "id_number": LI,
            "sex": "女",
            "birth_date": date(1988, 12, 31),
            "commitment_signed": False,
            "commitment_date": None,
            "practice_scope": "-",
            "_row": 3,
        },
    ]


def test_a_personnel_export_reads_back_unchanged():
    rows = _personnel()
    result = read_roster("personnel", write_roster("personnel", rows))
    assert result.errors == []
    assert result.rows == rows


def test_institution_score_and_claim_exports_read_back_unchanged():
    institution = {
        "name": "揭阳市人民医院",
        "institution_code": "H44520200001",
        "credit_code": make_credit_code("12445200456789012"),
        "kind": "综合医院",
        "ownership": "公立",
        "payment_level": "三级",
        "beds": 1200,
        "address": "揭阳市榕城区",
        "longitude": 116.3728,
        "latitude": 23.5498,
        "area": "市区",
        "legal_representative": "王五",
        "legal_representative_id_number": ZHANG,
        "principal": "王五",
        "actual_controller": "揭阳市卫生健康局",
        "phone": "0663-8222222",
        "agreement_no": "XY-2026-001",
        "agreement_type": "年度协议",
        "agreement_start": date(2026, 1, 1),
        "agreement_end": date(2026, 12, 31),
        "agreement_status": "正常",
        "_row": 2,
    }
    score = {
        "id_number": ZHANG,
        "name": "张三",
        "institution_code": "H44520200001",
        "decision_kind": "行政处罚",
        "decision_no": "揭医保罚〔2026〕7号",
        "decision_date": date(2026, 3, 1),
        "inspection_batch": "2026-01",
        "violation_code": "B4-01",
        "violation": "欺诈骗保",
        "responsibility": "主要",
        "circumstance": "无",
        "points": 12,
        "amount": 1234567,
        "notes": None,
        "_row": 2,
    }
    claim = {
        "claim_id": "20260301000000000017",
        "institution_code": "H44520200001",
        "person_code": None,
        "id_number": ZHANG,
        "service_date": date(2026, 3, 1),
        "fund_amount": 9999,
        "emergency": True,
        "_row": 2,
    }
    for kind, rec in (("institutions", institution), ("scores", score), ("claims", claim)):
        result = read_roster(kind, write_roster(kind, [rec]))
        assert result.errors == [] and result.rows == [rec], kind


def test_a_short_row_is_padded_and_an_error_looking_text_is_kept_as_text():
    sheet = _sheet(write_table("x", ["a", "b", "c"], [["#N/A"]], ["text", "money", "date"]))
    assert sheet["A2"].value == " #N/A" and sheet["A2"].data_type == "s" and sheet["B2"].value is None
