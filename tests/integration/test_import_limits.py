"""Nothing is lost silently on import: rows after long blank runs are read, and text longer than its database
column is refused by cell before commit, alike on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution
from tests.integration.test_rosters import CHEN, GOOD, H1, H2, LIN, ZENG, person, roster
from yibao_desktop.adapters.db.models import Person, Registration
from yibao_desktop.adapters.excel import columns
from yibao_desktop.services.rosters import commit_import, preview_import
from yibao_desktop.services.rosters.common import text_limits

# Roster columns whose text is compared with the database or the catalog, never stored.
COMPARED_ONLY = {("personnel", "institution_name"), ("scores", "name"), ("scores", "violation")}
STORED_AS_CODES = {("institutions", "kind"), ("institutions", "ownership")}


@pytest.fixture
def sites(ctx):
    add_institution(ctx, H1, "揭阳市人民医院")
    add_institution(ctx, H2, "榕城区中医医院", kind="tcm_hospital")
    return ctx


def test_every_stored_text_column_of_every_roster_has_its_database_size():
    for kind in ("personnel", "institutions", "scores", "claims"):
        limits = text_limits(kind)
        for col in columns(kind):
            if col.kind in ("text", "code") and (kind, col.key) not in COMPARED_ONLY | STORED_AS_CODES:
                assert col.key in limits or (kind, col.key) == ("scores", "notes"), (kind, col.key)
    assert text_limits("personnel")["practice_scope"] == 100 and text_limits("scores")["decision_no"] == 60
    assert "notes" not in text_limits("scores")  # a Text column has no size


def test_an_oversized_value_is_an_error_of_its_cell_and_the_rest_commits_on_both_engines(sites):
    rows = [GOOD[0], GOOD[2], person("陈国强", CHEN, "D445203000013", H2, 执业范围="内科" * 60, 联系电话="1" * 41)]
    preview = preview_import(sites, "personnel", roster("personnel", rows), "名册.xlsx")
    errors = {(p.row, p.column): p.message for p in preview.problems if p.severity == "error"}
    assert errors == {
        (4, "执业范围"): "“执业范围”最多 100 个字符，现在有 120 个字符，请删减后重新导入",
        (4, "联系电话"): "“联系电话”最多 40 个字符，现在有 41 个字符，请删减后重新导入",
    }
    counts = commit_import(sites, preview, accept_valid=True)  # PostgreSQL: no DataError at commit
    assert (counts["new"], counts["rejected"]) == (2, 1)
    with sites.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Registration)) == 2
        assert uow.session.scalar(select(func.max(func.length(Registration.practice_scope)))) <= 100
        assert set(uow.session.scalars(select(Person.id_number))) == {ZENG, LIN}


def test_rows_after_a_long_blank_run_are_imported_with_a_warning(sites):
    data = roster("personnel", [GOOD[0], *[{}] * 60, GOOD[2]])
    preview = preview_import(sites, "personnel", data, "名册.xlsx")
    assert preview.counts["new"] == 2 and not preview.has_errors
    assert [p.row for p in preview.problems if p.column == "" and p.severity == "warning"] == [63]
    assert commit_import(sites, preview)["new"] == 2


def test_a_commitment_date_in_2030_is_refused_by_the_cli_with_the_same_words(sites, db_url, cli_user, tmp_path, capsys):
    from yibao_desktop.cli import run

    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", [person("曾志伟", ZENG, "D445202000011", 承诺日期=date(2030, 1, 5))]))
    assert run(["--db", db_url, "import", "personnel", str(path)]) == 1
    from openpyxl import load_workbook

    report = load_workbook(tmp_path / "名册.错误报告.xlsx")["问题清单"]
    texts = [row[3] for row in report.iter_rows(min_row=2, values_only=True)]
    assert any("承诺日期（2030年1月5日）晚于今天" in t for t in texts), texts  # the CLI runs on the real clock


def test_an_incomplete_check_cannot_be_committed_even_accepting_the_valid_rows(sites):
    from yibao_desktop.domain.errors import DomainError

    bad = [person("陈国强", CHEN[:-1] + "Z", f"D44520300001{i}", H2) for i in range(3)]
    preview = preview_import(sites, "personnel", roster("personnel", [GOOD[0], *bad]), "名册.xlsx", max_errors=2)
    assert not preview.read.complete and preview.read.total_rows == 4
    assert "错误已超过 2 处，检查已在第 5 行停止：已检查 4 行，发现 3 处错误" in preview.problems[0].message
    with pytest.raises(DomainError, match="检查已提前停止"):
        commit_import(sites, preview, accept_valid=True)
    assert preview_import(sites, "personnel", roster("personnel", [GOOD[0], *bad]), "名册.xlsx").read.complete


def test_the_cli_stops_at_max_errors_and_checks_every_row_with_zero(sites, db_url, cli_user, tmp_path, capsys):
    from yibao_desktop.cli import run

    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster("personnel", [person("陈国强", CHEN[:-1] + "Z", f"D44520300001{i}", H2) for i in range(3)]))
    assert run(["--db", db_url, "import", "personnel", "--max-errors", "1", str(path)]) == 1
    out = capsys.readouterr()
    assert "错误已超过 1 处" in out.err and "--max-errors 0" in out.err and "检查未完成，未写入任何数据" in out.out
    assert run(["--db", db_url, "import", "personnel", "--max-errors", "0", str(path)]) == 1
    out = capsys.readouterr()
    assert "共 3 行" in out.out and "错误已超过" not in out.err
