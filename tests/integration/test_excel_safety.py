"""Files refused before parsing: old formats, renamed CSV, zip bombs, XML entity attacks, empty and oversize files."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from tests.fixtures.excel_factory import (
    csv_like,
    excel_like,
    replace_entries,
    roster_sheet,
    with_billion_laughs,
    with_declared_size,
    with_highly_compressed_part,
    xls_like,
)
from yibao_desktop.adapters.excel import FileRefused, check_xlsx, read_roster
from yibao_desktop.domain.ids import make_id_number

ROWS = roster_sheet(
    "personnel",
    [
        {
            "name": "张三",
            "id_number": make_id_number("445202", date(1995, 3, 1), 0, "男"),
            "institution_code": "H44520200001",
        }
    ],
)


@pytest.fixture(scope="module")
def good() -> bytes:
    """A valid one-row personnel roster."""
    return excel_like(ROWS, text_columns=(2,))


def test_the_untouched_roster_passes_the_safety_check(good):
    check_xlsx(good)
    assert read_roster("personnel", good).total_rows == 1


def test_an_old_xls_file_is_refused_with_the_save_as_advice():
    with pytest.raises(FileRefused, match="另存为” .xlsx"):
        read_roster("personnel", xls_like())


def test_a_csv_renamed_to_xlsx_is_refused_as_text():
    with pytest.raises(FileRefused, match="CSV"):
        read_roster("personnel", csv_like(ROWS))


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="空"):
        read_roster("personnel", b"")


def test_random_bytes_are_refused_as_not_excel():
    with pytest.raises(FileRefused, match="不是 Excel"):
        read_roster("personnel", bytes(range(256)) * 4)


def test_a_file_over_the_size_limit_is_refused_before_unzipping(good):
    with pytest.raises(FileRefused, match="文件太大"):
        check_xlsx(good, max_bytes=1000)


def test_a_part_compressed_a_thousandfold_is_refused_as_a_zip_bomb(good):
    with pytest.raises(FileRefused, match="压缩炸弹"):
        read_roster("personnel", with_highly_compressed_part(good, megabytes=4))


def test_a_sheet_declaring_three_gigabytes_uncompressed_is_refused(good):
    with pytest.raises(FileRefused, match="3072 MB"):
        read_roster("personnel", with_declared_size(good, "xl/worksheets/sheet1.xml", 3 * 1024**3))


def test_a_sheet_with_billion_laughs_entities_is_refused(good):
    with pytest.raises(FileRefused, match="DOCTYPE/ENTITY"):
        read_roster("personnel", with_billion_laughs(good))


def test_a_doctype_hidden_behind_seventy_kilobytes_of_comment_is_still_refused(good):
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    padded = b"<!--" + b"<a>" * 24000 + b"-->" + b'<!DOCTYPE x [<!ENTITY e "e">]>' + xml
    with pytest.raises(FileRefused):
        read_roster("personnel", replace_entries(good, {"xl/worksheets/sheet1.xml": padded}))


def test_an_xlsb_workbook_is_refused(good):
    with pytest.raises(FileRefused, match="xlsb"):
        read_roster("personnel", replace_entries(good, {"xl/workbook.bin": b"\x00" * 10}))


def test_a_zip_that_is_not_a_workbook_is_refused(good):
    with pytest.raises(FileRefused, match="不是有效的 .xlsx"):
        read_roster("personnel", replace_entries(good, {"xl/workbook.xml": None}))


def test_too_many_zip_entries_are_refused(good):
    extra = {f"xl/media/x{i}.bin": b"" for i in range(10_001)}
    with pytest.raises(FileRefused, match="条目过多"):
        check_xlsx(replace_entries(good, extra))
