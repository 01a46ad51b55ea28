"""No issued paper with an empty blank: office contact data come from settings, and a notice whose required
blank is empty is refused at issue with the missing field named (and takes no number)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.builders import add_institution, record_approved
from tests.pdf_cases import EDGE, OFFICE
from yibao_desktop.adapters import pdf
from yibao_desktop.domain.designation import MATERIALS
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services import designation as dsg
from yibao_desktop.services import institution_notices as notices
from yibao_desktop.services.agreements import EventInput, sign_agreement
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.settings import load_settings, save_settings

ISSUED_FORMS = sorted(f for f in pdf.form_ids() if pdf.load_form(f).get("required"))


def test_the_first_supplement_notice_is_refused_until_the_office_contact_is_in_settings(ctx):
    ctx.settings = replace(ctx.settings, contact_person="", contact_phone="")
    app = dsg.receive_application(ctx, "揭阳康宁医院", "", "general_hospital", date(2026, 9, 29), list(MATERIALS[1:]))
    with pytest.raises(pdf.IncompleteDocument) as err:
        dsg.issue_supplement_notice(ctx, app.id, date(2026, 10, 9))
    assert "缺少：联系人、联系电话" in err.value.message and "设置 → 经办机构" in err.value.message
    assert not [d for d in list_documents(ctx) if "补" in d[0]]  # the refused issue took no number
    save_settings(ctx, replace(ctx.settings, contact_person="李四", contact_phone="0663-8888888"))
    assert dsg.issue_supplement_notice(ctx, app.id, date(2026, 10, 9)) == "揭医保补〔2026〕1号"
    text = pdf_text(notices.application_notice_pdf(ctx, app.id, "supplement"))
    assert "联系人：李四" in text and "联系电话：0663-8888888" in text and "揭医保补〔2026〕1号" in text


def test_settings_keep_the_contact_and_refuse_a_phone_that_is_no_number(ctx):
    with pytest.raises(DomainError, match="联系电话格式不对") as err:
        save_settings(ctx, replace(ctx.settings, contact_phone="找李四"))
    assert err.value.field == "contact_phone"
    save_settings(ctx, replace(ctx.settings, contact_person="王五", contact_phone="0663-8212345转801"))
    with ctx.uow() as uow:
        stored = load_settings(uow.session)
    assert (stored.contact_person, stored.contact_phone) == ("王五", "0663-8212345转801")


def test_a_suspension_notice_without_an_end_date_is_refused_naming_the_end_date(ctx):
    iid = add_institution(ctx, "H44520200001", "揭阳市人民医院")
    aid = sign_agreement(ctx, iid, "揭医协-2026-001", "annual", date(2026, 3, 1))
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="suspension", on=date(2026, 7, 1), decision_no="揭医保协决〔2026〕8号", ground_code="data_not_provided"
        ),
    )
    (event,) = notices.printable_events(ctx, aid)
    with pytest.raises(pdf.IncompleteDocument, match="缺少：中止结束日期"):
        notices.agreement_event_pdf(ctx, event.id)
    assert not [d for d in list_documents(ctx) if "医保中〔" in d[0]]


@pytest.mark.parametrize("form_id", ISSUED_FORMS)
def test_every_required_blank_of_an_issued_form_is_named_when_empty(fonts, form_id):
    form = pdf.load_form(form_id)
    office = {**OFFICE, "contact": "李四", "contact_phone": "0663-8888888"}
    data = EDGE[form_id]
    assert pdf.render_form(form_id, data, fonts, office=office, issued=True)[:4] == b"%PDF"
    for key in pdf.missing_required(form, {}):
        if key == "office_name":
            continue
        label = form["labels"][key]
        with pytest.raises(pdf.IncompleteDocument, match=label):
            pdf.render_form(form_id, {**data, key: ""}, fonts, office={**office, key: ""}, issued=True)


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_office_address_from_settings_prints_on_the_publicity_when_given(fonts):
    office = {**OFFICE, "address": "揭阳市榕城区临江北路1号"}
    with_address = pdf_text(pdf.render_form("publicity", EDGE["publicity"], fonts, office=office, issued=True))
    assert "书面意见请寄送：揭阳市榕城区临江北路1号（揭阳市医疗保障事业管理中心）。" in with_address
    assert "书面意见请寄送" not in pdf_text(pdf.render_form("publicity", EDGE["publicity"], fonts, office=OFFICE))
