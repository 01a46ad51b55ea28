"""PostgreSQL backups through the client tools: pg_dump -Fc into a file, pg_restore --clean back. The connection's
password goes to the tools in the environment, never on the command line; what the tools print goes to the log only
(it can name tables and rows). services/backup.py decides who may do it, names, checksums and lists the files."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

from yibao_desktop.adapters.db.faults import DatabaseUnavailable
from yibao_desktop.domain.errors import DomainError

MAGIC = b"PGDMP"  # the first bytes of every pg_dump custom-format archive
log = logging.getLogger("yibao_desktop")


def _libpq(url) -> tuple[list[str], dict]:
    """Connection arguments for the pg tools with the password in the environment (never on the command line)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseUnavailable(
            f"本机没有安装 PostgreSQL 工具 {name}，无法备份或恢复服务器上的数据库。请安装 PostgreSQL 客户端工具"
            f"（Debian：apt-get install postgresql-client），或请服务器管理员用 pg_dump -Fc / pg_restore 定期备份。"
        )
    return found


def dump(url, part: Path) -> None:
    """pg_dump -Fc of the database into `part` (the caller checks it and renames it into place)."""
    args, env = _libpq(url)
    done = subprocess.run(
        [_tool("pg_dump"), *args, "-Fc", "-f", str(part), url.database], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        part.unlink(missing_ok=True)
        log.error("pg_dump failed (%s): %s", done.returncode, done.stderr[-2000:])
        raise DatabaseUnavailable("pg_dump 备份失败，请联系服务器管理员（详细信息已写入日志文件）。")


def is_dump(path: Path) -> bool:
    """Whether the file starts like a pg_dump custom-format archive."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def check_dump(path: Path) -> None:
    """A whole pg_dump archive: the right header and a table of contents pg_restore can read."""
    if not is_dump(path):
        raise DomainError(
            f"文件“{path.name}”不是 PostgreSQL 数据库的备份（pg_dump 自定义格式），不能恢复到 PostgreSQL 数据库。"
        )
    done = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if done.returncode != 0 or not re.search(r"TABLE DATA \S+ institutions ", done.stdout):
        log.error("pg_restore --list %s failed (%s): %s", path.name, done.returncode, done.stderr[-2000:])
        raise DomainError(f"备份文件“{path.name}”已损坏或不是本程序的数据库备份，不能使用。")


def restore(url, path: Path) -> None:
    """pg_restore --clean of a checked pg_dump archive into the database."""
    args, env = _libpq(url)
    done = subprocess.run(
        [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "-d", url.database, str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        log.error("pg_restore failed (%s): %s", done.returncode, done.stderr[-2000:])
        raise DatabaseUnavailable("pg_restore 恢复失败，请联系服务器管理员（详细信息已写入日志文件）。")
