"""Blank roster templates: exact headers, text-formatted code columns, drop-downs from a hidden sheet, 填写说明."""

from __future__ import annotations

import io

from .columns import Column, columns, merged_choices, roster_title

TEMPLATE_ROWS = 2000
LISTS_SHEET = "选项"
HELP_SHEET = "填写说明"

_KIND_HELP = {
    "text": "文字",
    "code": "代码，按文本填写（字母大写）",
    "id": "18位身份证件号码，按文本填写；不要让 Excel 存成数字",
    "date": "日期，如 2026-03-01（也可写 2026/3/1、2026年3月1日）",
    "int": "整数",
    "money": "金额，单位元，最多两位小数，如 1234.50",
    "float": "数字（可带小数）",
    "choice": "从下拉列表中选择",
    "bool": "填“是”或“否”",
}
_KEY_HELP = {
    "institution_code": "医院类为“H”加11位数字，定点零售药店为“P”加11位数字，如 H44520200001",
    "credit_code": "18位统一社会信用代码",
    "person_code": "医师为“D”加12位数字；药师、技师为“HY”或“HJ”加12位数字",
    "region_code": "6位医保区划代码，如 445202",
    "birth_date": "可不填；填写时须与身份证件号码一致",
    "sex": "可不填；填写时须与身份证件号码一致",
    "points": "可不填，由系统按记分标准提出；填写时须为1至12的整数且符合记分档次",
    "id_number": "18位身份证件号码，按文本填写；不要让 Excel 存成数字",
}


def write_template(kind: str, *, extra_choices: dict[str, list[str]] | None = None) -> bytes:
    """Return a blank roster template (.xlsx bytes) for one of ROSTER_KINDS."""
    from openpyxl import Workbook

    cols = columns(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = roster_title(kind)
    lists = book.create_sheet(LISTS_SHEET)
    _write_headers(sheet, cols)
    _format_columns(sheet, cols)
    _add_dropdowns(sheet, lists, cols, extra_choices)
    lists.sheet_state = "hidden"
    _write_help(book.create_sheet(HELP_SHEET), kind, cols, extra_choices)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_headers(sheet, cols: tuple[Column, ...]) -> None:
    """Bold headers, required ones in red, frozen under row 1."""
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(cols, 1):
        cell = sheet.cell(row=1, column=i, value=col.header)
        cell.font = Font(bold=True, color="C00000" if col.required else "000000")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"


def _format_columns(sheet, cols: tuple[Column, ...]) -> None:
    """Widths for all columns; text format for codes and IDs, date format for dates, before anything is typed."""
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(cols, 1):
        letter = get_column_letter(i)
        dim = sheet.column_dimensions[letter]
        dim.width = col.width
        fmt = {"code": "@", "id": "@", "date": "yyyy-mm-dd", "money": "0.00"}.get(col.kind)
        if fmt is None:
            continue
        dim.number_format = fmt
        # Column styles are ignored by some programs (older WPS), so the first rows carry the format too.
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=i).number_format = fmt


def _add_dropdowns(sheet, lists, cols: tuple[Column, ...], extra_choices) -> None:
    """One list per choice column on the hidden sheet, referenced by a list data validation."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    list_col = 0
    for i, col in enumerate(cols, 1):
        choices = merged_choices(col, extra_choices)
        if not choices:
            continue
        list_col += 1
        lists.cell(row=1, column=list_col, value=col.header)
        for r, choice in enumerate(choices, 2):
            lists.cell(row=r, column=list_col, value=choice)
        letter = get_column_letter(list_col)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"
        dv = DataValidation(type="list", formula1=ref, allow_blank=True, showDropDown=False)
        dv.error = f"请从下拉列表中选择“{col.header}”"
        dv.errorTitle = "输入值无效"
        dv.showErrorMessage = True
        target = get_column_letter(i)
        dv.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(dv)


def _write_help(sheet, kind: str, cols: tuple[Column, ...], extra_choices) -> None:
    """The 填写说明 sheet: general rules, then one line per column."""
    from openpyxl.styles import Alignment, Font

    title = roster_title(kind)
    lines = [
        (f"《{title}》填写说明", "", ""),
        ("1. 第一行是表头，请勿修改、删除；可以在最后增加其他列，导入时会忽略。", "", ""),
        ("2. 从第二行起每行填写一条记录；红色表头为必填项。", "", ""),
        (
            "3. 身份证件号码和各类代码须按“文本”填写；若 Excel 把号码显示成 1.23E+17，"
            "说明已被存成数字，号码已损坏，须重新录入。",
            "",
            "",
        ),
        (
            "4. 导入前系统会逐行检查，有问题的单元格会在错误报告中标红并说明原因，检查全部通过后才写入数据库。",
            "",
            "",
        ),
        ("", "", ""),
        ("列名", "是否必填", "填写要求"),
    ]
    for col in cols:
        need = _KEY_HELP.get(col.key) or _KIND_HELP[col.kind]
        choices = merged_choices(col, extra_choices)
        if choices and col.kind == "choice":
            need += "：" + "、".join(choices)
        lines.append((col.header, "必填" if col.required else "选填", need))
    for row in lines:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[7]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=8):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
