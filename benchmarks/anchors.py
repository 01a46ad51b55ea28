"""The bare-library anchors every Excel benchmark compares against (same code for every figure)."""

from __future__ import annotations

import io
import resource


def peak_mib() -> float:
    """Peak resident memory of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_openpyxl_read(data: bytes) -> int:
    """openpyxl read_only + values_only, counting rows."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    count = sum(1 for _ in sheet.iter_rows(values_only=True))
    book.close()
    return count


def bare_calamine_read(data: bytes) -> int:
    """python-calamine iter_rows, counting rows."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows())


def bare_openpyxl_write(headers: list[str], rows: list[list]) -> bytes:
    """openpyxl write_only with the values as they are (no formats, no safety)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bare_xlsxwriter_write(headers: list[str], rows: list[list]) -> bytes:
    """xlsxwriter in constant-memory mode, write_row with the values as they are (no formats, no safety)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("x")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, 1):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()
