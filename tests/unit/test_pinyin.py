"""Pinyin-initials keys: every reading of polyphonic surnames is searchable."""

from __future__ import annotations

import pytest

from yibao_desktop.domain.pinyin import (
    MAX_COMBINATIONS,
    _combine,
    _per_character,
    initials_key,
    initials_match,
    normalize_query,
)


def keys(name: str) -> set[str]:
    return set(initials_key(name).split())


def test_zeng_surname_gives_both_readings():
    assert keys("曾志伟") == {"zzw", "czw"}


def test_shan_surname_gives_dan_chan_and_shan():
    assert {"sxx", "dxx", "cxx"} <= keys("单雄信")


def test_qiu_surname_gives_qiu_and_chou():
    assert {"qy", "cy"} <= keys("仇一")


def test_xie_surname_gives_xie_and_jie():
    assert {"xf", "jf"} <= keys("解放")


def test_ou_surname_gives_ou_and_qu():
    assert {"ojm", "qjm"} <= keys("区家明")


def test_plain_name_has_a_single_key():
    assert initials_key("张三") == "zs"
    assert initials_key("李小龙") == "lxl"


def test_middle_dot_is_dropped():
    assert "ayglmmt" in keys("阿依古丽·买买提")
    assert all("·" not in k for k in keys("阿依古丽·买买提"))


def test_ascii_letters_are_kept_lowercased_and_spaces_dropped():
    assert initials_key("Tom李") == "toml"
    assert initials_key("Anna Li") == "annali"


def test_rare_ext_b_character_does_not_crash_and_is_skipped():
    assert initials_key("张𠮷") == "z"
    assert initials_key("𠮷") == ""


def test_empty_name_gives_an_empty_key():
    assert initials_key("") == ""
    assert initials_key("  ") == ""


def test_combinations_are_capped():
    # 长乐朴 单 … every character polyphonic
    for name in ("长乐朴单解", "单单单单单单", "曾区仇解单长"):
        assert 1 <= len(keys(name)) <= MAX_COMBINATIONS


def test_surname_keeps_all_readings_even_when_the_cap_is_reached():
    surnames = {k[0] for k in keys("单单单单单单")}
    assert {"d", "c", "s"} <= surnames


def test_key_has_no_duplicates():
    key = initials_key("朴朴")
    assert len(key.split()) == len(set(key.split()))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zzw", True),
        ("czw", True),
        ("ZW", True),
        ("z z w", True),
        ("zw", True),
        ("wz", False),
        ("xzw", False),
        ("", True),
    ],
)
def test_initials_match_searches_inside_each_combination(query, expected):
    assert initials_match(initials_key("曾志伟"), query) is expected


def test_initials_match_does_not_join_two_combinations():
    # 'zzw czw' must not match 'wc' across the separator.
    assert not initials_match("zzw czw", "wc")


def test_normalize_query_keeps_ascii_letters_and_digits_only():
    assert normalize_query(" Z-z·W 1 ") == "zzw1"
    assert normalize_query("曾") == ""


def test_the_cached_fast_path_gives_the_same_combinations_as_the_phrase_aware_one():
    import random

    from yibao_desktop.services.demo import GIVEN, SURNAMES

    rng = random.Random(7)
    names = [
        "曾志伟",
        "单田芳",
        "欧阳明辉",
        "买买提·艾力",
        "测试12",
        "仇晓燕",
        "长孙无忌",
        "解行长",
        "朴重乐",
        "A 张",
    ]
    names += [
        rng.choice(SURNAMES) + "".join(rng.choices(GIVEN + "长行重乐朝曾单解仇区", k=rng.choice((1, 2, 3))))
        for _ in range(400)
    ]
    slow = [set(_combine(_per_character(n.strip())).split()) for n in names]
    assert [set(initials_key(n).split()) for n in names] == slow
    assert set(initials_key("曾志伟").split()) == {"zzw", "czw"} and initials_key("林秀英") == "lxy"


def test_character_table_readings_equal_pypinyins_heteronym_readings_for_every_tenth_character():
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    from yibao_desktop.domain.pinyin import _char_readings

    def reference(char: str) -> tuple[str, ...]:
        found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        letters: list[str] = []
        for reading in found[0] if found else []:
            first = reading[:1].lower()
            if first.isascii() and first.isalpha() and first not in letters:
                letters.append(first)
        return tuple(letters)

    sample = [chr(cp) for cp in sorted(pinyin_dict)[::10]] + list("曾单解仇区欸朴长行重乐𪚥")
    assert [_char_readings(c) for c in sample] == [reference(c) for c in sample]


def test_the_character_table_comes_through_the_package_when_no_module_file_is_found(monkeypatch):
    # the frozen build keeps modules in an archive: the path finder finds nothing there
    import importlib.util

    from yibao_desktop.domain.pinyin import _character_table

    monkeypatch.setattr(importlib.util, "find_spec", lambda *a, **k: None)
    monkeypatch.delitem(__import__("sys").modules, "pypinyin.pinyin_dict", raising=False)
    table = _character_table.__wrapped__()
    assert table[ord("曾")].split(",") == ["céng", "zēng"]
