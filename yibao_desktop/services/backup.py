"""Backups and restore: verified copies of the SQLite file (online backup API, integrity check and a checksum file),
taken daily at opening, before every migration and restore; pruned to 7 daily, 4 weekly and 12 monthly.
PostgreSQL goes through pg_dump / pg_restore when they are installed (services/backup_pg.py), with the same checksum
file; a shared server is backed up or restored only by a signed-in user with the maintenance permission.

A backup is written as `<name>.part`, checked, then renamed; its `<name>.json` records size and SHA-256. A copy cut
short (killed, disk full) therefore never looks like a backup: it has no checksum file or its checksum differs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from yibao_desktop import paths
from yibao_desktop.adapters.db.checkpoint import wait_for_checkpoints
from yibao_desktop.domain.errors import DomainError, PermissionDenied
from yibao_desktop.services import backup_pg

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

SUFFIXES = (".sqlite3", ".dump")  # the files the backup folder lists: SQLite copies and pg_dump archives

REASONS = {"daily": "每日自动", "migrate": "升级前", "restore": "恢复前", "manual": "手动"}
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the folder, as the 备份与恢复 list shows it."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    verified: bool  # its checksum file exists and matches

    @property
    def reason_label(self) -> str:
        """Chinese label of why it was taken."""
        return REASONS.get(self.reason, self.reason)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def check_sqlite_copy(path: Path) -> str:
    """integrity_check of a database copy and its schema revision; refuses what is not a whole yibao database."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = (
                con.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        raise DomainError(f"备份文件“{path.name}”已损坏或不是数据库文件，不能使用。") from err
    if result != "ok":
        raise DomainError(f"备份文件“{path.name}”未通过完整性检查（{result[:60]}），不能使用。")
    if not revision or "institutions" not in tables:
        raise DomainError(f"文件“{path.name}”不是本程序的完整数据库（缺少结构版本或数据表），不能使用。")
    return revision[0]


def _finish(part: Path, target: Path, reason: str, now: datetime, source: str, **extra: str) -> None:
    """Record a checked copy's size and SHA-256 beside it, then rename it into place (a copy without this is unfinished)."""
    meta = {
        "sha256": _sha256(part),
        "size": part.stat().st_size,
        **extra,
        "reason": reason,
        "taken_at": now.isoformat(timespec="seconds"),
        "source": source,
    }
    _meta_path(target).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(part, target)


def backup_sqlite(db_path: Path, reason: str = "manual", out: Path | None = None, now: datetime | None = None) -> Path:
    """A verified copy of the live file (other programs may keep reading and writing meanwhile)."""
    now = now or datetime.now()
    target = out or paths.backup_dir() / f"{db_path.stem}-{now:%Y%m%d-%H%M%S}-{reason}{db_path.suffix or '.sqlite3'}"
    if target.resolve() == db_path.resolve():
        raise DomainError("备份文件不能与数据库文件相同。")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(db_path, timeout=5)
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (no -wal beside it)
        finally:
            dst.close()
            src.close()
        _finish(part, target, reason, now, str(db_path), revision=check_sqlite_copy(part))
    except sqlite3.DatabaseError as err:
        part.unlink(missing_ok=True)
        from yibao_desktop.adapters.db.faults import explain

        raise explain(err) from err
    except OSError as err:
        part.unlink(missing_ok=True)
        raise DomainError(
            f"备份写入“{target.parent}”失败（{err.strerror or err}）。请检查备份文件夹是否可写、磁盘是否已满。"
        ) from err
    return target


def verify_backup(path: Path) -> str:
    """Check a backup before using it: its checksum file (when it has one) and the database itself; its revision
    (a pg_dump archive: "postgresql")."""
    if not path.is_file():
        raise DomainError(f"备份文件“{path}”不存在。")
    meta = _meta_path(path)
    if meta.is_file():
        recorded = json.loads(meta.read_text(encoding="utf-8"))
        if path.stat().st_size != recorded.get("size") or _sha256(path) != recorded.get("sha256"):
            raise DomainError(
                f"备份文件“{path.name}”不完整或已被改动（与备份时记录的校验值不符），不能使用。请选择另一个备份。"
            )
    elif path.parent.resolve() == paths.backup_dir().resolve():
        raise DomainError(f"备份文件“{path.name}”缺少校验记录（可能在备份过程中被中断），不能使用。请选择另一个备份。")
    if backup_pg.is_dump(path):
        backup_pg.check_dump(path)
        return "postgresql"
    return check_sqlite_copy(path)


def database_of(path: Path) -> str:
    """The name of the database a backup file was taken of (its name before -YYYYMMDD-HHMMSS-reason)."""
    return path.stem.rsplit("-", 3)[0]


def _parse(path: Path) -> tuple[datetime, str] | None:
    parts = path.stem.rsplit("-", 3)
    if len(parts) != 4:
        return None
    try:
        return datetime.strptime(f"{parts[1]}{parts[2]}", "%Y%m%d%H%M%S"), parts[3]
    except ValueError:
        return None


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    """The backups in the folder, newest first (unfinished `.part` files are not backups)."""
    folder = folder or paths.backup_dir()
    found = []
    for p in (p for suffix in SUFFIXES for p in folder.glob(f"*{suffix}")):
        parsed = _parse(p)
        if parsed is None:
            continue
        meta = _meta_path(p)
        ok = False
        if meta.is_file():
            try:
                ok = json.loads(meta.read_text(encoding="utf-8")).get("size") == p.stat().st_size
            except (ValueError, OSError):
                ok = False
        found.append(BackupInfo(p, parsed[0], parsed[1], p.stat().st_size, ok))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def to_keep(taken: list[datetime]) -> set[datetime]:
    """The prune policy: the newest backup of each of the last 7 days, 4 ISO weeks and 12 months that have one."""
    keep: set[datetime] = set()
    for key, count in (
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    ):
        newest: dict = {}
        for t in sorted(taken, reverse=True):
            newest.setdefault(key(t), t)
        keep.update(sorted(newest.values(), reverse=True)[:count])
    return keep


def prune(folder: Path | None = None) -> list[Path]:
    """Delete backups the policy does not keep, unfinished copies and stray checksum files; returns what went."""
    folder = folder or paths.backup_dir()
    gone = []
    for part in folder.glob("*.part"):
        part.unlink(missing_ok=True)
        gone.append(part)
    backups = list_backups(folder)
    keep: set[Path] = set()
    for name in {database_of(b.path) for b in backups}:  # each database's backups by the policy of their own
        mine = [b for b in backups if database_of(b.path) == name and b.verified]
        kept = to_keep([b.taken_at for b in mine])
        keep |= {b.path for b in mine if b.taken_at in kept}
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            _meta_path(b.path).unlink(missing_ok=True)
            gone.append(b.path)
    for meta in (m for suffix in SUFFIXES for m in folder.glob(f"*{suffix}.json")):
        if not meta.with_name(meta.name.removesuffix(".json")).exists():
            meta.unlink(missing_ok=True)
    return gone


def daily_backup(db_path: Path, today: date | None = None) -> Path | None:
    """Once a day at opening: a backup when there is none of today yet (then prune)."""
    today = today or date.today()
    if any(b.taken_at.date() == today and b.verified and database_of(b.path) == db_path.stem for b in list_backups()):
        return None
    made = backup_sqlite(db_path, "daily")
    prune()
    return made


def restore_sqlite(db_path: Path, backup: Path) -> Path | None:
    """Put a verified backup in place of the database (after backing the current state up, when it still opens).

    The caller holds the database's lock and has closed its own connections; the file is replaced in one rename."""
    if backup_pg.is_dump(backup):
        raise DomainError(f"“{backup.name}”是 PostgreSQL 数据库的备份，不能恢复到 SQLite 数据库文件。")
    verify_backup(backup)
    wait_for_checkpoints()  # no background copy may still write to the files replaced below
    saved = None
    if db_path.exists():
        try:
            saved = backup_sqlite(db_path, "restore")
        except DomainError:  # the current file is damaged: keep it aside as it is, so nothing is ever lost
            saved = db_path.with_name(f"{db_path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
            shutil.copy2(db_path, saved)
    part = db_path.with_name(db_path.name + ".restore.part")
    part.unlink(missing_ok=True)
    src = sqlite3.connect(backup)
    dst = sqlite3.connect(part)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    check_sqlite_copy(part)
    for extra in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{extra}").unlink(missing_ok=True)
    os.replace(part, db_path)
    return saved


# -- one call per button / command ---------------------------------------------------------------------------------


def check_may_maintain(url: str, ctx: AppContext | None = None) -> None:
    """Who may back up or restore. A signed-in user needs the maintenance permission; a shared PostgreSQL server is
    only backed up or restored by such a user (its dump holds every office's data). An SQLite file is guarded by
    the file itself: its restore has to work when the database no longer opens and nobody can sign in."""
    from sqlalchemy.engine import make_url

    from yibao_desktop.domain.permissions import Permission, require

    if ctx is not None and ctx.actor is not None:
        require(ctx, Permission.MAINTENANCE)
    elif make_url(url).get_backend_name() != "sqlite":
        raise PermissionDenied(
            "共用的 PostgreSQL 数据库只能由具有“维护数据库”权限的用户备份或恢复：请登录后再操作"
            "（命令行：--user 用户名）。"
        )


def backup_database(url: str, out: Path | None = None, ctx: AppContext | None = None) -> Path:
    """立即备份 / `yibao-desktop backup [OUT]`: a verified SQLite copy or a pg_dump archive with its checksum file
    (into the backup folder, then pruned). `ctx`: the signed-in user (required for PostgreSQL)."""
    from sqlalchemy.engine import make_url

    from yibao_desktop.adapters.db.faults import check_sqlite_file

    check_may_maintain(url, ctx)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = Path(u.database or "")
        check_sqlite_file(path, create=False)
        made = backup_sqlite(path, "manual", out=out)
    else:
        made = backup_postgresql(u, "manual", out)
    if out is None:
        prune()
    return made


def restore_database(url: str, file: Path, ctx: AppContext | None = None) -> Path | None:
    """从备份恢复 / `yibao-desktop restore FILE`: the backup is checked, the current state backed up, then replaced;
    returns that backup. SQLite: the caller holds the file's lock and has closed its connections; PostgreSQL: the
    caller has closed its connections. The next opening migrates an older backup."""
    from sqlalchemy.engine import make_url

    check_may_maintain(url, ctx)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return restore_sqlite(Path(u.database or ""), file)
    if not backup_pg.is_dump(file):
        raise DomainError(
            f"“{file.name}”不是 PostgreSQL 数据库的备份（pg_dump 自定义格式），不能恢复到服务器上的数据库。"
        )
    verify_backup(file)
    before = backup_postgresql(u, "restore")
    backup_pg.restore(u, file)
    return before


def backup_postgresql(url, reason: str, out: Path | None = None, now: datetime | None = None) -> Path:
    """pg_dump of the database (default: into the backup folder), checked and recorded like an SQLite copy."""
    now = now or datetime.now()
    target = out or paths.backup_dir() / f"{url.database}-{now:%Y%m%d-%H%M%S}-{reason}.dump"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        backup_pg.dump(url, part)
        backup_pg.check_dump(part)
        _finish(part, target, reason, now, f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}")
    except OSError as err:
        part.unlink(missing_ok=True)
        raise DomainError(
            f"备份写入“{target.parent}”失败（{err.strerror or err}）。请检查备份文件夹是否可写、磁盘是否已满。"
        ) from err
    except DomainError:
        part.unlink(missing_ok=True)
        raise
    return target
