"""The agreement event dialog takes the approving authority's date of a major information change, and the summary
says when the 30 working days were missed (《广东办法》第三十九条)."""

from __future__ import annotations

from datetime import date


def test_an_information_change_filed_late_is_flagged_from_the_dialog(window, ctx, asked, tmp_path):
    from yibao_desktop.services.agreements import list_agreements, sign_agreement

    sign_agreement(ctx, 1, "揭医保协〔2026〕1号", "annual", date(2026, 1, 5), newly_designated=False)
    window.agreement_actions.record_agreement_event(list_agreements(ctx)[0])
    dlg = window.last_dialog
    w = dlg.form.widgets
    w["kind"].setCurrentIndex(w["kind"].findData("info_change"))
    w["on"].setText("2026-10-20")
    w["approval_on"].setText("2026-09-01")
    w["detail"].setPlainText("法定代表人变更")
    dlg.dialog.grab().save(str(tmp_path / "event_dialog.png"))
    dlg.accept()
    assert not dlg.dialog.isVisible(), dlg.message.text()
    shown = [a for n, a in asked[0] if n == "info"][-1][2]
    assert "已逾期" in shown and "2026年10月19日" in shown
