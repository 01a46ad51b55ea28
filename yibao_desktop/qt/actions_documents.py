"""The 文件 menu's use cases: Excel export/import/templates of the tab in front, blank forms, batch printing, the
document register, the settlement check and the reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import ask
from .actions_base import Actions, Shell

KIND_OF_TAB = {"institutions": "institutions", "personnel": "personnel"}  # tab key → its import roster


class FileActions(Actions):
    """Typed dependencies: the shell and `front`, which tells the tab in front as (key, title, tab object).
    Everything that writes or reads a file goes through services and ask.*."""

    def __init__(self, shell: Shell, front: Callable[[], tuple[str, str, Any]]):
        super().__init__(shell)
        self.front = front

    # -- Excel
    def export_current(self) -> None:
        """Ctrl+E: export what the tab in front shows (filters applied)."""
        from yibao_desktop.services.rosters import export_table

        _key, title, tab = self.front()
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
            (),  # nothing in the database changed: no tab reloads
        )

    def template_current(self) -> None:
        """下载导入模板 of the tab in front (personnel by default)."""
        self.save_template(KIND_OF_TAB.get(self.front()[0]) or "personnel")

    def save_template(self, kind: str) -> None:
        """Write an import template."""
        from yibao_desktop.services.rosters import ROSTER_LABELS, template_bytes

        path = ask.save_path(self.qwindow, "下载导入模板", f"{ROSTER_LABELS[kind]}模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.guard(
                lambda: Path(path).write_bytes(template_bytes(self.ctx, kind)) and None, f"模板已保存：{path}", ()
            )

    def import_current(self) -> None:
        """Ctrl+I: import into the tab in front."""
        kind = KIND_OF_TAB.get(self.front()[0]) or ask.choose(
            self.qwindow, "导入 Excel", "名册类型：", ["personnel", "institutions", "scores"]
        )
        if kind:
            self.import_roster(kind)

    def import_roster(self, kind: str) -> None:
        """Choose a file, validate it in the background with progress, show the preview, commit on accept."""
        from .import_dialog import ImportDialog

        path = ask.open_path(self.qwindow, "导入 Excel", "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path:
            ImportDialog(self.shell, kind, path).start()

    # -- printing
    def blank_forms(self) -> None:
        """Print a blank application form (annex 4–6) or any annex, listed by its Chinese title."""
        from yibao_desktop.services.printing import BLANK_FORMS, blank_form_pdf

        ids = list(BLANK_FORMS)
        labels = [f"附件{n}　{BLANK_FORMS[k]}" for n, k in enumerate(ids, start=1)]
        chosen = ask.choose(self.qwindow, "打印空白表格", "表格：", labels)
        if chosen:
            form_id = ids[labels.index(chosen)]
            self.shell.preview_pdf(lambda: blank_form_pdf(self.ctx, form_id), f"空白 {BLANK_FORMS[form_id]}")

    def batch_print(self) -> None:
        """All notices issued on a day → one PDF with the right copies, progress and cancel."""
        from .batch_print import BatchPrint

        BatchPrint(self.shell).start()

    def show_documents(self) -> None:
        """The document register (issued numbers, voided ones included)."""
        from .documents_dialog import DocumentsDialog

        DocumentsDialog(self.shell).open()

    def settlement_check(self) -> None:
        """结算核查与追回清单: the check window (file, column mapping, progress and cancel, recovery list, notices)."""
        from .settlement_dialog import SettlementDialog

        self.settlement_dialog = SettlementDialog(self.shell).open()

    def open_reports(self) -> None:
        """统计报表与状态变更名单: the statistics report and the status lists of a period."""
        from .report_dialog import ReportDialog

        self.report_dialog = ReportDialog(self.shell).open()
