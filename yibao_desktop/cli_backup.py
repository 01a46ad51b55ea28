"""`yibao-desktop backup [OUT]`, `backup --list` and `restore FILE`: argument parsing and printing only; the work is
in services/backup.py. These commands open the SQLite file themselves, because a damaged database (which cannot
be opened the ordinary way) is exactly when a restore is needed; on a shared PostgreSQL server the command's user
(--user) signs in first and needs the maintenance permission."""

from __future__ import annotations

from pathlib import Path

COMMANDS = ("backup", "restore")


def add_arguments(sub) -> None:
    """The backup and restore subcommands."""
    b = sub.add_parser("backup", help="备份数据库（SQLite：校验过的副本；PostgreSQL：pg_dump）")
    b.add_argument("out", nargs="?", help="备份文件（默认放在备份文件夹中，按每日7份、每周4份、每月12份保留）")
    b.add_argument("--list", action="store_true", help="列出备份文件夹中的备份")
    r = sub.add_parser("restore", help="从备份恢复数据库（先自动备份当前数据）")
    r.add_argument("file")


def size_text(size: int) -> str:
    """1.2 MB / 340 KB, as the list shows sizes."""
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(size // 1000, 1)} KB"


def run(args) -> int:
    """Dispatch backup / restore (DomainError goes back to cli.run, which prints it and exits 2)."""
    from yibao_desktop.bootstrap import build_context, resolve_db_url, sqlite_path
    from yibao_desktop.services import backup as svc

    url = resolve_db_url(args.db)
    if args.command == "backup" and args.list:
        for b in svc.list_backups():
            state = "已校验" if b.verified else "不完整"
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}\t{b.reason_label}\t{size_text(b.size)}\t{state}\t{b.path}")
        return 0
    path = sqlite_path(url)
    ctx = None
    if path is None:  # a shared server: the command's user signs in (the service asks for the permission)
        from yibao_desktop.cli_accounts import sign_in_for

        ctx = build_context(url, create=False, backup=False)
        sign_in_for(ctx, args)
        ctx.engine.dispose()
    if args.command == "backup":
        made = svc.backup_database(url, Path(args.out) if args.out else None, ctx)
        print(f"已备份并校验：{made}（{size_text(made.stat().st_size)}）")
        return 0
    lock = None
    if path is not None:
        from yibao_desktop.adapters.db.lock import DatabaseLock

        lock = DatabaseLock(path).acquire()  # the GUI open on this file would keep the old data: refuse instead
    try:
        saved = svc.restore_database(url, Path(args.file), ctx)
        if path is not None:
            build_context(str(path), create=False, backup=False).engine.dispose()  # an older backup is migrated now
    finally:
        if lock is not None:
            lock.release()
    print(f"已从 {args.file} 恢复数据库 {path or '（PostgreSQL）'}。")
    if saved is not None:
        print(f"恢复前的数据已保存为：{saved}")
    return 0
