"""Pinyin-initials search keys for names, indexing every reading of polyphonic characters (曾 zeng/ceng …)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import math
import sys
import unicodedata
from functools import lru_cache
from typing import Any, cast

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


def _keep_characters(text: str) -> Any:
    """pypinyin's error handler: keep each character without a reading as itself (one item per character)."""
    return list(text)


def _per_character(name: str) -> list[list[str]]:
    """Initial choices for each character of `name` that yields one."""
    from pypinyin import Style, lazy_pinyin

    chars = list(name)
    usual = lazy_pinyin(name, style=Style.NORMAL, errors=_keep_characters)
    if len(usual) != len(chars):
        usual = [lazy_pinyin(c, errors=_keep_characters)[0] if c.strip() else "" for c in chars]
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
    letters: list[str] = []
    for reading in _character_table().get(ord(char), "").split(","):
        first = unicodedata.normalize("NFD", reading[:1])
        # ê (欸 ê̄/ế …) has no initial in pypinyin's plain style: skipped there, skipped here
        if first[:1].isascii() and first[:1].isalpha() and "\u0302" not in first and first[0] not in letters:
            letters.append(first[0])
    return tuple(letters)


@lru_cache(maxsize=1)
def _character_table() -> dict[int, str]:
    """pypinyin's code point → 'reading,reading' table.

    Loaded as a module of its own where the package is on disk: importing the pypinyin package first loads its
    phrase dictionaries, a quarter of a second that bulk imports of names would pay for nothing. Elsewhere (the
    frozen build keeps modules in an archive) it comes through the package as usual.
    """
    loaded = sys.modules.get("pypinyin.pinyin_dict")
    if loaded is None:
        package = importlib.util.find_spec("pypinyin")
        places = list(package.submodule_search_locations or ()) if package is not None else []
        spec = importlib.machinery.PathFinder.find_spec("pypinyin.pinyin_dict", places) if places else None
        if spec is not None and spec.loader is not None:
            loaded = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(loaded)
            return loaded.pinyin_dict
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


def warm_up() -> None:
    """Load pypinyin's tables now (about a quarter of a second), e.g. on a thread while a file is parsed.

    The package first, so that the character table is then taken from it rather than loaded a second time."""
    _per_character("曾")
    _character_table()


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


@lru_cache(maxsize=50_000)
def _sole_initial(char: str) -> str | None:
    """The one initial of a character ('' when it has none); None when its readings start differently."""
    readings = _char_readings(char)
    if len(readings) > 1:
        return None
    return readings[0] if readings else ""


@lru_cache(maxsize=200_000)
def initials_key(name: str) -> str:
    """Space-separated lowercase initials for every reading combination, e.g. '曾志伟' → 'zzw czw'."""
    name = name.strip()
    sole = list(map(_sole_initial, name))
    if None not in sole:
        # one initial per character (most names): the single combination, without product and dedup
        return "".join(cast("list[str]", sole))
    simple = [c for c in map(_char_readings, name) if c]
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


# Surnames read differently from the character's everyday reading (曾 zēng not céng, 单 shàn not dān …).
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "尉": "yu",
    "召": "shao",
    "冼": "xian",
    "翟": "zhai",
    "种": "chong",
    "繁": "po",
    "句": "gou",
    "员": "yun",
    "长": "chang",
    "重": "chong",
}


# Marks a syllable with ü (lü, nüe …) at its end: sorted after the same letters with u, before any longer syllable
# (':' lies between the separators ' '/'\t' and the letters), which is the dictionary's lu < lü < luan < lüe < lun.
UMLAUT_MARK = ":"


@lru_cache(maxsize=50_000)
def _syllable(char: str) -> str:
    """The usual (first) reading of one character without tone, ü written u with UMLAUT_MARK after the syllable
    ('吕' → 'lu:', '略' → 'lue:'); a character without a reading stands for itself."""
    readings = _character_table().get(ord(char), "") if not char.isascii() else ""
    if not readings:
        return char.lower()
    out = ""
    umlaut = False
    for c in unicodedata.normalize("NFD", readings.split(",")[0].lower()):
        if c == "\u0308":  # the diaeresis of ü (lǚ decomposes to u + ̈ + ̌)
            umlaut = True
        elif not unicodedata.combining(c):
            out += c
    return out + UMLAUT_MARK if umlaut else out


@lru_cache(maxsize=200_000)
def name_sort_key(name: str) -> str:
    """The key names sort by, in pinyin (dictionary) order as a Chinese reader expects: the full syllable of each
    character's usual reading, the surname's own reading first, the name itself breaking ties
    ('曾志伟' → 'zeng zhi wei\t曾志伟'). Character by character from pypinyin's table (no phrase dictionaries):
    about 2 µs a name, so a 100,000-person import barely notices it."""
    name = name.strip()
    if not name:
        return ""
    chars = [c for c in name if c not in _DROPPED and not c.isspace()]
    syllables = [_syllable(c) for c in chars]
    if chars and chars[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[chars[0]]
    return " ".join(syllables) + "\t" + name
