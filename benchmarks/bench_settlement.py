"""Settlement check of a city's month: N claim lines (default 5,000,000) in a CSV, checked where it lies.

Anchor, in the same run on the same file: one bare DuckDB query doing the same check (lines of registered persons
outside their registration or commitment, or inside a suspension/termination), fetching the lines it finds.
The program's check (services.settlement.check_file: totals, candidates, record numbers, the domain rule on each
candidate, the run and findings stored, SHA-256 beside the scan) runs in a subprocess so its peak memory is its own.

Run: python benchmarks/bench_settlement.py [--lines 5000000] [--persons 20000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INSTITUTIONS = 500


def _person_code(i: int) -> str:
    return f"D445202{i:06d}"


def build_database(db: Path, persons: int) -> None:
    """A city: institutions, persons registered (1 in 100 without commitment), 2 % suspended or terminated."""
    from datetime import date, timedelta

    from sqlalchemy import insert

    from tests.builders import signed_in
    from yibao_desktop.adapters.db.models import Institution, Person, Registration, StatusPeriod
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.domain.ids import make_id_number

    ctx = signed_in(build_context(str(db)))
    with ctx.uow() as uow:
        conn = uow.session.connection()
        conn.execute(
            insert(Institution),
            [
                dict(name=f"医院{i}", code=f"H445202{i:05d}", kind="general_hospital", version=1)
                for i in range(INSTITUTIONS)
            ],
        )
        born = date(1970, 1, 1)
        conn.execute(
            insert(Person),
            [
                dict(
                    id=i + 1,
                    id_number=make_id_number("445202", born + timedelta(days=i % 9000), i // 9000 * 2 + 1, "男"),
                    name=f"人员{i}",
                    birth_date=born,
                    sex="男",
                    version=1,
                )
                for i in range(persons)
            ],
        )
        conn.execute(
            insert(Registration),
            [
                dict(
                    person_id=i + 1,
                    institution_id=i % INSTITUTIONS + 1,
                    person_code=_person_code(i),
                    registered_on=date(2020, 1, 1),
                    commitment=bool(i % 100),
                    commitment_on=date(2020, 1, 1),
                    version=1,
                )
                for i in range(persons)
            ],
        )
        conn.execute(
            insert(StatusPeriod),
            [
                dict(
                    person_id=i + 1,
                    status="suspended" if i % 3 else "terminated",
                    start=date(2026, 3, 1) + timedelta(days=i % 200),
                    end=date(2026, 3, 1) + timedelta(days=i % 200 + 60),
                    source="score",
                    version=1,
                )
                for i in range(0, persons, 50)
            ],
        )
        uow.commit()
    ctx.engine.dispose()


def write_claims(path: Path, lines: int, persons: int) -> float:
    """The CSV in the program's own layout, written by DuckDB (seconds)."""
    import duckdb

    t = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""COPY (
      SELECT 'S' || lpad(i::VARCHAR, 10, '0') AS 结算流水号,
             'H445202' || lpad(((hash(i) % {persons}) % {INSTITUTIONS})::VARCHAR, 5, '0') AS 医药机构代码,
             'D445202' || lpad((hash(i) % {persons})::VARCHAR, 6, '0') AS 医保相关人员代码,
             '' AS 身份证件号码,
             (DATE '2026-01-01' + (hash(i * 7) % 320)::INT)::VARCHAR AS 服务日期,
             round(((hash(i * 3) % 50000) + 100) / 100.0, 2)::VARCHAR AS 基金支付金额,
             CASE WHEN hash(i * 11) % 50 = 0 THEN '是' ELSE '否' END AS 是否急诊抢救
      FROM range({lines}) t(i)) TO '{path}' (HEADER, DELIMITER ',')""")
    return time.perf_counter() - t


def anchor(path: Path, db: Path) -> dict:
    """The same check as one bare DuckDB query over the file (reference tables read from SQLite first)."""
    import resource
    import sqlite3

    import duckdb
    import pyarrow as pa

    t = time.perf_counter()
    with sqlite3.connect(db) as s:
        regs = s.execute(
            "SELECT r.person_code, i.code, r.registered_on, r.cancelled_on, r.commitment "
            "FROM registrations r JOIN institutions i ON i.id = r.institution_id"
        ).fetchall()
        pers = s.execute(
            "SELECT r.person_code, p.start, p.end FROM status_periods p "
            "JOIN registrations r ON r.person_id = p.person_id"
        ).fetchall()
    con = duckdb.connect(config={"threads": 2})
    con.register(
        "reg", pa.table({"k": [r[0] for r in regs], "inst": [r[1] for r in regs], "com": [bool(r[4]) for r in regs]})
    )
    con.register(
        "per",
        pa.table(
            {
                "k": [p[0] for p in pers],
                "s": pa.array([p[1] for p in pers]).cast(pa.date32()),
                "e": pa.array([p[2] for p in pers]).cast(pa.date32()),
            }
        ),
    )
    rows = con.execute(f"""SELECT c.* FROM read_csv('{path}', all_varchar = true) c
        LEFT JOIN reg r ON r.k = c.医保相关人员代码 AND r.inst = c.医药机构代码
        LEFT JOIN per p ON p.k = c.医保相关人员代码 AND TRY_CAST(c.服务日期 AS DATE) BETWEEN p.s AND p.e
        WHERE r.k IS NULL OR NOT r.com OR p.k IS NOT NULL""").fetchall()
    return {
        "seconds": time.perf_counter() - t,
        "found": len(rows),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def program(path: Path, db: Path) -> dict:
    """services.settlement.check_file as the clerk runs it."""
    import resource

    from tests.builders import signed_in
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services.settlement import check_file

    ctx = signed_in(build_context(str(db)))
    t = time.perf_counter()
    outcome = check_file(ctx, path)
    return {
        "seconds": time.perf_counter() - t,
        "found": len(outcome.findings),
        "lines": outcome.lines,
        "recoverable_fen": outcome.recoverable_fen,
        "problems": len(outcome.problems),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_subprocess(fn: str, path: Path, db: Path) -> dict:
    """Run one side in a fresh interpreter: its peak RSS is its own."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks import bench_settlement as b; "
        f"print(json.dumps(b.{fn}(__import__('pathlib').Path({str(path)!r}), "
        f"__import__('pathlib').Path({str(db)!r}))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "YIBAO_DATA_DIR": str(db.parent)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3, help="alternating runs of each side (best of them is compared)")
    ap.add_argument("--keep", action="store_true", help="leave the CSV and the database in the temp folder")
    args = ap.parse_args()
    from benchmarks.results_file import record

    work = Path(tempfile.mkdtemp(prefix="bench-settlement-"))
    db, csv_path = work / "city.sqlite3", work / "claims.csv"
    build_database(db, args.persons)
    made = write_claims(csv_path, args.lines, args.persons)
    print(f"{args.lines:,} lines, {csv_path.stat().st_size / 1048576:,.0f} MiB written by DuckDB in {made:.1f} s")
    runs = []
    for _ in range(args.repeat):  # alternate the sides: on a shared machine the load moves between runs
        runs.append((_in_subprocess("anchor", csv_path, db), _in_subprocess("program", csv_path, db)))
    bare = min((b for b, _ in runs), key=lambda r: r["seconds"])
    ours = min((o for _, o in runs), key=lambda r: r["seconds"])
    ratio = ours["seconds"] / bare["seconds"]
    each = [o["seconds"] / b["seconds"] for b, o in runs]
    print(
        f"anchor  (bare DuckDB query): best {bare['seconds']:.2f} s of {len(runs)}, peak {bare['peak_mib']:.0f} MiB, "
        f"{bare['found']:,} lines found"
    )
    print(
        f"program (check_file):        best {ours['seconds']:.2f} s of {len(runs)}, "
        f"peak {max(o['peak_mib'] for _, o in runs):.0f} MiB, {ours['found']:,} findings, {ours['problems']} problems, "
        f"{ours['recoverable_fen'] / 100:,.2f} yuan to recover"
    )
    print(
        f"ratio best to best: {ratio:.2f} (limit 5); run by run: {', '.join(f'{r:.2f}' for r in each)}; "
        f"peak memory {max(o['peak_mib'] for _, o in runs):.0f} MiB (limit 1024)"
    )
    record(
        "settlement",
        {"check_vs_bare_duckdb": ratio, "worst_run": max(each)},
        {
            "lines": args.lines,
            "anchor_s": bare["seconds"],
            "check_s": ours["seconds"],
            "anchor_peak_mib": bare["peak_mib"],
            "check_peak_mib": max(o["peak_mib"] for _, o in runs),
            "findings": ours["found"],
        },
        note=f"{args.lines:,}-line CSV, program's check vs one bare DuckDB query of the same check, each in a "
        f"subprocess, best of {len(runs)} alternating runs",
    )
    if not args.keep:
        shutil.rmtree(work)
    else:
        print(f"kept in {work}")


if __name__ == "__main__":
    main()
