"""定点申请 window: the applications with their statutory dates, one button per clerk action, every evaluation
ground with its evidence (grounds against the applicant in red), and printing of the institution notices."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QSplitter, QTableView

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services import designation as dsg

from . import ask
from .application_forms import (
    CompleteDialog,
    EvaluateDialog,
    ReceiveDialog,
    StepDialog,
    SupplementDialog,
    SupplementReceivedDialog,
    VerifyDialog,
)
from .dialogs.base import FormDialog
from .table_model import Column, RowTableModel, show_model
from .uiload import child, load_ui

RED = "#c0392b"
COLUMNS = (
    Column("申请机构", lambda r: r.applicant_name, 200),
    Column("机构类别", lambda r: r.kind_label, 100),
    Column("接收日期", lambda r: r.received_on, 90),
    Column(
        "状态",
        lambda r: r.state_label,
        150,
        color=lambda r: RED if r.state in ("refused", "failed", "banned") else None,
    ),
    Column("下一步", lambda r: r.next.label if r.next else "办结", 170, color=lambda r: RED if r.overdue else None),
    Column(
        "下一步期限",
        lambda r: r.next.when() if r.next else "",
        110,
        sort=lambda r: r.next.due if r.next and r.next.due else date.max,
        color=lambda r: RED if r.overdue else None,
    ),
    Column("补正告知期限", lambda r: r.supplement_due, 100),
    Column("受理日期", lambda r: r.accepted_on, 90),
    Column("评估期限", lambda r: r.evaluation_due, 90),
    Column("评估结果", lambda r: r.result_label, 70, color=lambda r: RED if r.result in ("fail", "refused") else None),
    Column("可再次评估", lambda r: r.reevaluation_from, 90),
    Column("禁止申请至", lambda r: r.ban_end, 90),
    Column("公示期", lambda r: f"{r.publicity_first}至{r.publicity_end}" if r.publicity_start else "", 180),
    Column("统一社会信用代码", lambda r: r.credit_code, 150),
)
AMBER = "#b9770e"
GROUND_COLUMNS = (
    Column("类别", lambda g: "不予受理情形" if g.group == "refusal" else "基本条件", 90),
    Column("核查事项", lambda g: g.ask, 420),
    Column("回答", lambda g: g.answer, 60, color=lambda g: RED if g.hit else (AMBER if g.manual else None)),
    Column("结论", lambda g: g.verdict, 80, color=lambda g: RED if g.hit else (AMBER if g.manual else None)),
    Column("依据 / 证据", lambda g: g.basis, 520, color=lambda g: RED if g.hit else None),
)


class ApplicationsDialog(QObject):
    """Non-blocking window of the designation workflow (opened from 定点机构 → 定点申请)."""

    def __init__(self, window):
        super().__init__(window.qwindow)
        self.window, self.ctx = window, window.ctx
        self.dialog: QDialog = load_ui("applications_dialog", window.qwindow)
        self.model = RowTableModel(COLUMNS, self.dialog)
        self.table: QTableView = child(self.dialog, QTableView, "table")
        self.ground_model = RowTableModel(GROUND_COLUMNS, self.dialog)
        self.grounds: QTableView = child(self.dialog, QTableView, "grounds")
        for view, model in ((self.table, self.model), (self.grounds, self.ground_model)):
            show_model(view, model)
        self.grounds.horizontalHeader().setStretchLastSection(True)
        child(self.dialog, QSplitter, "splitter").setSizes([260, 420])  # the grounds need the room, not the list
        self.detail: QLabel = child(self.dialog, QLabel, "detail")
        self.summary: QLabel = child(self.dialog, QLabel, "summary")
        self.search: QLineEdit = child(self.dialog, QLineEdit, "search")
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.show_current())
        for name, slot in (
            ("btn_receive", self.receive),
            ("btn_supplement", self.supplement),
            ("btn_supplement_received", self.supplement_received),
            ("btn_accept", lambda: self.step("accept")),
            ("btn_evaluate", self.evaluate),
            ("btn_verify", self.verify),
            ("btn_publicity", lambda: self.step("publicity")),
            ("btn_complete", self.complete),
            ("btn_print", self.print_notice),
            ("closeButton", self.dialog.reject),
        ):
            child(self.dialog, QPushButton, name).clicked.connect(lambda _=False, slot=slot: slot())
        self.all_rows: list[dsg.ApplicationRow] = []
        self.load()

    # -- list
    def load(self, select_id: int | None = None) -> None:
        """Read every application (a few dozen a year) and keep the selection."""
        keep = select_id if select_id is not None else getattr(self.current(), "id", None)
        self.all_rows = dsg.list_applications(self.ctx)
        self.apply_filter()
        if keep is not None:
            self.select(keep)

    def apply_filter(self) -> None:
        """Rows whose name, credit code or pinyin initials contain the search text."""
        needle = self.search.text().strip().lower()
        rows = [r for r in self.all_rows if not needle or needle in r.search]
        self.model.set_rows(rows)
        open_ = sum(r.next is not None for r in rows)
        overdue = sum(r.overdue for r in rows)
        self.summary.setText(f"共 {len(rows)} 件，办理中 {open_} 件" + (f"，{overdue} 件已超期" if overdue else ""))
        self.show_current()

    def select(self, application_id: int) -> bool:
        """Select the row of an application."""
        for i, r in enumerate(self.model.rows):
            if r.id == application_id:
                self.table.selectRow(i)
                return True
        return False

    def current(self) -> dsg.ApplicationRow | None:
        """The selected application."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def show_current(self) -> None:
        """Dates, missing materials and every evaluation ground of the selected application."""
        row = self.current()
        self.ground_model.set_rows(list(row.grounds) if row else [])
        self.grounds.resizeRowsToContents()
        if row is None:
            self.detail.setText("选中一件申请查看材料、期限和评估依据。")
            return
        parts = [f"<b>{row.applicant_name}</b>　{row.state_label}"]
        arrived = [f"{m.name}（{m.received_on}）" for m in row.materials if m.requested and m.received_on]
        if arrived:
            parts.append("补正已收到：" + "；".join(arrived))
        if row.missing:
            parts.append(f"<span style='color:{RED}'>仍缺材料：" + "；".join(row.missing) + "</span>")
        if row.state == "evaluating":
            parts.append(
                f"{row.evaluated_on}评估：<span style='color:{AMBER}'>{len(row.open_items)}项待核实</span>"
                "（见下表“待核实”），全部核实后方有评估结果；请点“核实事项”。"
            )
        elif row.evaluated_on:
            hits = len(row.hits)
            colour = RED if hits else "#1e8449"
            parts.append(
                f"{row.evaluated_on}评估：<span style='color:{colour}'>{row.result_label}</span>"
                + (f"（{hits}项不利情形，见下表红色）" if hits else "")
            )
        self.detail.setText("<br>".join(parts))

    def need_row(self):
        """The selected application, or a hint to select one."""
        row = self.current()
        if row is None:
            ask.info(self.dialog, "提示", "请先选中一件定点申请。")
        return row

    # -- actions
    def _after(self, dlg: FormDialog, message_for) -> FormDialog:
        def done(result) -> None:
            row = self.current()
            self.load(result.id if isinstance(result, dsg.ApplicationRow) else getattr(row, "id", None))
            self.window.after_change(message_for(result))

        dlg.saved.connect(done)
        return dlg.open()

    def receive(self) -> FormDialog:
        """登记申请."""
        return self._after(ReceiveDialog(self.window), lambda r: f"已登记：{r.applicant_name}（{r.state_label}）。")

    def supplement(self) -> FormDialog | None:
        """补正告知."""
        row = self.need_row()
        if row is not None:
            return self._after(SupplementDialog(self.window, row=row), lambda no: f"补正告知已发出：{no}。")
        return None

    def supplement_received(self) -> FormDialog | None:
        """收到补正材料 (which of the requested items arrived, and when)."""
        row = self.need_row()
        if row is None:
            return None
        if not row.outstanding:
            ask.info(
                self.dialog,
                "收到补正材料",
                f"“{row.applicant_name}”没有待收的补正材料"
                + ("。" if row.supplement_notice_on else "（请先发出补正告知）。"),
            )
            return None
        return self._after(
            SupplementReceivedDialog(self.window, row=row),
            lambda r: f"已登记收到补正材料，仍缺{len(r.outstanding)}项。" if r.outstanding else "补正材料已收齐。",
        )

    def step(self, step: str) -> FormDialog | None:
        """受理 / 开始公示."""
        row = self.need_row()
        if row is None:
            return None
        done = {"accept": "已受理。"}
        return self._after(
            StepDialog(self.window, row=row, step=step), lambda r: done.get(step) or f"已开始公示，公示期{r.text}。"
        )

    def evaluate(self) -> FormDialog | None:
        """评估 (the result is shown in the grounds table and summarised in a message)."""
        row = self.need_row()
        if row is None:
            return None
        dlg = EvaluateDialog(self.window, row=row)
        dlg.saved.connect(lambda r: ask.info(self.dialog, "评估结果", self.result_text(r)))
        return self._after(dlg, lambda r: f"评估结果：{r.result_label}。" if r.result_label else f"{r.state_label}。")

    def verify(self) -> FormDialog | None:
        """核实事项: answer the open items of the evaluation (the result follows once nothing is open)."""
        row = self.need_row()
        if row is None:
            return None
        if row.state != "evaluating" or not row.open_items:
            ask.info(
                self.dialog, "核实事项", f"“{row.applicant_name}”当前为“{row.state_label}”，没有待核实的评估事项。"
            )
            return None
        dlg = VerifyDialog(self.window, row=row)
        dlg.saved.connect(lambda r: ask.info(self.dialog, "评估结果", self.result_text(r)))
        return self._after(dlg, lambda r: f"已核实。{r.state_label}。")

    @staticmethod
    def result_text(row: dsg.ApplicationRow) -> str:
        """Chinese summary of an evaluation: result (or the items still open), the grounds against the applicant and
        what follows."""
        if row.state == "evaluating":
            lines = [f"{row.applicant_name}：尚有{len(row.open_items)}项待核实，暂无评估结果。"]
            lines += [f"· {g.ask}" for g in row.open_items]
            lines.append("请点“核实事项”逐项回答，写明核实情况和证据材料。")
            return "\n".join(lines)
        lines = [f"{row.applicant_name}：{row.result_label}"]
        lines += [f"· {g.label}：{g.evidence}" for g in row.hits]
        if row.reevaluation_from:
            lines.append(f"整改3个月后（{row.reevaluation_from}起）可再次评估。")
        if row.ban_end:
            lines.append(f"再次评估不合格，{row.ban_end}前不得再次申请。")
        return "\n".join(lines)

    def complete(self) -> FormDialog | None:
        """公示期满 → 拟签协议名单."""
        row = self.need_row()
        if row is not None:
            return self._after(
                CompleteDialog(self.window, row=row), lambda _i: "已纳入拟签协议名单，可在“医保协议”签订协议。"
            )
        return None

    def print_notice(self):
        """Choose one of the selected application's notices and preview it."""
        from yibao_desktop.services.institution_notices import application_notice_pdf, application_notices

        row = self.need_row()
        if row is None:
            return None
        notices = application_notices(self.ctx, row.id)
        if not notices:
            ask.info(self.dialog, "打印通知", "该申请还没有可打印的通知书。")
            return None
        titles = [t for _k, t in notices]
        title = titles[0] if len(titles) == 1 else ask.choose(self.dialog, "打印通知", "通知书：", titles)
        if not title:
            return None
        key = notices[titles.index(title)][0]
        try:
            pdf = application_notice_pdf(self.ctx, row.id, key)
        except DomainError as err:
            self.window.show_error("无法打印", err.message)
            return None
        from .print_preview import PrintPreviewDialog

        return PrintPreviewDialog(self.window, pdf, f"{title} — {row.applicant_name}").open()

    def open(self) -> ApplicationsDialog:
        """Show window-modal without blocking (tests drive it through window.last_dialog)."""
        self.window.last_dialog = self
        self.dialog.open()
        return self
