"""Error report: the original rows with bad cells marked red and commented, plus a 问题清单 sheet."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from itertools import islice

from yibao_desktop.domain.masking import mask_in_text

from .cells import parse_text
from .columns import columns, roster_title
from .errors import FileRefused
from .model import Problem
from .reader import normalise_header, open_first_sheet, sheet_rows
from .writer import display_width, safe_text

REPORT_COLUMN = "错误说明"
PROBLEMS_SHEET = "问题清单"
COMMENT_AUTHOR = "医保系统导入检查"
_FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
_SEVERITY_NAMES = {"error": "错误", "warning": "提醒"}
# Cell comments are kept in memory until the report is saved: beyond this many the 错误说明 column alone explains.
MAX_COMMENTS = 20_000


def write_error_report(kind: str, data: bytes, problems: Sequence[Problem], mask: bool = False) -> bytes:
    """Return an .xlsx: original rows (codes as text), bad cells filled and commented, 错误说明 column, 问题清单.
    `mask` hides the middle of every ID number and mobile number, in the cells and in the messages (for a report
    that leaves the office)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    try:
        raw_rows = sheet_rows(open_first_sheet(data, kind))
        header = next(raw_rows, None)
    except FileRefused as exc:
        raw_rows, header = iter(()), None
        problems = [Problem(0, "", exc.message), *problems]
    if mask:
        raw_rows = ([_masked(v) for v in row] for row in raw_rows)
        problems = [p._replace(message=mask_in_text(p.message)) for p in problems]
    if header is not None:
        # Rows stream from the file to the report; the marked copy ends at the last row with a problem, so a
        # check stopped early at the error limit does not copy a million unchecked rows.
        last = max((p.row for p in problems), default=1)
        _write_marked_rows(book, kind, header, islice(raw_rows, max(last - 1, 0)), problems)
    _write_problem_list(book, problems)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_marked_rows(book, kind: str, header: list, raw_rows: Iterable[list], problems: Sequence[Problem]) -> None:
    """The roster sheet with marks; row numbers stay those of the original file."""
    from openpyxl.utils import get_column_letter

    header = _trim(header)
    names = [normalise_header(v) for v in header]
    text_columns = _text_column_indexes(kind, names)
    by_row = _group(problems)
    sheet = book.create_sheet(roster_title(kind))
    for i, name in enumerate(names):
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(display_width(name) + 4, 12), 40)
    sheet.column_dimensions[get_column_letter(len(header) + 1)].width = 60
    sheet.freeze_panes = "A2"
    sheet.append([safe_text(parse_text(v)) for v in header] + [REPORT_COLUMN])
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    comments = MAX_COMMENTS
    for excel_row, raw in enumerate(raw_rows, 2):
        values = [_original(v, i in text_columns) for i, v in enumerate(raw[: len(header)])]
        values += [None] * (len(header) - len(values))
        row_problems = by_row.get(excel_row, [])
        if row_problems:
            comments -= _mark(sheet, values, row_problems, index, comments > 0)
            values.append(_summary(row_problems))
        sheet.append(values)


def _masked(value: object) -> object:
    """A cell with its ID and mobile numbers masked (a number typed as a number too)."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) in (11, 18):
        return mask_in_text(str(value))
    return mask_in_text(value) if isinstance(value, str) else value


def _trim(row: list) -> list:
    """A header row without its trailing blank cells."""
    end = len(row)
    while end and (row[end - 1] is None or str(row[end - 1]).strip() == ""):
        end -= 1
    return row[:end]


def _text_column_indexes(kind: str, names: list[str]) -> set[int]:
    """Indexes of code and ID columns, which are written back as text."""
    text_headers = {c.header for c in columns(kind) if c.kind in ("code", "id")}
    return {i for i, name in enumerate(names) if name in text_headers}


def _original(value: object, as_text: bool) -> object:
    """A value as read: codes as text, blank as None, text made formula-safe."""
    if value is None or value == "":
        return None
    if as_text or isinstance(value, str):
        return safe_text(parse_text(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date()  # shown as 2026-03-01, as the clerk typed it, not with 00:00:00
    return value


def _group(problems: Sequence[Problem]) -> dict[int, list[Problem]]:
    """Problems by Excel row."""
    grouped: dict[int, list[Problem]] = defaultdict(list)
    for p in problems:
        grouped[p.row].append(p)
    return grouped


def _mark(sheet, values: list, row_problems: list[Problem], index: dict[str, int], comment: bool) -> int:
    """Replace each bad cell by a filled cell, commented when `comment`; returns the comments made."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_column: dict[int, list[Problem]] = defaultdict(list)
    for p in row_problems:
        if p.column in index:
            by_column[index[p.column]].append(p)
    for i, found in by_column.items():
        severity = "error" if any(p.severity == "error" for p in found) else "warning"
        cell = WriteOnlyCell(sheet, value=values[i])
        cell.fill = PatternFill("solid", fgColor=_FILLS[severity])
        if comment:
            note = Comment("\n".join(p.message for p in found), COMMENT_AUTHOR)
            note.width, note.height = 300, 40 + 30 * len(found)
            cell.comment = note
        values[i] = cell
    return len(by_column) if comment else 0


def _summary(row_problems: list[Problem]) -> str:
    """One line per row: 列名：说明；… (errors first)."""
    ordered = sorted(row_problems, key=lambda p: p.severity != "error")
    parts = [(f"{p.column}：" if p.column else "") + p.message for p in ordered]
    return safe_text("；".join(parts))


def _write_problem_list(book, problems: Sequence[Problem]) -> None:
    """The 问题清单 sheet: 行号, 列名, 类别, 问题说明, sorted by row."""
    sheet = book.create_sheet(PROBLEMS_SHEET)
    for letter, width in zip("ABCD", (10, 22, 8, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.append(["行号", "列名", "类别", "问题说明"])
    for p in sorted(problems, key=lambda p: (p.row, p.severity != "error")):
        sheet.append(
            [
                p.row if p.row else "整个文件",
                p.column or None,
                _SEVERITY_NAMES.get(p.severity, p.severity),
                safe_text(p.message),
            ]
        )
