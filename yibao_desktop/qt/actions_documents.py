"""Main-window actions about files: Excel export/import/templates, printing, the document register."""

from __future__ import annotations

from pathlib import Path

from yibao_desktop.domain.errors import DomainError

from . import ask

KIND_OF_TAB = {1: "institutions", 3: "personnel", 4: None}


class DocumentActions:
    """Mixin of MainWindow: everything that writes or reads a file goes through services and ask.*."""

    # -- Excel
    def export_current(self) -> None:
        """Ctrl+E: export what the tab in front shows (filters applied)."""
        from yibao_desktop.services.rosters import export_table

        tab = self.current_tab()
        title = self.tabs_widget.tabText(self.tabs_widget.currentIndex())
        path = ask.save_path(self.qwindow, "导出 Excel", f"{title}.xlsx", "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        headers, rows = tab.export_rows()
        mask = not ask.confirm(
            self.qwindow,
            "导出 Excel",
            "导出完整的身份证号和手机号（仅供办公室内部使用）？（默认“否”：隐去号码中间位，可发送给办公室以外的单位）",
        )
        self.guard(
            lambda: Path(path).write_bytes(export_table(title, headers, rows, mask=bool(mask))) and None,
            f"已导出 {len(rows)} 行到 {path}",
        )

    def template_current(self) -> None:
        """下载导入模板 of the tab in front (personnel by default)."""
        self.save_template(KIND_OF_TAB.get(self.tabs_widget.currentIndex()) or "personnel")

    def save_template(self, kind: str) -> None:
        """Write an import template."""
        from yibao_desktop.services.rosters import ROSTER_LABELS, template_bytes

        path = ask.save_path(self.qwindow, "下载导入模板", f"{ROSTER_LABELS[kind]}模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.guard(lambda: Path(path).write_bytes(template_bytes(self.ctx, kind)) and None, f"模板已保存：{path}")

    def import_current(self) -> None:
        """Ctrl+I: import into the tab in front."""
        kind = KIND_OF_TAB.get(self.tabs_widget.currentIndex()) or ask.choose(
            self.qwindow, "导入 Excel", "名册类型：", ["personnel", "institutions", "scores"]
        )
        if kind:
            self.import_roster(kind)

    def import_roster(self, kind: str) -> None:
        """Choose a file, validate it in the background with progress, show the preview, commit on accept."""
        from .import_dialog import ImportDialog

        path = ask.open_path(self.qwindow, "导入 Excel", "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path:
            ImportDialog(self, kind, path).start()

    # -- printing
    def print_current(self) -> None:
        """Ctrl+P: print the selected person's latest notice, or the registration form."""
        if self.tabs_widget.currentIndex() != 3:
            ask.info(self.qwindow, "打印", "请在“人员记分”中选中人员后打印其通知书或登记表；批量打印见“文件”菜单。")
            return
        row = self.personnel.current_row()
        if row is None:
            ask.info(self.qwindow, "打印", "请先选中一名人员。")
            return
        from yibao_desktop.services.notices_query import dispositions_of

        issued = [d for d in dispositions_of(self.ctx, row.person_id) if d.doc_no]
        if not issued:
            self.print_registration_form("annex2", row)
            return
        labels = [f"{d.doc_no} {d.kind_label} {d.state_label}" for d in issued]
        chosen = labels[0] if len(labels) == 1 else ask.choose(self.qwindow, "打印通知书", "通知书：", labels)
        if chosen:
            from yibao_desktop.services.printing import notice_pdf

            d = issued[labels.index(chosen)]
            self.preview_pdf(lambda: notice_pdf(self.ctx, d.id), f"处理通知书 {d.doc_no}")

    def print_registration_form(self, form_id: str, row) -> None:
        """Annex 1 or 2 of the selected registration."""
        if row is None:
            ask.info(self.qwindow, "打印", "请先选中一名人员。")
            return
        from yibao_desktop.services.printing import BLANK_FORMS, registration_form_pdf

        self.preview_pdf(
            lambda: registration_form_pdf(self.ctx, form_id, row.id), f"{BLANK_FORMS.get(form_id, '登记表')} {row.name}"
        )

    def blank_forms(self) -> None:
        """Print a blank application form (annex 4–6) or any annex, listed by its Chinese title."""
        from yibao_desktop.services.printing import BLANK_FORMS, blank_form_pdf

        ids = list(BLANK_FORMS)
        labels = [f"附件{n}　{BLANK_FORMS[k]}" for n, k in enumerate(ids, start=1)]
        chosen = ask.choose(self.qwindow, "打印空白表格", "表格：", labels)
        if chosen:
            form_id = ids[labels.index(chosen)]
            self.preview_pdf(lambda: blank_form_pdf(self.ctx, form_id), f"空白 {BLANK_FORMS[form_id]}")

    def batch_print(self) -> None:
        """All notices issued on a day → one PDF with the right copies, progress and cancel."""
        from .batch_print import BatchPrint

        BatchPrint(self).start()

    def preview_pdf(self, make, title: str) -> None:
        """Render (errors in Chinese, e.g. a missing glyph) and open the preview that prints the same PDF."""
        try:
            pdf = make()
        except DomainError as err:
            self.show_error("无法打印", err.message)
            return
        from .print_preview import PrintPreviewDialog

        PrintPreviewDialog(self, pdf, title).open()

    def show_documents(self) -> None:
        """The document register (issued numbers, voided ones included)."""
        from .documents_dialog import DocumentsDialog

        DocumentsDialog(self).open()

    def settlement_check(self) -> None:
        """结算核查与追回清单: the check window (file, column mapping, progress and cancel, recovery list, notices)."""
        from .settlement_dialog import SettlementDialog

        self.settlement_dialog = SettlementDialog(self).open()

    def open_reports(self) -> None:
        """统计报表与状态变更名单: the statistics report and the status lists of a period."""
        from .report_dialog import ReportDialog

        self.report_dialog = ReportDialog(self).open()
