"""Start-up, table fill, search keystrokes, yearly recompute and dossier open on a city-sized demo database.

Run: python benchmarks/bench_window.py [--persons 100000] [--db PATH]
Each figure is printed next to its anchor measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results_file import record

ROOT = Path(__file__).resolve().parents[1]
BENCH_PASSWORD = "Bench2026ok"
BARE = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print(f"painted_at {time.time():.6f}", flush=True)
"""


def _run(code_or_args: list[str], env: dict) -> dict[str, float]:
    """Seconds from spawning the process to each `<event>_at <epoch>` line it prints (interpreter start included)."""
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, *code_or_args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    ).stdout
    vals = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith("_at"):
            vals[parts[0][:-3]] = float(parts[1]) - spawned
    return vals


def build_db(path: Path, persons: int) -> None:
    """A demo city, made once and reused."""
    from tests.builders import signed_in  # benchmarks act as the all-rounder test user
    from yibao_desktop.bootstrap import build_context, is_empty
    from yibao_desktop.cli_accounts import demo_accounts
    from yibao_desktop.services.demo import generate

    ctx = signed_in(build_context(str(path)))
    demo_accounts(ctx, BENCH_PASSWORD)  # the window's start signs in as admin (YIBAO_USER / YIBAO_PASSWORD)
    if not is_empty(ctx):
        return
    t = time.perf_counter()
    counts = generate(ctx, persons=persons)
    print(f"demo database: {counts} in {time.perf_counter() - t:.1f}s")


def startup(path: Path, runs: int = 3, note: str = "") -> None:
    """Cold starts in fresh processes: bare Qt window vs our painted window vs filled 人员记分 table."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "YIBAO_STARTUP_TIMING": "1",
        "PYTHONPATH": str(ROOT),
        "YIBAO_USER": "admin",
        "YIBAO_PASSWORD": BENCH_PASSWORD,
    }
    bare = [_run(["-c", BARE], env)["painted"] for _ in range(runs)]
    ours = [_run(["-m", "yibao_desktop", "--db", str(path), "gui", "--demo-persons", "0"], env) for _ in range(runs)]
    b = statistics.median(bare)
    p = statistics.median(o["painted"] for o in ours)
    f = statistics.median(o["filled"] for o in ours)
    print(f"bare QApplication+QMainWindow painted: {b * 1000:.0f} ms")
    print(f"yibao main window painted:             {p * 1000:.0f} ms  ({p / b:.2f}× bare; target ≤ 3.5×)")
    print(f"人员记分 table filled:                  {f * 1000:.0f} ms  ({f / b:.2f}× bare; target ≤ 7×)")
    record(
        "window",
        {"painted_vs_bare_window": p / b, "table_filled_vs_bare_window": f / b},
        {"bare_ms": b * 1000, "painted_ms": p * 1000, "filled_ms": f * 1000},
        note,
    )


def keystrokes(path: Path) -> None:
    """Every keystroke of realistic queries: filter + model reset, measured in-process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tests.builders import signed_in  # benchmarks act as the all-rounder test user
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    ctx = signed_in(build_context(str(path)))
    w = MainWindow(ctx)
    w.show()
    deadline = time.time() + 120
    while not w.personnel._complete and time.time() < deadline:
        app.processEvents()
        time.sleep(0.01)
    tab = w.personnel
    times = []
    for query in ("zzw", "陈", "4452021980", "D4452", "P44520", "lxy", "揭阳"):
        for n in range(1, len(query) + 1):
            t = time.perf_counter()
            tab.search.setText(query[:n])
            app.processEvents()
            times.append(time.perf_counter() - t)
            if times[-1] > 0.1:
                print(f"  slow keystroke {query[:n]!r}: {times[-1] * 1000:.0f} ms, {tab.model.rowCount()} rows")
        tab.search.clear()
        app.processEvents()
    print(
        f"search keystrokes on {len(tab.all_rows)} registrations: median {statistics.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms over {len(times)} keystrokes (target < 100 ms)"
    )
    t = time.perf_counter()
    tab.model.sort(9)
    app.processEvents()
    print(f"sort by 本年记分: {(time.perf_counter() - t) * 1000:.0f} ms")
    w.runner.shutdown()


def services(path: Path) -> None:
    """Yearly recompute for everyone and the dossier of a scored person."""
    from tests.builders import signed_in  # benchmarks act as the all-rounder test user
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services.dossier import load_dossier
    from yibao_desktop.services.registrations import list_registrations
    from yibao_desktop.services.scoring import recompute_all

    ctx = signed_in(build_context(str(path)))
    t = time.perf_counter()
    n = recompute_all(ctx, 2026)
    print(
        f"recompute yearly totals and statuses (2026): {n} scored persons in "
        f"{(time.perf_counter() - t) * 1000:.0f} ms (target < 2 s)"
    )
    t = time.perf_counter()
    rows = list_registrations(ctx)
    print(f"list_registrations: {len(rows)} rows in {(time.perf_counter() - t) * 1000:.0f} ms")
    scored = [r.person_id for r in rows if r.year_points][:20]
    times = []
    for pid in scored:
        t = time.perf_counter()
        load_dossier(ctx, pid)
        times.append(time.perf_counter() - t)
    print(
        f"open dossier: median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
        f"(target < 100 ms)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--db", default=str(ROOT / "benchmarks" / "out" / "city.sqlite3"))
    args = ap.parse_args()
    path = Path(args.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    build_db(path, args.persons)
    startup(path, note=f"{args.persons} demo persons, median of 3 cold starts each")
    services(path)
    keystrokes(path)


if __name__ == "__main__":
    main()
