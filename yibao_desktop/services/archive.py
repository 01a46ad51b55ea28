"""The archive of issued documents: one PDF per number under the user data folder, its SHA-256 in the register."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from sqlalchemy import select

from yibao_desktop import paths
from yibao_desktop.adapters.db.models import Document

from .context import AppContext

_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]')


def archive_path(doc_no: str, year: int) -> Path:
    """Where the PDF of an issued document is kept: <user data>/documents/<year>/<doc_no>.pdf."""
    return paths.user_data_dir() / "documents" / str(year) / f"{_UNSAFE_FILE_CHARS.sub('_', doc_no)}.pdf"


def register_entry(ctx: AppContext, doc_no: str) -> tuple[int, str] | None:
    """(year, recorded SHA-256) of a registered document."""
    with ctx.uow() as uow:
        doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no))
        return (doc.year, doc.file_hash or "") if doc is not None else None


def archived(path: Path, recorded: str) -> bytes | None:
    """The archived file, only when it is the one the register names (a file of another database is not)."""
    if not recorded or not path.is_file():
        return None
    pdf = path.read_bytes()
    return pdf if hashlib.sha256(pdf).hexdigest() == recorded else None


def store(ctx: AppContext, doc_no: str, path: Path, pdf: bytes) -> None:
    """Write atomically (a half-written archive must never look valid), then record the hash."""
    from .documents import set_file_hash

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    set_file_hash(ctx, doc_no, hashlib.sha256(pdf).hexdigest())
