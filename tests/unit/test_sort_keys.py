"""Sort keys a Chinese reader expects: names in pinyin order, document numbers by year and serial as numbers."""

from __future__ import annotations

from yibao_desktop.domain.docnumbers import doc_no_sort_key
from yibao_desktop.domain.pinyin import name_sort_key


def test_names_sort_in_pinyin_order_with_the_surnames_own_reading():
    names = ["张三", "曾志伟", "林秀英", "李四", "仇东晓", "阿依古丽·买买提", "单田芳", "陈晓", "欧阳娜娜"]
    assert sorted(names, key=name_sort_key) == [
        "阿依古丽·买买提",
        "陈晓",
        "李四",
        "林秀英",
        "欧阳娜娜",
        "仇东晓",
        "单田芳",
        "曾志伟",
        "张三",
    ]
    assert name_sort_key("曾志伟").startswith("zeng ")  # not céng
    assert name_sort_key("  ") == ""


def test_document_numbers_sort_by_issuer_year_and_serial_as_numbers():
    numbers = ["揭医保记〔2026〕10号", "揭医保记〔2026〕2号", "揭医保记〔2025〕29号", "揭医保记〔2026〕1号"]
    assert sorted(numbers, key=doc_no_sort_key) == [
        "揭医保记〔2025〕29号",
        "揭医保记〔2026〕1号",
        "揭医保记〔2026〕2号",
        "揭医保记〔2026〕10号",
    ]
    assert doc_no_sort_key("揭医保协〔2026〕第3号") == ("揭医保协", 2026, 3, "")
    assert doc_no_sort_key("JYF-2026-9") == ("JYF-2026-9", 0, 0, "")
    assert doc_no_sort_key(None) == ("", 0, 0, "")


def test_lu_before_lue_before_luan_before_luo_as_in_the_dictionary():
    # 《现代汉语词典》 order of syllables: lu < lü < luan < lüe < lun < luo (ü after u, before any longer syllable)
    names = ["罗", "伦", "略", "栾", "吕", "卢"]
    assert sorted(names, key=name_sort_key) == ["卢", "吕", "栾", "略", "伦", "罗"]
    # surname first: every 卢 before every 吕, every 吕 before every 栾 and 罗, whatever the given name
    people = ["罗安", "吕伟", "卢伟", "栾安", "吕安", "卢志"]
    assert sorted(people, key=name_sort_key) == ["卢伟", "卢志", "吕安", "吕伟", "栾安", "罗安"]
    assert name_sort_key("女") > name_sort_key("努") and name_sort_key("女") < name_sort_key("暖")
