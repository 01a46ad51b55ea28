"""Starts the GUI: window first (fast first paint), then database, profile and (first run) demo data."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from yibao_desktop.paths import resources_dir, translations_dir

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

CJK_FAMILIES = (
    "Microsoft YaHei",
    "微软雅黑",
    "SimSun",
    "宋体",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "AR PL UKai CN",
)


def _pick_font(app: QApplication) -> None:
    """Use a CJK-capable UI font so no Chinese text renders as boxes."""
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in families:
            app.setFont(QFont(fam, 10))
            return


def install_chinese(app: QApplication) -> QTranslator | None:
    """Chinese locale and Qt's own Chinese texts (确定/取消/是/否, file, print and calendar dialogs, context menus).

    The translation comes from PySide6's translations folder, or from the copy build.spec puts in the bundle."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    existing = app.property("yibao_translator")
    if existing is not None:
        return existing
    for folder in (translations_dir(), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            app.setProperty("yibao_translator", translator)
            return translator
    return None


def style_sheet(text: str) -> str:
    """The stylesheet with its icon paths made absolute (the arrows of combo and spin boxes live in resources/)."""
    return text.replace("@RESOURCES@", resources_dir().as_posix())


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with name, font and stylesheet."""
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("yibao-desktop")
    app.setOrganizationName("yibao-desktop")
    app.setApplicationDisplayName("医保定点管理桌面系统")
    install_chinese(app)
    _pick_font(app)
    qss = resources_dir() / "style.qss"
    if qss.exists():
        app.setStyleSheet(style_sheet(qss.read_text(encoding="utf-8")))
    return app


def _open_context(window, db: str | None, create: bool):
    """build_context with every fault as a Chinese message; a missing --db file may be created on request."""
    from yibao_desktop.adapters.db.faults import DatabaseMissing
    from yibao_desktop.bootstrap import build_context, lock_database
    from yibao_desktop.domain.errors import DomainError
    from yibao_desktop.logs import log_unexpected

    from . import ask

    try:
        try:
            ctx = build_context(db, create=create, lock=True)
        except DatabaseMissing as missing:
            if not ask.confirm(
                window.qwindow, "数据库文件不存在", f"{missing.message}\n\n是否在该位置新建一个空数据库？"
            ):
                raise
            ctx = build_context(db, create=True, lock=True)
        lock_database(ctx)
        return ctx
    except DomainError as err:
        window.show_error(
            "无法打开数据库", f"{err.message}\n\n可以选择：从备份恢复、用 --db 打开另一个数据库文件，或联系系统管理员。"
        )
    except Exception as err:  # noqa: BLE001 - never an empty window without a word
        path = log_unexpected(err, "open database")
        window.show_error(
            "无法打开数据库", f"打开数据库时发生意外错误，没有写入任何数据。\n详细信息已写入日志文件：\n{path}"
        )
    window.qwindow.statusBar().showMessage("没有打开数据库。", 0)
    return None


def open_database(window, db: str | None, demo_persons: int, create: bool = False) -> None:
    """Bootstrap after the first paint, then sign-in (or the first start's administrator account); demo data only
    when the first start chose it."""
    ctx = _open_context(window, db, create or db is None)
    if ctx is None:
        return
    from .login import start_session

    start_session(window, ctx, lambda load_demo: _signed_in(window, ctx, demo_persons if load_demo else 0))


def _signed_in(window, ctx: AppContext, demo_persons: int) -> None:
    """Someone is signed in: show the data (after generating the demo data the first start asked for)."""
    if "backup" in ctx.extras:
        window.qwindow.statusBar().showMessage(f"数据库已升级，升级前备份：{ctx.extras['backup']}", 15000)
    if demo_persons:
        from yibao_desktop.services.demo import generate

        window.qwindow.statusBar().showMessage("正在生成演示数据…")
        window.runner.start(
            "demo",
            lambda p, _c: generate(ctx, persons=demo_persons, progress=p),
            on_result=lambda counts: (
                window.set_context(ctx),
                window.qwindow.statusBar().showMessage(
                    f"已生成演示数据：{counts['institutions']}家机构，{counts['persons']}名人员。", 15000
                ),
            ),
            on_error=lambda m: window.show_error("演示数据生成失败", m),
        )
        return
    window.set_context(ctx)


def _report_when_filled(window, app) -> None:
    """Benchmark hook: print when the 人员记分 table is filled, then quit."""

    def check(_rows=None):
        if window.personnel.model.rowCount():
            zh = int(app.property("yibao_translator") is not None)  # Qt's Chinese texts found (frozen build too)
            print(f"filled_at {time.time():.6f} rows={len(window.personnel.all_rows)} zh={zh}", flush=True)
            app.quit()

    window.personnel.model.modelReset.connect(check)


def run_gui(
    db: str | None = None, demo_persons: int = 3000, quit_after_ms: int | None = None, create: bool = False
) -> int:
    """Show the main window and run the event loop."""
    app = make_app()
    from yibao_desktop.logs import install_excepthook, setup_logging

    from . import ask
    from .main_window import MainWindow

    setup_logging()
    window = MainWindow()
    install_excepthook(lambda text: ask.error(window.qwindow, "意外错误", text))
    from .backup_dialog import install_menu

    install_menu(window, db)
    window.show()
    app.processEvents()
    if os.environ.get("YIBAO_STARTUP_TIMING"):
        print(f"painted_at {time.time():.6f}", flush=True)
    if os.environ.get("YIBAO_STARTUP_TIMING"):
        _report_when_filled(window, app)
    window.later(lambda: open_database(window, db, demo_persons, create))
    if quit_after_ms:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(quit_after_ms, window.qwindow.close)
    code = app.exec()
    window.runner.shutdown()
    return code
