"""The GUI stays a GUI: qt/ never imports SQLAlchemy or the ORM at module level, and the first paint needs neither."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

QT_DIR = Path(__file__).resolve().parents[2] / "yibao_desktop" / "qt"
FORBIDDEN = ("sqlalchemy", "yibao_desktop.adapters.db", "alembic")


def _module_level_imports(path: Path) -> list[str]:
    """Names imported by statements at module level (imports inside functions are lazy and allowed)."""
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_qt_module_imports_sqlalchemy_or_the_orm_at_module_level():
    offenders = [
        f"{path.relative_to(QT_DIR)}: {name}"
        for path in sorted(QT_DIR.rglob("*.py"))
        for name in _module_level_imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_the_main_window_paints_before_sqlalchemy_is_imported():
    code = (
        "import sys\n"
        "from yibao_desktop.qt.app import make_app\n"
        "app = make_app(['x'])\n"
        "from yibao_desktop.qt.main_window import MainWindow\n"
        "w = MainWindow(); w.show(); app.processEvents()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
