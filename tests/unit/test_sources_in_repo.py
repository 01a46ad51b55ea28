"""Nothing in the repository sends a maintainer to files outside it: no `../shared`, no SPEC/DESIGN sections, no source
file names or numbers of the documents' copies; documents are cited by title and article (docs/RULES.md)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile(
    r"\.\./shared|shared/(?:SPEC|DESIGN|seeds)|SPEC\s*§|\bSPEC\.md|\bDESIGN\.md"
    r"|\b00[0-4]_[0-9a-f]{16}\.txt"  # a document copy's file name
    r"|(?<![\d〔])00[0-4] ?第[一二三四五六七八九十百]+条"  # an article cited by a copy's number ("001 第八条")
)
TEXT = (".py", ".md", ".toml", ".ui", ".sh", ".txt", ".cfg", ".ini", ".yml", ".yaml", "")


def test_no_file_refers_to_sources_outside_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if path.suffix not in TEXT or path == Path(__file__).resolve() or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}" for m in OUTSIDE.finditer(text)]
    assert found == []
