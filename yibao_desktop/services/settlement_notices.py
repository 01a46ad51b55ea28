"""追回医保基金通知书 per institution of a settlement check (《规程》第四十五、四十六、四十八条): numbered once per run and
institution, each archived with its SHA-256, printed together as one batch PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Document
from yibao_desktop.adapters.pdf import render_batch, render_form
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Permission, require

from .archive import archive_path, archived, store
from .context import AppContext
from .documents import assign_doc_no
from .printing import fonts_for, office_data
from .settlement_outputs import REASON_SHORT, FindingRow, RunRow, grouped_by_institution, load_run

DOC_TYPE = "recovery"
FORM = "recovery_notice"


def _span(run: RunRow) -> str:
    first, last = run.period_from or run.first_day, run.period_to or run.last_day
    if not first or not last:
        return ""
    return f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"


def notice_data(run: RunRow, code: str, rows: list[FindingRow], on: date) -> dict:
    """The form data of one institution's notice."""
    recover = sum(r.fund_fen for r in rows if r.recoverable)
    data = {
        "institution_name": rows[0].institution_name or code,
        "institution_code": code,
        "check_no": str(run.id),
        "file_name": run.file_name,
        "span": _span(run),
        "line_count": str(len(rows)),
        "recover_total": f"{recover / 100:,.2f}",
        "emergency_count": str(sum(1 for r in rows if r.emergency)),
        "issue_date": on,
        "lines": [
            {
                "name": r.person_name,
                "person_code": r.person_code or r.id_number,
                "service_date": r.service_date.isoformat(),
                "claim_id": r.claim_id,
                "amount": f"{r.fund_fen / 100:,.2f}",
                "reason": REASON_SHORT[r.reason_code] + ("（急诊抢救，不追回）" if r.emergency else ""),
            }
            for r in rows
        ],
    }
    if any(r.reason_code in ("suspended", "terminated") and not r.emergency for r in rows):
        data["unmaintained"] = "是"
    return data


def _subject(run_id: int, code: str) -> str:
    return f"结算核查第{run_id}次 {code}"


def recovery_notices_pdf(
    ctx: AppContext,
    run_id: int,
    on: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """One notice per institution with findings in the run; numbers are taken once (a second print reuses them)."""
    require(ctx, Permission.ISSUE)
    on = on or ctx.today()
    run, rows = load_run(ctx, run_id)
    groups = grouped_by_institution(rows)
    if not groups:
        raise DomainError("本次核查没有发现问题，无需发出追回通知。")
    fonts, office = fonts_for(ctx), office_data(ctx)
    remedy = ctx.profile.legal.relief(ctx.settings.admin_department.strip())
    items, fresh = [], []
    with ctx.uow() as uow:
        for code, lines in groups.items():
            subject = _subject(run_id, code)
            doc = uow.session.scalar(
                select(Document).where(
                    Document.doc_type == DOC_TYPE,
                    Document.ref_table == "claim_check_runs",
                    Document.ref_id == run_id,
                    Document.subject == subject,
                    Document.voided.is_(False),
                )
            )
            if doc is None:
                doc_no, year = assign_doc_no(ctx, uow, DOC_TYPE, on, subject, "claim_check_runs", run_id), on.year
                issued = on
            else:
                doc_no, year, issued = doc.doc_no, doc.year, doc.issued_on
            data = {**notice_data(run, code, lines, issued), "doc_no": doc_no, "remedy": remedy}
            items.append((FORM, data, 1))
            if doc is None or archived(archive_path(doc_no, year), doc.file_hash or "") is None:
                fresh.append((doc_no, year, data))
        pdfs = [
            (doc_no, year, render_form(FORM, data, fonts, office=office, issued=True)) for doc_no, year, data in fresh
        ]
        uow.commit()
    for doc_no, year, pdf in pdfs:
        store(ctx, doc_no, archive_path(doc_no, year), pdf)
    return render_batch(items, fonts, progress=progress, cancelled=cancelled, office=office)
