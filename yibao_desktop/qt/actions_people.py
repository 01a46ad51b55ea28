"""Main-window actions about persons: register, score, notices, commitment, cancel, repair, restoration, and the
filled annexes 4–7 (repair, appeal and restoration forms, copy reports)."""

from __future__ import annotations

from datetime import date

from yibao_desktop.domain.errors import DomainError

from . import ask


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


class PeopleActions:
    """Mixin of MainWindow (uses self.ctx, self.qwindow, self.after_change, self.guard)."""

    def need_row(self, row):
        if row is None:
            ask.info(self.qwindow, "提示", "请先在表格中选中一名人员。")
        return row

    def register_person(self) -> None:
        """登记备案 dialog."""
        from .dialogs.registration import RegistrationDialog

        RegistrationDialog(self).open().saved.connect(lambda _r: self.after_change("已登记备案。"))

    def edit_registration(self, row) -> None:
        """Edit the selected registration's practice fields (annex 2)."""
        if self.need_row(row) is None:
            return
        from .dialogs.registration import RegistrationDialog

        RegistrationDialog(self, registration_id=row.id).open().saved.connect(
            lambda _r: self.after_change("登记备案已修改。")
        )

    def enter_score(self, row) -> None:
        """记分 dialog for the selected person."""
        from .dialogs.score import ScoreDialog

        if self.need_row(row) is None:
            return
        dlg = ScoreDialog(self, row=row)
        dlg.saved.connect(lambda _d: self.after_change("记分已保存，处理意见待审核签发。"))
        dlg.open()

    def notice_actions(self, row) -> None:
        """Pick one of the person's notices and run its next step."""
        from yibao_desktop.services.notices_query import dispositions_of

        from .dialogs.notice import NoticeDialog

        if self.need_row(row) is None:
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
        NoticeDialog(self, disposition=d).open().saved.connect(lambda message: self.after_change(message))

    def record_commitment(self, row) -> None:
        """Record the signed commitment (annex 1) for the selected registration."""
        from yibao_desktop.services import registrations

        if self.need_row(row) is None:
            return
        text = ask.text(self.qwindow, "登记承诺书", "承诺日期（如 2026-11-23）：", self.today().isoformat())
        if text is not None:
            self.guard(
                lambda: registrations.record_commitment(self.ctx, row.id, _parse_date(text), row.version),
                "已登记承诺书。",
            )

    def cancel_registration(self, row) -> None:
        """Cancel the selected registration (kept in history)."""
        from yibao_desktop.services import registrations

        if self.need_row(row) is None:
            return
        reason = ask.choose(
            self.qwindow,
            "注销登记",
            f"{row.name} 在 {row.institution_name} 的登记备案注销原因：",
            ["调离本机构", "退休", "离职", "死亡", "其他"],
        )
        summary = (
            f"注销登记备案：{row.name}（{row.person_code}）\n机构：{row.institution_name}\n"
            f"注销日期：{self.today():%Y-%m-%d}　原因：{reason}\n"
            "注销后记录仍保留在一医一档中（人员记分表中选“显示已注销”可查看）。确定注销？"
        )
        if reason and ask.confirm(self.qwindow, "注销登记", summary):
            self.guard(
                lambda: registrations.cancel_registration(self.ctx, row.id, self.today(), reason, row.version),
                f"已注销 {row.name} 在 {row.institution_name} 的登记备案（{reason}）。",
            )

    def repair(self, row) -> None:
        """记分修复: decide the person's pending application (another user entered it), or file a new one."""
        from yibao_desktop.services import score_followups

        if self.need_row(row) is None:
            return
        pending = score_followups.pending_repair(self.ctx, row.person_id)
        if pending is not None and pending[1] != self.ctx.username:
            grant = ask.confirm(self.qwindow, "记分修复", "该人员有待审核的修复申请。同意修复吗？（选“否”为不予修复）")
            self.guard(
                lambda: f"已修复 {score_followups.decide_repair(self.ctx, pending[0], grant, self.today())} 分。"
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
            lambda: score_followups.apply_for_repair(self.ctx, row.person_id, self.today(), _count(n), "", opinion),
            "已受理记分修复申请，待审核人员审核。",
        )

    def restoration(self, row) -> None:
        """资格恢复: decide the person's pending application (another user filed it), or file one for the running
        period."""
        from yibao_desktop.services import score_followups
        from yibao_desktop.services.dossier import load_dossier

        if self.need_row(row) is None:
            return
        pending = score_followups.pending_restoration(self.ctx, row.person_id)
        if pending is not None:
            rid, maker, filed_on = pending
            if maker == self.ctx.username:
                ask.info(self.qwindow, "资格恢复", "该恢复申请由您本人受理，须由另一位审核人员决定。")
                return
            due = score_followups.restoration_due(self.ctx, filed_on)
            passed = ask.confirm(
                self.qwindow, "资格恢复", f"应于{due}前作出决定。评估通过、予以恢复吗？（选“否”为不予恢复）"
            )

            def decide() -> str:
                effect = score_followups.decide_restoration(self.ctx, rid, passed, self.today())
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
                lambda: score_followups.file_restoration(self.ctx, p.id, self.today(), opinion),
                "已受理资格恢复申请，待审核人员决定。",
            )

    def commendation(self, row) -> None:
        """Record 好医师/好药师 for this year."""
        from yibao_desktop.services import score_followups

        if self.need_row(row) is None:
            return
        title = ask.choose(self.qwindow, "表彰", "称号：", list(score_followups.COMMENDATION_TITLES))
        if title:
            self.guard(
                lambda: score_followups.add_commendation(self.ctx, row.person_id, self.today().year, title), "已记录。"
            )

    def print_appeal(self, row) -> None:
        """陈述申辩书 (annex 5) of the selected appeal, filled from the database."""
        from yibao_desktop.services.printing_annexes import appeal_form_pdf

        if row is None:
            ask.info(self.qwindow, "打印陈述申辩书", "请先在表格中选中一条申诉。")
            return
        title = f"陈述申辩书 {row.person_name} {row.doc_no}"
        self.preview_pdf(lambda: appeal_form_pdf(self.ctx, row.id), title)

    def print_repair_form(self, row) -> None:
        """记分修复申请书 (annex 4) of the person's latest repair; the blank form when there is none."""
        from yibao_desktop.services import printing_annexes as printing

        if self.need_row(row) is None:
            return
        rid = printing.latest_repair_id(self.ctx, row.person_id)
        if rid is None:
            from yibao_desktop.services.printing import blank_form_pdf

            self.preview_pdf(lambda: blank_form_pdf(self.ctx, "annex4"), "空白 记分修复申请书")
            return
        self.preview_pdf(lambda: printing.repair_form_pdf(self.ctx, rid), f"记分修复申请书 {row.name}")

    def print_restoration_form(self, row) -> None:
        """资格恢复申请书 (annex 6): the running period's application, or prefilled from the period itself."""
        from yibao_desktop.services import printing_annexes as printing

        if self.need_row(row) is None:
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
        self.preview_pdf(lambda: make(self.ctx, ref), f"资格恢复申请书 {row.name}")

    def copy_report(self, row) -> None:
        """抄告书: ask the recipients, issue a numbered copy report of this year's scores, preview annex 7."""
        from yibao_desktop.services import printing_annexes as printing
        from yibao_desktop.services import score_followups
        from yibao_desktop.services.reprint import document_pdf

        if self.need_row(row) is None:
            return
        recipients = ask.text(self.qwindow, "记分情况抄告书", "抄告单位：", printing.COPY_REPORT_RECIPIENTS)
        if recipients is None:
            return
        today = self.today()

        def make() -> bytes:
            doc_no = score_followups.create_copy_report(self.ctx, row.person_id, recipients, today)
            self.qwindow.statusBar().showMessage(f"已出具记分情况抄告书 {doc_no}。", 8000)
            return document_pdf(self.ctx, doc_no)

        self.preview_pdf(make, f"记分情况抄告书 {row.name}")
