"""`yibao-desktop` / `python -m yibao_desktop`: the GUI by default, batch subcommands otherwise."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    from yibao_desktop.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
