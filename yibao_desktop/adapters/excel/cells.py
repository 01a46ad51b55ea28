"""Per-column cell parsers: raw calamine values → normalised Python values, or a DomainError in Chinese."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from yibao_desktop.domain import ids
from yibao_desktop.domain.dates import parse_date_text
from yibao_desktop.domain.errors import DomainError

from .columns import Column

NUMERIC_ID_MESSAGE = "Excel 已将该单元格存为数字，身份证号后几位已丢失，请将列设为文本后重新录入"
NUMERIC_CODE_MESSAGE = "Excel 已将该单元格存为数字，长号码的后几位可能已丢失，请将列设为文本后重新录入"

_EXCEL_EPOCH = date(1899, 12, 30)
_MONEY_TEXT = re.compile(r"(\d+)(?:\.(\d{1,2}))?")
_INT_TEXT = re.compile(r"[+-]?\d+(?:\.0+)?")

# Bounds that make a number plausible; outside them the clerk most likely typed into the wrong column.
INT_BOUNDS = {"beds": (0, 100_000), "points": (1, 12)}
FLOAT_BOUNDS = {"longitude": (-180.0, 180.0), "latitude": (-90.0, 90.0)}

_TRUE = frozenset({"是", "Y", "YES", "TRUE", "√"})
_FALSE = frozenset({"否", "N", "NO", "FALSE", "×"})

# Code columns validated by the domain; other code columns are only normalised to upper-case text.
CODE_CHECKERS: dict[str, Callable[[object], str]] = {
    "institution_code": ids.check_institution_code,
    "credit_code": ids.check_credit_code,
    "person_code": ids.check_person_code,
    "region_code": ids.check_region_code,
}
# Text columns that hold a person's name.
NAME_KEYS = frozenset({"name", "legal_representative", "principal"})

Parser = Callable[[object], object]
# Whole-block checks: True when the column's parser would return every value of the block unchanged, so the
# usual clean block skips the cell-by-cell parse (ID numbers, names and codes rarely repeat in a roster).
BLOCK_CHECKS: dict[str, Callable[[Sequence[object]], bool]] = {
    "person_code": ids.person_codes_all_clean,
    **dict.fromkeys(NAME_KEYS, ids.names_all_clean),
}

# Columns of 身份证件号码 (every roster calls its own so).
ID_KEYS = frozenset({"id_number", "legal_representative_id_number"})


def make_block_parser(key: str) -> Callable[[Sequence[object]], list | None] | None:
    """The whole-block parser of a column, when it has one: the parsed values of a block in which every cell is
    clean and valid (what the cell parser would give each), None to parse the block cell by cell."""
    if key in ID_KEYS:
        return partial(ids.id_numbers_all_valid, today=date.today())  # 'today' once per file, like make_str_parser
    return None


def _nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation → ASCII (only when the text is not ASCII already)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _number_text(value: float | int) -> str:
    """A numeric cell as text: whole numbers without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_text(value: object) -> str:
    """Any cell as trimmed text (numbers without '.0', dates ISO)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def too_long(header: str, text: str, limit: int) -> str | None:
    """The cell error of text longer than its database column holds (`limit` characters), else None.

    Counted in characters, as SQLite and PostgreSQL both count them: every import (rosters, the settlement check)
    refuses the cell before anything is written, instead of the engine cutting the text or refusing the commit."""
    if len(text) <= limit:
        return None
    return f"“{header}”最多 {limit} 个字符，现在有 {len(text)} 个字符，请删减后重新导入"


def parse_date(value: object) -> date:
    """Dates typed any common way (2026-3-1, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301) or stored as dates/serials."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return parse_date(str(int(value)))
        if 1 <= value < 73051:  # Excel serial numbers up to 2099-12-31
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise DomainError(f"日期格式不对：“{_number_text(value)}”（请写成 2026-03-01）")
    return parse_date_text(str(value))


def parse_money(value: object) -> int:
    """An amount in yuan ('1,234.50', '¥12', 12.5) → integer fen; at most 2 decimals, not negative."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fen = round(value * 100)
        if abs(value * 100 - fen) > 1e-6 * max(1.0, abs(value)):
            raise DomainError(f"金额最多保留两位小数：“{value}”")
    else:
        text = _nfkc(str(value).strip()).replace(",", "").replace("¥", "").removesuffix("元").strip()
        match = _MONEY_TEXT.fullmatch(text)
        if match is None:
            raise DomainError(f"金额格式不对：“{value}”（请填写数字，单位元，最多两位小数，如 1234.50）")
        fen = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    if fen < 0:
        raise DomainError(f"金额不能为负数：“{value}”")
    return fen


def _parse_int(value: object) -> int:
    """A whole number from a numeric cell or digits text."""
    if isinstance(value, bool):
        raise DomainError(f"应填写整数：“{value}”")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return int(value)
        raise DomainError(f"应填写整数：“{value}”")
    text = _nfkc(str(value).strip()).replace(",", "")
    if not _INT_TEXT.fullmatch(text):
        raise DomainError(f"应填写整数：“{value}”")
    return int(float(text))


def _parse_float(value: object) -> float:
    """A decimal number from a numeric cell or text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(_nfkc(str(value).strip()))
    except ValueError:
        raise DomainError(f"应填写数字：“{value}”") from None


def _bounded(parse: Parser, low: float, high: float) -> Parser:
    """Wrap a number parser with a plausibility range."""

    def parse_bounded(value: object) -> object:
        number = parse(value)
        if not low <= number <= high:
            raise DomainError(f"数值应在 {low:g} 至 {high:g} 之间，现在是 {number:g}")
        return number

    return parse_bounded


def parse_bool(value: object) -> bool:
    """是/否 (also Y/N, TRUE/FALSE, a real Boolean cell) → bool."""
    if isinstance(value, bool):
        return value
    text = _nfkc(str(value).strip()).upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DomainError(f"只能填写“是”或“否”，现在是“{value}”")


def _choice_parser(choices: tuple[str, ...]) -> Parser:
    """Exact match against the allowed choices (after trimming)."""
    allowed = frozenset(choices)
    listing = "、".join(choices)

    def parse_choice(value: object) -> str:
        text = parse_text(value)
        if text not in allowed:
            raise DomainError(f"只能填写：{listing}（现在是“{text}”）")
        return text

    return parse_choice


def parse_id(value: object) -> ids.IdInfo:
    """A 身份证件号码 cell → IdInfo; a numeric cell is refused because Excel has already cut its digits."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise DomainError(NUMERIC_ID_MESSAGE)
    return ids.check_id_number(value)


def _code_parser(key: str) -> Parser:
    """Upper-case code text, checked by the domain where the format is known."""
    checker = CODE_CHECKERS.get(key)

    def parse_code(value: object) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not float(value).is_integer() or abs(value) >= 1e15:
                raise DomainError(NUMERIC_CODE_MESSAGE)
            if checker is not ids.check_region_code:
                value = str(int(value))
        if checker is not None:
            return checker(value)
        return "".join(_nfkc(str(value)).split()).upper()

    return parse_code


def _text_parser(key: str) -> Parser:
    """Plain text; names go through the domain's name check."""
    if key in NAME_KEYS:
        return lambda value: ids.check_name(parse_text(value))
    return parse_text


def make_parser(col: Column, choices: tuple[str, ...] | None = None) -> Parser:
    """Return the function that turns one non-blank raw cell of `col` into its value (or raises DomainError)."""
    kind = col.kind
    if kind == "text":
        return _text_parser(col.key)
    if kind == "code":
        return _code_parser(col.key)
    if kind == "id":
        return parse_id
    if kind == "date":
        return parse_date
    if kind == "money":
        return parse_money
    if kind == "int":
        low, high = INT_BOUNDS.get(col.key, (-(10**15), 10**15))
        return _bounded(_parse_int, low, high)
    if kind == "float":
        low, high = FLOAT_BOUNDS.get(col.key, (-1e15, 1e15))
        return _bounded(_parse_float, low, high)
    if kind == "choice":
        return _choice_parser(choices if choices is not None else col.choices)
    if kind == "bool":
        return parse_bool
    raise ValueError(f"unknown column kind {kind!r}")


def make_str_parser(col: Column, choices: tuple[str, ...] | None = None) -> Parser:
    """A faster parser for the common case, a non-blank trimmed text cell: the domain check itself."""
    if col.kind == "id":
        # 'today' once per file rather than once per row (one read takes seconds, not days).
        return partial(ids.check_id_number, today=date.today())
    if col.kind == "text" and col.key in NAME_KEYS:
        return ids.check_name
    if col.kind == "code" and col.key in CODE_CHECKERS:
        return CODE_CHECKERS[col.key]
    return make_parser(col, choices)
