"""Dates as clerks type them: 2026-3-1, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301 (forms and rosters alike)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from .errors import DomainError

_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date_text(text: str) -> date:
    """The date in `text` (full-width digits accepted); a DomainError in Chinese when it is none."""
    text = str(text).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    match = _DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if match is None:
        raise DomainError(f"日期格式不对：“{text}”（请写成 2026-03-01）")
    try:
        result = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise DomainError(f"日期不存在：“{text}”") from None
    if not 1900 <= result.year <= 2100:
        raise DomainError(f"日期年份不合理：“{text}”")
    return result
