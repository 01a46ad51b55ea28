"""Reading and saving office settings (key/value rows) and applying them to the context."""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Setting
from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.policy import PROFILE_NAMES

from .audit import audit
from .context import AppContext, OfficeSettings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def load_settings(session: Session) -> OfficeSettings:
    """Office settings from the database, defaults for what is missing."""
    stored = {s.key: s.value for s in session.scalars(select(Setting))}
    values: dict[str, Any] = {}
    for f in fields(OfficeSettings):
        if f.name not in stored:
            continue
        raw = stored[f.name]
        if f.type in ("bool", bool):
            values[f.name] = raw == "1"
        elif f.type in ("float", float):
            values[f.name] = float(raw or 0)
        else:
            values[f.name] = raw
    return OfficeSettings(**values)


def calendar_from_settings(settings: OfficeSettings) -> WorkCalendar:
    """A working-day calendar with the office's own holiday table applied."""
    return WorkCalendar.from_table(settings.holiday_table or "")


_PHONE = re.compile(r"[0-9０-９（）()\-－ ]{7,20}(?:[转,，][0-9]{1,6})?")


def _check_contact(new: OfficeSettings) -> None:
    """The office's 联系电话 must look like a phone number (it is printed on every institution notice)."""
    phone = new.contact_phone.strip()
    if phone and not _PHONE.fullmatch(phone):
        raise DomainError("联系电话格式不对，应为如 0663-8888888 或 13800138000 的号码。", field="contact_phone")


def save_settings(ctx: AppContext, new: OfficeSettings) -> None:
    """Validate and store settings, then refresh calendar and profile in the context."""
    require(ctx, Permission.SETTINGS)
    if new.review_required != ctx.settings.review_required:
        require(ctx, Permission.REVIEW_SWITCH)  # audited below with the old and new value
    if not new.office_name.strip():
        raise DomainError("经办机构名称不能为空。", field="office_name")
    if new.profile not in PROFILE_NAMES:
        raise DomainError(f"未知的政策配置“{new.profile}”。", field="profile")
    _check_contact(new)
    calendar = calendar_from_settings(new)  # raises with the bad line number
    with ctx.uow() as uow:
        existing = {s.key: s for s in uow.session.scalars(select(Setting))}
        for key, value in asdict(new).items():
            text = ("1" if value else "0") if isinstance(value, bool) else str(value)
            row = existing.get(key)
            if row is None:
                uow.session.add(Setting(key=key, value=text))
            elif row.value != text:
                row.value = text
        switched = new.review_required != ctx.settings.review_required
        audit(
            uow,
            "settings.save",
            "settings",
            None,
            f"审核环节：{'关闭 → 开启' if new.review_required else '开启 → 关闭'}" if switched else "",
        )
        uow.commit()
    from .profiles import load_profile  # local: avoids a cycle with bootstrap

    ctx.settings = new
    ctx.calendar = calendar
    ctx.profile = load_profile(new.profile)
