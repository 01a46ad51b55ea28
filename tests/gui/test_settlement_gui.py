"""结算核查 from the 文件 menu: import in the background, summary in Chinese, recovery list saved."""

from __future__ import annotations

from datetime import date

from tests.integration.test_settlement_check import claims_file


def test_the_settlement_check_reports_and_saves_the_recovery_list(window, qtbot, asked, ctx, tmp_path):
    calls, answers = asked
    idn = next(r for r in window.personnel.all_rows if r.name == "曾志伟").id_number
    src = tmp_path / "claims.xlsx"
    src.write_bytes(claims_file([["C1", "H44520200002", "", idn, date(2026, 10, 9).isoformat(), "10", "否"]]))
    out = tmp_path / "追回清单.xlsx"
    answers["open_path"] = [str(src)]
    answers["save_path"] = [str(out)]
    window.actions["act_settlement"].trigger()
    qtbot.waitUntil(lambda: any(name == "info" for name, _ in calls), timeout=10000)
    text = next(args for name, args in calls if name == "info")[2]
    assert "新导入 1 条" in text and "发现问题 1 条" in text  # 曾志伟 is not registered at H44520200002
    qtbot.waitUntil(out.exists)
