"""One writer program per SQLite file: an exclusive lock file held while the window is open."""

from __future__ import annotations

import os
from pathlib import Path

from yibao_desktop.domain.errors import DomainError


class DatabaseLock:
    """Holds `<db>.lock`; a second program on the same file is refused with a Chinese message."""

    def __init__(self, db_path: Path):
        self.path = Path(f"{db_path}.lock")
        self._fh = None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise DomainError naming the file."""
        fh = open(self.path, "a+")  # noqa: SIM115 - kept open for the life of the program
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            fh.close()
            raise DomainError(
                f"数据库“{self.path.with_suffix('')}”正被另一个已打开的医保定点管理程序使用。"
                "请先关闭另一个窗口；多台电脑共用数据时请改用 PostgreSQL。"
            ) from err
        self._fh = fh
        return self

    def release(self) -> None:
        """Give the lock back (also happens when the process ends)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
