"""Plain results of reading a roster: Problem and RosterRead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol


class Problem(NamedTuple):
    """One finding: Excel row (header = 1, 0 = whole file), Chinese column header or '', Chinese message.

    Immutable like a frozen dataclass, four times cheaper to build: a city roster can carry 60,000 warnings."""

    row: int
    column: str
    message: str
    severity: str = "error"


@dataclass
class RosterRead:
    """What a roster file holds: parsed rows (with '_row'), every problem found, and the count of data rows.

    `rows` may leave out the rows with errors (read_roster's keep_rows_with_errors); total_rows counts them all."""

    kind: str
    rows: list[dict]
    problems: list[Problem]
    total_rows: int
    headers: list[str] = field(default_factory=list)
    complete: bool = True  # False when the check stopped early at the error limit: nothing may be imported

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity 'error'."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def error_rows(self) -> set[int]:
        """Excel row numbers that have at least one error."""
        return {p.row for p in self.problems if p.severity == "error"}

    def valid_rows(self) -> list[dict]:
        """Rows without any error (warnings allowed)."""
        bad = self.error_rows
        return [r for r in self.rows if r["_row"] not in bad]


class RowSink(Protocol):
    """Takes the checked rows of a roster while it is still being read (read_roster's `sink`): the import plans
    each block against the database while calamine parses the next slice on the other core."""

    def start(self, expected_rows: int) -> None:
        """A (new) pass over the sheet begins, of about `expected_rows` data rows: forget any rows taken before."""

    def take(self, rows: list[dict], problems: list[Problem]) -> None:
        """The rows just checked (in sheet order) and the problems found with them."""
