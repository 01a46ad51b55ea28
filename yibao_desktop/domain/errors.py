"""Domain errors: every refusal carries a Chinese message a clerk can act on."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule was broken; `message` is Chinese text for the clerk, `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The record asked for does not exist."""


class StaleEdit(DomainError):
    """Another clerk saved the record after it was opened here."""


class PermissionDenied(DomainError):
    """The current user's role may not perform this action."""


class Cancelled(Exception):  # noqa: N818 - the plain word reads best at every call site
    """The clerk cancelled a long task (import, batch print) between two rows or documents."""
