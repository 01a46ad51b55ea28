"""What the signed-in user's role may not do is greyed out in menus and buttons, with the reason as tooltip.

The services stay the enforcement (they refuse whatever reaches them); this table only mirrors which permission a
menu entry or button leads to, so the clerk is not offered what would be refused. Before sign-in nothing that
works on the data is enabled."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from yibao_desktop.domain.permissions import Permission as P
from yibao_desktop.domain.permissions import Role

ORIGINAL_TIP = "yibao_original_tip"

WINDOW_ACTIONS: dict[str, tuple[P, ...]] = {  # QAction object name → any of these permissions
    "act_new": (P.INSTITUTION_EDIT, P.AGREEMENT_ACTION, P.REGISTER, P.APPEAL_FILE),
    "act_import": (P.IMPORT,),
    "act_settlement": (P.IMPORT,),
    "act_reports": (P.EXPORT,),
    "act_template": (P.VIEW,),
    "act_export": (P.EXPORT,),
    "act_print": (P.PRINT,),
    "act_batch_print": (P.PRINT,),
    "act_blank_forms": (P.PRINT,),
    "act_documents": (P.VIEW,),
    "act_search": (P.VIEW,),
    "act_refresh": (P.VIEW,),
    "act_settings": (P.SETTINGS,),
    "act_users": (P.USERS,),
    "act_audit_log": (P.AUDIT,),
    "act_person_history": (P.AUDIT,),
    "act_institution_history": (P.AUDIT,),
    "act_change_password": (P.VIEW,),
    "act_switch_user": (P.VIEW,),
    "act_score": (P.SCORE_RECORD,),
    "act_notice": (P.APPROVE, P.ISSUE, P.VOID, P.DELIVERY, P.SCORE_RECORD),
    "act_approve": (P.APPROVE,),
    "act_issue": (P.ISSUE,),
    "act_deliver": (P.DELIVERY,),
}

TAB_BUTTONS: dict[str, dict[str, tuple[P, ...]]] = {  # tab attribute → button object name → permissions
    "institutions": {
        "btn_new": (P.INSTITUTION_EDIT,),
        "btn_edit": (P.INSTITUTION_EDIT,),
        "btn_export": (P.EXPORT,),
        "btn_import": (P.IMPORT,),
        "btn_template": (P.VIEW,),
        "btn_applications": (P.APPLICATION, P.DESIGNATE),
    },
    "agreements": {
        "btn_sign": (P.AGREEMENT_ACTION,),
        "btn_event": (P.AGREEMENT_ACTION,),
        "btn_history": (P.VIEW,),
        "btn_print_notice": (P.PRINT,),
        "btn_export": (P.EXPORT,),
    },
    "personnel": {
        "btn_register": (P.REGISTER,),
        "btn_score": (P.SCORE_RECORD,),
        "btn_notices": (P.APPROVE, P.ISSUE, P.VOID, P.DELIVERY, P.SCORE_RECORD),
        "btn_commitment": (P.REGISTER,),
        "btn_cancel": (P.REGISTER,),
        "btn_export": (P.EXPORT,),
        "btn_import": (P.IMPORT,),
    },
    "appeals": {
        "btn_new": (P.APPEAL_FILE,),
        "btn_advance": (P.APPEAL_FILE,),
        "btn_decide": (P.APPEAL_DECIDE,),
        "btn_print": (P.PRINT,),
        "btn_export": (P.EXPORT,),
    },
}

MORE_MENU: dict[str, tuple[P, ...]] = {  # the 人员记分 tab's 更多 menu, by entry text
    "编辑登记备案…": (P.REGISTER,),
    "记分修复申请…": (P.REPAIR_APPLY,),
    "资格恢复申请…": (P.RESTORATION_FILE,),
    "记录好医师/好药师…": (P.COMMENDATION,),
    "抄告书…": (P.ISSUE,),
    "导入记分名册…": (P.IMPORT,),
}


def roles_with(perms: tuple[P, ...]) -> str:
    """“经办或审核”: the roles that hold any of the permissions."""
    from yibao_desktop.domain.permissions import ROLE_PERMISSIONS

    return "或".join(r.label for r in Role if ROLE_PERMISSIONS[r] & set(perms))


def gate(widget, actor, perms: tuple[P, ...]) -> bool:
    """Enable the widget when the actor holds any of `perms`; else grey it out and say who may. Returns enabled."""
    if widget.property(ORIGINAL_TIP) is None:
        widget.setProperty(ORIGINAL_TIP, widget.toolTip() or "")
    tip = widget.property(ORIGINAL_TIP)
    allowed = actor is not None and any(actor.can(p) for p in perms)
    widget.setEnabled(allowed)
    if allowed:
        widget.setToolTip(tip)
    else:
        why = (
            "请先登录。"
            if actor is None
            else (f"当前用户（{Role(actor.role).label}）不能办理，需由{roles_with(perms)}办理。")
        )
        widget.setToolTip(f"{tip}\n{why}" if tip else why)
    return allowed


def apply_role(window) -> None:
    """Grey out what the signed-in user may not do (called after sign-in and after 切换用户)."""
    actor = window.ctx.actor if window.ctx is not None else None
    for name, perms in WINDOW_ACTIONS.items():
        if name in window.actions:
            gate(window.actions[name], actor, perms)
    for tab_name, buttons in TAB_BUTTONS.items():
        tab = window.tabs[tab_name]
        for name, perms in buttons.items():
            button = tab.widget.findChild(QPushButton, name)
            if button is not None:
                gate(button, actor, perms)
    more = window.tabs["personnel"].button("btn_more").menu()
    for action in more.actions() if more is not None else ():
        if action.text() in MORE_MENU:
            gate(action, actor, MORE_MENU[action.text()])
