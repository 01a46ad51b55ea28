"""Roles and permissions in one place (专岗专权): which role may do what, and the maker–checker rule.

《广东省医疗保障定点医疗机构管理办法》第五十条、第五十六条 ask the handling office for internal control: the person
who enters a decision that changes someone's standing is never the one who approves it, and every act is traceable to
the person entitled to it. The services call `require` first and `check_not_maker` before a standing-changing step;
the GUI only hides what the services would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import PermissionDenied


class Role(StrEnum):
    """A user's role; one per account."""

    CLERK = "clerk"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        """Chinese name of the role."""
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.CLERK: "经办", Role.REVIEWER: "审核", Role.ADMIN: "管理员", Role.AUDITOR: "只读稽核"}


class Permission(StrEnum):
    """One thing a user may do; the value is the Chinese name shown in refusals."""

    VIEW = "查看"
    EXPORT = "导出"
    PRINT = "打印文书"
    AUDIT = "查看操作日志"
    INSTITUTION_EDIT = "登记和修改定点机构"
    REGISTER = "人员登记备案"
    SCORE_RECORD = "录入记分"
    IMPORT = "导入名册和结算明细"
    DELIVERY = "登记送达"
    APPEAL_FILE = "受理申诉"
    REPAIR_APPLY = "受理记分修复申请"
    RESTORATION_FILE = "受理资格恢复申请"
    COMMENDATION = "记录表彰"
    APPLICATION = "受理定点申请"
    APPROVE = "审核处理意见"
    ISSUE = "签发文书"
    VOID = "作废文书"
    APPEAL_DECIDE = "办结申诉"
    REPAIR_DECIDE = "审核记分修复"
    RESTORATION_DECIDE = "决定资格恢复"
    AGREEMENT_ACTION = "签订协议和协议处理"
    DESIGNATE = "确定定点"
    USERS = "管理用户"
    SETTINGS = "修改设置"
    REVIEW_SWITCH = "开关审核环节"
    MAINTENANCE = "维护数据库（备份、恢复、重算、演示数据）"


_READ = frozenset({Permission.VIEW, Permission.EXPORT, Permission.PRINT})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _READ
    | {
        Permission.INSTITUTION_EDIT,
        Permission.REGISTER,
        Permission.SCORE_RECORD,
        Permission.IMPORT,
        Permission.DELIVERY,
        Permission.APPEAL_FILE,
        Permission.REPAIR_APPLY,
        Permission.RESTORATION_FILE,
        Permission.COMMENDATION,
        Permission.APPLICATION,
    },
    Role.REVIEWER: _READ
    | {
        Permission.APPROVE,
        Permission.ISSUE,
        Permission.VOID,
        Permission.APPEAL_DECIDE,
        Permission.REPAIR_DECIDE,
        Permission.RESTORATION_DECIDE,
        Permission.AGREEMENT_ACTION,
        Permission.DESIGNATE,
    },
    Role.ADMIN: _READ
    | {Permission.AUDIT, Permission.USERS, Permission.SETTINGS, Permission.REVIEW_SWITCH, Permission.MAINTENANCE},
    Role.AUDITOR: _READ | {Permission.AUDIT},
}


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service acts."""

    username: str
    role: Role
    display_name: str = ""

    @property
    def permissions(self) -> frozenset[Permission]:
        """What this user may do (from the role)."""
        return ROLE_PERMISSIONS.get(Role(self.role), frozenset())

    def can(self, permission: Permission) -> bool:
        """True when the user holds the permission."""
        return permission in self.permissions

    @property
    def label(self) -> str:
        """“姓名（用户名，角色）” for status bars and messages."""
        return f"{self.display_name or self.username}（{self.username}，{Role(self.role).label}）"


def parse_role(text: str) -> Role:
    """A role from its code (clerk …) or Chinese name (经办 …); refuses anything else in Chinese."""
    for role in Role:
        if text.strip() in (role.value, role.label):
            return role
    names = "、".join(f"{r.value}（{r.label}）" for r in Role)
    raise PermissionDenied(f"未知的角色“{text}”，可选：{names}。")


def require(holder, permission: Permission) -> Actor:
    """The actor of a context or unit of work, if it holds `permission`; else PermissionDenied in Chinese."""
    actor = getattr(holder, "actor", None)
    if actor is None:
        raise PermissionDenied("请先登录后再操作。")
    if not actor.can(permission):
        raise PermissionDenied(
            f"当前用户（{Role(actor.role).label}）没有“{permission.value}”的权限，请由具有该权限的人员办理。"
        )
    return actor


def check_not_maker(actor: Actor, entered_by: str, what: str) -> None:
    """Maker–checker: the user who entered `what` may not decide it."""
    if entered_by and actor.username == entered_by:
        raise PermissionDenied(f"{what}由您本人录入，不能由您本人决定，请由另一位审核人员办理。")
