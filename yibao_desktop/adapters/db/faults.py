"""What went wrong with the database, in Chinese, with the way forward — never SQL text, a password or personal data.

`explain()` turns a driver error (SQLite or PostgreSQL) into a DatabaseUnavailable; `check_sqlite_file()` refuses a
path before anything is opened (a folder, a missing file without --create, a read-only or immutable file).
"""

from __future__ import annotations

import os
from pathlib import Path

from yibao_desktop.domain.errors import DomainError

RESTORE_HINT = (
    "可从备份恢复（文件 → 备份与恢复，或命令 yibao-desktop restore 备份文件），或用 --db 打开另一个数据库文件"
)


class DatabaseUnavailable(DomainError):
    """The database cannot be opened or written; the message says why and what to do (CLI exit code 2)."""


class DatabaseMissing(DatabaseUnavailable):
    """A --db file that does not exist (a mistyped path is never created silently)."""


def _place(url) -> str:
    """The file path or the PostgreSQL server/database, never the password."""
    if url is None:
        return "数据库"
    if url.get_backend_name() == "sqlite":
        return f"数据库文件“{url.database}”"
    return f"PostgreSQL 服务器 {url.host or 'localhost'} 上的数据库“{url.database}”"


def explain(err: BaseException, url=None) -> DatabaseUnavailable:
    """A Chinese explanation of a driver error (the original stays in the log through `raise … from err`)."""
    text = str(getattr(err, "orig", None) or err).lower()
    where = _place(url)
    if "file is not a database" in text or "malformed" in text or "not a database" in text:
        return DatabaseUnavailable(f"{where}已损坏或不是本程序的数据库，无法打开。{RESTORE_HINT}。")
    if "locked" in text or "busy" in text:
        return DatabaseUnavailable(
            f"{where}正被其他程序占用（锁定），暂时无法写入。请关闭使用该文件的其他程序后再试；"
            "多台电脑共用数据时请改用 PostgreSQL。"
        )
    if "readonly" in text or "read-only" in text or "permission denied" in text or "operation not permitted" in text:
        return DatabaseUnavailable(
            f"{where}是只读的（或所在文件夹不可写），不能写入。请检查文件属性和文件夹权限"
            "（不可修改的文件需由管理员解除），或把数据库复制到可写的位置后用 --db 打开。"
        )
    if "disk is full" in text or "no space" in text or "disk full" in text:
        return DatabaseUnavailable(f"{where}所在磁盘已满，本次操作没有写入任何数据。请清理磁盘空间后再试。")
    if "disk i/o error" in text or "input/output" in text:
        return DatabaseUnavailable(
            f"读写{where}时发生磁盘错误，本次操作没有写入。请检查磁盘或网络连接；{RESTORE_HINT}。"
        )
    if "unable to open" in text:
        return DatabaseUnavailable(
            f"无法打开{where}：文件夹不存在、不可访问或文件名无效。请检查路径，或用 --db 指定另一个数据库文件。"
        )
    if "password authentication failed" in text or "authentication" in text:
        return DatabaseUnavailable(f"{where}拒绝登录：数据库用户名或密码不正确。请向系统管理员确认连接设置。")
    if "does not exist" in text and "database" in text:
        return DatabaseUnavailable(f"{where}不存在。请向系统管理员确认数据库名称，或请其先建立该数据库。")
    if (
        "connection refused" in text
        or "could not connect" in text
        or "timeout" in text
        or "timed out" in text
        or "could not translate host name" in text
        or "connection" in text
    ):
        return DatabaseUnavailable(f"连接不上{where}。请检查网络和服务器是否开启，或联系系统管理员。")
    return DatabaseUnavailable(
        f"{where}出现错误（{type(getattr(err, 'orig', None) or err).__name__}），本次操作没有写入。"
        f"详细信息已写入日志文件。{RESTORE_HINT}，或联系系统管理员。"
    )


def _immutable(path: Path) -> bool:
    """Linux `chattr +i` (FS_IMMUTABLE_FL): even root cannot write such a file."""
    try:
        import fcntl
        import struct

        with open(path, "rb") as fh:
            flags = struct.unpack("l", fcntl.ioctl(fh.fileno(), 0x80086601, struct.pack("l", 0)))[0]  # FS_IOC_GETFLAGS
        return bool(flags & 0x10)
    except (OSError, ImportError):
        return False


def check_sqlite_file(path: Path, create: bool) -> None:
    """Refuse before opening: a folder, a missing file (unless `create`), a read-only or immutable file."""
    if path.is_dir():
        raise DatabaseUnavailable(
            f"“{path}”是一个文件夹，不是数据库文件。请在 --db 中给出数据库文件的完整路径（例如 …\\yibao.sqlite3）。"
        )
    if not path.exists():
        if not create:
            raise DatabaseMissing(
                f"数据库文件“{path}”不存在。请检查路径是否输入正确；如确要新建一个空数据库，"
                "请加上 --create（或使用 demo、migrate 命令）。"
            )
        parent = path.parent
        if parent.exists() and not os.access(parent, os.W_OK):
            raise DatabaseUnavailable(f"文件夹“{parent}”不可写，不能在其中新建数据库。请选择另一个位置。")
        return
    if _immutable(path) or not os.access(path, os.W_OK):
        raise DatabaseUnavailable(
            f"数据库文件“{path}”是只读的（或被设为不可修改），不能写入。请检查文件属性"
            "（不可修改的文件需由管理员解除），或把数据库复制到可写的位置后用 --db 打开。"
        )
    if not os.access(path.parent, os.W_OK):
        raise DatabaseUnavailable(
            f"数据库所在文件夹“{path.parent}”不可写（SQLite 需要在其中写日志文件）。请检查文件夹权限。"
        )
