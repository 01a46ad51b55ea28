"""A large sheet read in bounded memory and on two cores: calamine loads it a slice of rows at a time.

calamine keeps a whole sheet in memory as one dense range (about 100 bytes a cell: 1.8 GiB for 1,048,575 rows ×
16 columns). Above SLICE_ABOVE bytes of sheet XML the sheet is cut between rows into slices of about SLICE_BYTES,
each packed with the workbook's styles and shared strings into a small stored (uncompressed) workbook that calamine
reads as usual, so every cell is typed exactly as in a small file. A loader thread cuts and loads the next slices
while the caller checks the rows of the current one: calamine parses without holding the GIL, so a 100,000-row
roster is parsed on one core and checked on the other. At most LOADED_AHEAD loaded slices wait, so memory stays
bounded. The same pass finds formulas without a value and merged ranges (sheetxml.HiddenScan).
"""

from __future__ import annotations

import io
import queue
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from .errors import FileRefused
from .safety import SAVE_AS_XLSX
from .sheetxml import READ_BYTES, HiddenScan, rel_targets, xml_pieces

# 8 MB of sheet XML is about 9,000 rows of a 16-column roster: smaller sheets load whole, larger ones in slices
# (measured on the 100,000-row roster: 4 MB slices cost more in per-slice work than they gain, 32 MB slices leave
# the first slice's load unshared).
SLICE_ABOVE = 8 * 1024 * 1024
SLICE_BYTES = 8 * 1024 * 1024
FIRST_SLICE_BYTES = 1024 * 1024
# Small first slices only with a shared-string table up to this size (measured on a 100,000-row roster whose 10 MB
# table is parsed with each slice: small first slices made the read 0.5 s slower instead of 0.2 s faster).
FIRST_SLICES_STRINGS = 1024 * 1024
LOADED_AHEAD = 1
SHEET_NAME = "S"

_ROOT = re.compile(rb"<((?:\w+:)?worksheet)\b")
_DATA_OPEN = re.compile(rb"<((?:\w+:)?sheetData)\b[^>]*?(/?)>")
_DATA_CLOSE = re.compile(rb"</(?:\w+:)?sheetData\s*>")
_ROW_END = re.compile(rb"</(?:\w+:)?row\s*>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_DIMENSION_REF = re.compile(rb"""<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*["'][A-Z]*\$?[0-9]*:?[A-Z]*\$?([0-9]+)["']""")
_FIRST_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_REF = re.compile(rb"""\br\s*=\s*["']([0-9]+)["']""")
_DATE1904 = re.compile(rb"""date1904\s*=\s*["'](?:1|true)["']""")

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/styles.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
).encode()


def _book_rels(styles: bool, strings: bool) -> bytes:
    """The slice workbook's relationships: its one sheet, and the styles and shared strings when there are any."""
    rels = [f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>']
    if styles:
        rels.append(f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>')
    if strings:
        rels.append(f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()


def needs_slices(zf: zipfile.ZipFile, part: str) -> bool:
    """True when the sheet's XML is too large for calamine to hold at once within the memory budget."""
    return zf.getinfo(part).file_size > SLICE_ABOVE


class SlicedSheet:
    """What the reader uses of a calamine sheet (start, height, iter_rows), read a slice at a time.

    Rows come padded from column A; row gaps between slices come as empty rows, so positions stay Excel's.
    """

    def __init__(self, data: bytes, part: str, slice_bytes: int | None = None, scan: bool = False):
        self.data, self.part, self.slice_bytes = data, part, slice_bytes or SLICE_BYTES
        # formulas without a value and merged ranges, found while slicing (None: not looked for)
        self.scan: HiddenScan | None = HiddenScan() if scan else None
        self._stages: tuple[_Ahead, ...] = ()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.size = zf.getinfo(part).file_size
            book = zf.read("xl/workbook.xml")
            targets = rel_targets(zf)
            self.styles = _read(zf, targets.get("styles"))
            self.strings = _read(zf, targets.get("sharedStrings"))
        self.date1904 = bool(_DATE1904.search(book))
        self._slices = self._slice_bodies()
        self._first = next(self._slices, None)
        self.start: tuple[int, int] | None = None
        self.height = 0
        if self._first is not None:
            first_row = self._row_of(self._first)
            self.start = (first_row, 0)
            self.height = self._estimate_height(first_row)

    def _estimate_height(self, first_row: int) -> int:
        """Rows from the first to the last, from the dimension element or the first slice's bytes per row."""
        if self._dimension_last:
            return max(self._dimension_last - first_row, 1)
        rows = max(self._first.count(b"<row") + self._first.count(b":row "), 1)
        return max(int(self.size / max(len(self._first), 1) * rows), rows)

    def _slice_bodies(self) -> Iterator[bytes]:
        """The sheetData content cut between rows into pieces of about slice_bytes (head and tail kept apart)."""
        self._head = self._close = b""
        self._dimension_last = 0
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            pieces = xml_pieces(zf, self.part)
            if self.scan is not None:
                pieces = _fed(pieces, self.scan.feed)
            yield from self._cut(pieces)
            if self.scan is not None:
                for _piece in pieces:  # the XML after the rows (merged ranges), or a sheet that could not be cut
                    pass

    def _cut(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        """_slice_bodies of the sheet's XML pieces."""
        buffer = b""
        for piece in pieces:
            buffer += piece
            opened = _DATA_OPEN.search(buffer)
            if opened:
                break
            if len(buffer) > 4 * READ_BYTES:  # no sheetData in the first 16 MB: not a sheet we can slice
                return
        else:
            return
        if opened.group(2):  # <sheetData/>: no rows at all
            return
        head = buffer[: opened.end()]
        dim = _DIMENSION_REF.search(head)
        self._dimension_last = int(dim.group(1)) if dim else 0
        root = _ROOT.search(head)
        root_name = root.group(1) if root else b"worksheet"
        data_name = opened.group(1)
        self._head = _DIMENSION.sub(b"", head)
        self._close = b"</" + data_name + b"></" + root_name + b">"
        buffer = buffer[opened.end() :]
        # The first slices are small and grow to slice_bytes: the check starts on the first rows at once instead of
        # waiting for a whole slice to load, and the loader still gets ahead of it. Not with a large shared-string
        # table (as Excel saves): calamine parses it again for every slice, and more slices would cost more.
        few_strings = len(self.strings) <= FIRST_SLICES_STRINGS
        size = min(FIRST_SLICE_BYTES, self.slice_bytes) if few_strings else self.slice_bytes
        while True:
            while len(buffer) >= size:
                # a small slice ends at the last row end within its size; a full one takes every whole row
                cut = (_last_row_end(buffer[:size]) if size < self.slice_bytes else 0) or _last_row_end(buffer)
                if not cut:
                    break
                yield buffer[:cut]
                buffer = buffer[cut:]
                size = min(size * 4 // 3, self.slice_bytes)
            piece = next(pieces, None)
            if piece is None:
                break
            buffer += piece
        end = _DATA_CLOSE.search(buffer)
        if end is not None:
            buffer = buffer[: end.start()]
        if buffer.strip():
            yield buffer

    def _book(self, body: bytes) -> bytes:
        """A small stored workbook holding one slice of rows."""
        workbook = (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
            + ('<workbookPr date1904="1"/>' if self.date1904 else "")
            + f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
            zf.writestr("_rels/.rels", _ROOT_RELS)
            zf.writestr("xl/workbook.xml", workbook.encode())
            zf.writestr("xl/_rels/workbook.xml.rels", _book_rels(bool(self.styles), bool(self.strings)))
            if self.styles:
                zf.writestr("xl/styles.xml", self.styles)
            if self.strings:
                zf.writestr("xl/sharedStrings.xml", self.strings)
            zf.writestr("xl/worksheets/sheet1.xml", self._head + body + self._close)
        return out.getvalue()

    @staticmethod
    def _row_of(body: bytes) -> int:
        """0-based row of the first row element of a slice (0 when rows carry no number)."""
        tag = _FIRST_ROW.search(body)
        ref = _ROW_REF.search(tag.group(0)) if tag else None
        return int(ref.group(1)) - 1 if ref else 0

    def iter_rows(self) -> Iterator[list]:
        """Every row from Excel row 1, padded from column A. Two threads work ahead of the caller: one cuts the next
        slices and packs them, one has calamine load them (at most LOADED_AHEAD finished slices wait in each)."""
        if self._first is None:
            return
        bodies = chain([self._first], self._slices)
        self._first = None
        books = _Ahead(self._book, bodies)
        sheets = _Ahead(_load, books, unreadable=True)
        self._stages = (books, sheets)
        next_row = 0  # rows given so far
        try:
            for sheet in sheets:
                if sheet.start is None:
                    continue
                top, left = sheet.start
                pad = [""] * left
                while next_row < top:  # blank rows between slices (or above the first value)
                    next_row += 1
                    yield [""] * (left + sheet.width)
                rows = sheet.to_python(skip_empty_area=True)
                del sheet
                next_row += len(rows)
                if pad:
                    yield from (pad + row for row in rows)
                else:
                    yield from rows
                del rows
        except (_Unreadable, zipfile.BadZipFile, zlib.error, EOFError):  # calamine's refusal, or a damaged zip entry
            raise FileRefused(f"文件第 {next_row + 1} 行之后的内容无法读取，可能已损坏。{SAVE_AS_XLSX}") from None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the threads working ahead (a check that stopped early, or was cancelled); nothing more is loaded."""
        for stage in self._stages:
            stage.stop()

    def hidden_cells(self) -> tuple[dict[int, dict[int, str]], list[tuple[int, int, int, int]]]:
        """Formulas without a value and merged ranges of the whole sheet (as sheetxml.hidden_cells gives them);
        after a check that stopped early, the rest of the sheet is scanned (cut, not loaded) first."""
        if self.scan is None:
            raise ValueError("this sheet was opened without the scan")
        self.close()
        self._first = None
        for _body in self._slices:
            pass
        return self.scan.result()


def _load(book: bytes):
    """One slice's calamine sheet."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_name(SHEET_NAME)


class _Unreadable(Exception):
    """calamine could not read a slice."""


class _Ahead:
    """Iterates func(item) for every item in a thread of its own, at most LOADED_AHEAD results waiting.

    With `unreadable`, calamine's refusal of an item ends the iteration with _Unreadable; any other exception is
    raised in the iterating thread as it was raised."""

    def __init__(self, func: Callable, items: Iterable, unreadable: bool = False):
        self._queue: queue.Queue = queue.Queue(maxsize=LOADED_AHEAD)
        self._stopped = threading.Event()
        self._unreadable = unreadable
        self._thread = threading.Thread(target=self._run, args=(func, items), name="excel-slices", daemon=True)
        self._thread.start()

    def _run(self, func: Callable, items: Iterable) -> None:
        from python_calamine import CalamineError

        refused = (CalamineError, OSError, ValueError, zipfile.BadZipFile) if self._unreadable else ()
        try:
            for item in items:
                if self._stopped.is_set():
                    return
                try:
                    result: tuple = ("value", func(item))
                except refused:
                    result = ("unreadable", None)
                del item
                if not self._put(result) or result[0] == "unreadable":
                    return
            self._put(("end", None))
        except BaseException as exc:  # handed to the iterating thread
            self._put(("error", exc))

    def _put(self, result: tuple) -> bool:
        """Queue one result, waiting while the iterating thread is busy; False once stopped."""
        while not self._stopped.is_set():
            try:
                self._queue.put(result, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        while True:
            try:
                kind, value = self._queue.get(timeout=0.05)
                break
            except queue.Empty:
                if self._stopped.is_set() or not self._thread.is_alive() and self._queue.empty():
                    raise StopIteration from None
        if kind == "value":
            return value
        self.stop()
        if kind == "end":
            raise StopIteration
        if kind == "unreadable":
            raise _Unreadable()
        raise value

    def stop(self) -> None:
        """Ask the thread to end and wait for it (what it had made is dropped)."""
        self._stopped.set()
        while self._thread.is_alive():
            try:
                self._queue.get_nowait()
            except queue.Empty:
                self._thread.join(0.05)


def _fed(pieces: Iterator[bytes], feed: Callable[[bytes], None]) -> Iterator[bytes]:
    """The pieces, each handed to `feed` first."""
    for piece in pieces:
        feed(piece)
        yield piece


def _last_row_end(buffer: bytes) -> int:
    """Offset just after the last row end tag of `buffer` (0 when none): slices are cut between rows.

    The usual '</row>' is found by a byte search; the regex looks only at what follows it (and at the whole
    buffer when a sheet writes its rows otherwise, as '</x:row>')."""
    plain = buffer.rfind(b"</row>")
    end = 0 if plain < 0 else plain + 6
    tail = max(0, len(buffer) - READ_BYTES) if plain < 0 else end
    for match in _ROW_END.finditer(buffer, tail):
        end = match.end()
    if end == 0:
        for match in _ROW_END.finditer(buffer):
            end = match.end()
    return end


def _read(zf: zipfile.ZipFile, part: str | None) -> bytes:
    """A part's bytes, or b'' when there is none."""
    if part is None or part not in zf.namelist():
        return b""
    return zf.read(part)
