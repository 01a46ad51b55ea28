"""The one explicit AppContext handed to every service call (no module-level state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from yibao_desktop.adapters.db.uow import UnitOfWork
from yibao_desktop.domain.calendar import WorkCalendar
from yibao_desktop.domain.permissions import Actor
from yibao_desktop.domain.policy import PolicyProfile


@dataclass
class OfficeSettings:
    """Office-level settings stored in the database (see services.settings)."""

    office_name: str = "揭阳市医疗保障事业管理中心"
    admin_department: str = "揭阳市医疗保障局"
    seal_text: str = ""
    contact_person: str = ""  # 联系人 printed on institution notices (required before the first one is issued)
    contact_phone: str = ""  # 联系电话 of the office, same
    office_address: str = ""  # 通讯地址 for written objections (printed on the publicity when given)
    doc_prefix: str = "揭"
    profile: str = "national"
    holiday_table: str = ""
    review_required: bool = True
    coordinate_system: str = "GCJ-02"
    font_path: str = ""
    printer_offset_x_mm: float = 0.0
    printer_offset_y_mm: float = 0.0


@dataclass
class AppContext:
    """Settings, database, policy profile, calendar and the signed-in user of one program run."""

    engine: Engine
    session_factory: sessionmaker
    settings: OfficeSettings
    profile: PolicyProfile
    calendar: WorkCalendar
    actor: Actor | None = None  # nobody is signed in until login (no implicit administrator)
    db_label: str = ""
    extras: dict[str, Any] = field(default_factory=dict)
    clock: Callable[[], date] = date.today

    def today(self) -> date:
        """Today's date (tests fix it through `clock`)."""
        return self.clock()

    @property
    def username(self) -> str:
        """The signed-in user's name ("" before login)."""
        return self.actor.username if self.actor else ""

    @property
    def role(self) -> str:
        """The signed-in user's role code ("" before login)."""
        return self.actor.role.value if self.actor else ""

    def uow(self) -> UnitOfWork:
        """A new unit of work for one user action, on behalf of the signed-in user."""
        from .audit import start_capture  # local: audit imports the models, context is imported everywhere

        return UnitOfWork(self.session_factory, self.username, self.actor, on_enter=(start_capture,))
