"""Screenshots of every tab and dialog at an office screen's size, for looking at before a change is called done.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py OUT_DIR

A demo database (fixed today 2026-11-23) in a temporary folder; the window is fitted to the 1366×768 screen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)
# this checkout's code, not whatever yibao_desktop the virtualenv has installed (an editable install of another tree)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _wait(app, cond, seconds: float = 20.0) -> None:
    end = time.time() + seconds
    while not cond() and time.time() < end:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def _context(folder: Path):
    from tests.builders import signed_in
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services.demo import generate

    ctx = signed_in(build_context(f"sqlite:///{folder / 'demo.sqlite3'}"))
    ctx.clock = lambda: TODAY
    generate(ctx, persons=400)
    return ctx


def _event_of_kind(window, agreement, kind: str) -> None:
    """The 协议事项 dialog with `kind` chosen: only that kind's rows."""
    window.agreement_actions.record_agreement_event(agreement)
    combo = window.last_dialog.form.widgets["kind"]
    combo.setCurrentIndex(combo.findData(kind))


def _dialogs(window):
    """(file name, opener) of every dialog the window opens."""
    from yibao_desktop.services.agreements import list_agreements
    from yibao_desktop.services.notices_query import dispositions_of

    rows = window.personnel.all_rows
    scored = next((r for r in rows if r.year_points), rows[0])
    agreement = list_agreements(window.ctx)[0]
    disps = dispositions_of(window.ctx, scored.person_id)
    out = [
        ("dlg_score", lambda: window.personnel_actions.enter_score(scored)),
        ("dlg_register", window.personnel_actions.register_person),
        ("dlg_edit_registration", lambda: window.personnel_actions.edit_registration(scored)),
        ("dlg_institution", lambda: window.institution_actions.edit_institution(None)),
        ("dlg_agreement", window.agreement_actions.sign_agreement),
        ("dlg_agreement_event", lambda: window.agreement_actions.record_agreement_event(agreement)),
        ("dlg_agreement_event_suspension", lambda: _event_of_kind(window, agreement, "suspension")),
        ("dlg_agreement_event_action", lambda: _event_of_kind(window, agreement, "action")),
        ("dlg_appeal", lambda: window.appeal_actions.file_appeal(None)),
        ("dlg_settings", window.open_settings),
        ("dlg_documents", window.files.show_documents),
        ("dlg_applications", window.institution_actions.applications),
        ("dlg_print_preview", lambda: window.personnel_actions.print_registration_form("annex2", scored)),
    ]
    out.append(("dlg_manual", window.work.show_manual))
    out.append(("dlg_audit_log", window.accounts.show_audit_log))
    out.append(("dlg_backup", lambda: _backup_dialog(window)))
    issued = [d for r in rows if r.year_points for d in dispositions_of(window.ctx, r.person_id) if d.issued_on]
    if issued:
        out.append(("dlg_batch_print", lambda: _batch_print(window, issued[0].issued_on)))
    from yibao_desktop.qt.dialogs.notice import NoticeDialog

    if disps:
        out.append(("dlg_notice", lambda: NoticeDialog(window, disposition=disps[0]).open()))
    waiting = [
        d for r in rows if r.year_points for d in dispositions_of(window.ctx, r.person_id) if d.state == "approved"
    ]
    if waiting:
        out.append(("dlg_notice_issue", lambda: NoticeDialog(window, disposition=waiting[0], step="issue").open()))
    from yibao_desktop.services.appeals import list_appeals

    open_appeals = [a for a in list_appeals(window.ctx) if a.state != "decided"]
    if open_appeals:
        out.append(("dlg_decide", lambda: window.appeal_actions.decide_appeal(open_appeals[0])))
    return out


def _backup_dialog(window):
    """文件 → 备份与恢复 with one manual backup in the list."""
    from yibao_desktop.qt.backup_dialog import BackupDialog

    dlg = BackupDialog(window, str(window.ctx.engine.url.database))
    from yibao_desktop.services import backup

    backup.backup_database(str(window.ctx.engine.url), ctx=window.ctx)
    dlg.load()
    window.last_dialog = dlg
    dlg.dialog.open()
    return dlg


def _batch_print(window, day):
    """文件 → 批量打印 for a day on which notices were issued (the day question answered)."""
    from yibao_desktop.qt.batch_print import BatchPrint
    from yibao_desktop.services.notices_query import issued_on_day

    job = BatchPrint(window)
    job.day = day
    job._open_list(issued_on_day(window.ctx, day))
    return job


def _dossier(app, window, path: Path) -> None:
    """The 人员记分 tab with the person of the most scores selected: the 一医一档 pane filled."""
    tab = window.personnel
    best = max(tab.model.rows, key=lambda r: r.year_points)
    tab.select_key(best.id)
    _wait(app, lambda: "记分记录" in tab.dossier.toPlainText(), 10)
    window.qwindow.grab().save(str(path))


def _as_administrator(app, window, path: Path) -> None:
    """The 人员记分 tab as a plain 管理员 sees it (business buttons greyed, the note saying who does them)."""
    from dataclasses import replace

    from yibao_desktop.domain.permissions import Actor, Role

    everyone = window.ctx
    window.ctx = replace(everyone, actor=Actor("admin", Role.ADMIN, "管理员"))
    window.update_status()
    window.show_tab("personnel")
    _wait(app, lambda: False, 0.4)
    window.qwindow.grab().save(str(path))
    window.ctx = everyone
    window.update_status()


def main(out: Path) -> None:
    """Write one PNG per tab and dialog into `out`."""
    from PySide6.QtCore import QRect, QSize

    from yibao_desktop.qt.app import make_app
    from yibao_desktop.qt.screen import fit_to_screen

    out.mkdir(parents=True, exist_ok=True)
    app = make_app(["screenshots"])
    with tempfile.TemporaryDirectory() as tmp:
        ctx = _context(Path(tmp))
        from yibao_desktop.qt.main_window import MainWindow

        window = MainWindow(ctx)
        screen = QRect(0, 0, 1366, 768)
        fit_to_screen(window.qwindow, screen, QSize(1366, 768))
        window.qwindow.showMaximized()
        _wait(app, lambda: len(window.personnel.all_rows) > 0 and window.dashboard.all_rows is not None)
        for i, (key, tab) in enumerate(window.tabs.items()):
            window.show_tab(key)
            _wait(app, lambda: False, 0.6)
            window.qwindow.grab().save(str(out / f"tab{i}_{tab.key}.png"))
            if tab.key == "personnel":
                _dossier(app, window, out / f"tab{i}_{tab.key}_dossier.png")
        _as_administrator(app, window, out / "tab3_personnel_as_admin.png")
        for name, opener in _dialogs(window):
            window.last_dialog = None
            opener()
            dlg = window.last_dialog
            if dlg is None:
                continue
            widget = getattr(dlg, "dialog", dlg)
            fit_to_screen(widget, screen)
            _wait(app, lambda: False, 0.8)
            widget.grab().save(str(out / f"{name}.png"))
            widget.reject() if hasattr(widget, "reject") else widget.close()
        window.runner.shutdown()
        ctx.engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
