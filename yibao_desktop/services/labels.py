"""Chinese labels for codes stored in the database (kinds, ownership, agreement statuses)."""

from __future__ import annotations

from enum import StrEnum


def enum_label(enum_cls: type[StrEnum], value: str) -> str:
    """The .label of an enum value, or the raw value when unknown (old data never crashes a table)."""
    try:
        return enum_cls(value).label  # type: ignore[attr-defined]
    except ValueError:
        return value or ""


def search_text(*parts: object) -> str:
    """One lower-case string a search box matches with `in` (name, initials, codes, ID number)."""
    return " ".join(str(p) for p in parts if p).lower()
