"""Compare benchmark results in the working copy with the last committed ones: ratios that got worse stand out.

Run: python benchmarks/compare.py [--ref HEAD] [--tolerance 0.10]
Exit code 1 when a ratio is more than `tolerance` (default 10 %) worse than at the reference commit, or when a
benchmark script has no results file (every bench_*.py is listed in BENCHMARKS with the name it records under).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from results_file import RESULTS_DIR

ROOT = RESULTS_DIR.parent.parent
# script → the name it passes to results_file.record (its file: results/<name>.json)
BENCHMARKS = {
    "bench_excel.py": "bench_excel",
    "bench_import.py": "bench_import",
    "bench_pdf.py": "pdf",
    "bench_settlement.py": "settlement",
    "bench_window.py": "window",
}


def missing() -> list[str]:
    """A line for each benchmark script that is not listed or has no results file in the working copy."""
    out = []
    for script in sorted(p.name for p in RESULTS_DIR.parent.glob("bench_*.py")):
        name = BENCHMARKS.get(script)
        if name is None:
            out.append(f"{script:<20} not listed in compare.py BENCHMARKS")
        elif not (RESULTS_DIR / f"{name}.json").exists():
            out.append(f"{script:<20} no results file results/{name}.json: run it and commit the file")
    return out


def committed(path: Path, ref: str) -> dict | None:
    """The results file as committed at `ref` (None if it did not exist then)."""
    rel = path.relative_to(ROOT).as_posix()
    done = subprocess.run(["git", "show", f"{ref}:{rel}"], cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else None


def compare(ref: str, tolerance: float) -> int:
    """Print one line per ratio; return how many got worse than the tolerance allows."""
    worse = 0
    for path in sorted(RESULTS_DIR.glob("*.json")):
        now = json.loads(path.read_text(encoding="utf-8"))
        before = committed(path, ref) or {"ratios": {}}
        for key, value in now["ratios"].items():
            old = before["ratios"].get(key)
            if old is None:
                print(f"{now['benchmark']:<12} {key:<40} {value:8.3f}   (new)")
                continue
            change = (value - old) / old if old else 0.0
            flag = "  WORSE" if change > tolerance else ""
            worse += bool(flag)
            print(f"{now['benchmark']:<12} {key:<40} {old:8.3f} → {value:8.3f}  {change:+.1%}{flag}")
    return worse


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD")
    parser.add_argument("--tolerance", type=float, default=0.10)
    args = parser.parse_args()
    worse = compare(args.ref, args.tolerance)
    gaps = missing()
    for line in gaps:
        print(line)
    return 1 if worse or gaps else 0


if __name__ == "__main__":
    sys.exit(main())
