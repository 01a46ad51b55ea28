"""Agreement-action notices: each document type numbers in its own series with its own word from the profile, so a
中止/解除医保协议通知书 never carries the number of an agreement (揭医保协〔2026〕1号); a proposal awaiting the second
reviewer has no notice; numbers issued under the earlier shared series reprint unchanged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.builders import add_institution, record_approved
from yibao_desktop.adapters.db.models import Document
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.policy import PROFILE_NAMES, parse_profile
from yibao_desktop.services import institution_notices as notices
from yibao_desktop.services.agreements import EventInput, approve_event, record_event, sign_agreement
from yibao_desktop.services.agreements_query import proposed_events
from yibao_desktop.services.profiles import load_profile, profile_text

P1 = "H44520200009"


def _agreement(ctx) -> int:
    iid = add_institution(ctx, P1, "揭阳康华医院", ownership="private")
    return sign_agreement(ctx, iid, "揭医保协〔2026〕1号", "annual", date(2026, 1, 1), newly_designated=False)


def _suspension(on=date(2026, 5, 6), until=date(2026, 8, 5), no="揭医保协处〔2026〕3号") -> EventInput:
    return EventInput(
        kind="suspension", on=on, effective=on, until=until, decision_no=no, ground_code="data_not_provided"
    )


def test_suspension_and_termination_notices_number_in_their_own_series_not_the_agreements(ctx):
    aid = _agreement(ctx)
    record_approved(ctx, aid, _suspension())
    record_event(ctx, aid, EventInput(kind="resume", on=date(2026, 8, 6)))
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="termination",
            on=date(2026, 11, 20),
            effective=date(2026, 12, 1),
            decision_no="揭医保协决〔2026〕7号",
            ground_code="change_not_filed",
        ),
    )
    termination, suspension = notices.printable_events(ctx, aid)
    notices.agreement_event_pdf(ctx, suspension.id)
    notices.agreement_event_pdf(ctx, termination.id)
    with ctx.uow() as uow:
        rows = uow.session.execute(select(Document.doc_type, Document.doc_no).order_by(Document.id)).all()
    assert [tuple(r) for r in rows] == [
        ("agreement_suspension", "揭医保中〔2026〕1号"),
        ("agreement_termination", "揭医保解〔2026〕1号"),
    ]
    assert not any(no.startswith("揭医保协〔") for _, no in rows)  # the agreement's own number is never reissued


def test_a_notice_numbered_in_the_earlier_shared_series_reprints_with_its_printed_number(ctx):
    aid = _agreement(ctx)
    record_approved(ctx, aid, _suspension())
    (event,) = notices.printable_events(ctx, aid)
    with ctx.uow() as uow:  # what a database of the earlier version holds: the notice issued as 揭医保协〔2026〕5号
        uow.session.add(
            Document(
                doc_type="agreement_notice",
                doc_no="揭医保协〔2026〕5号",
                year=2026,
                serial=5,
                subject="揭医保协〔2026〕1号 中止医保协议通知书",
                ref_table="agreement_events",
                ref_id=event.id,
                issued_on=date(2026, 5, 6),
            )
        )
        uow.commit()
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(notices.agreement_event_pdf(ctx, event.id))).pages
    )
    assert "揭医保协〔2026〕5号" in "".join(text.split())
    with ctx.uow() as uow:
        numbers = uow.session.scalars(select(Document.doc_no).order_by(Document.id)).all()
    assert numbers == ["揭医保协〔2026〕5号"]  # no second number taken for the same notice


def test_a_suspension_awaiting_approval_is_not_offered_and_cannot_be_printed(ctx, make_ctx):
    aid = _agreement(ctx)  # the office reviews suspensions (review_required, the default)
    record_event(ctx, aid, _suspension())
    [proposal] = proposed_events(ctx, aid)
    assert notices.printable_events(ctx, aid) == []
    with pytest.raises(DomainError, match="审核通过后才能打印"):
        notices.agreement_event_pdf(ctx, proposal.id)
    approve_event(make_ctx("reviewer2", "reviewer"), proposal.id)
    assert [e.id for e in notices.printable_events(ctx, aid)] == [proposal.id]


def test_a_profile_giving_two_document_types_one_word_is_refused():
    national = profile_text("national")
    with pytest.raises(DomainError, match="doc_prefixes.agreement_suspension 与 doc_prefixes.score_notice 相同"):
        parse_profile(national, '[doc_prefixes]\nagreement_suspension = "医保记"\n')
    for name in PROFILE_NAMES:  # every shipped profile: one word per type
        words = load_profile(name).doc_prefixes
        assert len(set(words.values())) == len(words), name
