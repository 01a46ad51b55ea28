"""GUI fixtures: a main window on a small demo database, message boxes replaced (no modal exec ever)."""

from __future__ import annotations

import pytest

from tests.builders import add_institution, add_person


@pytest.fixture
def asked(monkeypatch):
    """Record every ask.* call instead of showing a box; answers can be queued per function."""
    from yibao_desktop.qt import ask

    calls: list[tuple[str, tuple]] = []
    answers: dict[str, list] = {}

    def fake(name, default=None):
        def _f(*args, **_kw):
            calls.append((name, args))
            queue = answers.get(name)
            return queue.pop(0) if queue else default

        return _f

    for name, default in (
        ("info", None),
        ("error", None),
        ("confirm", True),
        ("save_path", None),
        ("open_path", None),
        ("choose", None),
        ("text", None),
        ("password", None),
    ):
        monkeypatch.setattr(ask, name, fake(name, default))
    return calls, answers


@pytest.fixture
def window(qtbot, ctx, asked):
    """Main window with two institutions and a multi-site doctor, all tabs loaded."""
    from yibao_desktop.qt.main_window import MainWindow

    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    add_institution(ctx, "H44520200002", "榕城区中医医院", kind="tcm_hospital")
    add_person(ctx, "H44520200001", "曾志伟", seq=3)
    add_person(ctx, "H44520200002", "林秀英", seq=4, sex="女", code="D445202000004")
    w = MainWindow(ctx)
    qtbot.addWidget(w.qwindow)
    w.show()
    qtbot.waitUntil(lambda: len(w.personnel.all_rows) == 2 and len(w.institutions.all_rows) == 2, timeout=5000)
    yield w
    w.runner.shutdown()
