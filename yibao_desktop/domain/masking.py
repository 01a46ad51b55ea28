"""Masking of personal data in exports sent outside the office: 445202********1234, 138****5678."""

from __future__ import annotations

import re

_ID = re.compile(r"\d{17}[\dXx]")
_MOBILE = re.compile(r"1\d{10}")
_ID_IN_TEXT = re.compile(r"(?<![\dXx])(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_personal(value):
    """An ID number keeps its first 6 and last 4 characters, a mobile number its first 3 and last 4; others unchanged."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _ID.fullmatch(text):
        return text[:6] + "*" * 8 + text[-4:]
    if _MOBILE.fullmatch(text):
        return text[:3] + "****" + text[-4:]
    return value


def mask_in_text(text: str) -> str:
    """Every ID number and mobile number inside a longer text masked (audit details, error messages)."""
    return _MOBILE_IN_TEXT.sub(r"\1****\2", _ID_IN_TEXT.sub(lambda m: m[1] + "*" * 8 + m[2], text))
