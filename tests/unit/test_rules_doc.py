"""docs/RULES.md stays true: what it names exists, and every public rule function of the domain is named in it."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
DOMAIN = ROOT / "yibao_desktop" / "domain"


def test_every_named_function_exists():
    refs = re.findall(r"`((?:domain|services)/[\w/]+)\.py: ([\w.]+)`", DOC)
    assert len(refs) > 100
    missing = []
    for path, dotted in refs:
        obj = importlib.import_module("yibao_desktop." + path.replace("/", "."))
        for part in dotted.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                missing.append(f"{path}.py: {dotted}")
                break
    assert not missing, f"RULES.md names what does not exist: {missing}"


def test_every_named_test_file_exists():
    files = set(re.findall(r"`(tests/[\w/]+\.py)`", DOC))
    assert files
    assert not [f for f in files if not (ROOT / f).is_file()]


def test_every_public_domain_function_is_in_the_rules():
    named = set(re.findall(r"`(?:[\w/]+\.py: )?([\w.]+)`", DOC))
    named |= {n.split(".")[-1] for n in named}
    absent = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.name not in named:
                absent.append(f"domain/{path.name}: {node.name}")
    assert not absent, f"public domain functions missing from docs/RULES.md: {absent}"
