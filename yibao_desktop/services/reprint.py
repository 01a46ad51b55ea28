"""Reprint any registered document by its number: the archived original when it is intact.

When the archive is missing or does not match the register, printing is refused (ArchiveMismatch, with the
register's hash); `regenerate=True` renders a copy from the current data on purpose, marked 重新生成件 on every page
with the register's hash, and never stores it over the original."""

from __future__ import annotations

import io

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Document
from yibao_desktop.domain.errors import DomainError

from .archive import ArchiveMismatch, archive_path, archived, regenerating
from .context import AppContext

MARK = "重新生成件（非原件）"


def document_pdf(ctx: AppContext, doc_no: str, regenerate: bool = False) -> bytes:
    """The PDF of a document in the register (notice, copy report, institution notice)."""
    with ctx.uow() as uow:
        doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no.strip()))
        if doc is None:
            raise DomainError(f"文书登记簿中没有文号“{doc_no}”。")
        kind, table, ref, year, digest, on = (
            doc.doc_type,
            doc.ref_table,
            doc.ref_id,
            doc.year,
            doc.file_hash,
            doc.issued_on,
        )
        number = doc.doc_no
    if not regenerate:
        pdf = archived(archive_path(number, year), digest or "")
        if pdf is not None:
            return pdf
        return _render(ctx, number, kind, table, ref, on)  # never archived yet: rendered, archived and hashed now
    try:
        archived(archive_path(number, year), digest or "")
        found = "存档原件完好"
    except ArchiveMismatch as err:
        found = "存档文件缺失" if err.found is None else f"存档文件校验值 {err.found[:16]}… 与登记簿不符"
    with regenerating():
        pdf = _render(ctx, number, kind, table, ref, on)
    return mark_regenerated(
        pdf,
        f"{MARK}：{number}　依当前数据于 {ctx.today():%Y-%m-%d} 重新生成，{found}",
        f"登记簿原件 SHA-256：{digest or '（未记录）'}",
        ctx,
    )


def _render(ctx: AppContext, doc_no: str, kind: str, table: str, ref, on) -> bytes:
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


def mark_regenerated(pdf: bytes, line1: str, line2: str, ctx: AppContext) -> bytes:
    """Every page stamped at its top edge with the two lines and a faint diagonal 重新生成件."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.colors import Color
    from reportlab.pdfgen import canvas

    from .printing import fonts_for

    font = fonts_for(ctx).body
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(w, h))
        c.setFillColor(Color(0.8, 0, 0))
        c.setFont(font, 9)
        c.drawString(28, h - 16, line1)
        c.setFont(font, 7)
        c.drawString(28, h - 26, line2)
        c.saveState()
        c.setFillColor(Color(0.8, 0, 0, alpha=0.12))
        c.translate(w / 2, h / 2)
        c.rotate(35)
        c.setFont(font, 60)
        c.drawCentredString(0, 0, "重新生成件")
        c.restoreState()
        c.save()
        page.merge_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
