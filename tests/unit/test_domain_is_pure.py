"""The domain package stays pure: no GUI, database, Excel or PDF libraries, and no file I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "yibao_desktop" / "domain"
FORBIDDEN_MODULES = {
    "PySide6",
    "shiboken6",
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "python_calamine",
    "reportlab",
    "pypdf",
}
# Calls that read or write files; the domain receives text (or a reader callable) and returns values instead.
# Bare names: the builtin open(); a parameter named read_text is the caller's I/O and is fine.
FORBIDDEN_NAME_CALLS = {"open"}
# Methods of Path, os and friends.
FORBIDDEN_METHOD_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "mkdir",
    "unlink",
    "rmtree",
}
FORBIDDEN_IO_MODULES = {"shutil", "tempfile", "io", "sqlite3", "subprocess", "socket"}


def _domain_files() -> list[Path]:
    return sorted(DOMAIN_DIR.rglob("*.py"))


def _imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names.extend(a.value for a in node.args[:1] if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def _file_calls(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_NAME_CALLS:
                found.add(func.id)
            elif isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_METHOD_CALLS:
                found.add("." + func.attr)
    return found


def test_the_domain_package_has_modules_to_check():
    assert len(_domain_files()) >= 2


@pytest.mark.parametrize("path", _domain_files(), ids=lambda p: p.name)
def test_domain_module_imports_no_gui_database_excel_or_pdf_library(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = {name.split(".")[0] for name in _imported_modules(tree)}
    assert not roots & FORBIDDEN_MODULES, f"{path.name} imports {sorted(roots & FORBIDDEN_MODULES)}"
    assert not roots & FORBIDDEN_IO_MODULES, f"{path.name} imports {sorted(roots & FORBIDDEN_IO_MODULES)}"


@pytest.mark.parametrize("path", _domain_files(), ids=lambda p: p.name)
def test_domain_module_opens_no_files(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    calls = _file_calls(tree)
    assert not calls, f"{path.name} calls {sorted(calls)}"


def test_the_checker_catches_a_forbidden_import_and_an_open_call():
    source = "import PySide6.QtCore\nfrom sqlalchemy import select\nopen('x')\nPath('y').read_text()\nread_text('z')\n"
    tree = ast.parse(source)
    assert {n.split(".")[0] for n in _imported_modules(tree)} == {"PySide6", "sqlalchemy"}
    assert _file_calls(tree) == {"open", ".read_text"}
