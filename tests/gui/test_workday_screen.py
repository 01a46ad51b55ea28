"""A window a clerk can work in all day: Qt speaks Chinese, the window and every dialog fit 1366×768 with their
buttons in view, the print preview has its toolbar on top, the key 人员记分 columns show on 1366 px, no English."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QPoint, QRect, QSize
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from tests.builders import score_nine_points
from yibao_desktop.qt.screen import FRAME_ALLOWANCE, fit_to_screen

OFFICE_SCREEN = QRect(0, 0, 1366, 768)


def test_qt_standard_buttons_and_the_locale_are_chinese(qapp):
    from yibao_desktop.qt.app import install_chinese

    assert install_chinese(qapp) is not None
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "").startswith("确定")
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "").startswith("取消")
    msg = QMessageBox(
        QMessageBox.Icon.Question, "t", "q", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    assert msg.button(QMessageBox.StandardButton.Yes).text().replace("&", "").startswith("是")
    assert QLocale().language() == QLocale.Language.Chinese


def _fits(widget: QWidget, area: QRect = OFFICE_SCREEN) -> bool:
    limit = QSize(area.width() - FRAME_ALLOWANCE.width(), area.height() - FRAME_ALLOWANCE.height())
    return widget.width() <= limit.width() and widget.height() <= limit.height()


def test_the_main_window_first_size_fits_an_office_screen_with_its_status_bar(window):
    fit_to_screen(window.qwindow, OFFICE_SCREEN, QSize(1280, 800))
    QApplication.processEvents()
    assert _fits(window.qwindow)
    bar = window.qwindow.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < window.qwindow.height()
    hint = window.qwindow.minimumSizeHint()
    assert hint.width() <= 1350 and hint.height() <= 728


def _open_every_dialog(window):
    from yibao_desktop.qt.dialogs.notice import NoticeDialog
    from yibao_desktop.services.agreements import list_agreements, sign_agreement
    from yibao_desktop.services.notices_query import dispositions_of

    sign_agreement(window.ctx, 1, "揭医保协〔2026〕1号", "fixed", window.today(), 2, False)
    agreement = list_agreements(window.ctx)[0]
    row = next(r for r in window.personnel.all_rows if r.name == "曾志伟")
    score_nine_points(window.ctx, row.id_number, "H44520200001", "揭医保罚〔2026〕1号")
    openers = {
        "录入记分": lambda: window.personnel_actions.enter_score(row),
        "登记备案": window.personnel_actions.register_person,
        "编辑登记备案": lambda: window.personnel_actions.edit_registration(row),
        "新增机构": lambda: window.institution_actions.edit_institution(None),
        "签订协议": window.agreement_actions.sign_agreement,
        "协议事项": lambda: window.agreement_actions.record_agreement_event(agreement),
        "受理申诉": lambda: window.appeal_actions.file_appeal(None),
        "设置": window.open_settings,
        "文书登记簿": window.files.show_documents,
        "打印预览": lambda: window.personnel_actions.print_registration_form("annex2", row),
        "定点申请": window.institution_actions.applications,
    }
    for title, opener in openers.items():
        window.last_dialog = None
        opener()
        yield title, window.last_dialog
    disps = dispositions_of(window.ctx, row.person_id)
    if disps:
        yield "处理通知书", NoticeDialog(window, disposition=disps[0]).open()


def test_every_dialog_fits_1366x768_and_keeps_its_buttons_in_view(window, qtbot):
    seen = []
    for title, dlg in _open_every_dialog(window):
        assert dlg is not None, title
        d = dlg.dialog
        qtbot.waitExposed(d)
        fit_to_screen(d, OFFICE_SCREEN)
        QApplication.processEvents()
        assert _fits(d), (title, d.size())
        assert d.minimumSizeHint().height() <= OFFICE_SCREEN.height() - FRAME_ALLOWANCE.height(), title
        buttons = d.findChild(QDialogButtonBox) or d.findChild(QWidget, "closeButton")
        bottom = buttons.mapTo(d, QPoint(0, buttons.height())).y()
        assert buttons.isVisible() and bottom <= d.height(), (title, bottom, d.height())
        seen.append(title)
        d.reject()
    assert {"录入记分", "打印预览", "设置", "定点申请"} <= set(seen)


def test_the_print_preview_has_its_toolbar_on_top_with_zoom_and_fits(window, qtbot):
    window.personnel_actions.print_registration_form("annex2", window.personnel.all_rows[0])
    preview = window.last_dialog
    qtbot.waitExposed(preview.dialog)
    toolbar_y = preview.dialog.findChild(QWidget, "printButton").mapTo(preview.dialog, QPoint(0, 0)).y()
    assert toolbar_y < preview.view.mapTo(preview.dialog, QPoint(0, 0)).y()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    before = preview._effective_zoom()
    assert preview.zoom_by(1.25) > before and preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    preview.fit(QPdfView.ZoomMode.FitInView)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert preview.zoom_info.text().endswith("%")
    assert "annex" not in preview.dialog.windowTitle()


def test_the_key_personnel_columns_are_in_view_on_1366_pixels(window, qtbot):
    window.show_tab("personnel")
    window.qwindow.resize(1350, 728)
    QApplication.processEvents()
    tab = window.personnel
    assert tab.dossier.isVisible()
    headers = [c.header for c in tab.model.columns]
    view_width = tab.table.viewport().width()
    for name in ("状态", "承诺书", "本年记分"):
        i = headers.index(name)
        assert tab.table.columnViewportPosition(i) + tab.table.columnWidth(i) <= view_width, name
    tab.dossier_toggle.setChecked(False)
    assert tab.splitter.sizes()[1] == 0
    tab.dossier_toggle.setChecked(True)
    assert tab.splitter.sizes()[1] > 0


def test_the_dossier_never_wraps_a_date(window, qtbot):
    from yibao_desktop.qt.dossier_view import _cell

    assert _cell("2026-11-23 至 2027-05-22").startswith("<td nowrap>")
    assert _cell("所在机构受到支付违约金的协议处理") == "<td>所在机构受到支付违约金的协议处理</td>"


def test_the_status_bar_and_about_show_the_database_place_not_a_url(window, asked, ctx):
    place = "test.sqlite3" if ctx.engine.url.get_backend_name() == "sqlite" else f"数据库 {ctx.engine.url.database}"
    assert "sqlite:" not in window.status_db.text() and "://" not in window.status_db.text()
    assert window.status_db.text().endswith(place)
    window.about()
    name, args = asked[0][-1]
    assert name == "info" and "版本" in args[2] and place in args[2] and "sqlite:" not in args[2]
    assert "yibao:yibao" not in args[2]  # never the PostgreSQL password


def test_layout_is_remembered_per_database(window, qtbot):
    from yibao_desktop.qt import layout_memory

    tab = window.institutions
    tab.table.setColumnWidth(0, 333)
    window.shutdown()
    other = layout_memory.scope_of("sqlite:////elsewhere/other.sqlite3")
    tab.table.setColumnWidth(0, 50)
    tab.restore_layout(other)
    assert tab.table.columnWidth(0) == 50  # nothing stored for the other database
    tab.restore_layout(window.layout_scope)
    assert tab.table.columnWidth(0) == 333
