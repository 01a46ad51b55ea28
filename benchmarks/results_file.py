"""Each benchmark records its ratios to its anchor in benchmarks/results/<name>.json, so review sees a slowdown.

The file is committed with the change that produced it; `python benchmarks/compare.py` compares the working copy's
results with the last committed ones.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def record(name: str, ratios: dict[str, float], figures: dict[str, float] | None = None, note: str = "") -> Path:
    """Write one benchmark's ratios (lower is better, each against its anchor) and raw figures."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    data = {
        "benchmark": name,
        "measured": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "note": note,
        "load_average": round(os.getloadavg()[0], 2),  # a shared machine's ratios are noisy: read them with this
        "ratios": {k: round(float(v), 3) for k, v in ratios.items()},
        "figures": {k: round(float(v), 4) for k, v in (figures or {}).items()},
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {path.relative_to(RESULTS_DIR.parent.parent)}")
    return path
