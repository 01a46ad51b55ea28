"""Errors raised by the Excel adapters."""

from __future__ import annotations

from yibao_desktop.domain.errors import Cancelled, DomainError  # noqa: F401 - Cancelled re-exported


class FileRefused(DomainError):
    """The whole file cannot be read (wrong format, damaged, unsafe, too large); message is Chinese."""
