"""Export writers: any table (write_table) and rosters in the import layout (write_roster), as .xlsx bytes."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime

from .columns import Column, columns, roster_title
from .reader import paused_gc

WIDTH_SAMPLE_ROWS = 1000
MAX_WIDTH = 60
# A text cell starting with one of these is a formula (or becomes one when re-typed or saved as CSV).
FORMULA_STARTS = ("=", "+", "-", "@")
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


def _as_date(v: object) -> object:
    """Dates stay dates (a datetime loses its time); any text is made safe."""
    if isinstance(v, datetime):
        return v.date()
    return safe_text(v) if isinstance(v, str) else v


def _as_bool(v: object) -> str:
    """True/False → 是/否."""
    if isinstance(v, bool):
        return "是" if v else "否"
    return safe_text(str(v))


def _as_yuan(v: object) -> object:
    """Integer fen → yuan; text passes through made safe."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v / 100
    return safe_text(str(v))


def _as_number(v: object) -> object:
    """Numbers pass; text is made safe."""
    return safe_text(v) if isinstance(v, str) else v


_CONVERTERS = {
    "code": _as_text,
    "id": _as_text,
    "text": _as_text,
    "choice": _as_text,
    "date": _as_date,
    "bool": _as_bool,
    "money": _as_yuan,
}


def _converter(kind: str):
    """Function turning one export value of `kind` into what is written (None stays None)."""
    return _CONVERTERS.get(kind, _as_number)


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
    """Stream rows into a one-sheet .xlsx: dates as dates, codes/IDs as text, fen → yuan with 2 decimals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if len(kinds) != len(headers):
        raise ValueError("kinds and headers must have the same length")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    widths = widths or _widths(headers, sample, kinds)
    for i, kind in enumerate(kinds):
        dim = sheet.column_dimensions[get_column_letter(i + 1)]
        dim.width = widths[i]
        if kind in ("code", "id"):
            dim.number_format = "@"  # so a clerk re-typing a code keeps it as text
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_header_cell(WriteOnlyCell, sheet, h, bold) for h in headers])
    with paused_gc():  # millions of short-lived acyclic cells: collections would only rescan the rows
        _append_rows(sheet, itertools.chain(sample, rows), kinds, WriteOnlyCell)
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()


def _header_cell(cell_type, sheet, text: str, font):
    """A bold header cell."""
    cell = cell_type(sheet, value=safe_text(str(text)))
    cell.font = font
    return cell


def _append_rows(sheet, rows: Iterable[Sequence], kinds: list[str], cell_type) -> None:
    """Append converted rows; styled values reuse one pre-styled cell per column (openpyxl writes it at once)."""
    convert = [_converter(k) for k in kinds]
    money = {i: _styled(cell_type, sheet, "#,##0.00") for i, k in enumerate(kinds) if k == "money"}
    # Text format per cell costs openpyxl ~50 % more time, so it goes only where Excel would damage a re-typed
    # value: every ID number, and digit-only codes longer than 15 digits or with a leading zero. (Shorter
    # digit codes such as region codes survive as numbers and the importer turns them back into text.)
    text = {i: _styled(cell_type, sheet, "@") for i, k in enumerate(kinds) if k in ("code", "id")}
    ids = {i for i, k in enumerate(kinds) if k == "id"}
    plain = [i for i in range(len(kinds)) if i not in money and i not in text]
    width = len(kinds)
    for row in rows:
        out = list(row)
        if len(out) < width:
            out += [None] * (width - len(out))
        for i in plain:
            v = out[i]
            if v is not None:
                out[i] = convert[i](v)
        for i, cell in text.items():
            v = out[i]
            if v is not None:
                v = _as_text(v)
                if i in ids or (v.isdigit() and (len(v) > 15 or v[0] == "0")):
                    cell.value = v
                    v = cell
                out[i] = v
        for i, cell in money.items():
            v = out[i]
            if v is not None:
                cell.value = _as_yuan(v)
                out[i] = cell
        sheet.append(out)


def _styled(cell_type, sheet, number_format: str):
    """A reusable write-only cell carrying a number format."""
    cell = cell_type(sheet)
    cell.number_format = number_format
    return cell


def _roster_value_rows(cols: Sequence[Column], rows: Iterable[dict]):
    """Rows of dicts → value lists in column order."""
    keys = [c.key for c in cols]
    for rec in rows:
        yield [rec.get(k) for k in keys]


def write_roster(kind: str, rows: Iterable[dict], extra_columns: Sequence[Column] = ()) -> bytes:
    """Export rows in the roster's import layout so that export → import round-trips unchanged."""
    cols = (*columns(kind), *extra_columns)
    return write_table(
        roster_title(kind),
        [c.header for c in cols],
        _roster_value_rows(cols, rows),
        [c.kind for c in cols],
        widths=[c.width for c in cols],
    )
