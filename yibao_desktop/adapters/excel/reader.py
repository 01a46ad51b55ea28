"""Reads a roster .xlsx (bytes) with python-calamine and validates every row; the service decides what to keep."""

from __future__ import annotations

import gc
import io
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import chain, islice

from yibao_desktop.domain.errors import DomainError

from .cells import NAME_KEYS, make_parser, make_str_parser, parse_text
from .columns import ROSTER_KINDS, columns, merged_choices, roster_title
from .errors import Cancelled, FileRefused
from .model import Problem, RosterRead, RowSink
from .safety import SAVE_AS_XLSX, check_xlsx
from .sheetxml import hidden_cells, sheet_part
from .slices import SlicedSheet, needs_slices
from .validator import BlockValidator, NoClass

PROGRESS_EVERY = 1000
# The check stops once this many errors are found (the clerk may raise the limit, or lift it): a wrong file of a
# million rows is reported in seconds, with the count so far, rather than after minutes.
DEFAULT_MAX_ERRORS = 10_000


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector for a bulk step (re-enabled after, unless it was already off).

    A 100,000-row import allocates millions of acyclic objects (row dicts, tuples); every automatic collection
    then walks all of them again, which made the import a third slower. Any cyclic garbage made meanwhile is
    collected by a later collection as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Hand the survivors to the oldest generation unscanned (freeze + unfreeze, which also resets the
            # counters); otherwise the next allocation would scan every object allocated during the pause.
            # Skipped when someone else has frozen objects on purpose: unfreeze would undo that.
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def normalise_header(value: object) -> str:
    """Header text without any whitespace (full-width too) or required-marks ('*')."""
    return "".join(str(value).split()).strip("*＊")


def open_first_sheet(data: bytes, kind: str | None = None):
    """Safety-check `data` and return the calamine sheet that holds the roster (named after it, else first visible)."""
    return open_roster_sheet(data, kind)[0]


def open_roster_sheet(
    data: bytes, kind: str | None = None, on_name: Callable[[str], None] | None = None, scan: bool = False
):
    """open_first_sheet, also returning the sheet's name. A sheet loaded whole: `on_name` is called with its name
    before it loads. A sheet read in slices (SlicedSheet): `on_name` is not called, and `scan` makes the slicing
    pass look for formulas without a value and merged cells (SlicedSheet.hidden_cells)."""
    check_xlsx(data)
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [
            m.name
            for m in book.sheets_metadata
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]
        wanted = roster_title(kind) if kind else None
        name = wanted if wanted in names else (names[0] if names else None)
        if name is None:
            raise FileRefused("文件中没有可见的工作表")
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            part = sheet_part(zf, name)
            if part is not None and needs_slices(zf, part):
                del book  # the sliced reader opens each slice itself
                return SlicedSheet(data, part, scan=scan), name
        if on_name is not None:
            on_name(name)
        return book.get_sheet_by_name(name), name
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        if isinstance(exc, DomainError):
            raise
        raise FileRefused(f"文件无法读取（{type(exc).__name__}），可能已损坏。{SAVE_AS_XLSX}") from None


def sheet_rows(sheet) -> Iterator[list]:
    """Yield every row from Excel row 1, each padded so index 0 is column A (blank rows too: nothing is dropped)."""
    for block in sheet_blocks(sheet, PROGRESS_EVERY):
        yield from block


def sheet_blocks(sheet, size: int, first: int | None = None) -> Iterator[list[list]]:
    """sheet_rows a block at a time: `first` rows (default `size`), then `size` rows per block.

    Every row to the sheet's end is given, blank ones too: data after a long blank run is read and checked like
    any other row (the validator warns about the gap), never dropped unseen.
    """
    start = sheet.start
    if start is None:
        return
    pad = [""] * start[1]
    rows = sheet.iter_rows()
    want = size if first is None else first
    while True:
        block = list(islice(rows, want))
        if not block:
            return
        want = size
        if pad:
            block = [pad + raw for raw in block]
        yield block


def _map_headers(kind: str, header_row: list) -> tuple[dict[str, int], list[Problem]]:
    """Map each known column key to its 0-based index; refuse the file when required headers are missing."""
    found: dict[str, int] = {}
    for idx, value in enumerate(header_row):
        found.setdefault(normalise_header(value), idx)
    cols = columns(kind)
    missing = [c.header for c in cols if c.required and c.header not in found]
    if missing:
        raise FileRefused(_missing_message(kind, missing, set(found)))
    other = _other_roster(kind, set(found))
    if other:
        raise FileRefused(
            f"该文件看起来是“{roster_title(other)}”，不是“{roster_title(kind)}”，请在对应的导入功能中导入"
        )
    problems = [
        Problem(0, c.header, f"未找到列“{c.header}”，该列按空白处理", "warning") for c in cols if c.header not in found
    ]
    return {c.key: found[c.header] for c in cols if c.header in found}, problems


def _other_roster(kind: str, present: set[str]) -> str | None:
    """Another roster kind whose required headers are all present, some of them foreign to `kind`."""
    own = {c.header for c in columns(kind)}
    for other in ROSTER_KINDS:
        required = {c.header for c in columns(other) if c.required}
        if other != kind and required <= present and required - own:
            return other
    return None


def _missing_message(kind: str, missing: list[str], present: set[str]) -> str:
    """Chinese message naming the missing headers, with a hint when the file is another roster."""
    message = f"第一行缺少必填列：{'、'.join(missing)}。请使用本系统下载的“{roster_title(kind)}”模板（第一行为表头）"
    other = _other_roster(kind, present)
    if other:
        message += f"；该文件看起来是“{roster_title(other)}”"
    return message


def read_roster(
    kind: str,
    data: bytes,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    extra_choices: dict[str, list[str]] | None = None,
    max_lengths: dict[str, int] | None = None,
    max_errors: int | None = DEFAULT_MAX_ERRORS,
    keep_rows_with_errors: bool = True,
    sink: RowSink | None = None,
) -> RosterRead:
    """Parse and validate a roster file; raises FileRefused for an unusable file and Cancelled on request.

    `max_lengths` (column key → characters) are the sizes of the database columns the values go to: longer text
    is an error of its cell, so nothing is cut or refused by the engine at commit. Once more than `max_errors`
    errors are found (None: no limit) the check stops with a whole-file error giving the counts so far, and the
    result is marked incomplete. A `sink` is handed every block of checked rows as soon as it is checked (and
    told when a second pass over the sheet starts again)."""
    # The formula scan decompresses the sheet XML once more; zlib and calamine release the GIL, so it runs on the
    # other core while calamine loads the sheet (started once the file passed the safety checks). A sheet read in
    # slices is scanned by its own slicing pass instead, which ends with the sheet: its rows are checked without
    # the scan's findings, and only a sheet that has formulas without a value or merged cells is checked again
    # with them (the usual roster has neither, and is read once).
    scans: list[_Background] = []
    sheet, _name = open_roster_sheet(
        data, kind, lambda name: scans.append(_Background(_hidden_cells, data, name)), scan=True
    )
    checks = dict(
        progress=progress,
        cancelled=cancelled,
        extra_choices=extra_choices,
        max_lengths=max_lengths,
        max_errors=max_errors,
        keep_rows_with_errors=keep_rows_with_errors,
        sink=sink,
    )
    if scans:
        return _check_sheet(kind, sheet, scans[0].result, **checks)
    try:
        read = _check_sheet(kind, sheet, lambda: ({}, []), **checks)
    finally:
        sheet.close()
    formulas, merged = sheet.hidden_cells()
    if not formulas and not any(bottom >= 2 for _top, bottom, _l, _r in merged):
        return read
    del read
    again = SlicedSheet(data, sheet.part)
    try:
        return _check_sheet(kind, again, lambda: (formulas, merged), **checks)
    finally:
        again.close()


def _check_sheet(
    kind: str,
    sheet,
    hidden: Callable[[], tuple[dict, list]],
    *,
    progress,
    cancelled,
    extra_choices,
    max_lengths,
    max_errors: int | None,
    keep_rows_with_errors: bool,
    sink: RowSink | None,
) -> RosterRead:
    """read_roster of an opened sheet; `hidden` gives its formulas without a value and merged ranges."""
    # The first block is the header and Excel rows 2 … PROGRESS_EVERY, so later blocks end on every
    # PROGRESS_EVERY-th Excel row.
    blocks = sheet_blocks(sheet, PROGRESS_EVERY)
    first = next(blocks, [])
    if not first:
        raise FileRefused(f"工作表是空的，请在第一行填写“{roster_title(kind)}”表头并从第二行起填写数据")
    header_row = first[0]
    index, problems = _map_headers(kind, header_row)
    specs = _column_specs(kind, index, extra_choices, max_lengths or {})
    total_estimate = max(sheet.height - 1, 0)
    validator = BlockValidator(kind, specs, problems, *hidden(), keep_rows_with_errors=keep_rows_with_errors)
    handed = _HandOver(validator, sink, total_estimate)
    with paused_gc():
        end, complete = _validate_all(
            validator, chain([first[1:]], blocks), total_estimate, progress, cancelled, max_errors, handed
        )
        if complete:
            stopped = validator.take_hidden_after(end, max_errors)
            complete, end = stopped is None, stopped or end
            handed()
        if not complete:
            validator.problems.append(Problem(0, "", stop_message(max_errors, end, validator)))
    if progress is not None:
        progress(validator.count, validator.count)
    headers = [normalise_header(v) for v in header_row]
    return RosterRead(kind, validator.rows, validator.problems, validator.count, headers, complete)


def stop_message(limit: int, end: int, validator: BlockValidator) -> str:
    """The whole-file error of a check stopped at the error limit, with the counts so far."""
    return (
        f"错误已超过 {limit} 处，检查已在第 {end} 行停止：已检查 {validator.count} 行，发现 {validator.error_count}"
        " 处错误，其后的行未检查，未导入任何数据。请先按错误报告改正，或提高错误上限后重新检查"
    )


class _HandOver:
    """Gives a sink the validator's rows and problems found since the last call (nothing without a sink)."""

    def __init__(self, validator: BlockValidator, sink: RowSink | None, expected_rows: int):
        self.validator, self.sink = validator, sink
        self.rows, self.problems = 0, len(validator.problems)  # the header's findings are the file's, not rows'
        if sink is not None:
            sink.start(expected_rows)

    def __call__(self) -> None:
        if self.sink is None:
            return
        rows, problems = self.validator.rows, self.validator.problems
        if len(rows) > self.rows or len(problems) > self.problems:
            self.sink.take(rows[self.rows :], problems[self.problems :])
            self.rows, self.problems = len(rows), len(problems)


def _validate_all(
    validator,
    blocks: Iterator[list[list]],
    total_estimate: int,
    progress,
    cancelled,
    max_errors: int | None,
    handed: Callable[[], None],
) -> tuple[int, bool]:
    """Feed the data rows to the validator a block at a time, reporting progress and honouring cancellation
    after each full block (the caller reports the end). Returns the last Excel row read, and False when the
    error limit stopped the check before the sheet's end."""
    excel_row = 2
    for block in blocks:
        validator.take(excel_row, block)
        excel_row += len(block)
        if max_errors is not None and validator.error_count > max_errors:
            return excel_row - 1, False
        handed()
        if excel_row % PROGRESS_EVERY != 1:
            break  # a short block: the sheet has ended
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress is not None:
            progress(validator.count, max(total_estimate, validator.count))
    return excel_row - 1, True


class _Background:
    """Runs one function in a thread; result() waits for it (and raises what it raised)."""

    def __init__(self, func, *args):
        self._out: list = []
        self._thread = threading.Thread(target=self._run, args=(func, args), name="excel-scan", daemon=True)
        self._thread.start()

    def _run(self, func, args) -> None:
        try:
            self._out.append((True, func(*args)))
        except BaseException as exc:  # handed to the caller's thread by result()
            self._out.append((False, exc))

    def result(self):
        """The function's return value, once it has finished."""
        self._thread.join()
        ok, value = self._out[0]
        if not ok:
            raise value
        return value


def _hidden_cells(data: bytes, name: str) -> tuple[dict, list]:
    """Formula cells saved without a value and merged ranges of the sheet (calamine reads them as blank)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = sheet_part(zf, name)
        return hidden_cells(zf, part) if part else ({}, [])


def _column_specs(kind: str, index: dict[str, int], extra_choices, limits: dict[str, int]) -> list[tuple]:
    """(key, column index, text parser, any-value parser, cache, header, required, kept class, length limit) per
    present column."""
    specs = []
    for col in columns(kind):
        if col.key not in index:
            continue
        choices = merged_choices(col, extra_choices)
        if col.kind == "text" and col.key not in NAME_KEYS:
            # Plain text needs no parser once trimmed, and caching unique free text would only cost memory.
            specs.append(
                (
                    col.key,
                    index[col.key],
                    None,
                    parse_text,
                    None,
                    col.header,
                    col.required,
                    NoClass,
                    limits.get(col.key),
                )
            )
            continue
        parse_str, parse_any = make_str_parser(col, choices), make_parser(col, choices)
        # A real date cell in a date column is already its value (parse_date returns it unchanged).
        keep = date if col.kind == "date" else NoClass
        specs.append(
            (col.key, index[col.key], parse_str, parse_any, {}, col.header, col.required, keep, limits.get(col.key))
        )
    return specs
