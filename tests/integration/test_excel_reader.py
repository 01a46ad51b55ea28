"""read_roster: file flavours (Excel, WPS, LibreOffice), headers, cell parsing and every validation message."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.fixtures.excel_factory import excel_like, libreoffice_like, roster_file, roster_sheet, wps_like
from yibao_desktop.adapters.excel import Cancelled, FileRefused, columns, read_roster
from yibao_desktop.adapters.excel.cells import NUMERIC_ID_MESSAGE, parse_date, parse_money
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import make_id_number

ZHANG = make_id_number("445202", date(1995, 3, 1), 0, "男")  # 445202199503010018-like, valid
LI = make_id_number("445202", date(1988, 12, 31), 3, "女")
HOSPITAL = "H44520200001"


def person(**overrides) -> dict:
    """A valid personnel record, changed by `overrides`."""
    rec = {
        "name": "张三",
        "person_code": "D445202000001",
        "id_number": ZHANG,
        "sex": "男",
        "birth_date": date(1995, 3, 1),
        "phone": "13800138000",
        "institution_name": "揭阳市人民医院",
        "institution_code": HOSPITAL,
        "region_code": "445202",
        "status": "正常",
        "commitment_signed": "是",
    }
    rec.update(overrides)
    return rec


def messages(result, column: str | None = None) -> list[str]:
    """Error messages (optionally of one column)."""
    return [p.message for p in result.errors if column is None or p.column == column]


def test_a_valid_excel_roster_reads_every_field_normalised():
    result = read_roster("personnel", roster_file("personnel", [person(person_code="d445202000001")]))
    assert result.problems == [] and result.total_rows == 1
    row = result.rows[0]
    assert row["_row"] == 2 and row["id_number"] == ZHANG and row["person_code"] == "D445202000001"
    assert row["birth_date"] == date(1995, 3, 1) and row["commitment_signed"] is True
    assert row["institution_code"] == HOSPITAL and row["region_code"] == "445202" and row["status"] == "正常"


def test_birth_date_and_sex_left_blank_are_filled_from_the_id_number():
    result = read_roster("personnel", roster_file("personnel", [person(sex=None, birth_date=None, id_number=LI)]))
    assert result.rows[0]["birth_date"] == date(1988, 12, 31) and result.rows[0]["sex"] == "女"


@pytest.mark.parametrize("dimension", ["A1", "A1:Z1048576", "A1:XFD1048576"])
def test_a_wps_file_with_a_lying_dimension_still_reads_all_thirty_rows(dimension):
    records = [person(id_number=make_id_number("445202", date(1995, 3, 1), i, "男"), name=f"张{i}") for i in range(30)]
    result = read_roster("personnel", wps_like(roster_file("personnel", records), dimension))
    assert result.total_rows == 30 and result.errors == []
    assert result.rows[-1]["_row"] == 31


def test_a_libreoffice_file_with_inline_strings_and_text_dates_reads_like_excel():
    sheet = roster_sheet("personnel", [person(), person(id_number=LI, sex="女", birth_date="1988年12月31日")])
    result = read_roster("personnel", libreoffice_like(sheet))
    assert result.errors == []
    assert [r["birth_date"] for r in result.rows] == [date(1995, 3, 1), date(1988, 12, 31)]
    assert [r["name"] for r in result.rows] == ["张三", "张三"]


def test_headers_in_another_order_with_spaces_and_extra_columns_are_accepted():
    sheet = [[" 身份证件号码 ", "备注列", "医药机构代码", "姓\u3000名"], [ZHANG, "随便写", HOSPITAL, "张三"]]
    result = read_roster("personnel", excel_like(sheet, text_columns=(0,)))
    assert result.errors == [] and result.rows[0]["name"] == "张三" and result.rows[0]["id_number"] == ZHANG
    assert any(p.column == "性别" and p.severity == "warning" for p in result.problems)


def test_a_missing_required_header_refuses_the_file_and_names_the_header():
    sheet = [["姓名", "医药机构代码"], ["张三", HOSPITAL]]
    with pytest.raises(FileRefused, match="身份证件号码"):
        read_roster("personnel", excel_like(sheet))


def test_a_score_roster_offered_as_personnel_is_named_in_the_refusal():
    data = roster_file("scores", [{"id_number": ZHANG, "name": "张三"}])
    with pytest.raises(FileRefused, match="记分名册"):
        read_roster("personnel", data)


def test_an_empty_sheet_is_refused():
    with pytest.raises(FileRefused, match="空"):
        read_roster("personnel", excel_like([]))


def test_blank_rows_are_skipped_and_rows_after_fifty_blank_rows_are_read_with_a_warning():
    sheet = roster_sheet("personnel", [person()])
    sheet += [[None] * 16] * 10 + [roster_sheet("personnel", [person(id_number=LI, sex="女", birth_date=None)])[1]]
    bad_id = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
    later = person(name="李四", person_code="D445202000002", id_number=bad_id)
    sheet += [[None] * 16] * 50 + [roster_sheet("personnel", [later])[1]]
    result = read_roster("personnel", excel_like(sheet, text_columns=(2,)))
    assert [r["_row"] for r in result.rows] == [2, 13, 64] and result.total_rows == 3
    gap = [p for p in result.problems if p.row == 64 and p.severity == "warning"]
    assert [p.message for p in gap] == [
        "本行之前有 50 行空行（第 14–63 行），空行之后的数据也已读取并检查；请确认本行确属名册"
    ]
    assert any(p.row == 64 and p.column == "身份证件号码" for p in result.errors)  # checked like any other row


def test_a_blank_run_across_a_block_boundary_still_warns():
    rows = [
        person(
            name=f"张{i}",
            person_code=f"D4452020{i:05d}",
            birth_date=None,
            id_number=make_id_number("445202", date(1995, 3, 1 + i // 400), i % 400, "男"),
        )
        for i in range(979)
    ]
    last = roster_sheet("personnel", [person(id_number=LI, sex="女", birth_date=None)])[1:]
    sheet = roster_sheet("personnel", rows) + [[None] * 16] * 60 + last
    result = read_roster("personnel", excel_like(sheet, text_columns=(2,)))
    assert result.total_rows == 980 and result.rows[-1]["_row"] == 1041 and result.errors == []
    gaps = [p for p in result.problems if p.column == ""]
    assert [(p.row, p.severity) for p in gaps] == [(1041, "warning")]
    assert "本行之前有 60 行空行（第 981–1040 行）" in gaps[0].message


def test_text_longer_than_its_database_column_is_an_error_of_its_cell():
    sheet = roster_sheet(
        "personnel",
        [
            person(practice_scope="内" * 101),
            person(id_number=LI, sex="女", birth_date=None, title="𠀀" * 41),  # Ext-B counts one, as in PostgreSQL
            person(
                id_number=make_id_number("445202", date(1990, 1, 1), 5, "男"),
                birth_date=None,
                practice_scope="外" * 100,
            ),
        ],
    )
    result = read_roster(
        "personnel", excel_like(sheet, text_columns=(2,)), max_lengths={"practice_scope": 100, "title": 40}
    )
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (2, "执业范围", "“执业范围”最多 100 个字符，现在有 101 个字符，请删减后重新导入"),
        (3, "专业技术职务", "“专业技术职务”最多 40 个字符，现在有 41 个字符，请删减后重新导入"),
    ]
    assert result.rows[2]["practice_scope"] == "外" * 100  # exactly the limit is fine


def test_a_bad_check_digit_is_reported_on_its_row_and_column():
    bad = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
    result = read_roster("personnel", roster_file("personnel", [person(), person(id_number=bad)]))
    assert [(p.row, p.column) for p in result.errors] == [(3, "身份证件号码")]
    assert "校验位" in result.errors[0].message


def test_a_numeric_id_cell_is_refused_as_already_damaged_by_excel():
    sheet = roster_sheet("personnel", [person(id_number=int(ZHANG[:17] + "0"))])
    result = read_roster("personnel", excel_like(sheet))
    assert messages(result, "身份证件号码") == [NUMERIC_ID_MESSAGE]


def test_sex_and_birth_date_that_disagree_with_the_id_number_are_errors():
    result = read_roster(
        "personnel",
        roster_file(
            "personnel",
            [person(sex="女"), person(birth_date=date(1995, 3, 2), institution_code="H44520200002")],
        ),
    )
    assert [(p.row, p.column) for p in result.errors] == [(2, "性别"), (3, "出生日期")]
    assert "不一致" in result.errors[0].message and "1995-03-01" in result.errors[1].message


def test_bad_institution_person_and_region_codes_are_reported_by_column():
    result = read_roster(
        "personnel",
        roster_file("personnel", [person(institution_code="X4452", person_code="Q1", region_code="44520")]),
    )
    assert sorted(p.column for p in result.errors) == ["医保区划", "医保相关人员代码", "医药机构代码"]
    assert "H44520200001" in messages(result, "医药机构代码")[0]


@pytest.mark.parametrize(
    "text",
    [
        "2026-3-1",
        "2026/3/1",
        "2026.3.1",
        "2026年3月1日",
        "20260301",
        "2026-03-01 00:00:00",
        "２０２６－３－１",
    ],
)
def test_every_common_date_spelling_means_march_first_2026(text):
    assert parse_date(text) == date(2026, 3, 1)


def test_an_excel_serial_number_and_a_datetime_are_dates():
    from datetime import datetime

    assert parse_date(46082.0) == date(2026, 3, 1)
    assert parse_date(datetime(2026, 3, 1, 9, 30)) == date(2026, 3, 1)


def test_an_impossible_and_a_garbled_date_are_reported():
    result = read_roster(
        "personnel",
        roster_file(
            "personnel",
            [
                person(commitment_date="2026-02-30"),
                person(id_number=LI, sex=None, birth_date=None, commitment_date="三月一日"),
            ],
        ),
    )
    assert [(p.row, p.message) for p in result.errors] == [
        (2, "日期不存在：“2026-02-30”"),
        (3, "日期格式不对：“三月一日”（请写成 2026-03-01）"),
    ]


def test_a_value_outside_the_choices_lists_the_allowed_ones():
    result = read_roster("personnel", roster_file("personnel", [person(status="停用")]))
    assert messages(result, "登记备案状态") == ["只能填写：正常、暂停、终止（现在是“停用”）"]


def test_a_blank_required_cell_is_an_error_naming_the_header():
    result = read_roster("personnel", roster_file("personnel", [person(name=None)]))
    assert [(p.row, p.column, p.message) for p in result.errors] == [(2, "姓名", "“姓名”不能为空")]


def test_the_second_row_of_an_in_file_duplicate_names_the_first():
    result = read_roster(
        "personnel",
        roster_file("personnel", [person(), person(id_number=LI, sex="女", birth_date=None), person(name="张三丰")]),
    )
    assert [(p.row, p.message) for p in result.errors] == [(4, "与第 2 行重复（身份证件号码、医药机构代码相同）")]


def test_the_same_person_at_two_institutions_is_not_a_duplicate():
    result = read_roster("personnel", roster_file("personnel", [person(), person(institution_code="H44520200002")]))
    assert result.errors == []


@pytest.mark.parametrize(
    ("raw", "fen"), [("1,234.50", 123450), ("¥12", 1200), ("12.5元", 1250), (99.99, 9999), (3, 300)]
)
def test_money_in_yuan_becomes_integer_fen(raw, fen):
    assert parse_money(raw) == fen


@pytest.mark.parametrize("raw", ["12.345", "十二元", "-5", 1.005])
def test_money_with_three_decimals_words_or_a_minus_is_refused(raw):
    with pytest.raises(DomainError):
        parse_money(raw)


def test_score_rows_check_money_points_and_duplicates_per_decision_person_and_violation():
    base = {
        "id_number": ZHANG,
        "name": "张三",
        "institution_code": HOSPITAL,
        "decision_kind": "协议处理",
        "decision_no": "揭医保处〔2026〕3号",
        "decision_date": "2026/3/1",
        "violation_code": "b1-01",
        "responsibility": "主要",
        "amount": "1,234.50",
    }
    records = [base, {**base, "violation_code": "B1-02", "amount": "12.345", "points": 13}, base]
    result = read_roster("scores", roster_file("scores", records))
    assert result.rows[0]["amount"] == 123450 and result.rows[0]["violation_code"] == "B1-01"
    assert result.rows[0]["decision_date"] == date(2026, 3, 1)
    assert [(p.row, p.column) for p in result.errors] == [(3, "记分"), (3, "涉及金额"), (4, "决定文书号")]
    assert "1 至 12" in result.errors[0].message and "两位小数" in result.errors[1].message


def test_a_claim_line_without_person_code_or_id_number_is_an_error():
    records = [
        {
            "claim_id": "JS001",
            "institution_code": HOSPITAL,
            "service_date": "2026-03-01",
            "fund_amount": 100,
            "emergency": "否",
        }
    ]
    result = read_roster("claims", roster_file("claims", records))
    assert messages(result) == ["医保相关人员代码和身份证件号码至少填写一项"]
    assert result.rows[0]["fund_amount"] == 10000 and result.rows[0]["emergency"] is False


def test_an_institution_of_pharmacy_kind_needs_a_p_code_and_an_agreement_that_ends_after_it_starts():
    rec = {
        "name": "某大药房",
        "institution_code": HOSPITAL,
        "kind": "定点零售药店",
        "ownership": "社会办",
        "agreement_start": "2026-01-01",
        "agreement_end": "2025-12-31",
        "beds": "0",
    }
    result = read_roster("institutions", roster_file("institutions", [rec]))
    assert [p.column for p in result.errors] == ["医药机构代码", "协议结束日期"]


def test_progress_is_reported_every_thousand_rows_and_cancel_stops_the_read():
    sheet = roster_sheet("personnel", [person(name=f"人{i}") for i in range(2100)])
    data = excel_like(sheet, text_columns=(2,))
    calls = []
    read_roster("personnel", data, progress=lambda done, total: calls.append((done, total)))
    assert [c[0] for c in calls] == [999, 1999, 2100] and calls[-1] == (2100, 2100)
    with pytest.raises(Cancelled):
        read_roster("personnel", data, cancelled=lambda: True)


def test_the_layouts_carry_exactly_the_spec_headers():
    assert [c.header for c in columns("claims")] == [
        "结算流水号",
        "医药机构代码",
        "医保相关人员代码",
        "身份证件号码",
        "服务日期",
        "基金支付金额",
        "是否急诊抢救",
    ]
    assert len(columns("institutions")) == 21 and len(columns("personnel")) == 16 and len(columns("scores")) == 14


def test_the_sheet_named_after_the_roster_is_read_even_when_it_is_not_first():
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active["A1"] = "这里不是名册"
    sheet = book.create_sheet("人员登记备案名册")
    for row in roster_sheet("personnel", [person()]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_roster("personnel", buffer.getvalue())
    assert result.total_rows == 1 and result.rows[0]["id_number"] == ZHANG


def test_extra_choices_given_by_the_caller_are_accepted_on_import():
    data = roster_file("personnel", [person(status="注销")])
    assert messages(read_roster("personnel", data), "登记备案状态")
    result = read_roster("personnel", data, extra_choices={"status": ["注销"]})
    assert result.errors == [] and result.rows[0]["status"] == "注销"


class _FakeSheet:
    """What sheet_blocks uses of a calamine sheet."""

    def __init__(self, rows, start=(0, 0)):
        self.rows, self.start = rows, start

    def iter_rows(self):
        return iter(self.rows)


def test_sheet_blocks_give_every_row_to_the_end_of_the_sheet():
    from yibao_desktop.adapters.excel.reader import sheet_blocks

    data = [["x", 1]] * 980 + [["", ""]] * 49 + [["y", 2]] + [["", ""]] * 500 + [["z", 3]]
    rows = [r for block in sheet_blocks(_FakeSheet(data), 1000) for r in block]
    assert rows == data


def test_sheet_blocks_pad_rows_that_start_right_of_column_a():
    from yibao_desktop.adapters.excel.reader import sheet_blocks

    blocks = list(sheet_blocks(_FakeSheet([["a", "b"], ["c", 0]], start=(0, 2)), 1000, first=1))
    assert blocks == [[["", "", "a", "b"]], [["", "", "c", 0]]]


def _with_formulas_and_merges(build) -> bytes:
    """A personnel roster written by openpyxl, changed by `build(sheet)` (formulas are saved without a value)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in roster_sheet("personnel", [person(), person(id_number=LI, sex="女", birth_date=None)]):
        sheet.append(row)
    build(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_merged_cell_is_reported_as_a_merged_cell_not_as_blank():
    def build(sheet):
        sheet["H3"] = None
        sheet.merge_cells("H2:H3")  # 医药机构代码 merged over two rows: only H2 holds the code

    result = read_roster("personnel", _with_formulas_and_merges(build))
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (3, "医药机构代码", "合并单元格（H2:H3）：只有第一格 H2 有值，其余格读作空白；请取消合并，在每一行分别填写")
    ]
    assert not any("不能为空" in p.message for p in result.problems)


def test_a_formula_without_a_stored_value_says_so_even_in_an_optional_column_and_below_the_last_value():
    def build(sheet):
        sheet["A3"] = "=A2"  # required 姓名
        sheet["L3"] = "=L2"  # optional 执业范围: would be stored blank without a word
        sheet["A4"], sheet["C4"] = "=A2", "=C2"  # a row of formulas only, below calamine's last value

    result = read_roster("personnel", _with_formulas_and_merges(build))
    found = {(p.row, p.column): p.message for p in result.errors}
    formula = "公式未保存计算结果，请在 Excel 中重新计算并保存"
    assert found == {
        (3, "姓名"): formula,
        (3, "执业范围"): formula,
        (4, "姓名"): formula,
        (4, "身份证件号码"): formula,
        (4, "医药机构代码"): "“医药机构代码”不能为空",
    }


def test_a_formula_with_its_value_saved_reads_the_value_and_an_empty_text_result_is_blank():
    import re

    from tests.fixtures.excel_factory import replace_entries, sheet_xml

    data = roster_file(
        "personnel", [person(title="x"), person(id_number=LI, sex="女", birth_date=None, practice_scope="x")]
    )
    xml = sheet_xml(data)
    # Excel's way of saving formulas with results: a text result, and an empty text result of an optional cell
    xml = re.sub(r'<c r="L3"[^>]*>.*?</c>', '<c r="L3" t="str"><f>IF(1,"","x")</f><v></v></c>', xml)
    xml = re.sub(r'<c r="M2"[^>]*>.*?</c>', '<c r="M2" t="str"><f>"主治医师"</f><v>主治医师</v></c>', xml)
    result = read_roster("personnel", replace_entries(data, {"xl/worksheets/sheet1.xml": xml.encode()}))
    assert result.errors == [] and result.rows[0]["title"] == "主治医师"
    assert result.rows[1]["practice_scope"] is None


@pytest.mark.parametrize("make", [roster_file, lambda kind, recs: libreoffice_like(roster_sheet(kind, recs))])
def test_a_sheet_read_in_slices_gives_exactly_what_a_whole_read_gives(monkeypatch, make):
    from yibao_desktop.adapters.excel import slices

    records = [
        person(
            name=f"张{i}",
            person_code=f"D4452020{i:05d}",
            birth_date=None,
            commitment_date=date(2026, 1, 5),
            id_number=make_id_number("445202", date(1995, 3, 1 + i // 400), i % 400, "男"),
        )
        for i in range(300)
    ]
    records[7]["id_number"] = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
    sheet_rows = roster_sheet("personnel", records)
    data = make("personnel", records) if make is roster_file else make("personnel", records)
    whole = read_roster("personnel", data)
    monkeypatch.setattr(slices, "SLICE_ABOVE", 0)
    monkeypatch.setattr(slices, "SLICE_BYTES", 3000)  # a few rows a slice
    sliced = read_roster("personnel", data)
    assert sliced.rows == whole.rows and sliced.problems == whole.problems and len(sheet_rows) == 301
    assert sliced.rows[-1]["_row"] == 301 and sliced.rows[0]["commitment_date"] == date(2026, 1, 5)


def test_a_column_merged_far_below_the_last_value_is_reported_and_the_error_limit_still_stops_it():
    from tests.fixtures.excel_factory import replace_entries, sheet_xml

    def merged_file(ref: str) -> bytes:  # written into the XML: openpyxl would make a million MergedCell objects
        data = _with_formulas_and_merges(lambda sheet: None)
        xml = sheet_xml(data).replace(
            "</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>', 1
        )
        return replace_entries(data, {"xl/worksheets/sheet1.xml": xml.encode()})

    # 执业范围 merged from row 3 down to Excel's last row
    result = read_roster("personnel", merged_file("L3:L1048576"), max_errors=2500)
    merged = [p for p in result.errors if p.column == "执业范围"]
    # below the last value each such row also lacks its three required cells: four errors a row, and the limit
    # stops the check after the first block of a thousand rows instead of a million rows later
    assert not result.complete and len(merged) == 1000 and (merged[0].row, merged[-1].row) == (4, 1003)
    assert merged[0].message.startswith("合并单元格（L3:L1048576）：只有第一格 L3 有值")
    assert "检查已在第 1003 行停止" in result.problems[-1].message
    whole = read_roster("personnel", merged_file("L3:L2500"))
    assert whole.complete and len([p for p in whole.errors if p.column == "执业范围"]) == 2497
