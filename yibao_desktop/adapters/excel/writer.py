"""Export writers: any table (write_table) and rosters in the import layout (write_roster), as .xlsx bytes."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from .columns import Column, columns, roster_title
from .reader import paused_gc

WIDTH_SAMPLE_ROWS = 1000
MAX_WIDTH = 60
# A text cell starting with one of these is a formula (or becomes one when re-typed or saved as CSV: spreadsheet
# programs also take a leading TAB or carriage return as the start of a formula there).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The neutraliser: a leading space. Excel shows it, never evaluates the text, and the importer trims it,
# so export → import round-trips; a leading apostrophe would become part of the value.
SAFE_PREFIX = " "

_RISKY_STARTS = (*FORMULA_STARTS, "#")
_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_FORBIDDEN_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def safe_text(value: str) -> str:
    """Text that can never be taken for a formula (nor for an error value such as '#N/A')."""
    if value.startswith(_RISKY_STARTS) and (value[0] != "#" or value in _ERROR_CODES):
        return SAFE_PREFIX + value
    return value


def display_width(text: str) -> int:
    """Column width estimate: CJK and full-width characters count 2, others 1."""
    if text.isascii():
        return len(text)
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def sheet_title(title: str) -> str:
    """A legal worksheet title (≤ 31 characters, no []:*?/\\)."""
    return (title.translate(_FORBIDDEN_TITLE).strip("'") or "Sheet1")[:31]


def _as_text(v: object) -> str:
    """Code, ID, choice and text values: always text, never a formula."""
    return safe_text(v if v.__class__ is str else str(v))


def _as_bool(v: object) -> str:
    """True/False → 是/否."""
    if isinstance(v, bool):
        return "是" if v else "否"
    return safe_text(str(v))


def _widths(headers: Sequence[str], sample: list[Sequence], kinds: Sequence[str]) -> list[int]:
    """Fitted widths from the header and the first rows (dates fixed at 12)."""
    widths = []
    for i, header in enumerate(headers):
        best = display_width(str(header)) + 2
        if kinds[i] == "date":
            best = max(best, 12)
        else:
            for row in sample:
                if i < len(row) and row[i] is not None:
                    best = max(best, display_width(str(row[i])) + 2)
        widths.append(min(best, MAX_WIDTH))
    return widths


def write_table(
    title: str,
    headers: list[str],
    rows: Iterable[Sequence],
    kinds: list[str],
    *,
    widths: list[int] | None = None,
) -> bytes:
    """Stream rows into a one-sheet .xlsx: dates as dates, codes/IDs as text, fen → yuan with 2 decimals.

    Written with xlsxwriter in constant-memory mode (each row goes to disk as it is written), about half again as
    fast as openpyxl's write-only mode; templates and error reports, which need comments, validations and a
    hidden sheet, stay with openpyxl.
    """
    import xlsxwriter

    if len(kinds) != len(headers):
        raise ValueError("kinds and headers must have the same length")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet(sheet_title(title))
    formats = {
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
    }
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    widths = widths or _widths(headers, sample, kinds)
    for i, kind in enumerate(kinds):
        # code and ID columns are text-formatted, so a clerk re-typing a code keeps it as text
        sheet.set_column(i, i, widths[i], formats["text"] if kind in ("code", "id") else None)
    sheet.freeze_panes(1, 0)
    bold = book.add_format({"bold": True})
    for i, header in enumerate(headers):
        sheet.write_string(0, i, safe_text(str(header)), bold)
    with paused_gc():  # millions of short-lived acyclic cell tuples: collections would only rescan them
        _write_rows(sheet, itertools.chain(sample, rows), kinds, formats)
        book.close()
    return buffer.getvalue()


# How each column kind is written: 0 text, 1 text formatted as text (ID numbers), 2 date, 3 是/否,
# 4 money (fen → yuan), 5 number, 6 code.
_HOW = {"text": 0, "choice": 0, "id": 1, "code": 6, "date": 2, "bool": 3, "money": 4}
# Excel's serial day number of a date (1900 date system): ordinal minus that of 1899-12-30.
_SERIAL_BASE = date(1899, 12, 30).toordinal()


def _write_rows(sheet, rows: Iterable[Sequence], kinds: list[str], formats: dict) -> None:
    """Write every row below the header, one typed call per cell.

    The worksheet's undecorated write methods are called directly: the public ones first check for 'A1'
    notation and then dispatch on the value's type, which the column kind has already decided — that cost a
    fifth of the export.
    """
    text, date_format, money = formats["text"], formats["date"], formats["money"]
    put_str, put_num, put_date = sheet._write_string, sheet._write_number, sheet._write_datetime
    put_bool = sheet._write_boolean
    how = [_HOW.get(k, 5) for k in kinds]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row):
            if v is None:
                continue
            h = how[c]
            cls = v.__class__
            if h == 0:
                if cls is not str:
                    v = str(v)
                if v:
                    put_str(r, c, safe_text(v) if v.startswith(_RISKY_STARTS) else v)
            elif h == 1:
                put_str(r, c, _as_text(v), text)
            elif h == 2:
                if cls is date and v.year >= 1900:  # the serial number at once: xlsxwriter's own conversion is slow
                    put_num(r, c, v.toordinal() - _SERIAL_BASE, date_format)
                elif cls is date or cls is datetime:
                    put_date(r, c, v.date() if cls is datetime else v, date_format)
                else:
                    put_str(r, c, safe_text(str(v)))
            elif h == 6:
                # Text format per cell only where Excel would damage a re-typed code: digit-only codes longer
                # than 15 digits or with a leading zero (shorter digit codes come back as text on import anyway).
                v = _as_text(v)
                if v.isdigit() and (len(v) > 15 or v[0] == "0"):
                    put_str(r, c, v, text)
                else:
                    put_str(r, c, v)
            elif h == 3:
                put_str(r, c, _as_bool(v))
            elif h == 4:
                if (cls is int or cls is float) and v == v:
                    put_num(r, c, v / 100, money)
                else:
                    put_str(r, c, safe_text(str(v)))
            elif cls is int or cls is float:
                if v == v and v not in (_INF, -_INF):
                    put_num(r, c, v)
            elif cls is bool:
                put_bool(r, c, v)
            elif isinstance(v, str):  # str subclasses (StrEnum) too: text in a number column is written as text
                put_str(r, c, safe_text(str(v)))
            elif isinstance(v, date):
                put_date(r, c, v, date_format)
            else:
                put_str(r, c, safe_text(str(v)))


_INF = float("inf")


def _roster_value_rows(cols: Sequence[Column], rows: Iterable[dict]):
    """Rows of dicts → value lists in column order."""
    keys = [c.key for c in cols]
    for rec in rows:
        yield [rec.get(k) for k in keys]


def write_roster(kind: str, rows: Iterable, extra_columns: Sequence[Column] = (), *, ordered: bool = False) -> bytes:
    """Export rows in the roster's import layout so that export → import round-trips unchanged.

    Rows are dicts keyed by column key, or with `ordered` value sequences already in column order (roster
    columns, then `extra_columns`).
    """
    cols = (*columns(kind), *extra_columns)
    return write_table(
        roster_title(kind),
        [c.header for c in cols],
        rows if ordered else _roster_value_rows(cols, rows),
        [c.kind for c in cols],
        widths=[c.width for c in cols],
    )
