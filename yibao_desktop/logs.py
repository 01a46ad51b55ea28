"""The program's log: a rotating file in the user data folder, where tracebacks go instead of the clerk's screen.

Nothing personal reaches it in plain text: ID numbers, mobile numbers and passwords in connection URLs are
scrubbed from every message and traceback (`scrub`), and the same function cleans any text shown to a clerk."""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "yibao-desktop.log"
MAX_BYTES, KEEP_FILES = 2_000_000, 5

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_URL_PASSWORD = re.compile(r"(\w[\w+.-]*://[^:/@\s]+):([^@\s]+)@")
_PASSWORD_KV = re.compile(r"(?i)(password|passwd|pwd|口令|密码)(\s*[=:：]\s*)(\S+)")


def scrub(text: str) -> str:
    """Mask ID numbers (first 6 digits kept), mobile numbers (3 + 4), URL and key=value passwords."""
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    text = _PASSWORD_KV.sub(r"\1\2***", text)
    text = _ID.sub(lambda m: f"{m.group(1)}{'*' * 12}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


class ScrubbingFormatter(logging.Formatter):
    """Formats as usual (traceback included), then scrubs the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        """The scrubbed line(s)."""
        return scrub(super().format(record))


def log_path() -> Path:
    """The current log file."""
    from yibao_desktop.paths import log_dir

    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Attach the rotating file (once per process); returns its path, None when the folder is not writable."""
    root = logging.getLogger()
    for h in root.handlers:
        if getattr(h, "yibao", False):
            return Path(getattr(h, "baseFilename", ""))
    try:
        path = log_path()
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP_FILES, encoding="utf-8")
    except OSError:
        return None
    handler.yibao = True  # type: ignore[attr-defined]
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"))
    root.addHandler(handler)
    logging.getLogger("yibao_desktop").setLevel(level)
    return path


def log_unexpected(exc: BaseException, where: str) -> Path | None:
    """Write an unexpected error with its traceback to the log; returns the log file for the clerk's message."""
    path = setup_logging()
    logging.getLogger("yibao_desktop").error(
        "unexpected error in %s", where, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return path


def install_excepthook(show) -> None:
    """Last resort for the GUI: `show(short Chinese text)` instead of a traceback on stderr or a silent failure."""

    def hook(kind, exc, tb):  # noqa: ANN001
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        path = log_unexpected(exc, "gui")
        try:
            show(
                f"程序遇到了意外错误，当前操作可能没有完成（已保存的数据不受影响）。\n详细信息已写入日志文件：\n{path}\n"
                "如问题重复出现，请把该文件发给系统管理员。"
            )
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            pass

    sys.excepthook = hook
