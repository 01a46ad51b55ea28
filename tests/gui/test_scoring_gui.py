"""Scoring in the GUI: keyboard entry with a live proposal, reviewer approval, linkage to both institutions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from yibao_desktop.services.notices_query import dispositions_of
from yibao_desktop.services.registry import RegistrationInput, register_person
from yibao_desktop.services.scoring import ScoreInput, record_scores


def _second_site(ctx, idn):
    register_person(
        ctx,
        RegistrationInput(
            name="曾志伟",
            id_number=idn,
            person_code="D445202000003",
            institution_code="H44520200002",
            commitment=True,
            commitment_on=date(2025, 3, 1),
            registered_on=date(2025, 3, 1),
        ),
        today=date(2025, 3, 1),
    )


def test_a_score_entered_by_keyboard_proposes_suspension_and_a_reviewer_suspends_both_registrations(
    window, qtbot, ctx, make_ctx
):
    idn = next(r for r in window.personnel.all_rows if r.name == "曾志伟").id_number
    _second_site(ctx, idn)
    record_scores(
        ctx,
        [
            ScoreInput(
                idn, "H44520200001", "penalty", "揭医保罚〔2026〕5号", date(2026, 3, 2), "JC1", "B2-02", "important"
            )
        ],
    )
    window.refresh_all()
    qtbot.waitUntil(lambda: len(window.personnel.all_rows) == 3)
    window.show_tab("personnel")
    tab = window.personnel
    qtbot.keyClicks(tab.search, "zzw")
    tab.table.setFocus()
    tab.table.selectRow(0)
    row = tab.current_row()
    assert row.name == "曾志伟"
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)  # Enter on a row opens the score dialog
    dlg = window.last_dialog
    w = dlg.form.widgets
    w["institution_code"].setFocus()
    w["institution_code"].setCurrentIndex(w["institution_code"].findData("H44520200002"))
    qtbot.keyClicks(w["decision_no"], "JYF-2026-9")
    w["decision_date"].setDate(QDate(2026, 6, 1))
    qtbot.keyClicks(w["batch"], "JC2")
    qtbot.keyClicks(w["violation_search"], "B2-03")
    assert w["violation_code"].currentData() == "B2-03"
    assert w["points"].value() == 4
    assert "5分 → 9分" in w["preview"].text()
    assert "暂停" in w["preview"].text()
    assert w["kind"].currentData() == "suspension" and w["months"].value() == 2
    qtbot.keyClick(w["months"], Qt.Key.Key_Up)
    qtbot.keyClick(w["months"], Qt.Key.Key_Return)  # Enter in any field saves
    errs = {k: v.text() for k, v in dlg.form.errors.items() if v is not None and v.text()}
    assert not dlg.dialog.isVisible(), (dlg.message.text(), errs, w["months"].value())
    draft = dispositions_of(ctx, row.person_id)[0]
    assert (draft.kind, draft.months, draft.state) == ("suspension", 3, "draft")

    from yibao_desktop.qt.dialogs.notice import NoticeDialog

    window.ctx = make_ctx("reviewer", "reviewer")
    nd = NoticeDialog(window, disposition=draft).open()
    nd.form.widgets["step"].setCurrentIndex(nd.form.widgets["step"].findData("approve"))
    qtbot.mouseClick(nd.buttons.button(nd.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    approved = dispositions_of(ctx, row.person_id)[0]
    nd = NoticeDialog(window, disposition=approved).open()
    nd.form.widgets["step"].setCurrentIndex(nd.form.widgets["step"].findData("issue"))
    nd.form.widgets["on"].setDate(QDate(2026, 11, 20))
    nd.form.widgets["effective"].setDate(QDate(2026, 11, 30))
    qtbot.mouseClick(nd.buttons.button(nd.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not nd.dialog.isVisible(), nd.message.text()
    tab.search.clear()
    window.refresh_all()
    qtbot.waitUntil(lambda: sorted(r.status for r in tab.all_rows if r.id_number == idn) == ["suspended"] * 2)
    issued = dispositions_of(ctx, row.person_id)[0]
    assert issued.doc_no == "揭医保记〔2026〕1号"
    assert (issued.effective, issued.period_end) == (date(2026, 11, 30), date(2027, 2, 28))


def test_the_clerk_who_entered_a_score_cannot_approve_it(window, qtbot, ctx):
    idn = next(r for r in window.personnel.all_rows if r.name == "曾志伟").id_number
    record_scores(
        ctx,
        [
            ScoreInput(
                idn, "H44520200001", "penalty", "揭医保罚〔2026〕6号", date(2026, 3, 2), "JC1", "B2-02", "important"
            )
        ],
    )
    from yibao_desktop.qt.dialogs.notice import NoticeDialog

    draft = dispositions_of(ctx, next(r for r in window.personnel.all_rows if r.name == "曾志伟").person_id)[0]
    nd = NoticeDialog(window, disposition=draft).open()
    qtbot.mouseClick(nd.buttons.button(nd.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert nd.dialog.isVisible()
    assert "不能由您本人决定" in nd.message.text()
