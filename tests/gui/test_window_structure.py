"""The main window's structure: tabs found by key, one actions object per tab with its tab and the shell, one
“请先选中…” helper, an action reloading only the tabs it changed, and the profile handed to the 人员记分 tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox

from yibao_desktop.domain.designation import MATERIALS
from yibao_desktop.services import designation as dsg
from yibao_desktop.services.rows import TodoRow


def _count_refreshes(window, monkeypatch) -> list[str]:
    """Record which tabs reload (by key) instead of reloading them."""
    seen: list[str] = []
    for key, tab in window.tabs.items():
        monkeypatch.setattr(tab, "refresh", lambda key=key: seen.append(key))
    return seen


def test_tabs_are_found_by_key_and_each_has_its_actions(window):
    assert list(window.tabs) == ["dashboard", "institutions", "agreements", "personnel", "appeals"]
    for key, actions in window.tab_actions.items():
        assert actions.tab is window.tabs[key] and actions.shell is window
    window.show_tab("appeals")
    assert window.front_key() == "appeals" and window.current_tab() is window.appeals
    window.show_tab("institutions")
    assert window.front() == ("institutions", "定点机构", window.institutions)


def test_ctrl_n_starts_the_new_record_of_the_tab_in_front(window):
    from yibao_desktop.qt.dialogs.agreement import AgreementDialog
    from yibao_desktop.qt.dialogs.appeal import AppealDialog
    from yibao_desktop.qt.dialogs.institution import InstitutionDialog
    from yibao_desktop.qt.dialogs.registration import RegistrationDialog

    for key, kind in (
        ("institutions", InstitutionDialog),
        ("agreements", AgreementDialog),
        ("personnel", RegistrationDialog),
        ("appeals", AppealDialog),
    ):
        window.show_tab(key)
        window.actions["act_new"].trigger()
        assert isinstance(window.last_dialog, kind), key
        window.last_dialog.dialog.reject()
    window.show_tab("dashboard")
    window.actions["act_new"].trigger()
    assert window.front_key() == "personnel"


def test_nothing_selected_is_said_once_by_the_tab_in_its_own_words(window, asked):
    calls, _answers = asked
    window.personnel.table.clearSelection()
    window.personnel.table.setCurrentIndex(window.personnel.model.index(-1, -1))
    window.personnel.button("btn_commitment").click()
    window.agreements.button("btn_history").click()
    window.appeals.button("btn_decide").click()
    window.institutions.button("btn_edit").click()
    texts = [args[2] for name, args in calls if name == "info"]
    assert texts == [
        "请先在表格中选中一名人员。",
        "请先在表格中选中一份协议。",
        "请先在表格中选中一条申诉。",
        "请先在表格中选中一家定点机构。",
    ]


def test_a_commitment_reloads_the_persons_and_the_work_list_only(window, asked, monkeypatch):
    _calls, answers = asked
    tab = window.personnel
    tab.select_key(tab.all_rows[0].id)
    seen = _count_refreshes(window, monkeypatch)
    answers["text"] = ["2026-11-02"]
    tab.button("btn_commitment").click()
    assert sorted(seen) == ["dashboard", "personnel"]
    assert window.qwindow.statusBar().currentMessage() == "已登记承诺书。"


def test_cancelling_a_registration_also_reloads_the_institutions_count(window, asked, monkeypatch):
    _calls, answers = asked
    tab = window.personnel
    tab.select_key(tab.all_rows[0].id)
    seen = _count_refreshes(window, monkeypatch)
    answers["choose"] = ["调离本机构"]
    tab.button("btn_cancel").click()
    assert sorted(seen) == ["dashboard", "institutions", "personnel"]


def test_a_refused_change_reloads_nothing(window, asked, monkeypatch):
    calls, answers = asked
    tab = window.personnel
    tab.select_key(tab.all_rows[0].id)
    seen = _count_refreshes(window, monkeypatch)
    answers["text"] = ["2026-13-40"]
    tab.button("btn_commitment").click()
    assert seen == [] and any(name == "error" and "日期格式不对" in args[2] for name, args in calls)


def test_an_export_writes_a_file_and_reloads_nothing(window, asked, monkeypatch, tmp_path):
    _calls, answers = asked
    window.show_tab("institutions")
    seen = _count_refreshes(window, monkeypatch)
    answers["save_path"] = [str(tmp_path / "机构.xlsx")]
    window.actions["act_export"].trigger()
    assert (tmp_path / "机构.xlsx").stat().st_size > 0 and seen == []


def test_saving_an_institution_reloads_the_tabs_that_show_its_name(window, qtbot, monkeypatch):
    window.show_tab("institutions")
    window.institutions.select_key(window.institutions.all_rows[0].id)
    window.institutions.button("btn_edit").click()
    dlg = window.last_dialog
    seen = _count_refreshes(window, monkeypatch)
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert sorted(seen) == ["agreements", "dashboard", "institutions", "personnel"]


def test_a_work_list_line_about_an_application_opens_that_application(window, ctx):
    from yibao_desktop.qt.applications_dialog import ApplicationsDialog

    dsg.receive_application(ctx, "揭阳康宁医院", "", "general_hospital", date(2026, 9, 1), list(MATERIALS))
    app = dsg.receive_application(ctx, "揭阳仁爱医院", "", "general_hospital", date(2026, 9, 2), list(MATERIALS))
    window.work.open_todo(TodoRow(date(2026, 9, 9), "定点申请", app.applicant_name, "", "later", "application", app.id))
    dlg = window.last_dialog
    assert isinstance(dlg, ApplicationsDialog) and dlg.current().id == app.id


def test_the_points_colour_comes_from_the_profile_handed_to_the_tab(window, ctx):
    from dataclasses import replace

    tab = window.personnel
    assert tab.profile is ctx.profile
    lowest = min(ctx.profile.suspension_months)
    assert tab._points_level(lowest) == "suspend"
    tab.use_profile(replace(ctx.profile, suspension_months={lowest + 3: 1}))
    assert tab.profile is not ctx.profile and tab._points_level(lowest) is None
