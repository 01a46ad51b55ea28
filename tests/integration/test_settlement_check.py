"""Settlement check of files the tests write (UTF-8 and GBK CSV, tab-separated, .xlsx, a foreign header set):
lines in a suspension are recovered except emergencies, bad rows are named, nothing but the run is stored."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import add_person, issue_suspension
from yibao_desktop.adapters.db.models import ClaimCheckRun, ClaimFinding, ClaimMapping, Person
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.services.settlement import check_file, inspect_file, save_mapping

OWN = ["结算流水号", "医药机构代码", "医保相关人员代码", "身份证件号码", "服务日期", "基金支付金额", "是否急诊抢救"]


def write_text(path, headers, rows, *, encoding="utf-8", delimiter=","):
    """A settlement export as the settlement system writes it."""
    lines = [delimiter.join(headers)] + [delimiter.join(map(str, r)) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def claims_xlsx(rows: list[list]) -> bytes:
    """The program's own layout as .xlsx (codes as text)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(OWN)
    for r in rows:
        sheet.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def suspended(ctx, make_ctx):
    """曾志伟 suspended 2026-09-14 … 2026-11-13 (9 points, 2 months), registered at H44520200001 as D445202000007."""
    return issue_suspension(ctx, make_ctx("reviewer", "reviewer"))[1]


def _lines(idn):
    return [
        ["C1", "H44520200001", "", idn, "2026-09-13", "100.00", "否"],
        ["C2", "H44520200001", "", idn, "2026-09-14", "200.50", "否"],
        ["C3", "H44520200001", "", idn, "2026-11-13", "300", "是"],
        ["C4", "H44520200001", "D445202000007", "", "2026-09-12", "400", "否"],
        ["C5", "H44520200001", "D445202999999", "", "2026-10-01", "50", "否"],
    ]


def _assert_c2_c3_c5(outcome):
    by_id = {f.claim.claim_id: f for f in outcome.findings}
    assert sorted(by_id) == ["C2", "C3", "C5"]
    assert (by_id["C2"].reason_code, by_id["C2"].recoverable) == ("suspended", True)
    assert (by_id["C3"].reason_code, by_id["C3"].recoverable) == ("suspended", False)  # emergency: listed only
    assert by_id["C5"].reason_code == "unregistered"
    assert outcome.recoverable_fen == 20050
    assert outcome.unmaintained == ["H44520200001"]
    assert outcome.lines == 5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_in_any_encoding_finds_the_suspended_lines_and_lists_emergencies_as_not_recoverable(
    ctx, suspended, tmp_path, encoding
):
    path = write_text(tmp_path / "结算明细.csv", OWN, _lines(suspended), encoding=encoding)
    outcome = check_file(ctx, path)
    _assert_c2_c3_c5(outcome)
    assert outcome.problems == []
    with ctx.uow() as uow:
        run = uow.session.get(ClaimCheckRun, outcome.run_id)
        assert (run.lines, run.findings, run.recoverable_fen, run.file_name) == (5, 3, 20050, "结算明细.csv")
        assert run.fund_fen == 105050 and run.first_day == date(2026, 9, 12) and run.last_day == date(2026, 11, 13)
        assert len(run.sha256) == 64
        assert sorted(f.claim_id for f in uow.session.scalars(select(ClaimFinding))) == ["C2", "C3", "C5"]


def test_a_tab_separated_txt_and_an_xlsx_give_the_same_findings(ctx, suspended, tmp_path):
    _assert_c2_c3_c5(check_file(ctx, write_text(tmp_path / "export.txt", OWN, _lines(suspended), delimiter="\t")))
    xlsx = tmp_path / "export.xlsx"
    xlsx.write_bytes(claims_xlsx(_lines(suspended)))
    _assert_c2_c3_c5(check_file(ctx, xlsx))


def test_a_foreign_header_set_is_mapped_once_and_recognised_the_next_time(ctx, suspended, tmp_path):
    foreign = [
        "结算ID",
        "定点医药机构编号",
        "医师代码",
        "开单医生编码",
        "患者证件号",
        "费用发生时间",
        "统筹支付",
        "急诊标志",
    ]
    rows = [
        [c[0], c[1], c[2], "X", c[3], c[4].replace("-", ""), c[5], "1" if c[6] == "是" else "0"]
        for c in _lines(suspended)
    ]
    path = write_text(tmp_path / "his.tsv", foreign, rows, encoding="gb18030", delimiter="\t")
    look = inspect_file(ctx, path)
    assert look.mapping is None and look.headers == foreign and look.encoding == "gb18030"
    with pytest.raises(DomainError, match="无法确定各列的含义"):
        check_file(ctx, path)
    mapping = {
        "claim_id": "结算ID",
        "institution_code": "定点医药机构编号",
        "person_code": "医师代码",
        "id_number": "患者证件号",
        "service_date": "费用发生时间",
        "fund_amount": "统筹支付",
        "emergency": "急诊标志",
    }
    save_mapping(ctx, "某结算系统", foreign, mapping)
    look = inspect_file(ctx, path)
    assert (look.mapping, look.mapping_name) == (mapping, "某结算系统")
    outcome = check_file(ctx, path)
    _assert_c2_c3_c5(outcome)
    assert inspect_file(ctx, path).earlier[0][0] == outcome.run_id  # the same file again is recognised
    assert check_file(ctx, path, mapping_name="某结算系统").earlier[0][0] == outcome.run_id


def test_a_bad_row_is_named_by_row_and_column_and_the_rest_is_checked(ctx, suspended, tmp_path):
    rows = _lines(suspended)
    rows.insert(1, ["C9", "H44520200001", "", suspended, "2026-13-40", "1", "否"])
    rows.insert(2, ["C8", "H44520200001", "", suspended, "2026-10-10", "十元", "否"])
    path = write_text(tmp_path / "bad.csv", OWN, rows)
    outcome = check_file(ctx, path)
    assert {(p.row, p.column) for p in outcome.problems} == {(3, "服务日期"), (4, "基金支付金额")}
    assert sorted(f.claim.claim_id for f in outcome.findings) == ["C2", "C3", "C5"]
    strict = check_file(ctx, path, strict=True)
    assert strict.run_id is None and "2 行" in strict.refused
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ClaimCheckRun)) == 1


def test_text_longer_than_its_finding_column_is_a_cell_error_before_anything_is_written(ctx, suspended, tmp_path):
    """The roster import's rule (adapters.excel.cells.too_long, limits from the findings table): a 61-character
    结算流水号 on a line that is otherwise in order, a 21-character institution code and a 19-character ID number on
    lines in the suspension are named by row and column; none of them is stored, on SQLite and PostgreSQL alike."""
    rows = _lines(suspended)
    rows[0][0] = "C" * 61  # C1: in order, would never be looked at for its cells otherwise
    rows.insert(2, ["C7", "H" + "4" * 20, "", suspended, "2026-10-01", "70", "否"])
    rows.insert(3, ["C6", "H44520200001", "", suspended + "1", "2026-10-02", "60", "否"])
    path = write_text(tmp_path / "long.csv", OWN, rows)
    outcome = check_file(ctx, path)
    assert sorted((p.row, p.column, p.message) for p in outcome.problems) == [
        (2, "结算流水号", "“结算流水号”最多 60 个字符，现在有 61 个字符，请删减后重新导入"),
        (4, "医药机构代码", "“医药机构代码”最多 20 个字符，现在有 21 个字符，请删减后重新导入"),
        (5, "身份证件号码", "“身份证件号码”最多 18 个字符，现在有 19 个字符，请删减后重新导入"),
    ]
    assert sorted(f.claim.claim_id for f in outcome.findings) == ["C2", "C3", "C5"]
    with ctx.uow() as uow:
        stored = uow.session.scalars(select(ClaimFinding.claim_id)).all()
    assert sorted(stored) == ["C2", "C3", "C5"]
    strict = check_file(ctx, path, strict=True)
    assert strict.run_id is None and "3 行" in strict.refused


def test_a_mapping_name_longer_than_its_column_is_refused_in_chinese(ctx):
    headers = list(OWN)
    mapping = dict(
        zip(
            ("claim_id", "institution_code", "person_code", "id_number", "service_date", "fund_amount", "emergency"),
            OWN,
            strict=True,
        )
    )
    with pytest.raises(DomainError, match="“名称”最多 60 个字符，现在有 61 个字符"):
        save_mapping(ctx, "某" * 61, headers, mapping)
    save_mapping(ctx, "某" * 60, headers, mapping)  # exactly the column's size is fine
    with ctx.uow() as uow:
        assert uow.session.scalars(select(ClaimMapping.name)).all() == ["某" * 60]


def test_the_period_chosen_limits_the_lines_checked(ctx, suspended, tmp_path):
    path = write_text(tmp_path / "x.csv", OWN, _lines(suspended))
    outcome = check_file(ctx, path, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert [f.claim.claim_id for f in outcome.findings] == ["C5"] and outcome.lines_checked == 1


def test_a_person_without_commitment_is_flagged(ctx, tmp_path):
    from tests.builders import add_institution
    from yibao_desktop.domain.ids import make_id_number
    from yibao_desktop.services.registrations import RegistrationInput, register_person

    add_institution(ctx)
    idn = make_id_number("445202", date(1985, 1, 1), 3, "女")
    register_person(
        ctx,
        RegistrationInput(
            name="林小梅",
            id_number=idn,
            person_code="D445202000003",
            institution_code="H44520200001",
            commitment=False,
            registered_on=date(2025, 1, 2),
        ),
        today=date(2025, 1, 2),
    )
    add_person(ctx, name="陈建国", seq=4)
    path = write_text(
        tmp_path / "c.csv",
        OWN,
        [
            ["K1", "H44520200001", "D445202000003", "", "2026-05-06", "9", "否"],
            ["K2", "H44520200001", "D445202000004", "", "2026-05-06", "9", "否"],
        ],
    )
    outcome = check_file(ctx, path)
    assert [(f.claim.claim_id, f.reason_code) for f in outcome.findings] == [("K1", "no_commitment")]


def test_the_recovery_list_and_the_notices_follow_the_stored_run(ctx, suspended, tmp_path, fonts):
    from python_calamine import CalamineWorkbook

    from yibao_desktop.services.settlement_notices import recovery_notices_pdf
    from yibao_desktop.services.settlement_outputs import recovery_list

    outcome = check_file(ctx, write_text(tmp_path / "x.csv", OWN, _lines(suspended)))
    out = tmp_path / "list.xlsx"
    out.write_bytes(recovery_list(ctx, outcome.run_id))
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["追回汇总", "追回明细", "未及时维护状态的机构", "核查信息"]
    totals = book.get_sheet_by_name("追回汇总").to_python()
    zeng = next(r for r in totals[2:] if r[3] == suspended)
    assert zeng[4] == "曾志伟" and zeng[5] == 2 and zeng[6] == 200.5 and zeng[7] == 1  # numbers as numbers
    detail = book.get_sheet_by_name("追回明细").to_python()
    assert [r[0] for r in detail[1:]] == ["C5", "C2", "C3"]  # by institution, then person
    pdf = recovery_notices_pdf(ctx, outcome.run_id)
    again = recovery_notices_pdf(ctx, outcome.run_id)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(p.extract_text() for p in doc.pages)
    assert "追回医保基金通知书" in text and "200.50" in text and "揭医保追〔2026〕1号" in text
    assert "第四十六条" in text  # billed a suspended person's non-emergency service
    with pdfplumber.open(io.BytesIO(again)) as doc:
        assert "揭医保追〔2026〕1号" in "".join(p.extract_text() for p in doc.pages)  # the number is not taken twice


def test_the_cli_checks_a_csv_and_exits_1_with_findings_0_without_and_2_when_refused(
    ctx, suspended, tmp_path, cli_user
):
    from python_calamine import CalamineWorkbook

    from yibao_desktop.cli import run

    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("CLI test uses the SQLite file")
    db = str(ctx.engine.url.database)
    src = write_text(tmp_path / "claims.csv", OWN, [["C9", "H44520200001", "", suspended, "2026-10-09", "88.8", "否"]])
    out = tmp_path / "recover.xlsx"
    assert run(["--db", db, "claims", "check", str(src), str(out), "--from", "2026-10-01"]) == 1
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("追回明细").to_python()
    assert rows[1][0] == "C9" and rows[1][9] == "暂停期内结算"
    clean = write_text(tmp_path / "clean.csv", OWN, [["C1", "H44520200001", "", suspended, "2026-09-01", "8", "否"]])
    assert run(["--db", db, "claims", "check", str(clean), str(tmp_path / "none.xlsx")]) == 0
    foreign = write_text(tmp_path / "foreign.csv", ["结算ID", "金额"], [["1", "2"]])
    assert run(["--db", db, "claims", "check", str(foreign), str(tmp_path / "no.xlsx")]) == 2
    bad = write_text(tmp_path / "bad.csv", OWN, [["C1", "H44520200001", "", suspended, "2026-02-30", "8", "否"]])
    assert run(["--db", db, "claims", "check", str(bad), str(tmp_path / "b.xlsx"), "--strict"]) == 2
    assert (tmp_path / "b_错误报告.xlsx").exists()


def test_a_suspension_linked_to_an_agreement_action_counts_like_a_score_notice(ctx, tmp_path):
    """《规程》第三十四条: suspending an agreement suspends its responsible persons; the ledger period (source
    agreement, no disposition) makes their lines recoverable just the same."""
    from tests.builders import add_institution
    from yibao_desktop.adapters.db.models import StatusPeriod

    add_institution(ctx)
    _, idn = add_person(ctx, name="黄志明", seq=12)
    with ctx.uow() as uow:  # the period as the ledger records an agreement-linked suspension
        pid = uow.session.scalar(select(Person.id).where(Person.id_number == idn))
        uow.session.add(
            StatusPeriod(
                person_id=pid,
                status="suspended",
                start=date(2026, 6, 1),
                end=date(2026, 8, 31),
                ended_on=date(2026, 8, 31),  # the agreement resumed on 2026-09-01
                source="agreement",
            )
        )
        uow.commit()
    path = write_text(
        tmp_path / "a.csv",
        OWN,
        [
            ["A1", "H44520200001", "D445202000012", "", "2026-07-01", "66", "否"],
            ["A2", "H44520200001", "D445202000012", "", "2026-09-01", "77", "否"],
        ],
    )
    outcome = check_file(ctx, path)
    (finding,) = outcome.findings
    assert (finding.claim.claim_id, finding.reason_code, finding.recoverable) == ("A1", "suspended", True)
    assert "协议处理" in finding.reason


def test_a_suspension_not_restored_still_holds_after_its_printed_end_and_a_restoration_ends_it(ctx, make_ctx, tmp_path):
    """One rule with the ledger (domain/persons.py: held_span, 《规程》第三十九条 and the notice's "如需恢复，可在暂停
    期满后……提出申请"): printed 2026-09-14 … 2026-11-13; with no restoration a line of 11-14 is still in the
    suspension; once a restoration passes on 11-20 (effective that day), a line of 11-21 is not."""
    from dataclasses import replace

    from yibao_desktop.services import score_followups
    from yibao_desktop.services.dossier import load_dossier
    from yibao_desktop.services.registrations import list_registrations

    idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))[1]
    rows = [
        ["R1", "H44520200001", "", idn, "2026-11-14", "40", "否"],
        ["R2", "H44520200001", "", idn, "2026-11-21", "50", "否"],
    ]
    path = write_text(tmp_path / "r.csv", OWN, rows)
    assert sorted(f.claim.claim_id for f in check_file(ctx, path).findings) == ["R1", "R2"]
    pid = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn)
    period = load_dossier(ctx, pid).periods[0]
    rid = score_followups.file_restoration(ctx, period.id, date(2026, 11, 16), "已整改")
    late = replace(make_ctx("reviewer", "reviewer"), clock=lambda: date(2026, 11, 20))
    assert score_followups.decide_restoration(late, rid, True, date(2026, 11, 20)) == date(2026, 11, 20)
    assert [f.claim.claim_id for f in check_file(ctx, path).findings] == ["R1"]
    assert load_dossier(ctx, pid).periods[0].ended_by == "资格恢复（2026-11-20决定）"  # the 一医一档 says why
