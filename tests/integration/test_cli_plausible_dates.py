"""The CLI refuses the implausible dates the forms and the GUI import refuse, with the same words: a 承诺日期 in 2030 or
before the person's birth, a score decision dated 1995 (the CLI runs on today's real date, so the future is 2030)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.builders import add_institution, add_person
from tests.integration.test_plausible_dates import LIANG
from tests.integration.test_rosters import H1, ZENG, person, roster, score
from yibao_desktop.adapters.db.models import Registration, ScoreEntry
from yibao_desktop.cli import run


@pytest.fixture
def db(ctx, db_url, cli_user):
    add_institution(ctx, H1, "揭阳市人民医院")
    return db_url


def _report_messages(path) -> list[str]:
    """Every text cell of the error report the CLI wrote next to the file."""
    book = load_workbook(io.BytesIO(path.with_name(f"{path.stem}.错误报告.xlsx").read_bytes()), read_only=True)
    return [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]


def _count(ctx, model) -> int:
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_cli_import_refuses_commitment_dates_in_2030_and_before_birth(ctx, db, tmp_path, capsys):
    path = tmp_path / "名册.xlsx"
    rows = [
        person("曾志伟", ZENG, "D445202000011", 承诺日期=date(2030, 1, 5)),
        person("梁丽", LIANG, "D445202000021", 承诺日期=date(1901, 3, 1)),
    ]
    path.write_bytes(roster("personnel", rows))
    assert run(["--db", db, "import", "personnel", str(path)]) == 1
    assert "有错误 2" in capsys.readouterr().out and _count(ctx, Registration) == 0
    found = _report_messages(path)
    assert any(m.startswith("承诺日期（2030年1月5日）晚于今天") for m in found)
    assert any(m.startswith("承诺日期（1901年3月1日）早于本人出生日期（1990年9月9日）") for m in found)


def test_cli_import_refuses_a_score_decision_dated_1995_or_2030(ctx, db, tmp_path, capsys):
    add_person(ctx, H1, "曾志伟", seq=11)
    path = tmp_path / "记分.xlsx"
    rows = [
        score(ZENG, "揭医保罚〔1995〕5号", date(1995, 6, 1), "B1-01"),
        score(ZENG, "揭医保罚〔2030〕6号", date(2030, 1, 2), "B1-01"),
    ]
    path.write_bytes(roster("scores", rows))
    assert run(["--db", db, "import", "scores", str(path)]) == 1
    assert "有错误 2" in capsys.readouterr().out and _count(ctx, ScoreEntry) == 0
    found = _report_messages(path)
    assert any("决定日期（1995年6月1日）早于记分制度施行之日（2025年1月1日）" in m for m in found)
    assert any("决定日期（2030年1月2日）晚于今天" in m for m in found)
