"""All ORM models in one import (the tables live in models_* by area)."""

from .base import Base, Versioned
from .models_institutions import (
    Agreement,
    AgreementEvent,
    AgreementEventPerson,
    Application,
    ApplicationCheck,
    ApplicationMaterial,
    Institution,
)
from .models_persons import (
    Appeal,
    Commendation,
    CopyReport,
    Disposition,
    Person,
    Registration,
    Repair,
    Restoration,
    ScoreEntry,
    StatusPeriod,
)
from .models_settlement import ClaimCheckRun, ClaimFinding, ClaimMapping
from .models_system import AuditEntry, DocSerial, Document, Setting, User

__all__ = [
    "Base",
    "Versioned",
    "Agreement",
    "AgreementEvent",
    "AgreementEventPerson",
    "Application",
    "ApplicationCheck",
    "ApplicationMaterial",
    "Institution",
    "Appeal",
    "Commendation",
    "CopyReport",
    "Disposition",
    "Person",
    "Registration",
    "Repair",
    "Restoration",
    "ScoreEntry",
    "StatusPeriod",
    "AuditEntry",
    "ClaimCheckRun",
    "ClaimFinding",
    "ClaimMapping",
    "DocSerial",
    "Document",
    "Setting",
    "User",
]
