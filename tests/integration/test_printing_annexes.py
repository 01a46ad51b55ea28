"""Annexes 4–7 filled from the database: repair, appeal and restoration applications, and the numbered, archived
copy report; a character no font has is refused by name."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.builders import add_institution, add_person, as_user, issue_suspension
from yibao_desktop.adapters.pdf import MissingGlyph
from yibao_desktop.services import appeals, notices, score_followups
from yibao_desktop.services import printing_annexes as printing
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.dossier import load_dossier
from yibao_desktop.services.registrations import list_registrations
from yibao_desktop.services.reprint import document_pdf

NOTICE = "揭医保记〔2026〕1号"
DECISION = "揭医保罚〔2026〕40号"


def lines_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def text_of(pdf: bytes) -> str:
    """The text with line breaks removed (paragraphs wrap anywhere)."""
    return lines_of(pdf).replace("\n", "")


@pytest.fixture
def issued(ctx, make_ctx):
    """Returns issue(name) → (disposition id, person id, ID number): a 9-point suspension issued 2026-09-14,
    received 2026-09-18, running 2026-09-14 … 2026-11-13."""

    def issue(name: str = "曾志伟"):
        rev = make_ctx("reviewer", "reviewer")
        did, idn = issue_suspension(ctx, rev, seq=7, name=name)
        notices.record_delivery(ctx, did, date(2026, 9, 16))
        notices.record_receipt(ctx, did, date(2026, 9, 18))
        person = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
        return did, person, idn

    return issue


def test_a_granted_repair_prints_the_person_the_notice_the_opinions_and_two_points(ctx, issued):
    did, person, idn = issued()
    rid = score_followups.apply_for_repair(
        ctx,
        person,
        date(2026, 11, 2),
        2,
        "已整改并参加医保政策培训",
        "情况属实，同意申请",
        disposition_id=did,
    )
    score_followups.decide_repair(as_user(ctx, "reviewer", "reviewer"), rid, True, date(2026, 11, 5))
    text = text_of(printing.repair_form_pdf(ctx, rid))
    assert "记分修复申请书" in text and "揭阳市人民医院" in text and NOTICE in text
    assert "曾志伟" in text and idn in text and "D445202000007" in text
    assert "已整改并参加医保政策培训" in text and "参加记分修复活动2次" in text
    assert "情况属实，同意申请" in text and "同意修复，修复记分2分。" in text
    assert "2026年11月2日" in text and "2026年11月5日" in text


def test_a_repair_recorded_without_a_notice_names_the_latest_issued_one(ctx, issued):
    _, person, _ = issued()
    rid = score_followups.apply_for_repair(ctx, person, date(2026, 11, 2), 1, "", "同意")
    assert printing.latest_repair_id(ctx, person) == rid
    text = text_of(printing.repair_form_pdf(ctx, rid))
    assert NOTICE in text and "同意修复" not in text  # undecided: the office box stays for the clerk's pen


def test_a_decided_appeal_prints_its_content_and_the_upheld_outcome_with_the_reason(ctx, issued):
    did, _, idn = issued()
    aid = appeals.file_appeal(ctx, did, "institution", date(2026, 9, 21), "记分依据的检查批次有误")
    appeals.decide_appeal(
        as_user(ctx, "reviewer", "reviewer"), aid, "upheld", "经复核，检查记录完整，记分无误", date(2026, 10, 12)
    )
    text = text_of(printing.appeal_form_pdf(ctx, aid))
    assert "陈述申辩书" in text and NOTICE in text and "曾志伟" in text and idn in text
    assert "记分依据的检查批次有误" in text and "本机构对处理通知书提出陈述申辩" in text
    assert "维持原处理。" in text and "经复核，检查记录完整，记分无误" in text and "2026年10月12日" in text


def test_a_passed_restoration_prints_the_violation_the_numbers_and_the_suspension_period(ctx, issued):
    _, person, idn = issued()
    period = load_dossier(ctx, person).periods[0]
    rid = score_followups.file_restoration(ctx, period.id, date(2026, 10, 26), "期间无违规，同意恢复")
    score_followups.decide_restoration(as_user(ctx, "reviewer", "reviewer"), rid, True, date(2026, 11, 16))
    text = text_of(printing.restoration_form_pdf(ctx, rid))
    assert "医保支付资格恢复申请书" in text and "曾志伟" in text and idn in text
    assert DECISION in text and NOTICE in text
    assert "自2026年9月14日起至2026年11月13日止" in text
    assert "期间无违规，同意恢复" in text and "同意恢复医保支付资格。" in text and "2026年11月16日" in text
    assert printing.restoration_form_source(ctx, person) == ("restoration", rid)


def test_a_running_period_without_an_application_prefills_annex_six_from_the_period(ctx, issued):
    _, person, idn = issued()
    period = load_dossier(ctx, person).periods[0]
    assert printing.restoration_form_source(ctx, person) == ("period", period.id)
    text = text_of(printing.restoration_form_pdf_for_period(ctx, period.id))
    assert idn in text and NOTICE in text and "自2026年9月14日起至2026年11月13日止" in text
    assert "同意恢复" not in text


def test_a_copy_report_prints_recipients_findings_scores_and_is_archived_under_its_number(ctx, issued, own_archive):
    _, person, idn = issued()
    doc_no = score_followups.create_copy_report(ctx, person, "卫生健康主管部门、药品监管部门", date(2026, 11, 23))
    assert doc_no.endswith("〔2026〕1号")
    pdf = document_pdf(ctx, doc_no)
    text = text_of(pdf)
    assert "\n9\n9\n" in lines_of(pdf)  # the score table: 当次记分 9, 累计记分 9
    assert "卫生健康主管部门、药品监管部门：" in text and "记分9分。" in text
    assert "发现揭阳市人民医院相关人员曾志伟存在“" in text and "”的违规行为" in text  # the year's scores, formal
    assert "揭阳市医疗保障局" in text and "2026年11月23日" in text and f"医保支付资格处理通知书（{NOTICE}）" in text
    assert "抄告材料清单" in text and idn in text
    digest = {row[0]: row[6] for row in list_documents(ctx)}[doc_no]
    assert digest == hashlib.sha256(pdf).hexdigest()
    assert document_pdf(ctx, doc_no) == pdf


def test_a_person_without_scores_this_year_gets_no_copy_report(ctx):
    add_institution(ctx)
    add_person(ctx, seq=8)
    person = list_registrations(ctx)[0].person_id
    with pytest.raises(printing.DomainError, match="没有记分"):
        score_followups.create_copy_report(ctx, person, "卫生健康主管部门", date(2026, 11, 23))
    assert "记分情况抄告书" not in {row[1] for row in list_documents(ctx)}  # no number taken


def test_a_copy_report_without_the_issuing_department_is_refused_before_a_number_is_taken(ctx, issued, own_archive):
    """An issued copy report signs with the 医疗保障行政部门 of the settings: empty, the paper would print a blank."""
    from dataclasses import replace

    _, person, _ = issued()
    ctx.settings = replace(ctx.settings, admin_department="")
    with pytest.raises(printing.DomainError, match="缺少：医疗保障行政单位名称"):
        score_followups.create_copy_report(ctx, person, "卫生健康主管部门", date(2026, 11, 23))
    assert "记分情况抄告书" not in {row[1] for row in list_documents(ctx)}


def test_a_character_missing_from_every_font_is_refused_on_each_filled_annex(ctx, issued, own_archive):
    fonts = printing.fonts_for(ctx)
    assert not any(fonts.has(name, "𪚥") for name in fonts.chain())
    did, person, _ = issued("曾𪚥")
    period = load_dossier(ctx, person).periods[0]
    rep = score_followups.apply_for_repair(ctx, person, date(2026, 11, 2), 1, "", "同意", disposition_id=did)
    aid = appeals.file_appeal(ctx, did, "person", date(2026, 9, 21), "不服")
    res = score_followups.file_restoration(ctx, period.id, date(2026, 10, 26), "同意")
    with pytest.raises(MissingGlyph, match="𪚥"):
        score_followups.create_copy_report(ctx, person, "卫生健康主管部门", date(2026, 11, 23))
    for make in (
        lambda: printing.repair_form_pdf(ctx, rep),
        lambda: printing.appeal_form_pdf(ctx, aid),
        lambda: printing.restoration_form_pdf(ctx, res),
    ):
        with pytest.raises(MissingGlyph, match="𪚥") as err:
            make()
        assert "U+2A6A5" in err.value.message
    assert "记分情况抄告书" not in {row[1] for row in list_documents(ctx)}  # refused before a number was taken
