"""Keyboard: the 业务 shortcuts (in menus and tooltips), a visible focus frame, the same row after a save, and
pickers that find institutions, persons, notices and violations by code, name or pinyin initials."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMenu, QVBoxLayout, QWidget

from tests.builders import as_user, score_nine_points
from yibao_desktop.qt.pickers import matches


def _person(window, name="曾志伟"):
    return next(r for r in window.personnel.all_rows if r.name == name)


def test_the_work_steps_have_shortcuts_shown_in_the_menu_and_the_buttons_tooltips(window):
    menu = window.qwindow.findChild(QMenu, "menu_work")
    shown = {a.text().split("(&")[0]: a.shortcut().toString() for a in menu.actions()}
    assert shown == {
        "录入记分": "Ctrl+J",
        "处理通知书": "Ctrl+T",
        "审核处理意见": "Ctrl+Shift+S",
        "签发通知书": "Ctrl+Shift+F",
        "登记送达": "Ctrl+Shift+D",
    }
    assert window.personnel.button("btn_score").toolTip() == "录入记分（Ctrl+J）"
    assert "Ctrl+T" in window.personnel.button("btn_notices").toolTip()


def test_ctrl_shift_f_opens_the_selected_persons_approved_notice_at_issue(window, qtbot, ctx, make_ctx):
    row = _person(window)
    did = score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    from yibao_desktop.services import notices

    notices.approve(make_ctx("reviewer", "reviewer"), did)
    window.show_tab("personnel")
    tab = window.personnel
    tab.select_key(row.id)
    window.qwindow.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window.qwindow)
    window.last_dialog = None
    qtbot.keyClick(
        window.qwindow, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dlg = window.last_dialog
    assert dlg is not None and dlg.disp.id == did
    assert dlg.form.widgets["step"].currentData() == "issue"


def test_after_a_save_the_same_row_stays_selected_and_the_dossier_reloads(window, qtbot):
    tab = window.personnel
    window.show_tab("personnel")
    row = _person(window, "林秀英")
    assert tab.select_key(row.id)
    qtbot.waitUntil(lambda: "林秀英" in tab.dossier.toPlainText())
    tab.dossier.setPlainText("")
    window.personnel_actions.edit_registration(row)
    dlg = window.last_dialog
    dlg.form.widgets["phone"].setText("13800138000")
    dlg.accept()
    qtbot.waitUntil(lambda: "林秀英" in tab.dossier.toPlainText(), timeout=5000)
    assert tab.current_row().id == row.id and tab.current_row() is not row  # the fresh row, same record


def test_the_institution_picker_finds_by_code_name_and_pinyin_initials(window, qtbot):
    window.personnel_actions.register_person()
    combo = window.last_dialog.form.widgets["institution_code"]
    assert combo.isEditable()
    for typed, found in (
        ("zyyy", "H44520200002 榕城区中医医院"),
        ("0001", "H44520200001 揭阳市人民医院"),
        ("rmyy", "H44520200001 揭阳市人民医院"),
    ):
        combo.lineEdit().clear()
        qtbot.keyClicks(combo.lineEdit(), typed)
        assert matches(combo) == [found], typed
    combo.lineEdit().editingFinished.emit()  # leaving with one match left picks it
    assert combo.currentData() == "H44520200001"
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), "zyyy")
    combo.completer().activated[str].emit("H44520200002 榕城区中医医院")
    assert combo.currentData() == "H44520200002"


def test_responsible_persons_are_picked_by_pinyin_not_typed_as_id_numbers(window, qtbot, ctx, asked):
    from yibao_desktop.services.agreements import list_agreements, sign_agreement
    from yibao_desktop.services.dossier import load_dossier

    sign_agreement(ctx, 1, "揭医保协〔2026〕1号", "fixed", date(2026, 1, 5), 2, False)
    agreement = list_agreements(ctx)[0]
    window.agreement_actions.record_agreement_event(agreement)
    dlg = window.last_dialog
    pick = dlg.person_pick
    qtbot.keyClicks(pick.lineEdit(), "czw")
    assert matches(pick) == ["D445202000003 曾志伟"]  # 曾 read ceng as well as zeng; 林秀英 works elsewhere
    pick.completer().activated[str].emit("D445202000003 曾志伟")
    idn = _person(window).id_number
    assert dlg.form.widgets["responsible"].toPlainText() == f"{idn} 曾志伟"
    w = dlg.form.widgets
    w["kind"].setCurrentIndex(w["kind"].findData("suspension"))
    w["decision_no"].setText("揭医保协处〔2026〕2号")
    w["until"].setText("2027-02-22")
    dlg.accept()
    assert not dlg.dialog.isVisible(), dlg.message.text()
    question = [a for n, a in asked[0] if n == "confirm"][-1][2]
    assert "中止协议：揭阳市人民医院" in question and "责任人员 1 名同步暂停" in question
    pid = _person(window).person_id
    assert load_dossier(ctx, pid).status == "active"  # maker–checker: entered, another reviewer approves it
    from tests.builders import as_user
    from yibao_desktop.services.agreements import approve_event
    from yibao_desktop.services.agreements_query import proposed_events

    [proposal] = proposed_events(ctx, agreement.id)
    approve_event(as_user(ctx, "reviewer2", "reviewer"), proposal.id)
    assert load_dossier(ctx, pid).status == "suspended"


def test_the_violation_search_takes_pinyin_initials(window, qtbot):
    window.personnel_actions.enter_score(_person(window))
    w = window.last_dialog.form.widgets
    qtbot.keyClicks(w["violation_search"], "fjzy")
    assert w["violation_code"].currentData() == "B2-01"


def test_a_focused_field_and_button_look_different_from_unfocused_ones(qapp, qtbot):
    from yibao_desktop.paths import resources_dir
    from yibao_desktop.qt.app import style_sheet

    qapp.setStyleSheet(style_sheet((resources_dir() / "style.qss").read_text(encoding="utf-8")))
    try:
        box = QWidget()
        qtbot.addWidget(box)
        lay = QVBoxLayout(box)
        widgets = [QLineEdit("2026-11-23"), QComboBox(), QLineEdit("x")]
        widgets[1].addItems(["一般", "重要"])
        for w in widgets:
            lay.addWidget(w)
        box.show()
        box.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
        for w in widgets[:2]:
            widgets[2].setFocus()
            QApplication.processEvents()
            plain = w.grab().toImage()
            w.setFocus()
            QApplication.processEvents()
            assert w.hasFocus()
            assert w.grab().toImage() != plain, type(w).__name__
            assert w.grab().size() == plain.size()  # the frame moves nothing
    finally:
        qapp.setStyleSheet("")


def test_the_name_column_sorts_in_pinyin_order_and_document_numbers_as_numbers(window, qtbot, ctx):
    from PySide6.QtCore import Qt

    from tests.builders import add_person
    from yibao_desktop.qt.documents_dialog import COLUMNS, DocumentRow
    from yibao_desktop.qt.table_model import RowTableModel

    add_person(ctx, "H44520200001", "张三", seq=11)
    add_person(ctx, "H44520200001", "陈晓", seq=12, sex="女")
    window.refresh_all()
    tab = window.personnel
    qtbot.waitUntil(lambda: len(tab.all_rows) == 4, timeout=5000)
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r.name for r in tab.model.rows] == ["陈晓", "林秀英", "曾志伟", "张三"]  # chen lin zeng zhang
    model = RowTableModel(COLUMNS)
    model.set_rows(
        [
            DocumentRow(f"揭医保记〔2026〕{n}号", "处理通知书", "", date(2026, 11, 2), False, "", "")
            for n in (10, 2, 1, 29)
        ]
    )
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.doc_no for r in model.rows] == [
        "揭医保记〔2026〕1号",
        "揭医保记〔2026〕2号",
        "揭医保记〔2026〕10号",
        "揭医保记〔2026〕29号",
    ]


def test_f1_opens_the_chinese_manual_and_a_right_click_menu_offers_the_rows_actions(window, qtbot):
    assert window.actions["act_manual"].shortcut().toString() == "F1"
    dlg = window.work.show_manual()
    qtbot.addWidget(dlg)
    text = dlg.findChild(QWidget, "manual").toPlainText()
    assert "使用手册" in text and "Ctrl+Shift+F" in text and "已逾期" in text
    dlg.close()
    from yibao_desktop.qt.row_menu import build_row_menu

    tab = window.personnel
    tab.select_key(_person(window).id)
    menu = build_row_menu(tab)
    texts = [a.text() for a in menu.actions()]
    assert texts[:4] == ["录入记分", "处理通知书", "登记承诺书", "注销登记"] and "更多" in texts
    window.last_dialog = None
    menu.actions()[0].trigger()
    assert window.last_dialog is not None and window.last_dialog.row.name == "曾志伟"
    assert [a.text() for a in build_row_menu(window.institutions).actions()][0] == "编辑"
