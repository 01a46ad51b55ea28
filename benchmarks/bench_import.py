"""Roster import/export benchmark: 100,000-row personnel roster through preview_import + commit_import and
export_roster, against bare openpyxl and python-calamine, in one run on one machine.

Run: PYTHONPATH=. .venv/bin/python benchmarks/bench_import.py [rows] [repeat]
Targets: import (validate + commit) < 0.6 × openpyxl read and ≤ 2.5 × bare calamine read; export_roster ≤ 1.0 ×
bare xlsxwriter constant_memory of the same rows; peak RSS < 1 GiB. Ratios are recorded in
benchmarks/results/bench_import.json.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from anchors import bare_calamine_read, bare_openpyxl_read, bare_xlsxwriter_write, peak_mib  # noqa: E402
from results_file import record  # noqa: E402

from yibao_desktop.adapters.excel import columns, write_table  # noqa: E402
from yibao_desktop.domain.ids import make_id_number  # noqa: E402

REGIONS = ("445202", "445203", "445221", "445222", "445224", "440103", "110101", "310101")
TITLES = ("主任医师", "副主任医师", "主治医师", "医师", "药师", "主管药师")
SURNAMES = "陈林黄李张吴郑刘杨蔡许谢王洪曾方詹罗余卢周江"
GIVEN = "志伟秀英建华丽娟明辉晓燕国强海峰文静丹玉婷俊杰少鹏佳琪泽宇思远嘉欣浩然梓涵振东美玲锦鸿"
INSTITUTIONS = 300


def institution_code(i: int) -> str:
    """Code of the i-th benchmark institution (H + region + serial)."""
    return f"H{REGIONS[i % len(REGIONS)]}{i:05d}"


def personnel_rows(n: int) -> list[list]:
    """n valid personnel rows in roster column order (15 of 16 columns filled on most rows)."""
    rows, start = [], date(1960, 1, 1)
    for i in range(n):
        birth = start + timedelta(days=i % 14000)
        region = REGIONS[i % len(REGIONS)]
        sex = "男" if i % 2 else "女"
        inst = i % INSTITUTIONS
        signed = i % 3 != 0
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 191) % len(GIVEN)]
        rows.append(
            [
                name,
                f"D{region}{i:06d}",
                make_id_number(region, birth, (i // 14000) % 400, sex),
                sex,
                birth,
                f"138{i:08d}",
                f"第{inst}人民医院",
                institution_code(inst),
                region,
                "执业医师",
                "临床",
                "内科专业",
                TITLES[i % len(TITLES)],
                "正常",
                "是" if signed else "否",
                date(2025, 1 + i % 12, 1) if signed else None,
            ]
        )
    return rows


def roster_file(n: int) -> tuple[list[list], bytes]:
    """The rows and their .xlsx (cached in the temp dir: writing 100k rows takes longer than importing them)."""
    rows = personnel_rows(n)
    cache = Path(tempfile.gettempdir()) / f"bench_import_{n}.xlsx"
    if cache.exists() and not os.environ.get("BENCH_FRESH"):
        return rows, cache.read_bytes()
    cols = columns("personnel")
    data = write_table("人员登记备案名册", [c.header for c in cols], rows, [c.kind for c in cols])
    cache.write_bytes(data)
    return rows, data


def fresh_context(workdir: Path):
    """A migrated SQLite database holding the benchmark institutions (Core insert, names as in the file)."""
    from sqlalchemy import insert

    from tests.builders import signed_in  # benchmarks act as the all-rounder test user
    from yibao_desktop.adapters.db.models import Institution
    from yibao_desktop.bootstrap import build_context

    ctx = signed_in(build_context(f"sqlite:///{workdir / 'bench.sqlite3'}"))
    ctx.clock = lambda: date(2026, 11, 23)
    with ctx.uow() as uow:
        uow.session.connection().execute(
            insert(Institution),
            [
                dict(
                    name=f"第{i}人民医院",
                    name_initials="",
                    code=institution_code(i),
                    kind="general_hospital",
                    ownership="public",
                    region_code=institution_code(i)[1:7],
                    version=1,
                )
                for i in range(INSTITUTIONS)
            ],
        )
        uow.commit()
    return ctx


def timed(label: str, func):
    """Run func once, print and return (seconds, result).

    A full collection first moves the benchmark's own data (100,000 generated rows, earlier results) into the
    oldest generation, so no step — anchor or ours — starts with young objects it did not make. (Not
    gc.freeze(): the import's own collector pause relies on freeze/unfreeze and steps aside when someone else
    has frozen objects, which would time something no clerk's program does.)
    """
    gc.collect()
    t0 = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - t0
    print(f"{label:<52} {seconds:8.2f} s", flush=True)
    return seconds, result


def time_import(ctx, data: bytes, n: int) -> tuple[float, float]:
    """preview_import then commit_import of the whole file; returns (validate seconds, commit seconds)."""
    from yibao_desktop.services.rosters import commit_import, preview_import

    t_check, preview = timed(
        "preview_import (read + validate + DB checks)",
        lambda: preview_import(ctx, "personnel", data, "bench.xlsx"),
    )
    errors = [p for p in preview.problems if p.severity == "error"]
    print(f"  counts {preview.counts}, errors {len(errors)}, warnings {len(preview.problems) - len(errors)}")
    assert preview.counts["new"] == n and not errors, errors[:5]
    t_commit, counts = timed("commit_import (one transaction, bulk inserts)", lambda: commit_import(ctx, preview))
    assert counts["new"] == n
    return t_check, t_commit


def time_read_parts(ctx, data: bytes) -> tuple[float, float]:
    """The two shares of preview_import, timed apart: read_roster (adapter) and the database checks (ours)."""
    from yibao_desktop.adapters.excel import read_roster
    from yibao_desktop.services.rosters.common import read_choices
    from yibao_desktop.services.rosters.preview import _PLANNERS

    t_read, read = timed(
        "  share 1: read_roster (adapter)",
        lambda: read_roster("personnel", data, extra_choices=read_choices("personnel")),
    )

    def plan() -> list:
        with ctx.uow() as uow:
            return _PLANNERS["personnel"](ctx, uow.session, read.rows, list(read.problems))

    t_plan, _ = timed("  share 2: database checks and plan (services.rosters)", plan)
    return t_read, t_plan


def time_export(ctx, repeat: int) -> tuple[list[float], list[float]]:
    """export_roster of every registration vs a bare xlsxwriter constant_memory write of the same values,
    alternating `repeat` times."""
    from yibao_desktop.services.rosters import export_roster
    from yibao_desktop.services.rosters.exports import _PERSONNEL_EXTRA, _personnel_rows

    def query() -> list[list]:
        with ctx.uow() as uow:
            return list(_personnel_rows(ctx, uow.session))

    _t, values = timed("  export rows query (our share of export_roster)", query)
    cols = (*columns("personnel"), *_PERSONNEL_EXTRA)
    headers = [c.header for c in cols]
    # The same rows as the file holds them: a roster says 是/否 where the database keeps True/False (writing
    # those as Excel Booleans would be a different, cheaper file). Formats, widths and formula safety are ours.
    flags = [i for i, c in enumerate(cols) if c.kind == "bool"]
    for row in values:
        for i in flags:
            row[i] = None if row[i] is None else ("是" if row[i] else "否")
    bare, ours = [], []
    for i in range(repeat):
        # Alternate which of the pair runs first: on this machine the second of two long runs is often slower.
        for step in ("bare", "ours") if i % 2 == 0 else ("ours", "bare"):
            if step == "bare":
                bare.append(
                    timed(
                        "xlsxwriter constant_memory (bare, same rows)", lambda: bare_xlsxwriter_write(headers, values)
                    )[0]
                )
            else:
                t, data = timed("export_roster personnel", lambda: export_roster(ctx, "personnel", None))
                ours.append(t)
    print(f"  export file {len(data) / 1048576:.1f} MB")
    return bare, ours


def vm_hwm_mib() -> float:
    """This process's peak resident memory (VmHWM) since it started or since reset_peak(), MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return int(next(line for line in fh if line.startswith("VmHWM")).split()[1]) / 1024


def reset_peak() -> None:
    """Start VmHWM again from the memory held now (Linux: 5 → /proc/self/clear_refs)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")


def child_peaks(n: int) -> None:
    """In a process of its own: VmHWM of one import (preview + commit) of the roster into a fresh database, then
    of one export of it (the peak reset in between), printed as JSON."""
    from yibao_desktop.services.rosters import commit_import, export_roster, preview_import

    data = roster_file(n)[1]
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = fresh_context(Path(tmp))
        reset_peak()
        commit_import(ctx, preview_import(ctx, "personnel", data, "bench.xlsx"))
        imported = vm_hwm_mib()
        gc.collect()
        reset_peak()
        exported = len(export_roster(ctx, "personnel", None))
        print(json.dumps({"import_mib": imported, "export_mib": vm_hwm_mib(), "export_bytes": exported}))
        ctx.engine.dispose()


def measured_peaks(n: int) -> dict[str, float]:
    """child_peaks run in a subprocess: the figures are the import's and the export's own, not the benchmark's."""
    done = subprocess.run(
        [sys.executable, __file__, "--peaks", str(n)], capture_output=True, text=True, check=True, timeout=900
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(n: int = 100_000, repeat: int = 3) -> None:
    """Build the file and databases, time every step (the short ones `repeat` times, alternating with their
    anchor, each import into a fresh database), print best-of ratios, each run's ratio and peak memory.

    The machine is shared: the same step varies by ±25 % from one run to the next, so single runs decide little.
    """
    t0 = time.perf_counter()
    _rows, data = roster_file(n)
    print(f"{n} rows × 16 columns, file {len(data) / 1048576:.1f} MB, ready in {time.perf_counter() - t0:.1f} s")
    t_opx, count = timed("openpyxl read_only values_only (bare)", lambda: bare_openpyxl_read(data))
    assert count == n + 1
    cal, imports, peak_import = [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            cal.append(timed("python-calamine iter_rows (bare)", lambda: bare_calamine_read(data))[0])
            ctx = fresh_context(Path(tmp) / str(i))
            if i == 0:
                t_read, t_plan = time_read_parts(ctx, data)
            imports.append(time_import(ctx, data, n))
            peak_import = peak_mib()
            if i < repeat - 1:
                ctx.engine.dispose()
        bare_w, ours_w = time_export(ctx, max(repeat - 1, 2))
        ctx.engine.dispose()
    totals = [a + b for a, b in imports]
    best = min(range(repeat), key=lambda i: totals[i])
    t_check, t_commit = imports[best]
    print()
    print(
        f"import (validate + commit), best of {repeat} = {totals[best]:.2f} s (validate {t_check:.2f} s, commit "
        f"{t_commit:.2f} s); timed apart: adapter read {t_read:.2f} s, DB checks {t_plan:.2f} s"
    )
    print(f"import / openpyxl read = {totals[best] / t_opx:.2f}  (target < 0.6)")
    runs = [t / c for t, c in zip(totals, cal, strict=True)]
    print(
        f"import / calamine read = {totals[best] / min(cal):.2f} best of {repeat} each, median of runs "
        f"{statistics.median(runs):.2f} (target ≤ 2.5); run by run "
        + ", ".join(f"{r:.2f}" for r in runs)
        + f"; adapter read alone = {t_read / min(cal):.2f}"
    )
    pairs = [o / b for o, b in zip(ours_w, bare_w, strict=True)]
    print(
        f"export_roster / xlsxwriter constant_memory = {min(ours_w) / min(bare_w):.2f} best of {len(ours_w)} each, "
        f"median of pairs {statistics.median(pairs):.2f} (target ≤ 1.0); pair by pair "
        + ", ".join(f"{r:.2f}" for r in pairs)
    )
    print(f"peak RSS after import = {peak_import:.0f} MiB, overall = {peak_mib():.0f} MiB  (target < 1024)")
    peaks = measured_peaks(n)
    print(
        f"VmHWM of an import alone = {peaks['import_mib']:.0f} MiB, of an export alone = {peaks['export_mib']:.0f} MiB"
        " (each in a process of its own; target < 1024)"
    )
    record(
        "bench_import",
        {
            "import/calamine": totals[best] / min(cal),
            "import/openpyxl": totals[best] / t_opx,
            "export/xlsxwriter": min(ours_w) / min(bare_w),
        },
        {
            "rows": n,
            "calamine_s": min(cal),
            "import_s": totals[best],
            "validate_s": t_check,
            "commit_s": t_commit,
            "xlsxwriter_s": min(bare_w),
            "export_s": min(ours_w),
            "peak_mib": peak_mib(),
            "import_vmhwm_mib": peaks["import_mib"],
            "export_vmhwm_mib": peaks["export_mib"],
        },
        note=f"wall seconds, best of {repeat}",
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peaks"]:
        child_peaks(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
