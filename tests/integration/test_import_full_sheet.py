"""A full 1,048,575-row sheet of bad rows is read, checked and reported in bounded memory (measured in a
subprocess, so the figure is the import's own), stopping early at the error limit unless the clerk lifts it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FULL_SHEET_ROWS = 1_048_575  # Excel's last row is 1,048,576; row 1 holds the headers

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from datetime import date
    from tests.builders import signed_in
    from tests.fixtures.excel_factory import large_sheet
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services.rosters import error_report, preview_import

    rows, db = int(sys.argv[1]), sys.argv[2]
    # all invalid: a letter inside every ID number
    data = large_sheet(["姓名", "身份证件号码", "医药机构代码"], ["张三", "44520219800A{r:06d}", "H44520200001"], rows)
    ctx = signed_in(build_context(f"sqlite:///{db}"))
    ctx.clock = lambda: date(2026, 11, 23)
    seen = []
    t0 = time.perf_counter()
    stopped = preview_import(ctx, "personnel", data, "全表.xlsx", progress=lambda d, t: seen.append((d, t)))
    t_stop = time.perf_counter() - t0
    report = error_report(stopped)
    t0 = time.perf_counter()
    full = preview_import(ctx, "personnel", data, "全表.xlsx", max_errors=None)
    t_full = time.perf_counter() - t0
    print(json.dumps({
        "stopped": [stopped.read.complete, stopped.read.total_rows, stopped.problems[0].message],
        "full": [full.read.complete, full.read.total_rows, full.counts["rejected"], len(full.read.rows)],
        "progress": seen[:2], "report_bytes": len(report),
        "seconds": [round(t_stop, 1), round(t_full, 1)],
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked test runner (about 1 GiB
        # under coverage in the whole-suite run), while VmHWM belongs to this process's own memory
        "peak_mib": int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024,
    }, ensure_ascii=False))
""")


@pytest.mark.slow
def test_a_full_sheet_of_bad_rows_stops_at_the_limit_and_is_read_whole_under_one_gib(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FULL_SHEET_ROWS), str(tmp_path / "db.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    complete, checked, message = found["stopped"]
    assert not complete and checked == 10_999
    assert "错误已超过 10000 处，检查已在第 11000 行停止：已检查 10999 行" in message
    assert found["full"] == [True, FULL_SHEET_ROWS, FULL_SHEET_ROWS, 0]  # every row checked, none kept in memory
    done, total = found["progress"][0]  # the total is estimated from the sheet's size (no dimension element)
    assert done == 999 and abs(total - FULL_SHEET_ROWS) < FULL_SHEET_ROWS / 20 and found["report_bytes"] > 0
    assert found["peak_mib"] < 1024, found
    print(found["seconds"], f"{found['peak_mib']:.0f} MiB")
