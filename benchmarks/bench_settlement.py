"""Settlement check on a city: 1,000,000 claim lines checked against statuses and registrations.

Run: python benchmarks/bench_settlement.py [--lines 1000000] [--db benchmarks/out/city.sqlite3]
(the city database is the one bench_window.py builds).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--db", default=str(ROOT / "benchmarks" / "out" / "city.sqlite3"))
    args = ap.parse_args()
    from sqlalchemy import delete, insert, select

    from tests.builders import signed_in  # benchmarks act as the all-rounder test user
    from yibao_desktop.adapters.db.models import ClaimLine, Institution, Person, Registration
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.services.settlement import check_claims

    ctx = signed_in(build_context(args.db))
    rng = random.Random(1)
    with ctx.uow() as uow:
        conn = uow.session.connection()
        pool = conn.execute(select(Person.id_number, Registration.person_code, Institution.code)
                            .join(Registration, Registration.person_id == Person.id)
                            .join(Institution, Institution.id == Registration.institution_id)).all()
        conn.execute(delete(ClaimLine))
        t = time.perf_counter()
        batch = []
        for i in range(args.lines):
            idn, pcode, icode = rng.choice(pool)
            batch.append(dict(claim_id=f"B{i:09d}", institution_code=icode, person_code=pcode, id_number=idn,
                              service_date=date(2026, 1, 1) + timedelta(days=rng.randrange(320)),
                              fund_fen=rng.randrange(100, 50000), emergency=rng.random() < 0.02))
            if len(batch) == 50_000:
                conn.execute(insert(ClaimLine), batch)
                batch = []
        if batch:
            conn.execute(insert(ClaimLine), batch)
        uow.commit()
    print(f"stored {args.lines} claim lines in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    result = check_claims(ctx)
    secs = time.perf_counter() - t
    print(f"check_claims: {result.lines} lines in {secs:.1f} s ({result.lines / secs:,.0f} lines/s); "
          f"{len(result.findings)} findings, {result.recoverable_fen / 100:,.2f} yuan to recover, "
          f"{len(result.unmaintained)} institutions flagged")


if __name__ == "__main__":
    main()
