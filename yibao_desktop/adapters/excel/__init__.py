"""Excel adapters: roster templates, validating readers, error reports and exports — bytes in, bytes out."""

from .columns import (
    AGREEMENT_STATUS_CHOICES,
    AGREEMENT_TYPE_CHOICES,
    CIRCUMSTANCE_CHOICES,
    DECISION_KIND_CHOICES,
    DUPLICATE_KEYS,
    INSTITUTION_KIND_CHOICES,
    OWNERSHIP_CHOICES,
    REGISTRATION_STATUS_CHOICES,
    RESPONSIBILITY_CHOICES,
    ROSTER_KINDS,
    ROSTER_TITLES,
    SEX_CHOICES,
    Column,
    column_by_header,
    columns,
    roster_title,
)
from .errors import Cancelled, FileRefused
from .model import Problem, RosterRead
from .reader import read_roster
from .report import write_error_report
from .safety import check_xlsx
from .template import write_template
from .writer import write_roster, write_table

__all__ = [
    "AGREEMENT_STATUS_CHOICES",
    "AGREEMENT_TYPE_CHOICES",
    "CIRCUMSTANCE_CHOICES",
    "DECISION_KIND_CHOICES",
    "DUPLICATE_KEYS",
    "INSTITUTION_KIND_CHOICES",
    "OWNERSHIP_CHOICES",
    "REGISTRATION_STATUS_CHOICES",
    "RESPONSIBILITY_CHOICES",
    "SEX_CHOICES",
    "ROSTER_KINDS",
    "ROSTER_TITLES",
    "Cancelled",
    "Column",
    "FileRefused",
    "Problem",
    "RosterRead",
    "check_xlsx",
    "column_by_header",
    "columns",
    "read_roster",
    "roster_title",
    "write_error_report",
    "write_roster",
    "write_table",
    "write_template",
]
