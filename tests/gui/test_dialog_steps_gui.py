"""The 处理通知书, 协议事项 and 申诉 dialogs show what the services allow: a notice's next steps with only the dates
they ask, an agreement's admissible events with none preselected, an appeal's changed total spread by the service."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint
from PySide6.QtWidgets import QFormLayout, QWidget

from tests.builders import as_user, score_nine_points
from yibao_desktop.services.notices_query import dispositions_of


def row_shown(dlg, name: str) -> bool:
    box = dlg.dialog.findChild(QWidget, f"box_{name}")
    form = next(f for f in dlg.dialog.findChildren(QFormLayout) if f.indexOf(box) >= 0)
    return form.isRowVisible(box)


def steps(dlg) -> list[str]:
    combo = dlg.form.widgets["step"]
    return [combo.itemData(i) for i in range(combo.count())]


def _draft(window, ctx):
    row = next(r for r in window.personnel.all_rows if r.name == "曾志伟")
    did = score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    return row, did


def test_a_reviewer_sees_approve_and_void_of_a_draft_and_no_date(window, ctx, make_ctx):
    from yibao_desktop.qt.dialogs.notice import NoticeDialog

    row, _did = _draft(window, ctx)
    window.ctx = make_ctx("reviewer", "reviewer")
    dlg = NoticeDialog(window, disposition=dispositions_of(ctx, row.person_id)[0]).open()
    assert steps(dlg) == ["approve", "void"]  # withdrawing is the maker's (clerk1's)
    assert not row_shown(dlg, "on") and not row_shown(dlg, "effective") and not row_shown(dlg, "reason")
    dlg.form.widgets["step"].setCurrentIndex(1)
    assert row_shown(dlg, "reason") and not row_shown(dlg, "on")


def test_the_effective_date_shows_only_for_the_issue_of_a_suspension(window, ctx, make_ctx, qtbot):
    from yibao_desktop.qt.dialogs.notice import NoticeDialog
    from yibao_desktop.services import notices

    row, did = _draft(window, ctx)
    notices.approve(make_ctx("reviewer", "reviewer"), did)
    dlg = NoticeDialog(window, disposition=dispositions_of(ctx, row.person_id)[0], step="issue").open()
    assert steps(dlg) == ["issue", "withdraw_approval", "void"]
    assert row_shown(dlg, "on") and row_shown(dlg, "effective") and not row_shown(dlg, "reason")
    dlg.form.widgets["step"].setCurrentIndex(2)
    assert not row_shown(dlg, "effective") and row_shown(dlg, "reason")
    dlg.form.widgets["step"].setCurrentIndex(0)
    dlg.form.widgets["on"].setDate(QDate(2026, 11, 20))
    dlg.form.widgets["effective"].setDate(QDate(2026, 11, 30))
    dlg.accept()
    assert not dlg.dialog.isVisible(), dlg.message.text()
    issued = dispositions_of(ctx, row.person_id)[0]
    assert issued.state == "issued" and issued.effective == date(2026, 11, 30)
    delivered = NoticeDialog(window, disposition=issued).open()
    assert steps(delivered) == ["deliver", "receipt", "void"]
    assert row_shown(delivered, "on") and not row_shown(delivered, "effective")


def test_a_voided_notice_offers_nothing_and_cannot_be_executed(window, ctx):
    from yibao_desktop.qt.dialogs.notice import NoticeDialog
    from yibao_desktop.services import notices

    row, did = _draft(window, ctx)
    notices.void(ctx, did, "录入错误")
    dlg = NoticeDialog(window, disposition=dispositions_of(ctx, row.person_id)[0]).open()
    assert steps(dlg) == [] and not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    assert "已无可执行的操作" in dlg.message.text()


def test_the_event_dialog_preselects_nothing_and_offers_what_the_agreement_admits(window, ctx, make_ctx):
    from yibao_desktop.services.agreements import EventInput, list_agreements, record_event, sign_agreement

    sign_agreement(ctx, 1, "揭医保协〔2026〕1号", "annual", date(2026, 1, 5), newly_designated=True)
    window.agreement_actions.record_agreement_event(list_agreements(ctx)[0])
    dlg = window.last_dialog
    kind = dlg.form.widgets["kind"]
    assert kind.currentData() is None and kind.itemData(1) == "guidance_extension"
    offered = [kind.itemData(i) for i in range(1, kind.count())]
    assert "resume" not in offered and "suspension" in offered
    assert not dlg.form.widgets["ground_code"].isEnabled()
    dlg.accept()
    assert dlg.dialog.isVisible() and "请选择事项类型" in dlg.form.errors["kind"].text()
    kind.setCurrentIndex(kind.findData("termination"))
    grounds = dlg.form.widgets["ground_code"]
    assert grounds.isEnabled() and all(grounds.itemText(i).startswith("解除") for i in range(1, grounds.count()))
    dlg.dialog.reject()
    ctx.settings.review_required = False
    aid = list_agreements(ctx)[0].id
    record_event(ctx, aid, EventInput(kind="termination", on=date(2026, 6, 1), decision_no="揭医保协处〔2026〕1号"))
    window.agreement_actions.record_agreement_event(list_agreements(ctx)[0])
    dlg = window.last_dialog
    assert dlg.form.widgets["kind"].count() == 1
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled() and "不能再录入" in dlg.message.text()


def test_an_appeal_filed_and_decided_changed_through_the_dialogs_lowers_the_total(window, ctx, make_ctx, qtbot):
    from yibao_desktop.services import notices
    from yibao_desktop.services.appeals import list_appeals

    rev = make_ctx("reviewer", "reviewer")
    _row, did = _draft(window, ctx)  # 5 + 4 points decided 2026-11-02
    notices.approve(rev, did)
    notices.issue(rev, did, date(2026, 11, 5))
    notices.record_receipt(ctx, did, date(2026, 11, 6))
    window.appeal_actions.file_appeal(did)
    dlg = window.last_dialog
    assert dlg.form.widgets["notice"].currentData() == did
    assert "申诉期限至" in dlg.form.widgets["window"].text()
    dlg.form.widgets["received_on"].setText("2026-11-09")
    dlg.form.widgets["content"].setPlainText("责任认定有误")
    dlg.accept()
    assert not dlg.dialog.isVisible(), dlg.message.text()
    window.ctx = rev
    window.appeal_actions.decide_appeal(list_appeals(ctx)[0])
    dlg = window.last_dialog
    w = dlg.form.widgets
    w["outcome"].setCurrentIndex(w["outcome"].findData("changed"))
    w["new_points"].setValue(5)  # the first entry keeps its 5, the second is dropped
    w["reason"].setPlainText("责任认定改为一般")
    w["decided_on"].setText("2026-11-20")
    dlg.accept()
    assert not dlg.dialog.isVisible(), dlg.message.text()
    from yibao_desktop.services.notices_query import disposition

    old = disposition(ctx, did)
    new = [d for d in dispositions_of(ctx, old.person_id) if d.state == "draft"]
    assert old.state == "voided" and [d.points_this for d in new] == [5]


def test_the_appeal_dialogs_labels_sit_level_with_their_fields(window, qtbot):
    from PySide6.QtWidgets import QLabel

    window.appeal_actions.file_appeal(None)
    dlg = window.last_dialog
    qtbot.waitExposed(dlg.dialog)
    dlg.dialog.resize(560, 480)  # its size on a 1366×768 screen: the spare height must not open gaps
    qtbot.wait(50)

    def top(name: str) -> int:
        return dlg.form.widgets[name].mapTo(dlg.dialog, QPoint(0, 0)).y()

    received = dlg.form.widgets["received_on"]
    gap = top("content") - (top("received_on") + received.height())
    assert gap <= 16, gap  # the text box follows the row above, no spare height between rows
    assert top("window") - (top("content") + dlg.form.widgets["content"].height()) <= 16
    label = dlg.dialog.findChild(QLabel, "lbl_content")
    assert abs(label.mapTo(dlg.dialog, QPoint(0, 0)).y() - top("content")) <= 6  # the label level with its box
    dlg.dialog.reject()  # closed before the window goes: its picker's focus-out must not outlive the combo


def shown_rows(dlg) -> set[str]:
    return {name for name in dlg.fields if row_shown(dlg, name)}


def test_the_event_dialog_shows_only_the_fields_the_chosen_kind_asks_for(window, ctx):
    from yibao_desktop.adapters.db.models import AgreementEvent
    from yibao_desktop.services.agreements import list_agreements, sign_agreement

    ctx.settings.review_required = False
    sign_agreement(ctx, 1, "揭医保协〔2026〕1号", "annual", date(2026, 1, 5), newly_designated=True)
    window.agreement_actions.record_agreement_event(list_agreements(ctx)[0])
    dlg = window.last_dialog
    kind = dlg.form.widgets["kind"]
    common = {"agreement", "kind", "on", "decision_no", "detail"}
    assert shown_rows(dlg) == common  # nothing chosen yet
    for key, own in (
        ("action", {"action_code", "amount", "department"}),
        ("suspension", {"ground_code", "effective", "until", "responsible"}),
        ("termination", {"ground_code", "effective", "until", "responsible"}),
        ("info_change", {"approval_on"}),
        ("renewal", set()),
        ("guidance_extension", set()),
        ("assessment", set()),
        ("action", {"action_code", "amount", "department"}),  # and back: rows hidden before show again
    ):
        kind.setCurrentIndex(kind.findData(key))
        assert shown_rows(dlg) == common | own, key
        assert dlg.person_pick.isVisibleTo(dlg.dialog) == ("responsible" in own)  # the picker goes with its row
    # a date typed for a 中止 and left behind when the clerk switched to 协议处理 is not stored with it
    kind.setCurrentIndex(kind.findData("suspension"))
    dlg.form.widgets["until"].setDate(QDate(2026, 9, 30))
    kind.setCurrentIndex(kind.findData("action"))
    dlg.form.widgets["action_code"].setCurrentIndex(dlg.form.widgets["action_code"].findData("interview"))
    dlg.form.widgets["decision_no"].setText("揭医保协处〔2026〕2号")
    dlg.form.widgets["on"].setDate(QDate(2026, 3, 2))
    dlg.accept()
    assert not dlg.dialog.isVisible(), dlg.message.text()
    with ctx.uow() as uow:
        ev = uow.session.query(AgreementEvent).filter_by(kind="action").one()
        assert (ev.action_code, ev.until, ev.on) == ("interview", None, date(2026, 3, 2))
