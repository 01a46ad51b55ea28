"""The window greys out what the signed-in role may not do; the services still refuse it (tested with the
services); before sign-in nothing that touches data is enabled."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from yibao_desktop.domain.permissions import ROLE_PERMISSIONS, Actor, Role


def enabled(window) -> dict[str, bool]:
    """Every gated menu entry and button: name → enabled."""
    from yibao_desktop.qt.role_gate import MORE_MENU, TAB_BUTTONS, WINDOW_ACTIONS

    out = {name: window.actions[name].isEnabled() for name in WINDOW_ACTIONS}
    for tab, buttons in TAB_BUTTONS.items():
        for name in buttons:
            out[f"{tab}.{name}"] = getattr(window, tab).widget.findChild(QPushButton, name).isEnabled()
    for action in window.personnel.button("btn_more").menu().actions():
        if action.text() in MORE_MENU:
            out[f"更多.{action.text()}"] = action.isEnabled()
    return out


def as_role(window, ctx, role: str):
    from dataclasses import replace

    window.ctx = replace(ctx, actor=Actor(role, Role(role), role))
    window.update_status()
    return enabled(window)


EXPECTED_ON = {
    "clerk": {
        "act_new",
        "act_import",
        "personnel.btn_register",
        "personnel.btn_score",
        "personnel.btn_notices",
        "appeals.btn_new",
        "institutions.btn_new",
        "更多.记分修复申请…",
        "更多.资格恢复申请…",
    },
    "reviewer": {
        "act_new",
        "personnel.btn_notices",
        "appeals.btn_decide",
        "agreements.btn_sign",
        "agreements.btn_event",
        "institutions.btn_applications",
        "更多.抄告书…",
    },
    "admin": {"act_settings", "act_users", "act_audit_log", "act_person_history", "act_institution_history"},
    "auditor": {"act_audit_log", "act_person_history", "act_institution_history"},
}
EXPECTED_OFF = {
    "clerk": {
        "act_settings",
        "act_users",
        "act_audit_log",
        "appeals.btn_decide",
        "agreements.btn_sign",
        "更多.抄告书…",
    },
    "reviewer": {
        "act_import",
        "act_settings",
        "act_users",
        "personnel.btn_register",
        "personnel.btn_score",
        "appeals.btn_new",
        "institutions.btn_new",
        "更多.记分修复申请…",
    },
    "admin": {
        "act_new",
        "act_import",
        "personnel.btn_score",
        "personnel.btn_notices",
        "appeals.btn_decide",
        "agreements.btn_sign",
        "institutions.btn_new",
    },
    "auditor": {
        "act_new",
        "act_import",
        "act_settings",
        "act_users",
        "personnel.btn_score",
        "personnel.btn_notices",
        "appeals.btn_decide",
        "agreements.btn_sign",
        "institutions.btn_new",
    },
}


@pytest.mark.parametrize("role", ["clerk", "reviewer", "admin", "auditor"])
def test_each_role_sees_enabled_only_what_its_permissions_allow(window, ctx, role):
    from yibao_desktop.qt.role_gate import MORE_MENU, TAB_BUTTONS, WINDOW_ACTIONS

    state = as_role(window, ctx, role)
    assert {k for k in EXPECTED_ON[role] if not state[k]} == set()
    assert {k for k in EXPECTED_OFF[role] if state[k]} == set()
    # and exactly the permission table's answer for every gated entry (one home of the rule: ROLE_PERMISSIONS)
    held = ROLE_PERMISSIONS[Role(role)]
    table = {
        **WINDOW_ACTIONS,
        **{f"更多.{k}": v for k, v in MORE_MENU.items()},
        **{f"{t}.{n}": v for t, b in TAB_BUTTONS.items() for n, v in b.items()},
    }
    assert state == {k: bool(held & set(v)) for k, v in table.items()}
    assert state["act_export"] and state["act_print"] and state["act_change_password"]


def test_a_greyed_button_says_who_may_and_comes_back_after_switching_user(window, ctx):
    as_role(window, ctx, "clerk")
    decide = window.appeals.button("btn_decide")
    assert not decide.isEnabled() and "当前用户（经办）不能办理，需由审核办理。" in decide.toolTip()
    as_role(window, ctx, "reviewer")
    assert decide.isEnabled() and "不能办理" not in decide.toolTip()


def test_before_sign_in_nothing_touching_data_is_enabled(qtbot, asked):
    from yibao_desktop.qt.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w.qwindow)
    state = enabled(w)
    assert not any(state.values())
    assert w.actions["act_quit"].isEnabled() and w.actions["act_about"].isEnabled()
    w.runner.shutdown()
