"""The clerk's window, second round: county names beside region codes, 已注销 on request, messages that never move
the form, pinyin order with ü, the forms that fit 1366×768 without scrolling, round chart ticks, full text of a
cut-off cell, and the administrator told why the business buttons are greyed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QScrollArea, QWidget

from tests.builders import add_person
from yibao_desktop.qt.screen import fit_to_screen

OFFICE_SCREEN = QRect(0, 0, 1366, 768)


def _ok(dlg):
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_region_codes_show_their_county_names(window, qtbot):
    from yibao_desktop.qt.dossier_view import dossier_html
    from yibao_desktop.services.dossier import load_dossier

    tab = window.institutions
    headers = [c.header for c in tab.model.columns]
    col = headers.index("医保区划")
    assert tab.model.index(0, col).data() == "445202 榕城区"  # from the institution code H445202…
    combo = tab.filters["f_area"][0]
    assert combo.findText("445202 榕城区") > 0
    row = window.personnel.all_rows[0]
    assert "出生地：445202\u00a0榕城区" in dossier_html(load_dossier(window.ctx, row.person_id), date(2026, 11, 23))
    window.institution_actions.edit_institution(None)
    dlg = window.last_dialog
    name = dlg.dialog.findChild(QLabel, "region_code_name")
    dlg.form.widgets["region_code"].setText("445203")
    assert name.text() == "揭东区"
    dlg.form.widgets["region_code"].setText("445299")
    assert name.text() == "（未知区划）"
    dlg.dialog.reject()


def test_cancelled_registrations_are_hidden_until_the_clerk_asks(window, qtbot):
    from yibao_desktop.services.registrations import cancel_registration

    row = next(r for r in window.personnel.all_rows if r.name == "林秀英")
    cancel_registration(window.ctx, row.id, date(2026, 3, 1), "调离", row.version)
    tab = window.personnel
    tab.refresh()
    qtbot.waitUntil(lambda: len(tab.all_rows) == 1, timeout=5000)
    assert tab.show_cancelled.text() == "显示已注销" and not tab.show_cancelled.isChecked()
    assert tab.filters["f_status"][0].findData("cancelled") < 0
    tab.show_cancelled.setChecked(True)
    qtbot.waitUntil(lambda: len(tab.all_rows) == 2, timeout=5000)
    status = tab.filters["f_status"][0]
    status.setCurrentIndex(status.findData("cancelled"))
    assert [(r.name, r.status_label) for r in tab.model.rows] == [("林秀英", "已注销")]
    tab.show_cancelled.setChecked(False)
    qtbot.waitUntil(lambda: len(tab.all_rows) == 1, timeout=5000)
    assert [r.name for r in tab.model.rows] == ["曾志伟"]


def _positions(dialog) -> dict[str, QPoint]:
    return {
        w.objectName(): w.mapTo(dialog, QPoint(0, 0))
        for w in dialog.findChildren(QWidget)
        if w.objectName() and not w.objectName().startswith("err_") and w.isVisible()
    }


def test_a_message_appears_under_its_field_and_nothing_in_the_form_moves(window, qtbot):
    from yibao_desktop.domain.ids import make_id_number

    window.personnel_actions.register_person()
    dlg = window.last_dialog
    qtbot.waitExposed(dlg.dialog)
    dlg.dialog.resize(560, 700)  # the whole form in view, as on a 1366×768 screen
    QApplication.processEvents()
    w = dlg.form.widgets
    w["name"].setText("陈建华")
    before = _positions(dlg.dialog)
    good = make_id_number("445202", date(1990, 1, 2), 9, "男")
    qtbot.keyClicks(w["id_number"], good[:-1] + ("1" if good[-1] != "1" else "2"))
    qtbot.mouseClick(_ok(dlg), Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    err = dlg.dialog.findChild(QLabel, "err_id_number")
    assert err.isVisible() and "校验位" in err.text()
    assert _positions(dlg.dialog) == before  # not one widget moved (the birth-date line had its room already)
    field = w["id_number"]
    top = err.mapTo(dlg.dialog, QPoint(0, 0))
    below = field.mapTo(dlg.dialog, QPoint(0, field.height()))
    assert abs(top.y() - below.y()) <= 2 and abs(top.x() - below.x()) <= 2  # next to the field, just under it
    assert err.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # clicks reach the field below
    field.clear()
    qtbot.keyClicks(field, good)
    assert not err.isVisible()
    assert _positions(dlg.dialog) == before
    dlg.dialog.reject()


def _needs_scrolling(dialog) -> bool:
    area = dialog.findChild(QScrollArea)
    return area.verticalScrollBar().maximum() > 0 or area.horizontalScrollBar().maximum() > 0


def test_score_institution_and_settings_forms_fit_1366x768_without_scrolling(window, qtbot):
    row = next(r for r in window.personnel.all_rows if r.name == "曾志伟")
    for opener in (
        lambda: window.personnel_actions.enter_score(row),
        lambda: window.institution_actions.edit_institution(None),
        window.open_settings,
    ):
        window.last_dialog = None
        opener()
        d = window.last_dialog.dialog
        qtbot.waitExposed(d)
        fit_to_screen(d, OFFICE_SCREEN)
        QApplication.processEvents()
        assert d.height() <= 728 and d.width() <= 1350, d.windowTitle()
        assert not _needs_scrolling(d), (d.windowTitle(), d.size())
        if window.last_dialog.ui_name == "score_dialog":
            proposal = d.findChild(QWidget, "group_2")  # 拟处理意见 in view without scrolling
            area = d.findChild(QScrollArea)
            bottom = proposal.mapTo(area.viewport(), QPoint(0, proposal.height())).y()
            assert proposal.isVisible() and bottom <= area.viewport().height()
        d.reject()


def test_names_with_u_umlaut_sort_as_in_the_dictionary_in_the_table(window, qtbot, ctx):
    for seq, name in ((11, "罗安"), (12, "吕伟"), (13, "栾安"), (14, "卢伟")):
        add_person(ctx, "H44520200001", name, seq=seq, code=f"D4452020000{seq}")
    tab = window.personnel
    tab.refresh()
    qtbot.waitUntil(lambda: len(tab.all_rows) == 6, timeout=5000)
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = [r.name for r in tab.model.rows if r.name[0] in "卢吕栾罗"]
    assert names == ["卢伟", "吕伟", "栾安", "罗安"]


def test_chart_ticks_are_whole_round_numbers():
    from yibao_desktop.qt.charts_panel import nice_ticks

    assert nice_ticks(17) == (20, 5)  # 0/5/10/15/20, not 0/8/17
    assert nice_ticks(26) == (30, 5)
    assert nice_ticks(3) == (4, 1)
    assert nice_ticks(1) == (2, 1)
    top, step = nice_ticks(1234)
    assert (top, step) == (1500, 500) and top > 1234 * 1.1


def test_a_cut_off_cell_shows_its_full_text_as_tooltip_and_headers_fit(window, qtbot):
    from yibao_desktop.qt.table_model import FullTextTips

    tab = window.institutions
    view = tab.table
    col = [c.header for c in tab.model.columns].index("机构名称")
    delegate = view.itemDelegate()
    assert isinstance(delegate, FullTextTips)
    view.setColumnWidth(col, 40)
    index = tab.model.index(0, col)
    assert delegate.tip(view, index) == index.data()
    view.setColumnWidth(col, 400)
    assert delegate.tip(view, index) is None  # the whole name is in view: no tooltip
    metrics = view.horizontalHeader().fontMetrics()
    person = window.personnel
    title = [c.header for c in person.model.columns].index("专业技术职务")
    assert person.table.columnWidth(title) >= metrics.horizontalAdvance("专业技术职务") + 20
    assert tab.model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "机构名称"


def test_an_administrator_is_told_why_the_business_buttons_are_greyed(window, ctx):
    from dataclasses import replace

    from yibao_desktop.domain.permissions import Actor, Role

    window.ctx = replace(ctx, actor=Actor("admin2", Role.ADMIN, "管理员"))
    window.update_status()
    note = window.personnel.role_note
    assert not window.personnel.button("btn_score").isEnabled()
    assert note.isVisibleTo(window.personnel.widget)
    assert "管理员" in note.text() and "经办" in note.text() and "切换用户" in note.text()
    assert "需由" in window.personnel.button("btn_score").toolTip()
    window.ctx = replace(ctx, actor=Actor("clerk1", Role.CLERK, "经办"))
    window.update_status()
    assert not note.isVisibleTo(window.personnel.widget) and window.personnel.button("btn_score").isEnabled()


def test_the_issue_line_of_the_work_list_says_what_is_due(ctx):
    from tests.builders import add_institution, score_nine_points
    from yibao_desktop.services.dashboard import load_dashboard

    add_institution(ctx)
    _rid, idn = add_person(ctx)
    score_nine_points(ctx, idn, "H44520200001", "揭医保罚〔2026〕1号")
    line = next(t for t in load_dashboard(ctx).todos if t.kind == "通知书签发")
    assert line.detail.startswith("应签发处理通知书（意见待审核") or line.detail.startswith("应签发处理通知书（已审核")


def test_agreement_numbers_sort_as_numbers_in_the_agreements_tab(window, qtbot):
    from yibao_desktop.services.agreements import sign_agreement

    sign_agreement(window.ctx, 1, "揭医保协〔2026〕10号", "fixed", window.today(), 2, False)
    sign_agreement(window.ctx, 2, "揭医保协〔2026〕2号", "fixed", window.today(), 2, False)
    tab = window.agreements
    tab.refresh()
    qtbot.waitUntil(lambda: len(tab.all_rows) == 2, timeout=5000)
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r.number for r in tab.model.rows] == ["揭医保协〔2026〕2号", "揭医保协〔2026〕10号"]  # as text: 10 < 2
