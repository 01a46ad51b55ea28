"""A very large sheet read in bounded memory: calamine loads it a slice of rows at a time.

calamine keeps a whole sheet in memory as one dense range (about 100 bytes a cell: 1.8 GiB for 1,048,575 rows ×
16 columns). Above SLICE_ABOVE bytes of sheet XML the sheet is cut between rows into slices of about SLICE_BYTES,
each packed with the workbook's styles and shared strings into a small stored (uncompressed) workbook that calamine
reads as usual, so every cell is typed exactly as in a small file, and only one slice is in memory at a time.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from collections.abc import Iterator
from itertools import islice

from .errors import FileRefused
from .safety import SAVE_AS_XLSX
from .sheetxml import READ_BYTES, rel_targets, xml_pieces

SLICE_ABOVE = 128 * 1024 * 1024
SLICE_BYTES = 32 * 1024 * 1024
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

    def __init__(self, data: bytes, part: str, slice_bytes: int | None = None):
        self.data, self.part, self.slice_bytes = data, part, slice_bytes or SLICE_BYTES
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
            for piece in pieces:
                buffer += piece
                if len(buffer) < self.slice_bytes:
                    continue
                cut = _last_row_end(buffer)
                if cut:
                    yield buffer[:cut]
                    buffer = buffer[cut:]
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
        """Every row from the first, padded from column A; a slice is loaded only when its rows are wanted."""
        from python_calamine import CalamineError, CalamineWorkbook

        if self._first is None:
            return
        next_row = 0  # rows given so far; calamine gives every slice's rows from row 1 (blank above its first)
        slices = self._slices
        body: bytes | None = self._first
        self._first = None
        while body is not None:
            try:
                sheet = CalamineWorkbook.from_filelike(io.BytesIO(self._book(body))).get_sheet_by_name(SHEET_NAME)
            except (CalamineError, OSError, ValueError, zipfile.BadZipFile):
                raise FileRefused(f"文件第 {next_row + 1} 行之后的内容无法读取，可能已损坏。{SAVE_AS_XLSX}") from None
            body = None
            if sheet.start is not None:
                pad = [""] * sheet.start[1]
                rows = sheet.iter_rows()
                deque(islice(rows, next_row), maxlen=0)  # the rows of earlier slices, blank here
                for row in rows:
                    next_row += 1
                    yield pad + row if pad else row
            del sheet
            body = next(slices, None)


def _last_row_end(buffer: bytes) -> int:
    """Offset just after the last '</row>' of `buffer` (0 when none): slices are cut between rows."""
    tail = max(0, len(buffer) - READ_BYTES)
    end = 0
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
