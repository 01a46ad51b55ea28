"""A large sheet is read in slices by two threads working ahead of the check (adapters/excel/slices.py): it gives
exactly what a whole read gives, also with formulas without a value and merged cells (found by the slicing pass,
then checked again with them), after an early stop, and it leaves no thread behind when cancelled."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest

from tests.fixtures.excel_factory import replace_entries, roster_sheet, sheet_xml
from tests.integration.test_excel_reader import person
from yibao_desktop.adapters.excel import Cancelled, FileRefused, read_roster, reader, slices
from yibao_desktop.domain.ids import make_id_number


def _people(n: int) -> list[dict]:
    return [
        person(
            name=f"张{i}",
            person_code=f"D4452020{i:05d}",
            birth_date=None,
            id_number=make_id_number("445202", date(1990, 1, 1 + i // 400), i % 400, "男"),
        )
        for i in range(n)
    ]


def _book(build, n: int = 300) -> bytes:
    """A personnel roster of n rows written by openpyxl, changed by `build(sheet)` (formulas saved without a value)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in roster_sheet("personnel", _people(n)):
        sheet.append(row)
    build(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def in_slices(monkeypatch):
    """Every sheet read in slices of a few rows; returns a list that records each sheet check."""
    checks = []
    check = reader._check_sheet

    def counted(kind, sheet, *args, **kwargs):
        checks.append(type(sheet).__name__)
        return check(kind, sheet, *args, **kwargs)

    def whole(data: bytes, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(slices, "SLICE_ABOVE", 1 << 40)
            return read_roster("personnel", data, **kwargs)

    monkeypatch.setattr(reader, "_check_sheet", counted)
    monkeypatch.setattr(slices, "SLICE_ABOVE", 0)
    monkeypatch.setattr(slices, "SLICE_BYTES", 3000)
    return checks, whole


def test_formulas_and_merged_cells_read_in_slices_give_the_messages_of_a_whole_read(in_slices):
    checks, whole = in_slices

    def build(sheet):
        sheet["A150"] = "=A2"  # required 姓名 as a formula without value, in the middle of the sheet
        sheet["L299"] = "=L2"  # optional 执业范围
        sheet["H200"] = None
        sheet.merge_cells("H199:H200")  # 医药机构代码 merged over two rows

    data = _book(build)
    expected = whole(data)
    checks.clear()
    result = read_roster("personnel", data)
    assert checks == ["SlicedSheet", "SlicedSheet"]  # read once, then checked again with what the scan found
    assert result.problems == expected.problems and result.rows == expected.rows
    assert [(p.row, p.column) for p in result.errors] == [(150, "姓名"), (200, "医药机构代码"), (299, "执业范围")]
    assert result.errors[0].message == result.errors[2].message == "公式未保存计算结果，请在 Excel 中重新计算并保存"
    assert result.errors[1].message.startswith("合并单元格（H199:H200）")


def test_a_sheet_without_formulas_or_merges_is_read_in_slices_once(in_slices):
    checks, whole = in_slices
    data = _book(lambda sheet: None)
    expected = whole(data)
    checks.clear()
    result = read_roster("personnel", data)
    assert checks == ["SlicedSheet"] and result.rows == expected.rows and result.problems == expected.problems
    assert len(result.rows) == 300 and result.rows[-1]["_row"] == 301


def test_the_first_slices_are_small_and_grow_to_the_full_size(in_slices, monkeypatch):
    # the check starts on the first rows at once; later slices reach SLICE_BYTES, and the rows are a whole read's
    checks, whole = in_slices
    data = _book(lambda sheet: None, n=600)
    expected = whole(data)
    monkeypatch.setattr(slices, "FIRST_SLICE_BYTES", 3000)
    monkeypatch.setattr(slices, "SLICE_BYTES", 12000)
    sizes = []
    book = slices.SlicedSheet._book
    monkeypatch.setattr(slices.SlicedSheet, "_book", lambda self, body: sizes.append(len(body)) or book(self, body))
    result = read_roster("personnel", data)
    assert result.rows == expected.rows and result.problems == expected.problems and len(result.rows) == 600
    assert sizes[0] <= 3000 and max(sizes[:-1]) > 9000 and sizes[:4] == sorted(sizes[:4])
    assert all(b > a for a, b in zip(sizes[:3], sizes[1:4], strict=True))
    # with a shared-string table (as Excel saves) larger than FIRST_SLICES_STRINGS, parsed again with every slice,
    # they start at the full size
    import xlsxwriter

    buffer = io.BytesIO()
    writer = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    sheet = writer.add_worksheet()
    for r, row in enumerate(roster_sheet("personnel", _people(600))):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, str(value))
    writer.close()
    shared = buffer.getvalue()
    monkeypatch.setattr(slices, "FIRST_SLICES_STRINGS", 100)
    sizes.clear()
    assert len(read_roster("personnel", shared).rows) == 600
    assert sizes[0] > 9000


def test_an_early_stop_in_slices_still_names_a_merge_that_ends_the_sheet(in_slices):
    _checks, whole = in_slices

    def merged_file(ref: str) -> bytes:  # written into the XML: openpyxl would make a million MergedCell objects
        data = _book(lambda sheet: None, 40)
        xml = sheet_xml(data).replace(
            "</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>', 1
        )
        return replace_entries(data, {"xl/worksheets/sheet1.xml": xml.encode()})

    data = merged_file("L3:L1048576")
    expected = whole(data, max_errors=2500)
    result = read_roster("personnel", data, max_errors=2500)
    assert not result.complete and result.problems == expected.problems
    assert "检查已在第 1041 行停止" in result.problems[-1].message  # 40 rows, then the first thousand below
    assert result.problems[0].message.startswith("合并单元格（L3:L1048576）：只有第一格 L3 有值")


def test_a_cancelled_read_in_slices_leaves_no_thread_behind(in_slices):
    data = _book(lambda sheet: None, 2500)
    with pytest.raises(Cancelled):
        read_roster("personnel", data, cancelled=lambda: True)
    assert not [t for t in threading.enumerate() if t.name == "excel-slices"]


@pytest.mark.parametrize(
    ("piece", "words"), [(None, "文件无法读取（BadZipFile），可能已损坏"), (4096, "行之后的内容无法读取，可能已损坏")]
)
def test_a_damaged_sheet_read_in_slices_is_refused_in_chinese_not_with_a_traceback(
    in_slices, monkeypatch, piece, words
):
    """Damage found while the sheet opens (one piece holds it all), or by the slicing thread while rows are read."""
    import zipfile

    from yibao_desktop.adapters.excel import sheetxml

    if piece:
        monkeypatch.setattr(sheetxml, "READ_BYTES", piece)

    data = bytearray(_book(lambda sheet: None, 2500))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    # the local header is 30 bytes plus the name and the extra field; damage the middle of the compressed rows
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    with pytest.raises(FileRefused, match=words):
        read_roster("personnel", bytes(data))
    assert not [t for t in threading.enumerate() if t.name == "excel-slices"]
