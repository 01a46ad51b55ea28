"""The 定点申请 window: opened from the 定点机构 tab, an application registered through its dialog, accepted and
evaluated, every ground shown with its evidence (hits in red); agreement notices printed from the 医保协议 tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from tests.builders import record_approved
from yibao_desktop.domain.designation import MATERIALS
from yibao_desktop.services import designation as dsg
from yibao_desktop.services.agreements import EventInput, sign_agreement


def click(root, name: str, qtbot) -> None:
    qtbot.mouseClick(root.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def ok(form_dialog, qtbot) -> None:
    """Press 保存 of a FormDialog."""
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.mouseClick(form_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def set_date(dialog, name: str, d: date) -> None:
    dialog.findChild(QWidget, name).setDate(QDate(d.year, d.month, d.day))


def open_applications(window, qtbot):
    window.show_tab("institutions")
    click(window.institutions.widget, "btn_applications", qtbot)
    return window.last_dialog


def test_the_applications_button_of_the_institutions_tab_opens_the_window(window, qtbot):
    from yibao_desktop.qt.applications_dialog import ApplicationsDialog

    dlg = open_applications(window, qtbot)
    assert isinstance(dlg, ApplicationsDialog) and dlg.dialog.isVisible()
    assert dlg.summary.text() == "共 0 件，办理中 0 件"


def test_register_accept_and_evaluate_shows_every_ground_with_the_failed_one_in_red(window, qtbot, asked):
    dlg = open_applications(window, qtbot)
    click(dlg.dialog, "btn_receive", qtbot)
    form = window.last_dialog
    form.dialog.findChild(QLineEdit, "applicant_name").setText("揭阳博爱医院")
    kind = form.dialog.findChild(QComboBox, "kind")
    kind.setCurrentIndex(kind.findData("general_hospital"))
    set_date(form.dialog, "received_on", date(2026, 9, 29))
    for i in range(4):
        form.dialog.findChild(QCheckBox, f"mat_{i}").setChecked(True)
    ok(form, qtbot)
    assert not form.dialog.isVisible()
    (row,) = dlg.model.rows
    assert (row.applicant_name, row.state_label, row.supplement_due) == (
        "揭阳博爱医院",
        "待补正材料",
        date(2026, 10, 12),
    )
    assert row.missing == tuple(window.ctx.profile.materials[m] for m in MATERIALS[4:])
    assert form.dialog.findChild(QCheckBox, "mat_0").text() == "定点医疗机构申请表"  # national profile

    dlg.select(row.id)
    click(dlg.dialog, "btn_accept", qtbot)
    step = window.last_dialog
    set_date(step.dialog, "on", date(2026, 9, 28))
    ok(step, qtbot)
    assert "早于接收日期" in step.dialog.findChild(QLabel, "err_on").text()  # stays open at its field
    set_date(step.dialog, "on", date(2026, 9, 29))
    ok(step, qtbot)
    dsg.issue_supplement_notice(window.ctx, row.id, date(2026, 10, 9))
    dsg.record_supplement_received(window.ctx, row.id, date(2026, 10, 19))
    dlg.load(row.id)
    assert dlg.current().evaluation_due == date(2027, 1, 8)

    click(dlg.dialog, "btn_evaluate", qtbot)
    ev = window.last_dialog
    ev.dialog.findChild(QLineEdit, "main_business").setText("内科")
    ev.dialog.findChild(QSpinBox, "physicians_first_registered").setValue(0)
    ev.dialog.findChild(QSpinBox, "beds").setValue(30)
    set_date(ev.dialog, "operating_since", date(2025, 6, 1))
    for name in ("has_management_system", "has_information_system"):
        combo = ev.dialog.findChild(QComboBox, name)
        combo.setCurrentIndex(combo.findData(True))
    assert ev.dialog.findChild(QLabel, "lbl_price_policy_followed").text() == "基本医疗服务是否执行医药价格政策？"
    set_date(ev.dialog, "on", date(2026, 11, 20))
    ok(ev, qtbot)
    assert not ev.dialog.isVisible()
    row = dlg.current()
    assert (row.result_label, row.state_label, row.reevaluation_from) == (
        "不合格",
        "评估不合格（整改中）",
        date(2027, 2, 21),
    )
    calls, _answers = asked
    assert any(name == "info" and "第一注册地" in args[2] for name, args in calls)
    model = dlg.ground_model
    assert model.rowCount() == 15
    red = [
        model.rows[i].code
        for i in range(15)
        if model.data(model.index(i, 3), Qt.ItemDataRole.ForegroundRole) is not None
        and model.data(model.index(i, 3), Qt.ItemDataRole.ForegroundRole).color() == QColor("#c0392b")
    ]
    assert red == ["first_registered_physician"]
    assert model.data(model.index(10, 1)) == "是否至少有1名第一注册地在本机构的医师？"
    assert (model.data(model.index(10, 2)), model.data(model.index(10, 4))) == ("否", "第一注册地在本机构的医师0名")
    assert "不合格" in dlg.detail.text()


def test_print_notice_of_an_evaluated_application_opens_the_preview(window, qtbot, asked):
    from yibao_desktop.domain.designation import ApplicantFacts
    from yibao_desktop.qt.print_preview import PrintPreviewDialog

    app = dsg.receive_application(
        window.ctx, "揭阳康宁医院", "", "general_hospital", date(2026, 9, 29), list(MATERIALS)
    )
    dsg.accept(window.ctx, app.id, date(2026, 9, 29))
    dsg.evaluate(window.ctx, app.id, ApplicantFacts(main_business="医疗美容"), date(2026, 11, 2))
    dlg = open_applications(window, qtbot)
    dlg.select(app.id)
    click(dlg.dialog, "btn_print", qtbot)
    preview = window.last_dialog
    assert isinstance(preview, PrintPreviewDialog) and preview.page_count() >= 1
    assert "不予受理定点申请通知书" in preview.dialog.windowTitle()


def test_print_agreement_notice_lets_the_clerk_pick_the_termination(window, qtbot, asked):
    from yibao_desktop.qt.print_preview import PrintPreviewDialog

    iid = window.institutions.all_rows[0].id
    aid = sign_agreement(window.ctx, iid, "揭医协-2026-001", "annual", date(2026, 1, 1))
    record_approved(
        window.ctx,
        aid,
        EventInput(kind="termination", on=date(2026, 11, 20), decision_no="揭医保协决〔2026〕7号", ground_code="fraud"),
    )
    window.refresh_all()
    qtbot.waitUntil(lambda: len(window.agreements.all_rows) == 1)
    window.show_tab("agreements")
    window.agreements.table.selectRow(0)
    _calls, answers = asked
    answers["choose"] = ["2026-11-20　解除医保协议通知书（揭医保协决〔2026〕7号）"]
    click(window.agreements.widget, "btn_print_notice", qtbot)
    preview = window.last_dialog
    assert isinstance(preview, PrintPreviewDialog) and preview.page_count() >= 1
    assert "解除医保协议通知书" in preview.dialog.windowTitle()


def test_the_verification_dialog_asks_each_open_item_and_lets_the_evaluation_pass(window, qtbot, asked):
    from yibao_desktop.domain.designation import ApplicantFacts

    ctx = window.ctx
    app = dsg.receive_application(ctx, "揭阳康宁医院", "", "general_hospital", date(2026, 9, 1), list(MATERIALS))
    dsg.accept(ctx, app.id, date(2026, 9, 1))
    dsg.evaluate(
        ctx,
        app.id,
        ApplicantFacts(
            main_business="内科",
            physicians_first_registered=2,
            beds=20,
            has_management_system=True,
            has_information_system=True,
            price_policy_violated=False,
            penalty_unfulfilled=False,
        ),
        date(2026, 11, 2),
    )
    dlg = open_applications(window, qtbot)
    dlg.select(app.id)
    assert "3项待核实" in dlg.detail.text()
    click(dlg.dialog, "btn_verify", qtbot)
    ver = window.last_dialog
    codes = [g.code for g in ver.items]
    assert codes == ["other_law", "operating_months", "other_conditions"]
    d = ver.dialog
    combo = d.findChild(QComboBox, "answer_operating_months")
    combo.setCurrentIndex(combo.findData("yes"))
    d.findChild(QLineEdit, "evidence_operating_months").setText("营业执照")
    ok(ver, qtbot)
    assert d.isVisible() and "核实情况说明" in d.findChild(QLabel, "err_note_operating_months").text()
    for code in codes:
        combo = d.findChild(QComboBox, f"answer_{code}")
        combo.setCurrentIndex(combo.findData("no" if code == "other_law" else "yes"))
        d.findChild(QLineEdit, f"note_{code}").setText("经现场核查确认")
        d.findChild(QLineEdit, f"evidence_{code}").setText("现场核查记录")
    ok(ver, qtbot)
    assert not d.isVisible()
    row = dlg.current()
    assert (row.result_label, row.state_label) == ("合格", "评估合格待公示")
    (item,) = [g for g in row.grounds if g.code == "operating_months"]
    assert item.verified_by == ctx.username and item.basis.startswith(f"{ctx.username}于2026-11-23核实")


def test_supplement_materials_are_ticked_off_as_they_arrive_and_the_rest_is_shown_missing(window, qtbot, asked):
    ctx = window.ctx
    app = dsg.receive_application(ctx, "揭阳康宁医院", "", "general_hospital", date(2026, 11, 2), list(MATERIALS[:4]))
    dsg.issue_supplement_notice(ctx, app.id, date(2026, 11, 4))
    dlg = open_applications(window, qtbot)
    dlg.select(app.id)
    click(dlg.dialog, "btn_supplement_received", qtbot)
    step = window.last_dialog
    boxes = [code for code, _box in step.boxes]
    assert boxes == ["fund_forecast", "provincial_other"]
    step.dialog.findChild(QCheckBox, "arrived_fund_forecast").setChecked(True)
    set_date(step.dialog, "on", date(2026, 11, 10))
    ok(step, qtbot)
    assert not step.dialog.isVisible()
    row = dlg.current()
    assert row.state == "supplement" and [m.code for m in row.outstanding] == ["provincial_other"]
    assert "补正已收到：纳入定点后使用医疗保障基金的预测性分析报告（2026-11-10）" in dlg.detail.text()
    assert "仍缺材料：省级医疗保障行政部门按相关规定要求提供的其他材料" in dlg.detail.text()
    click(dlg.dialog, "btn_supplement", qtbot)  # a second notice is refused in Chinese, nothing is issued
    second = window.last_dialog
    ok(second, qtbot)
    assert "不能再次告知" in second.message.text() and second.dialog.isVisible()
