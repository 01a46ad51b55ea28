"""The 人员记分 tab's use cases: register, score, notices, commitment, cancel, repair, restoration, commendation,
the person's 操作记录 and papers (annexes 1, 2, 4, 6, 7)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from yibao_desktop.domain.errors import DomainError

from . import ask
from .actions_accounts import add_history_action, open_record_history
from .actions_base import APPEALS, DASHBOARD, INSTITUTIONS, PERSONNEL, Shell, TabActions

if TYPE_CHECKING:
    from .actions_documents import FileActions
    from .personnel_tab import PersonnelTab


def _parse_date(text: str | None) -> date:
    if not text:
        raise DomainError("请填写日期（如 2026-11-23）。")
    try:
        return date.fromisoformat(text.strip())
    except ValueError as err:
        raise DomainError(f"日期格式不对：“{text}”，应为 2026-11-23。") from err


def _count(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as err:
        raise DomainError(f"修复活动次数应为整数：“{text}”。") from err


class PersonnelActions(TabActions["PersonnelTab"]):
    """Typed dependencies: the shell (context, runner, message boxes, refresh) and the 人员记分 tab."""

    noun = "一名人员"
    refreshes = (PERSONNEL, DASHBOARD)

    def __init__(self, shell: Shell, tab: PersonnelTab, files: FileActions):
        super().__init__(shell, tab)
        self.files = files  # 导入记分名册 in the 更多 menu

    def new(self) -> None:
        """Ctrl+N on 人员记分: 登记备案."""
        self.register_person()

    def wire(self) -> None:
        """The tab's buttons, its 更多 menu, its row history entry and the double-click (→ 录入记分)."""
        tab = self.tab
        tab.activated.connect(self.enter_score)
        tab.button("btn_register").clicked.connect(lambda: self.register_person())
        for button, fn in (
            ("btn_score", self.enter_score),
            ("btn_notices", self.notice_actions),
            ("btn_commitment", self.record_commitment),
            ("btn_cancel", self.cancel_registration),
        ):
            tab.button(button).clicked.connect(lambda _=False, fn=fn: fn())
        menu = QMenu(tab.widget)
        for text, fn in (
            ("编辑登记备案…", self.edit_registration),
            ("记分修复申请…", self.repair),
            ("资格恢复申请…", self.restoration),
            ("记录好医师/好药师…", self.commendation),
            ("打印服务承诺书（附件1）", lambda: self.print_registration_form("annex1")),
            ("打印登记备案表（附件2）", lambda: self.print_registration_form("annex2")),
            ("打印记分修复申请书", self.print_repair_form),
            ("打印资格恢复申请书", self.print_restoration_form),
            ("抄告书…", self.copy_report),
        ):
            menu.addAction(text, lambda fn=fn: fn())
        menu.addAction("导入记分名册…", lambda: self.files.import_roster("scores"))
        tab.button("btn_more").setMenu(menu)
        history = add_history_action(self.shell, tab, "act_person_history", self.person_history)
        menu.addAction(history)

    def register_person(self) -> None:
        """登记备案 dialog."""
        from .dialogs.registration import RegistrationDialog

        RegistrationDialog(self.shell).open().saved.connect(
            lambda _r: self.done("已登记备案。", (PERSONNEL, INSTITUTIONS, DASHBOARD))
        )

    def edit_registration(self, row=None) -> None:
        """Edit the selected registration's practice fields (annex 2)."""
        if (row := self.selected(row)) is None:
            return
        from .dialogs.registration import RegistrationDialog

        RegistrationDialog(self.shell, registration_id=row.id).open().saved.connect(
            lambda _r: self.done("登记备案已修改。")
        )

    def enter_score(self, row=None) -> None:
        """记分 dialog for the selected person."""
        from .dialogs.score import ScoreDialog

        if (row := self.selected(row)) is None:
            return
        dlg = ScoreDialog(self.shell, row=row)
        dlg.saved.connect(lambda _d: self.done("记分已保存，处理意见待审核签发。"))
        dlg.open()

    def notice_actions(self, row=None) -> None:
        """Pick one of the person's notices and run its next step."""
        from yibao_desktop.services.notices_query import dispositions_of

        from .dialogs.notice import NoticeDialog

        if (row := self.selected(row)) is None:
            return
        disps = dispositions_of(self.ctx, row.person_id)
        if not disps:
            ask.info(self.qwindow, "处理通知书", "该人员没有处理意见。")
            return
        labels = [f"{d.doc_no or '（未签发）'} {d.kind_label} {d.state_label} 决定{d.decision_date}" for d in disps]
        chosen = labels[0] if len(labels) == 1 else ask.choose(self.qwindow, "处理通知书", "选择通知书：", labels)
        if chosen is None:
            return
        d = disps[labels.index(chosen)]
        NoticeDialog(self.shell, disposition=d).open().saved.connect(
            lambda message: self.done(message, (PERSONNEL, APPEALS, DASHBOARD))
        )

    def record_commitment(self, row=None) -> None:
        """Record the signed commitment (annex 1) for the selected registration."""
        from yibao_desktop.services import registry

        if (row := self.selected(row)) is None:
            return
        text = ask.text(self.qwindow, "登记承诺书", "承诺日期（如 2026-11-23）：", self.shell.today().isoformat())
        if text is not None:
            self.guard(
                lambda: registry.record_commitment(self.ctx, row.id, _parse_date(text), row.version), "已登记承诺书。"
            )

    def cancel_registration(self, row=None) -> None:
        """Cancel the selected registration (kept in history)."""
        from yibao_desktop.services import registry

        if (row := self.selected(row)) is None:
            return
        reason = ask.choose(
            self.qwindow,
            "注销登记",
            f"{row.name} 在 {row.institution_name} 的登记备案注销原因：",
            ["调离本机构", "退休", "离职", "死亡", "其他"],
        )
        summary = (
            f"注销登记备案：{row.name}（{row.person_code}）\n机构：{row.institution_name}\n"
            f"注销日期：{self.shell.today():%Y-%m-%d}　原因：{reason}\n"
            "注销后记录仍保留在一医一档中（人员记分表中选“显示已注销”可查看）。确定注销？"
        )
        if reason and ask.confirm(self.qwindow, "注销登记", summary):
            self.guard(
                lambda: registry.cancel_registration(self.ctx, row.id, self.shell.today(), reason, row.version),
                f"已注销 {row.name} 在 {row.institution_name} 的登记备案（{reason}）。",
                (PERSONNEL, INSTITUTIONS, DASHBOARD),
            )

    def repair(self, row=None) -> None:
        """记分修复: decide the person's pending application (another user entered it), or file a new one."""
        from yibao_desktop.services import procedures

        if (row := self.selected(row)) is None:
            return
        pending = procedures.pending_repair(self.ctx, row.person_id)
        if pending is not None and pending[1] != self.ctx.username:
            grant = ask.confirm(self.qwindow, "记分修复", "该人员有待审核的修复申请。同意修复吗？（选“否”为不予修复）")
            self.guard(
                lambda: f"已修复 {procedures.decide_repair(self.ctx, pending[0], grant, self.shell.today())} 分。"
            )
            return
        if pending is not None:
            ask.info(self.qwindow, "记分修复", "该人员的修复申请由您本人录入，须由另一位审核人员审核。")
            return
        n = ask.text(self.qwindow, "记分修复", "本次参加修复活动次数：", "1")
        opinion = n and ask.text(self.qwindow, "记分修复", "定点医药机构意见：", "同意申请")
        if not opinion:
            return
        self.guard(
            lambda: procedures.apply_for_repair(self.ctx, row.person_id, self.shell.today(), _count(n), "", opinion),
            "已受理记分修复申请，待审核人员审核。",
        )

    def restoration(self, row=None) -> None:
        """资格恢复: decide the person's pending application (another user filed it), or file one for the running
        period."""
        from yibao_desktop.services import procedures
        from yibao_desktop.services.dossier import load_dossier

        if (row := self.selected(row)) is None:
            return
        pending = procedures.pending_restoration(self.ctx, row.person_id)
        if pending is not None:
            rid, maker, filed_on = pending
            if maker == self.ctx.username:
                ask.info(self.qwindow, "资格恢复", "该恢复申请由您本人受理，须由另一位审核人员决定。")
                return
            due = procedures.restoration_due(self.ctx, filed_on)
            passed = ask.confirm(
                self.qwindow, "资格恢复", f"应于{due}前作出决定。评估通过、予以恢复吗？（选“否”为不予恢复）"
            )

            def decide() -> str:
                effect = procedures.decide_restoration(self.ctx, rid, passed, self.shell.today())
                return f"已恢复医保支付资格，自{effect}起生效。" if effect else "已决定不予恢复，请告知定点医药机构。"

            self.guard(decide)
            return
        d = load_dossier(self.ctx, row.person_id)
        open_periods = [p for p in d.periods if p.ended_on is None and not p.voided]
        if not open_periods:
            ask.info(self.qwindow, "资格恢复", "该人员没有暂停或终止期。")
            return
        p = open_periods[-1]
        opinion = ask.text(self.qwindow, "资格恢复", f"期限至{p.end}止。定点医药机构意见：", "同意恢复")
        if opinion:
            self.guard(
                lambda: procedures.file_restoration(self.ctx, p.id, self.shell.today(), opinion),
                "已受理资格恢复申请，待审核人员决定。",
            )

    def commendation(self, row=None) -> None:
        """Record 好医师/好药师 for this year."""
        from yibao_desktop.services import procedures

        if (row := self.selected(row)) is None:
            return
        title = ask.choose(self.qwindow, "表彰", "称号：", list(procedures.COMMENDATION_TITLES))
        if title:
            self.guard(
                lambda: procedures.add_commendation(self.ctx, row.person_id, self.shell.today().year, title), "已记录。"
            )

    def print_repair_form(self, row=None) -> None:
        """记分修复申请书 (annex 4) of the person's latest repair; the blank form when there is none."""
        from yibao_desktop.services import printing_annexes as printing

        if (row := self.selected(row)) is None:
            return
        rid = printing.latest_repair_id(self.ctx, row.person_id)
        if rid is None:
            from yibao_desktop.services.printing import blank_form_pdf

            self.shell.preview_pdf(lambda: blank_form_pdf(self.ctx, "annex4"), "空白 记分修复申请书")
            return
        self.shell.preview_pdf(lambda: printing.repair_form_pdf(self.ctx, rid), f"记分修复申请书 {row.name}")

    def print_restoration_form(self, row=None) -> None:
        """资格恢复申请书 (annex 6): the running period's application, or prefilled from the period itself."""
        from yibao_desktop.services import printing_annexes as printing

        if (row := self.selected(row)) is None:
            return
        source = printing.restoration_form_source(self.ctx, row.person_id)
        if source is None:
            ask.info(self.qwindow, "资格恢复申请书", "该人员没有暂停或终止期，也没有资格恢复申请。")
            return
        kind, ref = source
        pdf_of = {
            "restoration": printing.restoration_form_pdf,
            "period": printing.restoration_form_pdf_for_period,
        }
        make = pdf_of[kind]
        self.shell.preview_pdf(lambda: make(self.ctx, ref), f"资格恢复申请书 {row.name}")

    def copy_report(self, row=None) -> None:
        """抄告书: ask the recipients, issue a numbered copy report of this year's scores, preview annex 7."""
        from yibao_desktop.services import printing_annexes as printing
        from yibao_desktop.services import procedures
        from yibao_desktop.services.reprint import document_pdf

        if (row := self.selected(row)) is None:
            return
        recipients = ask.text(self.qwindow, "记分情况抄告书", "抄告单位：", printing.COPY_REPORT_RECIPIENTS)
        if recipients is None:
            return
        today = self.shell.today()

        def make() -> bytes:
            doc_no = procedures.create_copy_report(self.ctx, row.person_id, recipients, today)
            self.status(f"已出具记分情况抄告书 {doc_no}。")
            return document_pdf(self.ctx, doc_no)

        self.shell.preview_pdf(make, f"记分情况抄告书 {row.name}")

    def print_registration_form(self, form_id: str, row=None) -> None:
        """Annex 1 or 2 of the selected registration."""
        if (row := self.selected(row, "打印")) is None:
            return
        from yibao_desktop.services.printing import BLANK_FORMS, registration_form_pdf

        self.shell.preview_pdf(
            lambda: registration_form_pdf(self.ctx, form_id, row.id), f"{BLANK_FORMS.get(form_id, '登记表')} {row.name}"
        )

    def print_latest(self, row=None) -> None:
        """Ctrl+P on 人员记分: the selected person's issued notice (chosen when several), else the registration form."""
        if (row := self.selected(row, "打印")) is None:
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
            self.shell.preview_pdf(lambda: notice_pdf(self.ctx, d.id), f"处理通知书 {d.doc_no}")

    def person_history(self, row=None):
        """操作记录 of the person in the selected 人员记分 row."""
        if (row := self.selected(row, "操作记录")) is None:
            return None
        return open_record_history(self.shell, "person", row.person_id, f"{row.name}")
