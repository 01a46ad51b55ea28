"""Document numbers (office prefix〔year〕n号, never reused) and the register of issued documents."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import DocSerial, Document

from .context import AppContext

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork

# document type → its Chinese name in the 文书登记簿 (domain/policy.py: DOC_PREFIX_KEYS are the profile prefix keys)
DOC_TYPE_LABELS = {
    "score_notice": "医保支付资格处理通知书",
    "copy_report": "记分情况抄告书",
    "agreement_notice": "协议处理通知书",  # numbers issued before each agreement notice had its own series
    "agreement_suspension": "中止医保协议通知书",
    "agreement_termination": "解除医保协议通知书",
    "supplement": "材料补正一次性告知书",
    "refusal": "不予受理通知书",
    "evaluation": "评估结果通知书",
    "publicity": "公示",
    "guidance_extension": "政策辅导期延长通知书",
    "recovery": "追回医保基金通知书",
}


# a type whose documents were once numbered under another type: a reprint finds the number issued then
EARLIER_TYPES = {"agreement_suspension": ("agreement_notice",), "agreement_termination": ("agreement_notice",)}


def doc_prefix(ctx: AppContext, doc_type: str) -> str:
    """The office's prefix (setting doc_prefix) plus the profile's type word, e.g. 揭 + 医保记 → 揭医保记."""
    key = {"guidance_extension": "guidance"}.get(doc_type, doc_type)  # the profiles' name for that notice
    word = ctx.profile.doc_prefixes.get(key, "")
    return f"{ctx.settings.doc_prefix}{word}"


def format_doc_no(prefix: str, year: int, serial: int) -> str:
    """揭医保记〔2026〕12号 — no leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


def assign_doc_no(
    ctx: AppContext, uow: UnitOfWork, doc_type: str, on: date, subject: str, ref_table: str, ref_id: int | None
) -> str:
    """Take the next serial of (type, year) inside the caller's unit of work and register the document."""
    uow.lock_for_writing()  # the first number of a new year: two programs must not both create the series
    s = uow.session
    serial = s.scalar(
        select(DocSerial).where(DocSerial.doc_type == doc_type, DocSerial.year == on.year).with_for_update()
    )
    if serial is None:
        serial = DocSerial(doc_type=doc_type, year=on.year, last=0)
        s.add(serial)
    serial.last += 1
    number = format_doc_no(doc_prefix(ctx, doc_type), on.year, serial.last)
    s.add(
        Document(
            doc_type=doc_type,
            doc_no=number,
            year=on.year,
            serial=serial.last,
            subject=subject,
            ref_table=ref_table,
            ref_id=ref_id,
            issued_on=on,
        )
    )
    return number


def void_document(uow: UnitOfWork, doc_no: str, reason: str) -> None:
    """Mark a registered document voided; its number stays visible and is never reused."""
    doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no))
    if doc is not None:
        doc.voided, doc.void_reason = True, reason


def list_documents(ctx: AppContext) -> list[tuple]:
    """(doc_no, type label, subject, issued_on, voided, void_reason, file_hash) of every document."""
    with ctx.uow() as uow:
        rows = uow.session.execute(select(Document).order_by(Document.issued_on.desc(), Document.id.desc()))
        return [
            (
                d.doc_no,
                DOC_TYPE_LABELS.get(d.doc_type, d.doc_type),
                d.subject,
                d.issued_on,
                d.voided,
                d.void_reason,
                d.file_hash,
            )
            for (d,) in rows
        ]


def set_file_hash(ctx: AppContext, doc_no: str, digest: str) -> None:
    """Record the SHA-256 of the archived PDF of a document."""
    with ctx.uow() as uow:
        doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no))
        if doc is not None:
            doc.file_hash = digest
            uow.commit()
