"""结算核查与追回清单 from the 文件 menu: a foreign header set mapped in the dialog, the check in the background with
its progress bar, the problems listed by row and column, the recovery list saved; cancel stops a check."""

from __future__ import annotations

from tests.integration.test_settlement_check import OWN, write_text

FOREIGN = ["结算ID", "定点医药机构编号", "医师代码", "患者证件号", "费用发生时间", "统筹支付"]


def _choose(qtbot, dlg, path) -> None:
    """Choose a file and wait for its headers (read in the background)."""
    dlg.choose_file(str(path))
    qtbot.waitUntil(lambda: dlg.look is not None, timeout=20000)


def _dialog(window):
    window.actions["act_settlement"].trigger()
    return window.files.settlement_dialog


def test_the_clerk_maps_a_foreign_file_checks_it_and_saves_the_recovery_list(window, qtbot, asked, tmp_path):
    calls, answers = asked
    idn = next(r for r in window.personnel.all_rows if r.name == "曾志伟").id_number
    src = write_text(
        tmp_path / "his.csv",
        FOREIGN,
        [["C1", "H44520200002", "", idn, "2026-10-09", "10"], ["C2", "H44520200001", "", idn, "2026-13-01", "10"]],
        encoding="gbk",
    )
    dlg = _dialog(window)
    _choose(qtbot, dlg, src)
    assert "GB18030" in dlg.info.text().upper() and "请在下面指明" in dlg.info.text()
    for key, header in (
        ("claim_id", "结算ID"),
        ("institution_code", "定点医药机构编号"),
        ("person_code", "医师代码"),
        ("id_number", "患者证件号"),
        ("service_date", "费用发生时间"),
        ("fund_amount", "统筹支付"),
    ):
        dlg.combos[key].setCurrentText(header)
    dlg.mapping_name.setText("市结算系统")
    dlg.save_mapping()
    _choose(qtbot, dlg, src)  # the same header set again: the mapping is found by itself
    assert "已套用列对应关系“市结算系统”" in dlg.info.text()
    dlg.buttons["start"].click()
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=20000)
    assert dlg.bar.value() == dlg.bar.maximum()
    assert "发现问题 1 条" in dlg.summary.text()  # 曾志伟 is not registered at H44520200002
    assert dlg.model.rowCount() == 1 and dlg.model.row_at(0).row == 3 and dlg.model.row_at(0).column == "费用发生时间"
    out = tmp_path / "追回清单.xlsx"
    answers["save_path"] = [str(out)]
    dlg.buttons["save_list"].click()
    assert out.exists() and out.stat().st_size > 1000


def test_cancel_stops_the_check_and_stores_nothing(window, qtbot, asked, tmp_path, monkeypatch, ctx):
    import threading

    from yibao_desktop.adapters.claims import engine

    gate = threading.Event()
    original = engine._run

    def slow(con, sql, progress, cancelled):  # the scan waits until the clerk has pressed 取消核查
        gate.wait(10)
        return original(con, sql, progress, cancelled)

    monkeypatch.setattr(engine, "_run", slow)
    src = write_text(tmp_path / "c.csv", OWN, [["C1", "H44520200001", "D445202000003", "", "2026-10-09", "1", "否"]])
    dlg = _dialog(window)
    _choose(qtbot, dlg, src)
    dlg.buttons["start"].click()
    assert dlg.buttons["cancel"].isEnabled()
    dlg.buttons["cancel"].click()
    gate.set()
    qtbot.waitUntil(lambda: "已取消" in dlg.summary.text(), timeout=20000)
    qtbot.waitUntil(lambda: dlg.buttons["start"].isEnabled(), timeout=20000)
    assert dlg.outcome is None
    from sqlalchemy import func, select

    from yibao_desktop.adapters.db.models import ClaimCheckRun

    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ClaimCheckRun)) == 0


def test_the_report_window_saves_the_statistics_of_last_quarter_and_previews_the_status_list(
    window, qtbot, asked, tmp_path, monkeypatch
):
    from datetime import date

    from yibao_desktop.qt.report_dialog import preset_period

    calls, answers = asked
    assert preset_period("上季度", date(2026, 11, 23)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert preset_period("上月", date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    window.actions["act_reports"].trigger()
    dlg = window.files.report_dialog
    dlg.preset.setCurrentText("本年")
    assert (dlg.date_from.date(), dlg.date_to.date()) == (date(2026, 1, 1), date(2026, 12, 31))
    out = tmp_path / "统计表.xlsx"
    answers["save_path"] = [str(out)]
    dlg.run("xlsx")
    qtbot.waitUntil(out.exists, timeout=20000)
    shown = []
    monkeypatch.setattr(window, "preview_pdf", lambda make, title: shown.append((make()[:4], title)))
    dlg.kind.setCurrentIndex(1)
    dlg.run("pdf")
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert shown[0] == (b"%PDF", "各机构登记备案状态变更名单")
