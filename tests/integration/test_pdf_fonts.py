"""Font discovery, glyph checks and embedding of the PDF adapter."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from yibao_desktop.adapters import pdf
from yibao_desktop.adapters.pdf import layout

RARE_MISSING = "\U0002a6a5"  # 𪚥 (CJK Ext-B): in none of UMing, UKai, Zen Hei, DejaVu
ZENHEI_ONLY = "\u3400"  # 㐀 (Ext-A): Zen Hei has it, UMing does not


def test_no_font_anywhere_raises_font_missing_naming_the_packages(tmp_path):
    with pytest.raises(pdf.FontMissing) as err:
        pdf.find_fonts(search_dirs=[tmp_path])
    assert "fonts-arphic-uming" in err.value.message and "fonts-wqy-zenhei" in err.value.message
    assert "仿宋" in err.value.message


def test_an_otf_only_folder_is_not_usable(tmp_path):
    (tmp_path / "NotoSansCJK-Regular.otf").write_bytes(b"OTTO" + b"\0" * 64)
    with pytest.raises(pdf.FontMissing):
        pdf.find_fonts(search_dirs=[tmp_path])


def test_a_folder_with_only_uming_gives_every_role_that_font(fonts, tmp_path):
    uming = Path(fonts.files.get("body", ""))
    if uming.name != "uming.ttc":
        pytest.skip("AR PL UMing not installed")
    (tmp_path / "uming.ttc").symlink_to(uming)
    only = pdf.find_fonts(search_dirs=[tmp_path])
    assert only.body == only.title == only.heading == only.kai
    assert only.symbol is None


def test_find_fonts_is_cached_per_process(fonts):
    assert pdf.find_fonts() is fonts


def test_title_uses_a_real_heavier_face_not_the_body_font(fonts):
    if "wqy-zenhei.ttc" not in fonts.files.get("title", "") and "simhei" not in fonts.files.get("title", ""):
        pytest.skip("no heavy face installed")
    assert fonts.title != fonts.body


def test_configured_font_file_becomes_the_body_font(fonts):
    ukai = shutil.which("fc-list") and Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
    if not ukai or not ukai.is_file():
        pytest.skip("AR PL UKai not installed")
    configured = pdf.find_fonts(str(ukai))
    assert configured.files["body"] == str(ukai)


def test_configured_font_that_does_not_exist_falls_back_with_a_warning(fonts):
    fallback = pdf.find_fonts("/nonexistent/仿宋.ttf")
    assert fallback.body == fonts.body
    assert "/nonexistent/仿宋.ttf" in fallback.warnings[0]


def test_name_with_character_missing_from_every_font_raises_missing_glyph(fonts):
    assert not any(fonts.has(name, RARE_MISSING) for name in fonts.chain())
    with pytest.raises(pdf.MissingGlyph) as err:
        pdf.render_form("annex3", {"name": "王" + RARE_MISSING}, fonts)
    assert "字段“姓名”中的字“𪚥”(U+2A6A5)" in err.value.message
    assert err.value.field == "姓名"


def test_check_glyphs_names_the_field_label(fonts):
    with pytest.raises(pdf.MissingGlyph, match="医药机构名称"):
        pdf.check_glyphs("仁和" + RARE_MISSING + "诊所", "医药机构名称", fonts)
    pdf.check_glyphs("欧阳·娜仁花", "姓名", fonts)


def test_character_missing_from_body_font_prints_from_another_installed_font(fonts):
    if fonts.has(fonts.body, ZENHEI_ONLY) or not any(fonts.has(n, ZENHEI_ONLY) for n in fonts.chain()):
        pytest.skip("needs a body font without U+3400 and another font with it")
    data = pdf.render_form("annex3", {"name": "李" + ZENHEI_ONLY}, fonts)
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "李" + ZENHEI_ONLY in re.sub(r"\s+", "", text)


def test_fonts_are_embedded_as_truetype_subsets(fonts):
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_form("annex3", {"name": "张三"}, fonts)))
    resources = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in resources.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
        embedded.append(descriptor is not None and "/FontFile2" in descriptor.get_object())
    assert embedded and all(embedded)


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("form_id", pdf.form_ids())
def test_every_static_text_of_the_form_is_printable(fonts, form_id):
    for text in _strings(layout.load_form(form_id)):
        pdf.check_glyphs(layout.PLACEHOLDER.sub("", text), form_id, fonts)
