"""The import dialog: background check with progress, preview counts and problems, commit, the tab refreshed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.integration.test_rosters import CHEN, LIN, person, roster
from yibao_desktop.qt.import_dialog import ImportDialog


def previewed(window, qtbot) -> ImportDialog:
    qtbot.waitUntil(lambda: isinstance(window.last_dialog, ImportDialog), timeout=10000)
    return window.last_dialog


def label(dlg, name: str) -> str:
    return dlg.dialog.findChild(QLabel, name).text()


def import_personnel(window, qtbot, asked, tmp_path, rows: list[dict]) -> ImportDialog:
    """Choose a 人员登记备案名册 holding `rows` in the import dialog and wait for its preview."""
    _calls, answers = asked
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", rows))
    answers["open_path"] = [str(path)]
    window.files.import_roster("personnel")
    return previewed(window, qtbot)


def test_importing_a_small_roster_shows_the_counts_and_the_new_rows_appear_in_the_tab(window, qtbot, asked, tmp_path):
    rows = [
        person("陈建华", CHEN, "D445203000013", 联系电话="13800138000"),
        person("林晓燕", LIN, "D445202000012", "H44520200002"),
    ]
    dlg = import_personnel(window, qtbot, asked, tmp_path, rows)
    assert [label(dlg, f"count_{k}") for k in ("new", "changed", "unchanged", "rejected")] == [
        "新增 2",
        "变更 0",
        "不变 0",
        "有错误 0",
    ]
    assert dlg.btn_import.isEnabled() and not dlg.accept_valid.isVisible()
    qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.personnel.all_rows) == 4, timeout=10000)
    assert {"陈建华", "林晓燕"} <= {r.name for r in window.personnel.all_rows}
    assert dlg.result["new"] == 2 and not dlg.dialog.isVisible()
    assert "已导入人员登记备案名册：新增 2" in window.qwindow.statusBar().currentMessage()


def test_errors_disable_import_until_the_clerk_accepts_only_the_valid_rows(window, qtbot, asked, tmp_path):
    _calls, answers = asked
    report = tmp_path / "报告.xlsx"
    answers["save_path"] = [str(report)]
    rows = [
        person("陈建华", CHEN, "D445203000013"),
        person("林晓燕", LIN, "D445202000012", "H44520299999", 承诺日期=date(2026, 2, 1)),
    ]
    dlg = import_personnel(window, qtbot, asked, tmp_path, rows)
    assert label(dlg, "count_rejected") == "有错误 1" and not dlg.btn_import.isEnabled()
    model = dlg.model
    assert [model.index(0, c).data() for c in range(4)] == [
        "3",
        "医药机构代码",
        "错误",
        "医药机构代码 H44520299999 在系统中不存在，请先登记或导入该机构",
    ]
    qtbot.mouseClick(dlg.btn_report, Qt.MouseButton.LeftButton)
    assert report.exists() and "错误报告已保存" in dlg.message.text()
    dlg.accept_valid.setChecked(True)
    assert dlg.btn_import.isEnabled()
    qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.personnel.all_rows) == 3, timeout=10000)
    assert "陈建华" in {r.name for r in window.personnel.all_rows}


def test_the_problem_list_shows_errors_only_or_warnings_only_on_request(window, qtbot, asked, tmp_path):
    rows = [
        person("陈建华", CHEN, "D445203000013", 联系电话="12345"),
        person("林晓燕", LIN, "D445202000012", "H44520299999"),
    ]
    dlg = import_personnel(window, qtbot, asked, tmp_path, rows)
    severities = lambda: [dlg.model.index(r, 2).data() for r in range(dlg.model.rowCount())]  # noqa: E731
    everything = severities()
    assert everything[0] == "错误" and "提醒" in everything
    dlg.show_filter.setCurrentIndex(1)
    assert severities() == ["错误"] and dlg.show_filter.currentText() == "仅错误（1）"
    dlg.show_filter.setCurrentIndex(2)
    assert set(severities()) == {"提醒"} and len(severities()) == len(everything) - 1
    dlg.show_filter.setCurrentIndex(0)
    assert severities() == everything


def test_a_check_stopped_at_the_error_limit_says_so_and_the_clerk_can_check_every_row(
    window, qtbot, asked, tmp_path, monkeypatch
):
    from yibao_desktop.qt import import_dialog

    monkeypatch.setattr(import_dialog, "DEFAULT_MAX_ERRORS", 1)
    bad = [person(f"陈{i}", CHEN[:-1] + "Z", f"D44520300001{i}") for i in range(3)] * 400  # 1,200 bad rows
    dlg = import_personnel(window, qtbot, asked, tmp_path, bad)
    assert not dlg.preview.read.complete and dlg.preview.read.total_rows == 999  # stopped after the first block
    assert "错误超过 1 处，检查已提前停止：已检查 999 行" in dlg.summary.text()
    assert not dlg.btn_import.isEnabled() and not dlg.accept_valid.isVisible()
    assert dlg.btn_check_all.isVisible()
    first = dlg.dialog
    qtbot.mouseClick(dlg.btn_check_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.last_dialog.dialog is not first and window.last_dialog.dialog is not None, timeout=20000
    )
    again = window.last_dialog
    assert again.preview.read.complete and again.preview.read.total_rows == 1200
    assert again.preview.counts["rejected"] == 1200 and not again.btn_check_all.isVisible()
