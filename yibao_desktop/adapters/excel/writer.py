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
    """Append converted rows; styled values reuse one pre-styled cell per column (openpyxl writes it at once).

    The usual values (text that is not a formula, real dates, numbers) pass without a call: 100,000-row rosters
    go through here, and a converter call per cell cost a tenth of the export.
    """
    groups = {g: [i for i, k in enumerate(kinds) if k in members] for g, members in _GROUPS.items()}
    texts, dates, bools, ids, codes = (groups[g] for g in ("text", "date", "bool", "id", "code"))
    numbers = [i for i, k in enumerate(kinds) if not any(k in members for members in _GROUPS.values())]
    money = {i: _styled(cell_type, sheet, "#,##0.00") for i, k in enumerate(kinds) if k == "money"}
    # Text format per cell costs openpyxl ~50 % more time, so it goes only where Excel would damage a re-typed
    # value: every ID number, and digit-only codes longer than 15 digits or with a leading zero. (Shorter
    # digit codes such as region codes survive as numbers and the importer turns them back into text.)
    styled = {i: _styled(cell_type, sheet, "@") for i in (*ids, *codes)}
    width = len(kinds)
    for row in rows:
        out = list(row)
        if len(out) < width:
            out += [None] * (width - len(out))
        for i in texts:
            v = out[i]
            if v.__class__ is str:
                if v.startswith(_RISKY_STARTS):
                    out[i] = safe_text(v)
            elif v is not None:
                out[i] = _as_text(v)
        for i in dates:
            v = out[i]
            if v is not None and v.__class__ is not date:
                out[i] = _as_date(v)
        for i in bools:
            v = out[i]
            if v is not None:
                out[i] = _as_bool(v)
        for i in numbers:
            v = out[i]
            if isinstance(v, str):  # str subclasses (StrEnum) too: text in a number column is written as text
                out[i] = safe_text(str(v))
        for i in ids:
            v = out[i]
            if v is not None:
                cell = styled[i]
                cell.value = _as_text(v)
                out[i] = cell
        for i in codes:
            v = out[i]
            if v is not None:
                v = _as_text(v)
                if v.isdigit() and (len(v) > 15 or v[0] == "0"):
                    cell = styled[i]
                    cell.value = v
                    v = cell
                out[i] = v
        for i, cell in money.items():
            v = out[i]
            if v is not None:
                cell.value = _as_yuan(v)
                out[i] = cell
        sheet.append(out)


# Column kinds converted alike on export; every other kind (int, float) is a number.
_GROUPS = {"text": ("text", "choice"), "date": ("date",), "bool": ("bool",), "id": ("id",), "code": ("code",),
           "money": ("money",)}


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
