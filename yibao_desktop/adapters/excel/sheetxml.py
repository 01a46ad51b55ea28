"""What calamine does not tell about a sheet, read from its XML: where the part is, and formulas without a value.

A formula cell saved without its calculated value (files written by scripts, or by Excel with manual calculation
and "recalculate before saving" off) reads as an empty cell; the clerk must be told that it is a formula to
recalculate, not a value left blank.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator

READ_BYTES = 4 * 1024 * 1024

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s[^>]*>")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_CELL_TYPE = re.compile(rb"""\bt\s*=\s*["']([A-Za-z]+)["']""")
_VALUE = re.compile(rb"<(?:\w+:)?v\s*>\s*[^<\s]")
_CELL_END = re.compile(rb"</(?:\w+:)?c\s*>")
_TEXT_RESULTS = frozenset({b"str", b"s", b"inlineStr"})
_MERGE = re.compile(
    rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']\$?([A-Z]{1,3})\$?([0-9]{1,7})"""
    rb"""(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?["']"""
)

FORMULA_WITHOUT_VALUE = "公式未保存计算结果，请在 Excel 中重新计算并保存"


def _attrs(tag: bytes) -> dict[str, str]:
    """Attributes of one start tag (prefixes dropped), as text."""
    out = {}
    for name, dq, sq in _ATTR.findall(tag):
        out[name.split(b":")[-1].decode()] = (dq if dq or not sq else sq).decode("utf-8", "replace")
    return out


def sheet_part(zf: zipfile.ZipFile, name: str) -> str | None:
    """The zip path of the worksheet called `name` (workbook.xml → its relationships), or None."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    rid = None
    for tag in _SHEET.findall(book):
        attrs = _attrs(tag)
        if attrs.get("name") == name:
            rid = attrs.get("id")
            break
    for tag in _REL.findall(rels):
        attrs = _attrs(tag)
        if rid is not None and attrs.get("Id") == rid:
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return path if path in zf.namelist() else None
    return None


def rel_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's related parts by the last word of their type ('styles', 'sharedStrings', …) → zip path."""
    try:
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    out = {}
    for tag in _REL.findall(rels):
        attrs = _attrs(tag)
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out.setdefault(attrs.get("Type", "").rsplit("/", 1)[-1], path)
    return out


def column_index(letters: bytes) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def xml_pieces(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes in pieces of about READ_BYTES (never the whole sheet at once)."""
    with zf.open(part) as fh:
        while piece := fh.read(READ_BYTES):
            yield piece


def hidden_cells(zf: zipfile.ZipFile, part: str) -> tuple[dict[int, dict[int, str]], list[tuple[int, int, int, int]]]:
    """What reads as blank but is not: formula cells saved without a calculated value (0-based column → {Excel
    row: message}) and merged ranges ((first row, last row, first column, last column), Excel rows, 0-based columns).

    The sheet is scanned a piece at a time (HiddenScan); sheets without formulas or merges cost a byte search per
    piece.
    """
    scan = HiddenScan()
    for piece in xml_pieces(zf, part):
        scan.feed(piece)
    return scan.result()


class HiddenScan:
    """hidden_cells fed piece by piece, so a reader that decompresses the sheet anyway (the sliced reader) finds
    them in the same pass; a piece is cut after its last complete cell, so no cell is split."""

    def __init__(self) -> None:
        self.found: dict[int, dict[int, str]] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.rest = b""

    def feed(self, piece: bytes) -> None:
        """Scan the next piece of the sheet's XML."""
        text = self.rest + piece
        if b"mergeCell" in text:
            self.merged.extend(_merges(text))  # (a range seen twice, in a carried-over rest, is kept once)
        if b"<f" not in text and b":f" not in text:  # the usual sheet has no formula at all
            self.rest = text[-4096:]  # enough to hold the start tag of a cell whose formula begins in the next piece
            return
        cut = _last_cell_end(text)
        text, self.rest = text[:cut], text[cut:]
        if _FORMULA.search(text):
            _scan(text, self.found)

    def result(self) -> tuple[dict[int, dict[int, str]], list[tuple[int, int, int, int]]]:
        """Formulas without a value and merged ranges of everything fed (as hidden_cells returns them)."""
        if self.rest and _FORMULA.search(self.rest):
            _scan(self.rest, self.found)
            self.rest = b""
        return self.found, sorted(set(self.merged))


def _merges(text: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges named in `text`."""
    out = []
    for left, top, right, bottom in _MERGE.findall(text):
        first, last = int(top), int(bottom or top)
        a, b = column_index(left), column_index(right or left)
        out.append((min(first, last), max(first, last), min(a, b), max(a, b)))
    return out


def _last_cell_end(text: bytes) -> int:
    """Offset just after the last '</c>' in `text` (0 when there is none)."""
    end = 0
    for match in _CELL_END.finditer(text, max(0, len(text) - 65536)):
        end = match.end()
    if end == 0:
        end = max((m.end() for m in _CELL_END.finditer(text)), default=0)
    return end


def _scan(text: bytes, found: dict[int, dict[int, str]]) -> None:
    """Record every formula cell of `text` that has no value."""
    for f in _FORMULA.finditer(text):
        start = text.rfind(b"<", 0, f.start())
        while start >= 0 and not _CELL_START.match(text, start):
            start = text.rfind(b"<", 0, start)
        if start < 0:
            continue
        tag = _CELL_START.match(text, start)
        end = _CELL_END.search(text, f.end())
        body = text[tag.end() : end.start() if end else len(text)]
        ref = _CELL_REF.search(tag.group(0))
        if ref is None or _VALUE.search(body):
            continue
        kind = _CELL_TYPE.search(tag.group(0))
        if kind is not None and kind.group(1) in _TEXT_RESULTS and re.search(rb"<(?:\w+:)?v\s*>", body):
            continue  # a formula whose result is the empty text: a value, blank on purpose
        found.setdefault(column_index(ref.group(1)), {})[int(ref.group(2))] = FORMULA_WITHOUT_VALUE
