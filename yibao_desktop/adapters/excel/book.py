"""A workbook of several tables (xlsxwriter, streaming): numbers as numbers, money in yuan, codes as text.

Used for the recovery list, the claims error report and the statistics report, where one sheet per table is wanted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .writer import MAX_WIDTH, display_width, safe_text, sheet_title

KINDS = ("text", "code", "date", "money", "int", "num", "bool", "pct")


@dataclass
class Table:
    """One sheet: title, headers, rows and one kind per column (see KINDS); an optional note above the header."""

    title: str
    headers: list[str]
    rows: Iterable[Sequence]
    kinds: list[str]
    note: str = ""


def write_book(tables: Sequence[Table]) -> bytes:
    """The tables as one .xlsx, one sheet each, in order."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    fmt = {
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1, "bg_color": "#EEEEEE"}
        ),
        "code": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "int": book.add_format({"num_format": "0"}),
        "num": book.add_format({"num_format": "#,##0.##"}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "note": book.add_format({"italic": True}),
    }
    used: set[str] = set()
    for table in tables:
        _write_sheet(book, fmt, table, used)
    book.close()
    return buffer.getvalue()


def _unique_title(title: str, used: set[str]) -> str:
    base = sheet_title(title)
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _write_sheet(book, fmt: dict, table: Table, used: set[str]) -> None:
    if any(k not in KINDS for k in table.kinds) or len(table.kinds) != len(table.headers):
        raise ValueError("one known kind per header")
    sheet = book.add_worksheet(_unique_title(table.title, used))
    top = 0
    if table.note:
        sheet.write_string(0, 0, safe_text(table.note), fmt["note"])
        top = 1
    widths = [display_width(h) + 2 for h in table.headers]
    for c, header in enumerate(table.headers):
        sheet.write_string(top, c, header, fmt["header"])
    sheet.freeze_panes(top + 1, 0)
    r = top
    for r, row in enumerate(table.rows, start=top + 1):
        for c, (value, kind) in enumerate(zip(row, table.kinds, strict=True)):
            width = _write_cell(sheet, fmt, r, c, value, kind)
            if r < top + 500:
                widths[c] = max(widths[c], width)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, MAX_WIDTH), fmt["code"] if table.kinds[c] == "code" else None)
    if r > top:
        sheet.autofilter(top, 0, r, len(table.headers) - 1)


def _write_cell(sheet, fmt: dict, r: int, c: int, value, kind: str) -> int:
    """Write one value by its column's kind; returns the width it needs."""
    if value is None or value == "":
        return 0
    if kind == "money" and isinstance(value, int):
        sheet.write_number(r, c, value / 100, fmt["money"])
        return 14
    if kind in ("int", "num", "pct") and isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(r, c, value, fmt[kind])
        return 10
    if kind == "date" and isinstance(value, (date, datetime)):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt["date"])
        return 12
    if kind == "bool" and isinstance(value, bool):
        value = "是" if value else "否"
    text = safe_text(str(value))
    sheet.write_string(r, c, text, fmt["code"] if kind == "code" else None)
    return display_width(text) + 2
