"""Dead-code check for .ci/run: functions, methods, classes, properties and imports of the product that nothing in the
product reaches (tests do not count: code only a test calls is dead for the clerk). Exit 1 with the list.

Names Python cannot see being used are allowed below, each with the reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"function", "method", "class", "property", "import"}
ALLOWED = {
    # Qt calls these virtual overrides by name
    "eventFilter",
    "filterAcceptsRow",
    "columnCount",
    "rowCount",
    "headerData",
    "data",
    "flags",
    "sort",
    "lessThan",
    "paintEvent",
    "resizeEvent",
    "closeEvent",
    "showEvent",
    "keyPressEvent",
    "wheelEvent",
    "mousePressEvent",
    "sizeHint",
    "minimumSizeHint",
    "changeEvent",
    "focusInEvent",
    "focusOutEvent",
    "validate",
    "fixup",
    "textFromValue",
    "valueFromText",
    "wrap",
    "draw",
    "split",
    "drawOn",
    # SQLAlchemy: declarative hook and event listeners registered by decorator
    "__mapper_args__",
    "_on_connect",
    "_connect",
    "_begin",
}
ALLOWED_PREFIXES = ("b_",)
# Found on 2026-12-02 and not yet removed or wired (most are reached only by tests): this list only shrinks, and
# anything dead that is not on it fails the check.
KNOWN = {
    "domain/plausibility.py: check_event_date",
}  # adapters/pdf/blocks.py dispatches a form's block kinds by name: getattr(self, "b_" + kind)


def _key(item) -> str:
    return f"{Path(item.filename).relative_to(ROOT / 'yibao_desktop').as_posix()}: {item.name}"


def main() -> int:
    v = Vulture()
    v.scavenge(
        [str(ROOT / "yibao_desktop"), str(ROOT / "benchmarks"), str(ROOT / "scripts")],
        exclude=["*/migrations/versions/*"],
    )
    dead = [
        item
        for item in v.get_unused_code(min_confidence=60)
        if item.typ in KINDS
        and item.name not in ALLOWED
        and not item.name.startswith(ALLOWED_PREFIXES)
        and "yibao_desktop" in str(item.filename)
        and _key(item) not in KNOWN
    ]
    for item in sorted(dead, key=lambda i: (str(i.filename), i.first_lineno)):
        print(f"{Path(item.filename).relative_to(ROOT)}:{item.first_lineno}: unused {item.typ} '{item.name}'")
    if dead:
        print(f"{len(dead)} unused definitions: delete them, or wire them where they belong", file=sys.stderr)
        return 1
    print(f"no new dead code ({len(KNOWN)} known definitions still to remove, listed in scripts/dead_code.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
