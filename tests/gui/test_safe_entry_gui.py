"""Safe entry: the wheel and a click never change a value, dates are typed, a saved registration date can be
corrected, 签发/作废/注销 ask with a summary first, the status bar says what happened, 撤回 where it is safe."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.builders import as_user, score_nine_points
from yibao_desktop.services.notices_query import dispositions_of


def _person(window, name="曾志伟"):
    return next(r for r in window.personnel.all_rows if r.name == name)


def _wheel(widget, notches: int = -1) -> None:
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_combo_spin_box_or_date_without_focus_changes_nothing(window, qtbot):
    window.personnel_actions.enter_score(_person(window))
    dlg = window.last_dialog
    w = dlg.form.widgets
    qtbot.waitExposed(dlg.dialog)
    w["notes"].setFocus()
    before = (
        w["circumstance"].currentIndex(),
        w["points"].value(),
        w["decision_date"].text(),
        w["kind"].currentIndex(),
    )
    for name in ("circumstance", "points", "decision_date", "kind"):
        assert not w[name].hasFocus()
        _wheel(w[name], -1)
        _wheel(w[name], 1)
    after = (w["circumstance"].currentIndex(), w["points"].value(), w["decision_date"].text(), w["kind"].currentIndex())
    assert after == before
    dlg.dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg.dialog)
    w["circumstance"].setFocus()  # with focus, the wheel is the clerk's choice
    assert w["circumstance"].hasFocus()
    _wheel(w["circumstance"], -1)
    assert w["circumstance"].currentIndex() != before[0]


def test_a_click_anywhere_on_a_date_field_changes_nothing(window, qtbot):
    window.personnel_actions.enter_score(_person(window))
    field = window.last_dialog.form.widgets["decision_date"]
    qtbot.waitExposed(window.last_dialog.dialog)
    shown = field.text()
    assert shown == "2026-11-23"
    for x, y in ((2, field.height() - 2), (field.width() // 2, field.height() // 2), (field.width() // 3, 2)):
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert field.text() == shown and field.date() == date(2026, 11, 23)


def test_typing_into_an_empty_date_gives_that_date_in_any_of_the_import_formats(window, qtbot):
    window.personnel_actions.enter_score(_person(window))
    field = window.last_dialog.form.widgets["decision_date"]
    for typed in ("20270228", "2027-2-28", "2027.2.28"):
        field.clear()
        field.setFocus()
        qtbot.keyClicks(field, typed)
        assert field.text() == typed  # nothing added to what the clerk types
        field.editingFinished.emit()
        assert field.text() == "2027-02-28" and field.date() == date(2027, 2, 28)
    cal = (field.clear(), field.show_calendar())[1]
    assert cal.selectedDate().toPython() == date(2026, 11, 23)  # an empty field opens the calendar at today
    assert cal.locale().language() == cal.locale().Language.Chinese


def test_a_registration_date_saved_wrongly_is_corrected_in_the_edit_dialog(window, qtbot, ctx):
    from yibao_desktop.services.registry import get_registration

    row = _person(window)
    window.personnel_actions.edit_registration(row)
    dlg = window.last_dialog
    field = dlg.form.widgets["registered_on"]
    assert field.isEnabled()
    field.setText("2026-13-01")
    dlg.accept()
    assert dlg.dialog.isVisible() and dlg.form.errors["registered_on"].text()
    field.setText("2027-01-05")  # after today: refused next to the field
    dlg.accept()
    assert dlg.dialog.isVisible() and "今天" in dlg.form.errors["registered_on"].text()
    field.clear()
    qtbot.keyClicks(field, "2025.1.3")
    assert not dlg.form.errors["registered_on"].isVisible()  # the message goes as soon as the field changes
    dlg.accept()
    assert not dlg.dialog.isVisible()
    assert get_registration(ctx, row.id)[0].registered_on == date(2025, 1, 3)


def _notice(window, ctx, step, asked, answer=True):
    from yibao_desktop.qt.dialogs.notice import NoticeDialog

    d = dispositions_of(ctx, _person(window).person_id)[0]
    nd = NoticeDialog(window, disposition=d).open()
    nd.form.widgets["step"].setCurrentIndex(nd.form.widgets["step"].findData(step))
    nd.saved.connect(window.after_change)
    asked[1]["confirm"] = [answer]
    nd.accept()
    return nd


def test_issue_asks_with_a_summary_and_the_status_bar_names_the_number(window, qtbot, ctx, asked, make_ctx):
    row = _person(window)
    score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    window.ctx = make_ctx("reviewer", "reviewer")
    _notice(window, ctx, "approve", asked)
    asked[0].clear()
    nd = _notice(window, ctx, "issue", asked, answer=False)  # the clerk says 否: nothing happens
    name, args = asked[0][-1]
    assert name == "confirm" and "签发处理通知书：曾志伟 暂停医保支付资格3个月" in args[2] and "2026-11-23" in args[2]
    assert nd.dialog.isVisible() and dispositions_of(ctx, row.person_id)[0].state == "approved"
    nd.accept()
    assert not nd.dialog.isVisible()
    assert window.qwindow.statusBar().currentMessage() == "已签发 揭医保记〔2026〕1号（曾志伟）。"


def test_void_asks_with_the_reason_and_what_voiding_undoes(window, qtbot, ctx, asked, make_ctx):
    row = _person(window)
    score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    window.ctx = make_ctx("reviewer", "reviewer")
    from yibao_desktop.qt.dialogs.notice import NoticeDialog

    nd = NoticeDialog(window, disposition=dispositions_of(ctx, row.person_id)[0]).open()
    nd.form.widgets["step"].setCurrentIndex(nd.form.widgets["step"].findData("void"))
    nd.form.widgets["reason"].setText("决定书文号录错")
    asked[1]["confirm"] = [False]
    nd.accept()
    question = asked[0][-1][1][2]
    assert "作废：曾志伟" in question and "决定书文号录错" in question and "不再计入" in question
    assert dispositions_of(ctx, row.person_id)[0].state == "draft"


def test_an_unissued_approval_and_an_own_draft_can_be_withdrawn(window, qtbot, ctx, asked, make_ctx):
    row = _person(window)
    clerk = as_user(ctx, "clerk1", "clerk")
    score_nine_points(clerk, row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    window.ctx = make_ctx("reviewer", "reviewer")
    _notice(window, ctx, "approve", asked)
    _notice(window, ctx, "withdraw_approval", asked)
    assert dispositions_of(ctx, row.person_id)[0].state == "draft"
    assert "已撤回审核" in window.qwindow.statusBar().currentMessage()
    nd = _notice(window, ctx, "withdraw_draft", asked)  # a reviewer is not offered withdrawing a clerk's entry
    assert nd.dialog.isVisible() and nd.form.widgets["step"].findData("withdraw_draft") < 0
    window.ctx = as_user(ctx, "clerk2", "clerk")
    nd = _notice(window, ctx, "withdraw_draft", asked)  # nor is another clerk
    assert nd.dialog.isVisible() and nd.form.widgets["step"].findData("withdraw_draft") < 0
    window.ctx = clerk
    _notice(window, ctx, "withdraw_draft", asked)
    d = dispositions_of(ctx, row.person_id)[0]
    assert d.state == "voided" and d.doc_no is None
    assert "已撤回处理意见" in window.qwindow.statusBar().currentMessage()


def test_cancelling_a_registration_asks_with_person_institution_date_and_reason(window, qtbot, asked):
    row = _person(window)
    asked[1]["choose"] = ["退休"]
    asked[1]["confirm"] = [False]
    window.personnel_actions.cancel_registration(row)
    question = asked[0][-1][1][2]
    assert "曾志伟" in question and "揭阳市人民医院" in question and "2026-11-23" in question and "退休" in question
    asked[1]["choose"] = ["退休"]
    window.personnel_actions.cancel_registration(row)
    assert window.qwindow.statusBar().currentMessage() == "已注销 曾志伟 在 揭阳市人民医院 的登记备案（退休）。"


def test_every_form_dialog_starts_with_focus_on_its_first_field(window, qtbot):
    from tests.gui.test_workday_screen import _open_every_dialog
    from yibao_desktop.qt.dialogs.base import FormDialog

    checked = []
    for title, dlg in _open_every_dialog(window):
        if isinstance(dlg, FormDialog):
            first = dlg.first_field()
            assert first is not None and dlg.dialog.focusWidget() is first, (title, dlg.dialog.focusWidget())
            checked.append(title)
        dlg.dialog.reject()
    assert {"录入记分", "登记备案", "编辑登记备案", "新增机构", "签订协议", "协议事项", "设置"} <= set(checked)
