"""The main window: every tab shows database rows, search by pinyin initials, dialogs with validation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from yibao_desktop.domain.ids import make_id_number


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_every_tab_opens_and_shows_its_rows_or_an_explained_empty_state(window, qtbot):
    titles = [window.tabs_widget.tabText(i) for i in range(window.tabs_widget.count())]
    assert titles == ["工作台", "定点机构", "医保协议", "人员记分", "申诉处理"]
    assert window.institutions.model.rowCount() == 2
    assert window.personnel.model.rowCount() == 2
    qtbot.waitUntil(lambda: "2\n定点机构" in window.dashboard.tiles["institutions"].text())
    assert "受理申诉" in window.appeals.empty.text()
    assert window.agreements.empty.text().startswith("还没有医保协议")


def test_pinyin_initials_find_both_readings_of_a_polyphonic_surname(window, qtbot):
    tab = window.personnel
    qtbot.keyClicks(tab.search, "zzw")
    assert [r.name for r in tab.model.rows] == ["曾志伟"]
    tab.search.clear()
    qtbot.keyClicks(tab.search, "czw")
    assert [r.name for r in tab.model.rows] == ["曾志伟"]
    tab.search.clear()
    qtbot.keyClicks(tab.search, "lxy")
    assert [r.name for r in tab.model.rows] == ["林秀英"]


def test_filters_combine_with_search_and_columns_sort_natively(window):
    tab = window.personnel
    combo = tab.filters["f_institution"][0]
    combo.setCurrentIndex(combo.findText("榕城区中医医院"))
    assert [r.name for r in tab.model.rows] == ["林秀英"]
    assert "全部 2 条" in tab.count.text()


def test_a_new_institution_is_created_through_its_dialog(window, qtbot):
    window.show_tab("institutions")
    window.new_record()
    dlg = window.last_dialog
    w = dlg.form.widgets
    w["name"].setText("揭阳市榕城区东山社区卫生服务中心")
    qtbot.keyClicks(w["code"], "H44520200003")
    w["kind"].setCurrentIndex(w["kind"].findData("community_health"))
    qtbot.mouseClick(ok(dlg), Qt.MouseButton.LeftButton)
    assert not dlg.dialog.isVisible()
    qtbot.waitUntil(lambda: len(window.institutions.all_rows) == 3)
    window.institutions.search.setText("dssq")
    assert [r.code for r in window.institutions.model.rows] == ["H44520200003"]


def test_a_wrong_check_digit_shows_a_chinese_message_next_to_the_field_and_keeps_the_input(window, qtbot):
    window.personnel_actions.register_person()
    dlg = window.last_dialog
    w = dlg.form.widgets
    good = make_id_number("445202", __import__("datetime").date(1990, 1, 2), 9, "男")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    w["name"].setText("陈建华")
    qtbot.keyClicks(w["id_number"], bad)
    assert "校验位" in w["birth_sex"].text()
    qtbot.keyClicks(w["person_code"], "D445202000009")
    w["institution_code"].setCurrentIndex(1)
    qtbot.mouseClick(ok(dlg), Qt.MouseButton.LeftButton)
    err = dlg.dialog.findChild(QLabel, "err_id_number")
    assert dlg.dialog.isVisible() and err.isVisible() and "校验位" in err.text()
    assert w["name"].text() == "陈建华" and w["id_number"].text() == bad


def test_a_large_table_fill_survives_many_qt_calls(qtbot):
    """PySide6 6.12.0 on Python 3.11 aborts after a few thousand None-returning calls (docs/ARCHITECTURE.md)."""
    from dataclasses import dataclass

    from PySide6.QtWidgets import QTableView

    from yibao_desktop.qt.table_model import Column, RowTableModel

    @dataclass(frozen=True)
    class R:
        values: tuple

    model = RowTableModel([Column(f"列{i}", lambda r, i=i: r.values[i]) for i in range(50)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_rows([R(tuple(f"{r}-{c}" for c in range(50))) for r in range(200)])
    label = QLabel()
    for n in range(20000):
        label.setText(str(n))
        view.setColumnWidth(n % 50, 60 + n % 7)
    assert model.index(199, 49).data() == "199-49"
    assert label.text() == "19999"


def test_the_window_remembers_its_size_and_column_widths(window, qtbot, ctx):
    from yibao_desktop.qt.main_window import MainWindow

    window.qwindow.resize(711, 577)  # within the offscreen screen (800×600)
    window.personnel.table.setColumnWidth(0, 133)
    window.qwindow.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again.qwindow)
    assert again.qwindow.height() == 577  # width is held at the layout minimum offscreen
    assert again.personnel.table.columnWidth(0) == 133
    again.runner.shutdown()


def test_an_institution_is_edited_and_a_stale_edit_is_refused_in_chinese(window, qtbot, ctx, make_ctx):
    from yibao_desktop.services.institutions import get_institution, save_institution

    row = next(r for r in window.institutions.all_rows if r.code == "H44520200001")
    window.institution_actions.edit_institution(row.id)
    dlg = window.last_dialog
    dlg.form.widgets["phone"].setText("0663-8222222")
    other = make_ctx("clerk", "clerk")
    data, version = get_institution(other, row.id)
    data.address = "揭阳市榕城区进贤门大道"
    save_institution(other, data, row.id, version)  # another clerk saves first
    qtbot.mouseClick(ok(dlg), Qt.MouseButton.LeftButton)
    assert dlg.dialog.isVisible() and "其他经办人员" in dlg.message.text()
    assert dlg.form.widgets["phone"].text() == "0663-8222222"  # the clerk's typing is not lost


def test_a_registration_is_edited_through_its_dialog(window, qtbot):
    row = next(r for r in window.personnel.all_rows if r.name == "林秀英")
    window.personnel_actions.edit_registration(row)
    dlg = window.last_dialog
    assert not dlg.form.widgets["id_number"].isEnabled()
    dlg.form.widgets["title"].setEditText("副主任医师")
    qtbot.mouseClick(ok(dlg), Qt.MouseButton.LeftButton)
    assert not dlg.dialog.isVisible(), dlg.message.text()
    qtbot.waitUntil(lambda: any(r.title == "副主任医师" for r in window.personnel.all_rows if r.name == "林秀英"))


def test_switching_to_the_reviewer_asks_the_reviewers_password(window, qtbot, ctx):
    from yibao_desktop.services.users import add_user

    add_user(ctx, "reviewer", "审核员", "reviewer", "Shenhe2026")
    dlg = window.accounts.switch_user()
    dlg.line("username").setText("reviewer")
    dlg.line("password").setText("wrong-pass1")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert window.ctx.username == "admin" and dlg.dialog.isVisible()  # a wrong password changes nothing
    assert dlg.message.text() == "用户名或密码不正确。" and dlg.line("password").text() == ""
    dlg.line("password").setText("Shenhe2026")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert not dlg.dialog.isVisible()
    assert (window.ctx.username, window.ctx.role) == ("reviewer", "reviewer")
    assert "reviewer（审核）" in window.status_profile.text()


def test_the_deadline_list_shows_the_oldest_due_date_first_also_after_a_restart(window, qtbot, ctx):
    from datetime import date

    from yibao_desktop.qt.main_window import MainWindow
    from yibao_desktop.services.scoring import ScoreInput, record_scores

    idn = next(r for r in window.personnel.all_rows if r.name == "曾志伟").id_number
    for n, day in ((1, date(2026, 11, 2)), (2, date(2026, 11, 19))):
        record_scores(
            ctx,
            [ScoreInput(idn, "H44520200001", "penalty", f"揭医保罚〔2026〕{n}号", day, f"JC{n}", "B1-01", "general")],
        )
    window.qwindow.close()  # saves the header state, sort indicator included
    again = MainWindow(ctx)
    qtbot.addWidget(again.qwindow)
    qtbot.waitUntil(lambda: again.dashboard.model.rowCount() == 2)
    dues = [r.due for r in again.dashboard.model.rows]
    assert dues == sorted(dues)
    again.runner.shutdown()


def test_the_office_contact_printed_on_notices_is_entered_in_the_settings_dialog(window, qtbot):
    window.open_settings()
    dlg = window.last_dialog
    w = dlg.form.widgets
    w["contact_person"].setText("王五")
    w["contact_phone"].setText("电话")
    qtbot.mouseClick(ok(dlg), Qt.MouseButton.LeftButton)
    err = dlg.dialog.findChild(QLabel, "err_contact_phone")
    assert dlg.dialog.isVisible() and err.isVisible() and "联系电话格式不对" in err.text()
    w["contact_phone"].setText("")
    qtbot.keyClicks(w["contact_phone"], "0663-8212345")
    qtbot.mouseClick(ok(dlg), Qt.MouseButton.LeftButton)
    assert not dlg.dialog.isVisible()
    assert (window.ctx.settings.contact_person, window.ctx.settings.contact_phone) == ("王五", "0663-8212345")
