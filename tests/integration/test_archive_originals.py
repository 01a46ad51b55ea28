"""An issued document is evidence: a missing or altered archived PDF is reported with the register's hash and is
never rendered again over the original; a copy rendered on purpose is marked 重新生成件 and not stored."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from tests.builders import add_institution, add_person, score_nine_points
from yibao_desktop.adapters.db.models import Person
from yibao_desktop.cli import run
from yibao_desktop.services import notices, printing
from yibao_desktop.services.archive import ArchiveMismatch
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.reprint import document_pdf

NUMBER = "揭医保记〔2026〕1号"


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def _hash(ctx) -> str:
    return {row[0]: row for row in list_documents(ctx)}[NUMBER][6]


@pytest.fixture
def issued(ctx, make_ctx, own_archive):
    """A 9-point notice issued and archived, then the person renamed (today's data differs from the original)."""
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    _, idn = add_person(ctx, "H44520200001", "曾志伟", seq=3)
    did = score_nine_points(make_ctx("clerk", "clerk"), idn, "H44520200001", "揭医保罚〔2026〕3号")
    reviewer = make_ctx("reviewer", "reviewer")
    notices.approve(reviewer, did)
    notices.issue(reviewer, did, date(2026, 11, 20))
    original = printing.notice_pdf(ctx, did)
    with ctx.uow() as uow:
        uow.session.execute(update(Person).where(Person.id_number == idn).values(name="曾志强"))
        uow.commit()
    return original, own_archive / "2026" / f"{NUMBER}.pdf"


def test_the_intact_original_is_reprinted_byte_for_byte(ctx, issued):
    original, path = issued
    assert document_pdf(ctx, NUMBER) == original == path.read_bytes()


def test_a_missing_archive_is_reported_with_the_registers_hash_and_not_rendered_again(ctx, issued):
    original, path = issued
    recorded = _hash(ctx)
    path.unlink()
    with pytest.raises(ArchiveMismatch) as refused:
        document_pdf(ctx, NUMBER)
    assert recorded in refused.value.message and "存档文件缺失" in refused.value.message
    assert "重新生成件" in refused.value.message
    assert not path.exists() and _hash(ctx) == recorded == hashlib.sha256(original).hexdigest()


def test_an_altered_archive_is_reported_and_left_as_found(ctx, issued):
    _, path = issued
    recorded = _hash(ctx)
    path.write_bytes(b"%PDF-1.4 someone else's file")
    for attempt in (lambda: document_pdf(ctx, NUMBER), lambda: printing.notice_pdf(ctx, 1)):
        with pytest.raises(ArchiveMismatch, match=recorded):
            attempt()
    assert path.read_bytes() == b"%PDF-1.4 someone else's file" and _hash(ctx) == recorded


def test_a_copy_rendered_on_purpose_is_marked_and_never_stored(ctx, issued):
    original, path = issued
    recorded = _hash(ctx)
    path.unlink()
    copy = document_pdf(ctx, NUMBER, regenerate=True)
    text = _text(copy)
    assert "重新生成件" in text and recorded in text and "曾志强" in text  # today's data, said to be a copy
    assert not path.exists() and _hash(ctx) == recorded
    assert "曾志伟" in _text(original)


def test_the_cli_refuses_a_missing_original_in_chinese(ctx, issued, tmp_path, capsys):
    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("the CLI test opens the SQLite file")
    _, path = issued
    path.unlink()
    code = run(["--db", str(ctx.engine.url.database), "print", "notice", NUMBER, str(tmp_path / "n.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and "存档原件无法核实" in err and not (tmp_path / "n.pdf").exists()
