"""Printing from the database: annex 3 notices (archived once, reprinted identically), registration forms,
blank forms, missing glyphs and the batch of a day's notices."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.builders import add_institution, add_person, score_nine_points
from yibao_desktop.adapters.pdf import Cancelled, MissingGlyph
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services import notices, printing
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.registry import RegistrationInput, register_person
from yibao_desktop.services.reprint import document_pdf

ISSUED = date(2026, 11, 30)  # effective day (a month end); issued a week earlier
SIGNED = date(2026, 11, 20)


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def scored(ctx, make_ctx):
    """Returns score(name, seq, issue=True, second_site=False) → disposition id of a 9-point suspension (3 months)."""
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    add_institution(ctx, "H44520200002", "榕城区中医医院", kind="tcm_hospital")
    clerk, reviewer = make_ctx("clerk", "clerk"), make_ctx("reviewer", "reviewer")

    def score(name="曾志伟", seq=3, issue=True, second_site=False):
        _, idn = add_person(ctx, "H44520200001", name, seq=seq)
        if second_site:
            register_person(
                ctx,
                RegistrationInput(
                    name=name,
                    id_number=idn,
                    person_code=f"D445202{seq:06d}",
                    institution_code="H44520200002",
                    commitment=True,
                    commitment_on=date(2025, 3, 1),
                    registered_on=date(2025, 3, 1),
                ),
                today=date(2025, 3, 1),
            )
        did = score_nine_points(clerk, idn, "H44520200001", f"揭医保罚〔2026〕{seq}号")
        if issue:
            notices.approve(reviewer, did)
            notices.issue(reviewer, did, SIGNED, ISSUED)
        return did

    return score


def test_notice_prints_number_person_violation_points_and_the_ticked_three_month_suspension(ctx, scored):
    did = scored(second_site=True)
    text = text_of(printing.notice_pdf(ctx, did))
    idn = make_id_number("445202", date(1980, 5, 17), 3, "男")
    for expected in (
        "揭医保记〔2026〕1号",
        "曾志伟",
        idn,
        "D445202000003",
        "揭阳市人民医院",
        "重复收费",
        "本次记分9分",
        "本年度累计记分9分",
        "☑2.予以暂停结算资格3个月",
        "自2026年11月30日起至2027年2月28日止",
        "☐1.予以提醒谈话",
        "日期：2026年11月20日",
    ):
        assert expected in text.replace(" ", "").replace("\n", ""), expected


def test_notice_data_of_a_suspension_carries_kind_months_and_period(ctx, scored):
    data = printing.notice_data(ctx, scored())
    assert (data["disposition"], data["suspend_months"]) == ("suspension", 3)
    assert (data["suspend_start"], data["suspend_end"], data["issue_date"]) == (
        ISSUED,
        date(2027, 2, 28),
        SIGNED,
    )
    assert (data["points"], data["year_total"], data["sex"]) == (9, 9, "男")
    assert len(data["violations"]) == 2


def test_copies_are_office_person_and_each_of_two_registered_institutions(ctx, scored):
    assert printing.copies_for(ctx, scored(second_site=True)) == 4


def test_copies_of_a_single_site_person_are_three(ctx, scored):
    assert printing.copies_for(ctx, scored()) == 3


def test_a_draft_notice_is_refused_in_chinese(ctx, scored):
    with pytest.raises(DomainError, match="尚未签发"):
        printing.notice_pdf(ctx, scored(issue=False))


def test_an_unknown_number_is_refused_naming_it(ctx):
    with pytest.raises(DomainError, match="揭医保记〔2026〕99号"):
        document_pdf(ctx, "揭医保记〔2026〕99号")


def test_the_notice_is_archived_once_with_its_hash_in_the_register_and_reprinted_identically(ctx, scored, own_archive):
    did = scored()
    first = printing.notice_pdf(ctx, did)
    path = own_archive / "2026" / "揭医保记〔2026〕1号.pdf"
    assert path.read_bytes() == first
    register = {row[0]: row for row in list_documents(ctx)}
    assert register["揭医保记〔2026〕1号"][6] == hashlib.sha256(first).hexdigest()
    mtime = path.stat().st_mtime_ns
    assert document_pdf(ctx, "揭医保记〔2026〕1号") == first
    assert path.stat().st_mtime_ns == mtime


def test_an_archive_file_that_does_not_match_the_register_is_replaced(ctx, scored, own_archive):
    did = scored()
    path = own_archive / "2026" / "揭医保记〔2026〕1号.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 left over from another database")
    pdf = printing.notice_pdf(ctx, did)
    assert pdf.startswith(b"%PDF") and "曾志伟" in text_of(pdf)
    assert path.read_bytes() == pdf


def test_blank_application_forms_4_5_6_print_their_titles(ctx):
    for form_id, title in (
        ("annex4", "记分修复申请书"),
        ("annex5", "陈述申辩书"),
        ("annex6", "医保支付资格恢复申请书"),
    ):
        assert title in text_of(printing.blank_form_pdf(ctx, form_id)).replace("\n", "")
        assert printing.BLANK_FORMS[form_id].endswith(title)


def test_an_unknown_blank_form_is_refused(ctx):
    with pytest.raises(DomainError, match="annex9"):
        printing.blank_form_pdf(ctx, "annex9")


def test_registration_form_shows_the_name_and_ticks_normal_status(ctx):
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    rid, idn = add_person(ctx, "H44520200001", "林秀英", seq=4, sex="女")
    text = text_of(printing.registration_form_pdf(ctx, "annex2", rid)).replace(" ", "")
    assert "林秀英" in text and idn in text and "☑正常" in text and "☐暂停" in text and "☑女" in text


def test_a_character_missing_from_every_font_is_refused_and_nothing_is_archived(ctx, scored, own_archive):
    fonts = printing.fonts_for(ctx)
    assert not any(fonts.has(name, "𪚥") for name in fonts.chain())
    did = scored(name="曾𪚥")
    with pytest.raises(MissingGlyph, match="𪚥") as err:
        printing.notice_pdf(ctx, did)
    assert "U+2A6A5" in err.value.message
    assert not (own_archive / "2026").exists() or not any((own_archive / "2026").iterdir())
    assert {row[0]: row[6] for row in list_documents(ctx)}["揭医保记〔2026〕1号"] == ""


def test_a_batch_of_three_notices_prints_each_notice_its_copies(ctx, scored):
    ids = [scored(second_site=True), scored("林秀英", 4), scored("黄晓明", 5)]
    pages_each = pages_of(printing.notice_pdf(ctx, ids[1]))
    seen = []
    pdf = printing.batch_notices_pdf(ctx, ids, progress=lambda i, n: seen.append((i, n)))
    assert [printing.copies_for(ctx, d) for d in ids] == [4, 3, 3]
    assert pages_of(pdf) == 10 * pages_each
    assert seen[-1] == (13, 13)  # 3 notices prepared + 10 copies laid out
    assert {row[0]: bool(row[6]) for row in list_documents(ctx)} == {
        "揭医保记〔2026〕1号": True,
        "揭医保记〔2026〕2号": True,
        "揭医保记〔2026〕3号": True,
    }


def test_a_cancelled_batch_raises_cancelled(ctx, scored):
    ids = [scored(), scored("林秀英", 4)]
    with pytest.raises(Cancelled):
        printing.batch_notices_pdf(ctx, ids, cancelled=lambda: True)


def test_a_decision_above_the_yearly_cap_explains_why_the_total_is_lower():
    from yibao_desktop.services.printing import _cap_note

    assert _cap_note(24) == "本年度累计记分以12分为限，超出部分不再累计。"
    assert _cap_note(13) == "本年度累计记分以12分为限，超出部分不再累计。"
    assert _cap_note(12) == ""  # exactly 12: nothing was cut
    assert _cap_note(9) == ""
