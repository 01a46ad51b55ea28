"""Reprint any registered document by its number: the archived PDF when it is intact, else rendered again."""

from __future__ import annotations

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Document
from yibao_desktop.domain.errors import DomainError

from .archive import archive_path, archived
from .context import AppContext


def document_pdf(ctx: AppContext, doc_no: str) -> bytes:
    """The PDF of a document in the register (notice, copy report, institution notice)."""
    with ctx.uow() as uow:
        doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no.strip()))
        if doc is None:
            raise DomainError(f"文书登记簿中没有文号“{doc_no}”。")
        kind, table, ref, year, digest, on = (doc.doc_type, doc.ref_table, doc.ref_id, doc.year, doc.file_hash,
                                             doc.issued_on)
    pdf = archived(archive_path(doc.doc_no, year), digest)
    if pdf is not None:
        return pdf
    if kind == "score_notice":
        from .printing import notice_pdf

        return notice_pdf(ctx, ref)
    if kind == "copy_report":
        from .printing_annexes import copy_report_pdf

        return copy_report_pdf(ctx, ref)
    from . import institution_notices as inst

    if table == "applications":
        return inst.application_notice_pdf(ctx, ref, kind)
    if table == "publicity":
        return inst.publicity_pdf(ctx, on)
    if table == "agreement_events":
        return inst.agreement_event_pdf(ctx, ref)
    raise DomainError(f"文号“{doc_no}”（{kind}）的文书没有存档，无法重新打印。")
