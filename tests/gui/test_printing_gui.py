"""Print preview, batch printing and the document register in the GUI (no modal exec: ask.* and the
printer choice are replaced)."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QPushButton

from tests.builders import score_nine_points
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services import notices, printing

ISSUED = date(2026, 11, 20)


def click(dialog, name: str, qtbot) -> None:
    qtbot.mouseClick(dialog.dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def issue_suspension(ctx, make_ctx, seq: int, institution: str) -> int:
    """A 9-point, 3-month suspension of a person of the window fixture, issued on 2026-11-20."""
    sex = "女" if seq == 4 else "男"
    idn = make_id_number("445202", date(1980, 5, 17), seq, sex)
    did = score_nine_points(make_ctx("clerk", "clerk"), idn, institution, f"揭医保罚〔2026〕{seq}号")
    reviewer = make_ctx("reviewer", "reviewer")
    notices.approve(reviewer, did)
    notices.issue(reviewer, did, ISSUED)
    return did


def test_preview_opens_with_the_pdf_and_shows_its_page_count(window, qtbot):
    from yibao_desktop.qt.print_preview import PrintPreviewDialog

    pdf = printing.blank_form_pdf(window.ctx, "annex4")
    dlg = PrintPreviewDialog(window, pdf, "空白 记分修复申请书").open()
    assert window.last_dialog is dlg and dlg.dialog.isVisible()
    assert dlg.page_count() == 1 and dlg.page_info.text() == "共 1 页"
    assert "记分修复申请书" in dlg.dialog.windowTitle()


def test_save_as_writes_the_very_same_bytes(window, qtbot, asked, tmp_path):
    from yibao_desktop.qt.print_preview import PrintPreviewDialog

    pdf = printing.blank_form_pdf(window.ctx, "annex5")
    dlg = PrintPreviewDialog(window, pdf, "空白 陈述申辩书").open()
    target = tmp_path / "out.pdf"
    asked[1]["save_path"] = [str(target)]
    click(dlg, "saveButton", qtbot)
    assert target.read_bytes() == pdf
    assert asked[0][-1][1][2] == "空白_陈述申辩书.pdf"


def test_printing_goes_through_the_replaceable_printer_choice_onto_a4(window, qtbot, monkeypatch, tmp_path):
    from yibao_desktop.qt import print_preview

    out = tmp_path / "printed.pdf"

    def fake_printer(_parent):
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(print_preview, "choose_printer", fake_printer)
    window.ctx.settings.printer_offset_x_mm = 1.5
    dlg = print_preview.PrintPreviewDialog(window, printing.blank_form_pdf(window.ctx, "annex6"), "空白").open()
    click(dlg, "printButton", qtbot)
    pages = PdfReader(str(out)).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_a_cancelled_print_dialog_prints_nothing(window, monkeypatch):
    from yibao_desktop.qt import print_preview

    monkeypatch.setattr(print_preview, "choose_printer", lambda _parent: None)
    dlg = print_preview.PrintPreviewDialog(window, printing.blank_form_pdf(window.ctx, "annex4"), "空白").open()
    assert dlg.print_pdf() is False


def test_the_calibration_page_opens_as_one_a4_page_in_its_own_preview(window, qtbot):
    from yibao_desktop.qt.print_preview import PrintPreviewDialog, calibration_pdf

    dlg = PrintPreviewDialog(window, printing.blank_form_pdf(window.ctx, "annex4"), "空白").open()
    click(dlg, "calibrateButton", qtbot)
    assert window.last_dialog is not dlg and window.last_dialog.page_count() == 1
    page = PdfReader(io.BytesIO(calibration_pdf())).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_batch_print_of_a_day_without_notices_says_so(window, asked):
    from yibao_desktop.qt.batch_print import BatchPrint

    asked[1]["text"] = ["2026-11-20"]
    batch = BatchPrint(window).start()
    assert batch.dialog is None
    name, args = asked[0][-1]
    assert name == "info" and "2026年11月20日没有签发的处理通知书" in args[2]


def test_batch_print_of_two_notices_shows_copies_then_previews_all_copies(window, qtbot, asked, make_ctx):
    from yibao_desktop.qt.batch_print import BatchPrint

    issue_suspension(window.ctx, make_ctx, 3, "H44520200001")
    did = issue_suspension(window.ctx, make_ctx, 4, "H44520200002")
    asked[1]["text"] = ["2026-11-20"]
    batch = BatchPrint(window).start()
    assert window.last_dialog is batch and batch.total_copies() == 6
    assert "2 份，合计打印 6 份" in batch.dialog.findChild(QLabel, "summary").text()
    click(batch, "generateButton", qtbot)
    # the result and the finished signal arrive as two queued events: wait for both
    qtbot.waitUntil(lambda: batch.preview is not None and batch.progress is None, timeout=10000)
    pages_each = len(PdfReader(io.BytesIO(printing.notice_pdf(window.ctx, did))).pages)
    assert batch.preview.page_count() == 6 * pages_each
    assert window.last_dialog is batch.preview and batch.progress is None


def test_cancelling_the_progress_dialog_stops_the_batch_without_a_preview(window, qtbot, asked, make_ctx, monkeypatch):
    import time

    from yibao_desktop.qt.batch_print import BatchPrint

    real = printing.batch_notices_pdf

    def waits_for_cancel(ctx, ids, progress=None, cancelled=None):
        deadline = time.monotonic() + 5
        while not cancelled() and time.monotonic() < deadline:  # the worker waits until 取消 reaches it
            time.sleep(0.01)
        return real(ctx, ids, progress, cancelled)

    monkeypatch.setattr(printing, "batch_notices_pdf", waits_for_cancel)
    issue_suspension(window.ctx, make_ctx, 3, "H44520200001")
    asked[1]["text"] = ["2026-11-20"]
    batch = BatchPrint(window).start()
    batch.generate()
    qtbot.mouseClick(batch.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # 取消
    qtbot.waitUntil(lambda: batch.error is not None or batch.preview is not None, timeout=10000)
    assert batch.error == "已取消。" and batch.preview is None
    qtbot.waitUntil(lambda: batch.progress is None)
    assert window.qwindow.statusBar().currentMessage() == "已取消批量打印。"


def test_document_register_lists_the_notice_and_reprints_the_archived_pdf(window, qtbot, make_ctx):
    from yibao_desktop.qt.documents_dialog import DocumentsDialog

    did = issue_suspension(window.ctx, make_ctx, 3, "H44520200001")
    archived = printing.notice_pdf(window.ctx, did)
    dlg = DocumentsDialog(window).open()
    assert [r.doc_no for r in dlg.model.rows] == ["揭医保记〔2026〕1号"]
    assert dlg.model.index(0, 4).data() == "有效"
    assert dlg.model.index(0, 6).data() == "已存档"  # a clerk reads Chinese; the fingerprint is in the tooltip
    assert hashlib.sha256(archived).hexdigest() in dlg.model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole)
    assert dlg.select("揭医保记〔2026〕1号")
    click(dlg, "reprintButton", qtbot)
    preview = window.last_dialog
    assert preview is not dlg and preview.pdf == archived


def test_the_blank_forms_menu_opens_the_chosen_annex_in_the_preview(window, asked):
    asked[1]["choose"] = ["附件4　定点医药机构相关人员记分修复申请书"]
    window.files.blank_forms()
    assert not any("annex" in label for label in asked[0][-1][1][3])  # no file names in the list
    preview = window.last_dialog
    assert preview.page_count() == 1 and "空白 定点医药机构相关人员记分修复申请书" in preview.dialog.windowTitle()


def test_a_name_the_fonts_cannot_print_shows_the_character_in_an_error_box(window, asked, make_ctx):
    from tests.builders import add_person

    add_person(window.ctx, "H44520200001", "曾𪚥", seq=7)
    did = issue_suspension(window.ctx, make_ctx, 7, "H44520200001")
    window.preview_pdf(lambda: printing.notice_pdf(window.ctx, did), "处理通知书")
    name, args = asked[0][-1]
    assert name == "error" and "𪚥" in args[2] and "U+2A6A5" in args[2]
    assert window.last_dialog is None
