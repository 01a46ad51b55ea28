"""Excel adapters: roster templates, validating readers, error reports and exports — bytes in, bytes out."""

from .columns import (
    ROSTER_KINDS,
    ROSTER_TITLES,
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
