"""Statistics report and status lists: every figure equals a count queried from the database independently, the
.xlsx holds numbers as numbers, the PDFs carry the tables (and a page per institution)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import text

from tests.builders import issue_suspension
from yibao_desktop.services.reports import stats_report, status_lists
from yibao_desktop.services.reports_stats import build_stats

START, END = date(2026, 1, 1), date(2026, 11, 23)


@pytest.fixture
def city(ctx, make_ctx):
    """Demo data with scores, dispositions and procedures, plus one suspension checked against a claims file."""
    from tests.integration.test_settlement_check import OWN, write_text
    from yibao_desktop.services.demo import generate
    from yibao_desktop.services.settlement import check_file

    generate(ctx, persons=300, seed=7)
    with ctx.engine.connect() as conn:  # a demo person suspended in the period, at an institution of theirs
        row = conn.execute(
            text(
                "SELECT p.id_number, i.code, sp.start FROM status_periods sp JOIN persons p ON p.id = sp.person_id "
                "JOIN registrations r ON r.person_id = p.id JOIN institutions i ON i.id = r.institution_id "
                "WHERE sp.status = 'suspended' AND sp.start >= :a AND sp.start <= :b AND sp.ended_on IS NULL "
                "AND r.registered_on <= sp.start ORDER BY sp.id LIMIT 1"
            ),
            {"a": START, "b": date(2026, 11, 1)},
        ).one()
    return ctx, row, check_file, OWN, write_text


def _one(ctx, sql: str) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(text(sql), {"a": START, "b": END}).scalar() or 0


def _table(report, title):
    return next(t for t in report.tables if t.title == title)


def test_every_figure_of_the_statistics_report_equals_the_records(city, tmp_path):
    ctx, (idn, code, on), check_file, own, write_text = city
    day = on.isoformat() if isinstance(on, date) else str(on)[:10]
    check_file(
        ctx,
        write_text(
            tmp_path / "c.csv", own, [["X1", code, "", idn, day, "123.45", "否"], ["X2", code, "", idn, day, "1", "是"]]
        ),
    )
    report = build_stats(ctx, START, END)
    entries = _one(ctx, "SELECT count(*) FROM score_entries WHERE state = 'active' AND decision_date BETWEEN :a AND :b")
    assert entries > 10
    for title in ("记分按档次", "记分按违规行为", "记分按机构类别", "记分按机构"):
        t = _table(report, title)
        n = t.headers.index("记分条数")
        assert sum(r[n] for r in t.rows) == entries, title
        assert sum(r[n + 2] for r in t.rows) == _one(
            ctx, "SELECT sum(points) FROM score_entries WHERE state = 'active' AND decision_date BETWEEN :a AND :b"
        )
    assert report.figures["被记分人数"] == _one(
        ctx,
        "SELECT count(DISTINCT person_id) FROM score_entries WHERE state = 'active' "
        "AND decision_date BETWEEN :a AND :b",
    )
    assert sum(r[1] for r in _table(report, "处理情况").rows) == _one(
        ctx, "SELECT count(*) FROM dispositions WHERE state IN ('issued', 'delivered') AND issued_on BETWEEN :a AND :b"
    )
    appeals = dict((r[0], r[1]) for r in _table(report, "申诉").rows)
    assert appeals["期间受理"] == _one(ctx, "SELECT count(*) FROM appeals WHERE received_on BETWEEN :a AND :b")
    assert appeals["期间受理"] == appeals["维持原处理"] + appeals["变更处理"] + appeals["尚在办理"]
    assert appeals["变更处理"] == _one(
        ctx,
        "SELECT count(*) FROM appeals WHERE received_on BETWEEN :a AND :b "
        "AND state = 'decided' AND outcome = 'changed'",
    )
    rr = {r[0]: r for r in _table(report, "记分修复与资格恢复").rows}
    assert rr["记分修复（同意）"][1] == _one(
        ctx, "SELECT count(*) FROM repairs WHERE state = 'granted' AND decided_on BETWEEN :a AND :b"
    )
    assert rr["记分修复（同意）"][2] == _one(
        ctx, "SELECT sum(points_granted) FROM repairs WHERE state = 'granted' AND decided_on BETWEEN :a AND :b"
    )
    assert rr["资格恢复（通过）"][1] == _one(
        ctx, "SELECT count(*) FROM restorations WHERE decision = 'passed' AND decided_on BETWEEN :a AND :b"
    )
    recovery = _table(report, "结算核查追回")
    assert [(r[0], r[2], r[3]) for r in recovery.rows] == [(code, 2, 12345)]
    assert report.figures["应追回金额（分）"] == _one(ctx, "SELECT sum(fund_fen) FROM claim_findings WHERE recoverable")


def test_the_statistics_report_as_xlsx_has_a_sheet_per_table_and_the_pdf_has_charts(city, fonts, tmp_path):
    from python_calamine import CalamineWorkbook

    ctx = city[0]
    out = tmp_path / "stats.xlsx"
    out.write_bytes(stats_report(ctx, START, END, "xlsx"))
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names[:3] == ["概况", "记分按档次", "记分按违规行为"] and "第三十条机构" in book.sheet_names
    bands = book.get_sheet_by_name("记分按档次").to_python()
    assert all(isinstance(v, float) for r in bands[1:] for v in r[1:])  # numbers, not text
    pdf = stats_report(ctx, START, END, "pdf")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = "".join(p.extract_text() for p in doc.pages)
        assert "统计期间：2026年1月1日至2026年11月23日" in words and "记分按档次" in words
        assert any(p.curves or p.rects for p in doc.pages)


def test_the_status_list_names_each_change_with_dates_and_document_number(ctx, make_ctx, fonts):
    from dataclasses import replace

    import pdfplumber
    from python_calamine import CalamineWorkbook

    from yibao_desktop.services import score_followups
    from yibao_desktop.services.dossier import load_dossier
    from yibao_desktop.services.registrations import list_registrations

    did, idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))  # printed 2026-09-14 … 2026-11-13

    def changes():
        rows = CalamineWorkbook.from_filelike(io.BytesIO(status_lists(ctx, date(2026, 9, 1), date(2026, 11, 30))[0]))
        return [(r[2], r[4], str(r[5])[:10]) for r in rows.get_sheet_by_index(0).to_python()[1:]]

    # not restored: no 恢复 on the day after the printed end (《规程》第三十九条, one rule with the ledger)
    assert changes() == [("曾志伟", "暂停", "2026-09-14")]
    pid = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    rid = score_followups.file_restoration(ctx, load_dossier(ctx, pid).periods[0].id, date(2026, 11, 16), "已整改")
    score_followups.decide_restoration(
        replace(make_ctx("reviewer", "reviewer"), clock=lambda: date(2026, 11, 20)), rid, True, date(2026, 11, 20)
    )
    assert ("曾志伟", "恢复", "2026-11-20") in changes()
    xlsx, pdf, institutions = status_lists(ctx, date(2026, 9, 1), date(2026, 11, 30))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    assert rows[1][7].startswith("揭医保记〔2026〕")
    assert institutions == 1
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert "揭阳市人民医院（H44520200001）" in doc.pages[0].extract_text()


def test_the_cli_writes_the_statistics_report_and_the_status_lists(ctx, make_ctx, tmp_path, fonts, cli_user):
    from yibao_desktop.cli import run

    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("CLI test uses the SQLite file")
    issue_suspension(ctx, make_ctx("reviewer", "reviewer"))
    db = str(ctx.engine.url.database)
    assert (
        run(["--db", db, "report", "stats", "--from", "2026-01-01", "--to", "2026-11-23", str(tmp_path / "s.xlsx")])
        == 0
    )
    assert (
        run(["--db", db, "report", "stats", "--from", "2026-01-01", "--to", "2026-11-23", str(tmp_path / "s.pdf")]) == 0
    )
    assert (tmp_path / "s.pdf").read_bytes()[:4] == b"%PDF"
    assert (
        run(["--db", db, "report", "stats", "--from", "2026-01-01", "--to", "2026-11-23", str(tmp_path / "s.doc")]) == 2
    )
    assert (
        run(["--db", db, "report", "status", "--from", "2026-09-01", "--to", "2026-09-30", str(tmp_path / "out")]) == 0
    )
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".pdf", ".xlsx"]
