"""Pinyin-initials search keys for names, indexing every reading of polyphonic characters (曾 zeng/ceng …)."""

from __future__ import annotations

import itertools
import math
import unicodedata
from functools import lru_cache

# Each extra reading multiplies the keys; past this many the given name keeps only its usual reading.
MAX_COMBINATIONS = 8
_DROPPED = set("·•・‧\u3000’")


def _readings(char: str, usual: str) -> list[str]:
    """Initials of every reading of one character, the usual one (in context) first; [] when it has none."""
    if char.isascii():
        return [char.lower()] if char.isalnum() else []
    if char in _DROPPED:
        return []
    from pypinyin import Style, pinyin  # lazy: its phrase dictionary costs ~0.5 s at start-up

    alternatives = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    letters = [usual[:1].lower()] if usual and usual != char and usual[:1].isascii() else []
    for reading in alternatives[0] if alternatives else []:
        first = reading[:1].lower()
        if first.isascii() and first.isalpha() and first not in letters:
            letters.append(first)
    return letters


def _per_character(name: str) -> list[list[str]]:
    """Initial choices for each character of `name` that yields one."""
    from pypinyin import Style, lazy_pinyin

    chars = list(name)
    usual = lazy_pinyin(name, style=Style.NORMAL, errors=lambda text: list(text))
    if len(usual) != len(chars):
        usual = [lazy_pinyin(c, errors=lambda text: list(text))[0] if c.strip() else "" for c in chars]
    choices = [_readings(c, u) for c, u in zip(chars, usual, strict=True)]
    return [c for c in choices if c]


@lru_cache(maxsize=50_000)
def _char_readings(char: str) -> tuple[str, ...]:
    """Initials of every reading of one character, out of context (cached: imports read 100k names).

    Read straight from pypinyin's character table: the same readings in the same order as pinyin(char,
    heteronym=True), without loading its phrase dictionaries (a quarter of a second on the first name).
    """
    if char.isascii() or char in _DROPPED:
        return tuple(_readings(char, ""))
    from pypinyin.pinyin_dict import pinyin_dict

    letters: list[str] = []
    for reading in pinyin_dict.get(ord(char), "").split(","):
        first = unicodedata.normalize("NFD", reading[:1])
        # ê (欸 ê̄/ế …) has no initial in pypinyin's plain style: skipped there, skipped here
        if first[:1].isascii() and first[:1].isalpha() and "\u0302" not in first and first[0] not in letters:
            letters.append(first[0])
    return tuple(letters)


def _combine(choices: list[list[str]] | list[tuple[str, ...]]) -> str:
    """Every combination, the surname keeping all its readings, later characters expanding while the cap allows."""
    if not choices:
        return ""
    limited = [choices[0]]
    total = len(choices[0])
    for options in choices[1:]:
        if total * len(options) <= MAX_COMBINATIONS:
            limited.append(options)
            total *= len(options)
        else:
            limited.append(options[:1])
    return " ".join(dict.fromkeys("".join(combo) for combo in itertools.product(*limited)))


@lru_cache(maxsize=200_000)
def initials_key(name: str) -> str:
    """Space-separated lowercase initials for every reading combination, e.g. '曾志伟' → 'zzw czw'."""
    name = name.strip()
    simple = [c for c in map(_char_readings, name) if c]
    if all(len(c) == 1 for c in simple):
        # one reading per character (most names): the single combination, without product and dedup
        return "".join(c[0] for c in simple)
    if math.prod(len(c) for c in simple) <= MAX_COMBINATIONS:
        # every reading is kept, so the phrase context (slow to look up) cannot change the set of keys
        return _combine(simple)
    return _combine(_per_character(name))


def normalize_query(query: str) -> str:
    """The query as it must appear inside one key: lowercase ASCII letters and digits only."""
    return "".join(c.lower() for c in query if c.isascii() and c.isalnum())


def initials_match(key: str, query: str) -> bool:
    """True when the (normalised) query occurs inside one of the key's combinations; an empty query matches."""
    wanted = normalize_query(query)
    if not wanted:
        return True
    return any(wanted in part for part in key.split())
