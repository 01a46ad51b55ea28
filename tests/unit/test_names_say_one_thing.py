"""Each class name says one thing: no two classes of the product share a name (docs/ARCHITECTURE.md, "Names").

ORM models are named for the stored thing (`Disposition`, `StatusPeriod`, `ClaimFinding`), the rows a service returns
end in `Row`, and a domain value is named for what its rule sees (`ProposedDisposition`, `StatusSpan`,
`FlaggedClaim`), so no import has to be renamed to dodge a clash.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "yibao_desktop"
# Still shared, each with the reason; this list only shrinks.
KNOWN_SHARED = {
    # qt/table_model.py: a column of a GUI table; adapters/excel/columns.py: a column of a roster sheet
    "Column",
}


def _classes() -> dict[str, list[str]]:
    """Class name → the modules (relative paths) that define it at module level."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found[node.name].append(path.relative_to(PACKAGE).as_posix())
    return found


def test_no_two_classes_share_a_name():
    shared = {name: where for name, where in _classes().items() if len(where) > 1 and name not in KNOWN_SHARED}
    assert not shared, f"classes sharing a name (rename one, see docs/ARCHITECTURE.md): {shared}"


def test_known_shared_names_are_still_shared():
    classes = _classes()
    stale = {name for name in KNOWN_SHARED if len(classes.get(name, [])) < 2}
    assert not stale, f"no longer shared, remove from KNOWN_SHARED: {stale}"


def test_orm_and_domain_classes_are_found():
    """The scan sees both sides of the renamed pairs, so the check above cannot pass by reading nothing."""
    classes = _classes()
    assert classes["Disposition"] == ["adapters/db/models_persons.py"]
    assert classes["ProposedDisposition"] == ["domain/dispositions.py"]
    assert classes["StatusPeriod"] == ["adapters/db/models_persons.py"]
    assert classes["StatusSpan"] == ["domain/settlement.py"]
    assert classes["ClaimFinding"] == ["adapters/db/models_settlement.py"]
    assert classes["FlaggedClaim"] == ["domain/settlement.py"]
