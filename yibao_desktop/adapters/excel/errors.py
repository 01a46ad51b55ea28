"""Errors raised by the Excel adapters."""

from __future__ import annotations

from yibao_desktop.domain.errors import DomainError


class FileRefused(DomainError):
    """The whole file cannot be read (wrong format, damaged, unsafe, too large); message is Chinese."""


class Cancelled(Exception):  # noqa: N818 - the name the services and GUI use
    """The caller's cancelled() returned True while a roster was being read."""
