"""write_table composes the sheet's row XML itself (adapters/excel/writer.py: _write_rows): the sheet it writes is
byte for byte the one xlsxwriter's own cell calls write for the same cells, tricky values included."""

from __future__ import annotations

import enum
import math
from datetime import date, datetime

from tests.fixtures.excel_factory import sheet_xml
from yibao_desktop.adapters.excel import writer
from yibao_desktop.adapters.excel.writer import _as_bool, _as_text, safe_text, write_table


class _Kind(enum.StrEnum):
    A = "=A1"


KINDS = ["code", "text", "id", "date", "bool", "money", "int", "choice"]
HEADERS = ["代码", "备注", "身份证件号码", "日期", "是否", "金额", "数", "状态"]
ROWS = [
    ["H44520200001", "普通文字", "445202199503010018", date(2026, 3, 1), True, 123450, 7, "正常"],
    ["0012345678901234567", "A&B <c> d", 445202, datetime(2026, 3, 2, 8, 30), False, 5.5, 1.5, _Kind.A],
    ["\t=1+1", " 前后空格 ", "x\x01y", date(1899, 12, 31), "否", "12元", math.nan, "\r=cmd"],
    [None, "_x0041_ 字面", None, "2026年3月1日", None, None, math.inf, None],
    [None, None, None, None, None, None, None, None],
    ["", "", "", None, None, None, True, ""],
    ["P44520200002", "长" * 20_000 + "😀", "#N/A", date(2026, 12, 31), "是", 0, 10**17, "#REF!"],
    ["=SUM(A1)", "@x", "-1", datetime(1899, 12, 30, 12, 0), 1, math.nan, date(2026, 1, 2), 3],
    ["H1", "行\n换行", "\ufffe", date(1900, 3, 1), "Y", -1, "文字", "x"],
]


def _reference_rows(sheet, rows, kinds, formats) -> None:
    """What the export wrote before, one xlsxwriter call per cell (the public methods)."""
    text, date_format, money = formats["text"], formats["date"], formats["money"]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row):
            if v is None:
                continue
            kind = kinds[c]
            if kind in ("text", "choice"):
                if str(v):
                    sheet.write_string(r, c, safe_text(str(v)))
            elif kind == "id":
                sheet.write_string(r, c, _as_text(v), text)
            elif kind == "code":
                sheet.write_string(r, c, _as_text(v))
            elif kind == "date":
                if v.__class__ in (date, datetime):
                    sheet.write_datetime(r, c, v.date() if v.__class__ is datetime else v, date_format)
                else:
                    sheet.write_string(r, c, safe_text(str(v)))
            elif kind == "bool":
                sheet.write_string(r, c, _as_bool(v))
            elif kind == "money":
                if v.__class__ in (int, float) and v == v:
                    sheet.write_number(r, c, v / 100, money)
                else:
                    sheet.write_string(r, c, safe_text(str(v)))
            elif v.__class__ in (int, float):
                if v == v and v not in (math.inf, -math.inf):
                    sheet.write_number(r, c, v)
            elif v.__class__ is bool:
                sheet.write_boolean(r, c, v)
            elif isinstance(v, str):
                sheet.write_string(r, c, safe_text(str(v)))
            elif isinstance(v, date):
                sheet.write_datetime(r, c, v, date_format)
            else:
                sheet.write_string(r, c, safe_text(str(v)))


def test_the_composed_rows_are_the_xml_xlsxwriter_writes_for_the_same_cells(monkeypatch):
    ours = write_table("导出", HEADERS, ROWS, KINDS)
    monkeypatch.setattr(writer, "_write_rows", _reference_rows)
    reference = write_table("导出", HEADERS, ROWS, KINDS)
    assert sheet_xml(ours) == sheet_xml(reference)
    assert '<c r="B3" t="inlineStr"><is><t>A&amp;B &lt;c&gt; d</t></is></c>' in sheet_xml(ours)
    assert sheet_xml(ours, "xl/styles.xml") == sheet_xml(reference, "xl/styles.xml")


def test_a_roster_sized_export_is_the_xml_of_xlsxwriter_too(monkeypatch):
    rows = [
        [f"H4452020{i:04d}", f"名{i}", f"44520219900101{i:04d}", date(2025, 1 + i % 12, 1), i % 2 == 0, i, i, "正常"]
        for i in range(3000)
    ]
    ours = write_table("导出", HEADERS, rows, KINDS)
    monkeypatch.setattr(writer, "_write_rows", _reference_rows)
    assert sheet_xml(ours) == sheet_xml(write_table("导出", HEADERS, rows, KINDS))
