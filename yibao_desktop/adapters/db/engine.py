"""Engine and session factory: SQLite with foreign keys, WAL and busy timeout; PostgreSQL by URL."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import sessionmaker

from .faults import DatabaseUnavailable

# File systems on which SQLite's locking is not reliable (SMB/CIFS, NFS, FUSE mounts of gvfs, sshfs, NAS clients).
NETWORK_FS = {
    "cifs",
    "smb3",
    "smbfs",
    "nfs",
    "nfs4",
    "9p",
    "afs",
    "ncpfs",
    "davfs",
    "fuse.sshfs",
    "fuse.gvfsd-fuse",
    "fuse.rclone",
    "fuse.smbnetfs",
    "fuse.davfs2",
    "glusterfs",
    "ceph",
    "fuse.ceph",
}


def sqlite_url(path: Path | str) -> str:
    """URL of an SQLite file; any character of the path survives (Chinese, %, #, ?, spaces)."""
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def _mount_type(path: str, mounts: str | None) -> str:
    """The file-system type of the mount holding `path` (longest mount point in /proc/mounts)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    best, kind = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def _windows_remote(path: str) -> bool:
    """A mapped network drive on Windows (GetDriveTypeW == DRIVE_REMOTE)."""
    if os.name != "nt":
        return False
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(path))[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # type: ignore[attr-defined]


def is_network_path(path: str, mounts: str | None = None) -> bool:
    """UNC paths, gvfs/NAS mounts and mounted SMB/NFS shares."""
    if path.startswith(("\\\\", "//")):
        return True
    if "/gvfs/" in path or "/mnt/smb" in path:
        return True
    return _mount_type(path, mounts) in NETWORK_FS or _windows_remote(path)


def _refuse_network_path(path: str) -> None:
    """SQLite on a network share corrupts under concurrent use; point the office to PostgreSQL instead."""
    if is_network_path(path):
        raise DatabaseUnavailable(
            f"数据库文件“{path}”位于网络共享上，SQLite 不能在网络共享上安全使用。"
            "多台电脑共用数据时，请在设置中填写 PostgreSQL 服务器地址；单机使用请把数据库放在本机磁盘上。",
            field="db",
        )


def make_engine(url: str | URL) -> Engine:
    """Build the engine for a database URL, configuring SQLite connections for safe local use."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if path and path != ":memory:":
            _refuse_network_path(path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI connection
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=15000")
            if path and path != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def make_session_factory(engine: Engine) -> sessionmaker:
    """Session factory bound to the engine; objects stay readable after commit (DTOs are built inside anyway)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
