"""Settlement check on a real database: claims served while suspended are recoverable, emergencies are not."""

from __future__ import annotations

import io

import pytest

from tests.builders import issue_suspension
from yibao_desktop.services.settlement import check_claims, import_claims, recovery_list


def claims_file(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "结算明细"
    sheet.append(["结算流水号", "医药机构代码", "医保相关人员代码", "身份证件号码", "服务日期", "基金支付金额", "是否急诊抢救"])
    for r in rows:
        sheet.append(r)
    for row in sheet.iter_rows(min_row=2):
        for cell in row[:4]:
            cell.number_format = "@"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def suspended(ctx, make_ctx):
    """曾志伟 suspended 2026-09-14 … 2026-11-13 (9 points, 2 months)."""
    return issue_suspension(ctx, make_ctx("reviewer", "reviewer"))[1]


def test_claims_inside_the_suspension_are_recovered_except_emergencies(ctx, suspended):
    data = claims_file([
        ["C1", "H44520200001", "", suspended, "2026-09-13", "100.00", "否"],
        ["C2", "H44520200001", "", suspended, "2026-09-14", "200.50", "否"],
        ["C3", "H44520200001", "", suspended, "2026-11-13", "300", "是"],
        ["C4", "H44520200001", "D445202000007", "", "2026-11-14", "400", "否"],
        ["C5", "H44520200001", "D445202999999", "", "2026-10-01", "50", "否"],
    ])
    assert import_claims(ctx, data)[:2] == (5, 0)
    assert import_claims(ctx, data)[:2] == (0, 5)  # re-import changes nothing
    result = check_claims(ctx)
    by_id = {f.claim.claim_id: f for f in result.findings}
    assert sorted(by_id) == ["C2", "C3", "C5"]
    assert (by_id["C2"].reason_code, by_id["C2"].recoverable) == ("suspended", True)
    assert (by_id["C3"].reason_code, by_id["C3"].recoverable) == ("suspended", False)
    assert by_id["C5"].reason_code == "unregistered"
    assert result.recoverable_fen == 20050
    assert result.unmaintained == ["H44520200001"]
    assert len(recovery_list(result)) > 1000


def test_a_bad_claim_row_writes_nothing(ctx, suspended):
    new, old, problems = import_claims(ctx, claims_file([["C1", "H44520200001", "", suspended, "2026-13-40", "1", "否"]]))
    assert (new, old) == (0, 0) and any(p.column == "服务日期" for p in problems)
    assert check_claims(ctx).lines == 0


def test_the_cli_imports_claims_and_writes_the_recovery_list(ctx, suspended, tmp_path, cli_user):
    from yibao_desktop.cli import run

    src = tmp_path / "claims.xlsx"
    src.write_bytes(claims_file([["C9", "H44520200001", "", suspended, "2026-10-09", "88.8", "否"]]))
    db = str(ctx.engine.url.database)
    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("CLI test uses the SQLite file")
    assert run(["--db", db, "claims", "import", str(src)]) == 0
    out = tmp_path / "recover.xlsx"
    assert run(["--db", db, "claims", "check", str(out), "--from", "2026-10-01"]) == 0
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "C9" and rows[1][7] == "暂停期内结算"
