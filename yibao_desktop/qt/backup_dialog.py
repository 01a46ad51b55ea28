"""文件 → 备份与恢复: the backups of this database with dates, reasons, sizes and whether they verify; back up now,
restore the selected backup or another file (the current state is backed up first), choose the backup folder.
It also opens when the database itself could not be opened, which is when a restore is needed most."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QPushButton, QTableView

from yibao_desktop.domain.errors import DomainError

from . import ask
from .table_model import Column, RowTableModel, show_model
from .uiload import child, load_ui


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(size // 1000, 1)} KB"


COLUMNS = (
    Column("备份时间", lambda b: b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), 150),
    Column("原因", lambda b: b.reason_label, 90),
    Column("大小", lambda b: _size(b.size), 80, align_right=True),
    Column("校验", lambda b: "已校验" if b.verified else "不完整，不能使用", 120),
    Column("文件", lambda b: b.path.name, 380),
)


class BackupDialog(QObject):
    """One dialog per opening; `db` is the window's --db (None: the default file)."""

    def __init__(self, window, db: str | None):
        super().__init__(window.qwindow)
        from yibao_desktop.bootstrap import resolve_db_url, sqlite_path

        self.window, self.db = window, db
        self.url = resolve_db_url(db)
        self.path = sqlite_path(self.url)
        self.dialog: QDialog = load_ui("backup_dialog", window.qwindow)
        self.model = RowTableModel(COLUMNS, self.dialog)
        self.table: QTableView = child(self.dialog, QTableView, "table")
        show_model(self.table, self.model)
        for name, slot in (
            ("backupButton", self.backup_now),
            ("restoreButton", self.restore_selected),
            ("restoreFileButton", self.restore_file),
            ("folderButton", self.change_folder),
            ("closeButton", self.dialog.accept),
        ):
            child(self.dialog, QPushButton, name).clicked.connect(lambda _=False, s=slot: s())
        self.load()

    def load(self) -> None:
        """Labels and the list of backups, newest first."""
        from yibao_desktop import paths
        from yibao_desktop.services import backup

        where = (
            f"数据库文件：{self.path}"
            if self.path
            else "数据库：PostgreSQL 服务器（备份用 pg_dump，恢复用 pg_restore）"
        )
        child(self.dialog, QLabel, "database").setText(where)
        child(self.dialog, QLabel, "folder").setText(f"备份文件夹：{paths.backup_dir()}")
        keep = f"保留最近 {backup.KEEP_DAILY} 天、{backup.KEEP_WEEKLY} 周、{backup.KEEP_MONTHLY} 个月各一份。"
        child(self.dialog, QLabel, "policy").setText(
            f"每天第一次打开时、升级和恢复之前自动备份；{keep}"
            if self.path
            else f"恢复之前自动备份（pg_dump）；服务器的定期备份请由服务器管理员安排。本机备份文件夹中的备份{keep}"
        )
        self.model.set_rows(backup.list_backups(), presorted=True)

    def _allowed(self) -> bool:
        """Asked before the confirmation: who may back up or restore (services/backup.py: check_may_maintain)."""
        from yibao_desktop.services import backup

        try:
            backup.check_may_maintain(self.url, self.window.ctx)
        except DomainError as err:
            self.window.show_error("备份与恢复", err.message)
            return False
        return True

    def backup_now(self) -> Path | None:
        """立即备份."""
        from yibao_desktop.services import backup

        if not self._allowed():
            return None
        try:
            made = backup.backup_database(self.url, ctx=self.window.ctx)
        except DomainError as err:
            self.window.show_error("备份失败", err.message)
            return None
        self.load()
        ask.info(self.dialog, "备份与恢复", f"已备份并校验：\n{made}")
        return made

    def restore_selected(self) -> bool:
        """从所选备份恢复."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            ask.info(self.dialog, "备份与恢复", "请先在列表中选中一份备份。")
            return False
        return self._restore(self.model.row_at(rows[0].row()).path)

    def restore_file(self) -> bool:
        """从其他备份文件恢复."""
        chosen = ask.open_path(self.dialog, "选择备份文件", "数据库备份 (*.sqlite3 *.db *.dump);;所有文件 (*)")
        return self._restore(Path(chosen)) if chosen else False

    def _restore(self, file: Path) -> bool:
        from yibao_desktop.services import backup

        if not self._allowed() or not ask.confirm(
            self.dialog,
            "从备份恢复",
            f"用备份“{file.name}”替换当前数据库？\n当前的数据会先自动备份；恢复后需要重新登录。",
        ):
            return False
        ctx = self.window.ctx
        if ctx is not None:  # let go of the open file: connections, then (just before reopening) the lock
            ctx.engine.dispose()
        try:
            saved = backup.restore_database(self.url, file, ctx)
        except DomainError as err:
            self.window.show_error("恢复失败", err.message)
            return False
        if ctx is not None and "lock" in ctx.extras:
            ctx.extras.pop("lock").release()
        self.dialog.accept()
        ask.info(
            self.window.qwindow,
            "备份与恢复",
            f"已从“{file.name}”恢复数据库。" + (f"\n恢复前的数据已备份为：{saved}" if saved else "") + "\n请重新登录。",
        )
        from .app import open_database

        open_database(self.window, self.db, 0)
        return True

    def change_folder(self) -> None:
        """更改备份文件夹 (empty: back to the default in the user data folder)."""
        from yibao_desktop import paths

        text = ask.text(self.dialog, "备份文件夹", "备份文件夹（留空则使用默认位置）：", str(paths.backup_dir()))
        if text is None:
            return
        folder = Path(text.strip()).expanduser() if text.strip() else None
        try:
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
            paths.choose_backup_dir(folder)
        except OSError as err:
            self.window.show_error("备份文件夹", f"不能使用文件夹“{folder}”：{err.strerror or err}")
            return
        self.load()


def install_menu(window, db: str | None) -> QAction:
    """文件 → 备份与恢复…, placed before 切换用户 (works with or without an open database)."""
    menu: QMenu = window.qwindow.findChild(QMenu, "menu_file")
    action = QAction("备份与恢复…", window.qwindow)
    action.setObjectName("act_backup")
    before = next((a for a in menu.actions() if a.objectName() == "act_switch_user"), None)
    menu.insertAction(before, action) if before is not None else menu.addAction(action)
    menu.insertSeparator(before) if before is not None else None
    action.triggered.connect(lambda _=False: BackupDialog(window, db).dialog.open())
    return action
