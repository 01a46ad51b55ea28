"""The archive of issued documents: one PDF per number under the user data folder, its SHA-256 in the register.

An issued document is evidence. Once the register holds its hash, the archived file is the only original: when it
is missing or differs, printing is refused with the register's hash (ArchiveMismatch), never silently rendered from
today's data over it. A copy rendered again on purpose is marked 重新生成件 and never stored (services/reprint.py).
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import re
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from yibao_desktop import paths
from yibao_desktop.adapters.db.models import Document
from yibao_desktop.domain.errors import DomainError

from .context import AppContext

_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]')
# Set while reprint renders a marked copy on purpose: the archive is neither checked nor written.
_REGENERATING: contextvars.ContextVar[list | None] = contextvars.ContextVar("regenerating", default=None)


class ArchiveMismatch(DomainError):
    """The register names an archived PDF that is missing or differs from the hash recorded at issue."""

    def __init__(self, doc_no: str, path: Path, recorded: str, found: str | None):
        state = "存档文件缺失" if found is None else f"存档文件的校验值为 {found}，与登记簿不符（文件已被改动或替换）"
        super().__init__(
            f"文书 {doc_no} 的存档原件无法核实：{state}。\n登记簿记录的 SHA-256 校验值：{recorded}\n存档位置：{path}\n"
            "原件不会被重新生成或覆盖。请从备份中找回该文件；如确需打印，可重新生成一份标明“重新生成件”的副本。"
        )
        self.doc_no, self.path, self.recorded, self.found = doc_no, path, recorded, found


def archive_path(doc_no: str, year: int) -> Path:
    """Where the PDF of an issued document is kept: <user data>/documents/<year>/<doc_no>.pdf."""
    return paths.user_data_dir() / "documents" / str(year) / f"{_UNSAFE_FILE_CHARS.sub('_', doc_no)}.pdf"


def register_entry(ctx: AppContext, doc_no: str) -> tuple[int, str] | None:
    """(year, recorded SHA-256) of a registered document."""
    with ctx.uow() as uow:
        doc = uow.session.scalar(select(Document).where(Document.doc_no == doc_no))
        return (doc.year, doc.file_hash or "") if doc is not None else None


def archived(path: Path, recorded: str) -> bytes | None:
    """The archived original; None when nothing has been archived yet (no hash in the register: render and store).

    A recorded hash with a missing or different file raises ArchiveMismatch: the original is never replaced."""
    if _REGENERATING.get() is not None or not recorded:
        return None
    found = None
    if path.is_file():
        pdf = path.read_bytes()
        found = hashlib.sha256(pdf).hexdigest()
        if found == recorded:
            return pdf
    raise ArchiveMismatch(path.stem, path, recorded, found)


def store(ctx: AppContext, doc_no: str, path: Path, pdf: bytes) -> None:
    """Write atomically (a half-written archive must never look valid), then record the hash."""
    captured = _REGENERATING.get()
    if captured is not None:
        captured.append(pdf)  # a marked copy: never written over the archive, never hashed into the register
        return
    from .documents import set_file_hash

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    set_file_hash(ctx, doc_no, hashlib.sha256(pdf).hexdigest())


@contextmanager
def regenerating():
    """Inside: rendering functions skip the archive check and `store` only collects what they rendered."""
    token = _REGENERATING.set([])
    try:
        yield
    finally:
        _REGENERATING.reset(token)
