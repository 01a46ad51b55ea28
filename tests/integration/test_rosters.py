"""Roster import and export through services.rosters on a real database: validate, preview, commit, round trip."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import add_institution, add_person
from tests.fixtures.excel_factory import excel_like
from yibao_desktop.adapters.db.models import (
    Agreement,
    AuditEntry,
    Disposition,
    Institution,
    Person,
    Registration,
    ScoreEntry,
)
from yibao_desktop.adapters.excel import ROSTER_TITLES, columns
from yibao_desktop.adapters.excel.cells import NUMERIC_ID_MESSAGE
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.registrations import RegistrationInput, list_registrations, register_person
from yibao_desktop.services.rosters import (
    commit_import,
    error_report,
    export_roster,
    export_table,
    preview_import,
)
from yibao_desktop.services.rosters import personnel as roster_personnel
from yibao_desktop.services.rosters import scores as roster_scores
from yibao_desktop.services.scoring import ScoreInput, preview_score, record_scores

H1, H2 = "H44520200001", "H44520200002"
ZENG = make_id_number("445202", date(1980, 5, 17), 11, "男")
LIN = make_id_number("445202", date(1985, 2, 3), 12, "女")
CHEN = make_id_number("445203", date(1990, 9, 9), 13, "男")


def roster(kind: str, rows: list[dict]) -> bytes:
    """An .xlsx of one roster: header row plus dict rows keyed by Chinese header (codes as text cells)."""
    headers = [c.header for c in columns(kind)]
    text = [i for i, c in enumerate(columns(kind)) if c.kind in ("code", "id")]
    return excel_like(
        [headers, *[[r.get(h) for h in headers] for r in rows]], title=ROSTER_TITLES[kind], text_columns=text
    )


def person(name: str, idn: str, code: str, inst: str = H1, **more) -> dict:
    return {
        "姓名": name,
        "医保相关人员代码": code,
        "身份证件号码": idn,
        "医药机构代码": inst,
        "执业类型": "执业医师",
        "专业技术职务": "主治医师",
        "是否签订承诺书": "是",
        "承诺日期": date(2026, 1, 5),
        **more,
    }


def count(ctx, model) -> int:
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def sites(ctx):
    add_institution(ctx, H1, "揭阳市人民医院")
    add_institution(ctx, H2, "榕城区中医医院", kind="tcm_hospital")
    return ctx


GOOD = [
    person("曾志伟", ZENG, "D445202000011"),
    person("曾志伟", ZENG, "D445202000011", H2),
    person("林秀英", LIN, "D445202000012", 联系电话="13800138000"),
]


def test_valid_personnel_rows_create_two_persons_and_three_registrations(sites):
    preview = preview_import(sites, "personnel", roster("personnel", GOOD), "名册.xlsx")
    assert not preview.has_errors
    assert preview.counts == {"new": 3, "changed": 0, "unchanged": 0, "rejected": 0}
    assert commit_import(sites, preview)["new"] == 3
    regs = list_registrations(sites)
    assert sorted((r.name, r.institution_code, r.person_code) for r in regs) == [
        ("曾志伟", H1, "D445202000011"),
        ("曾志伟", H2, "D445202000011"),
        ("林秀英", H1, "D445202000012"),
    ]
    assert count(sites, Person) == 2
    with sites.uow() as uow:
        lin = uow.session.scalar(select(Person).where(Person.id_number == LIN))
        assert (lin.sex, lin.birth_date, lin.phone, lin.name_initials) == (
            "女",
            date(1985, 2, 3),
            "13800138000",
            "lxy",
        )
        assert "新增 3" in uow.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "import.personnel"))


def test_a_bad_check_digit_writes_nothing_and_the_report_marks_that_cell(sites):
    bad = ZENG[:-1] + ("0" if ZENG[-1] != "0" else "1")
    data = roster("personnel", [GOOD[2], person("曾志伟", bad, "D445202000011")])
    preview = preview_import(sites, "personnel", data)
    assert preview.has_errors and preview.counts["rejected"] == 1 and preview.counts["new"] == 1
    errors = [p for p in preview.problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(3, "身份证件号码")]
    assert "校验位" in errors[0].message
    with pytest.raises(DomainError, match="未导入任何数据"):
        commit_import(sites, preview)
    assert count(sites, Person) == 0 and count(sites, Registration) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(error_report(preview)))["人员登记备案名册"]
    cell = sheet.cell(row=3, column=3)
    assert cell.value == bad and "校验位" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert not sheet.cell(row=2, column=3).fill.fgColor.rgb.endswith("FFC7CE")  # a warning at most


def test_accept_valid_writes_only_the_rows_without_errors(sites):
    data = roster("personnel", [GOOD[2], person("曾志伟", ZENG, "D445202000011", "H44520299999")])
    preview = preview_import(sites, "personnel", data)
    unknown = [p for p in preview.problems if p.severity == "error"]
    assert [(p.row, p.column) for p in unknown] == [(3, "医药机构代码")]
    assert "H44520299999" in unknown[0].message and "不存在" in unknown[0].message
    assert commit_import(sites, preview, accept_valid=True) == {
        "new": 1,
        "changed": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert [r.name for r in list_registrations(sites)] == ["林秀英"]


def test_reimporting_the_same_file_changes_nothing(sites):
    data = roster("personnel", GOOD)
    commit_import(sites, preview_import(sites, "personnel", data))
    before = [count(sites, m) for m in (Person, Registration)]
    again = preview_import(sites, "personnel", data)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 3, "rejected": 0}
    commit_import(sites, again)
    assert [count(sites, m) for m in (Person, Registration)] == before == [2, 3]


def test_a_numeric_id_cell_is_refused_as_damaged_by_excel(sites):
    row = person("陈建华", CHEN, "D445203000013")
    row["身份证件号码"] = float(CHEN[:15] + "000")
    preview = preview_import(sites, "personnel", roster("personnel", [row]))
    assert [(p.row, p.column, p.message) for p in preview.problems if p.severity == "error"] == [
        (2, "身份证件号码", NUMERIC_ID_MESSAGE)
    ]


def test_changed_title_and_phone_update_the_registration_and_person(sites):
    commit_import(sites, preview_import(sites, "personnel", roster("personnel", GOOD)))
    edited = [dict(GOOD[2], 专业技术职务="副主任医师", 联系电话="13900139000")]
    preview = preview_import(sites, "personnel", roster("personnel", edited))
    assert preview.counts["changed"] == 1
    commit_import(sites, preview)
    (reg,) = [r for r in list_registrations(sites) if r.name == "林秀英"]
    assert reg.title == "副主任医师" and reg.version == 2
    with sites.uow() as uow:
        assert uow.session.scalar(select(Person.phone).where(Person.id_number == LIN)) == "13900139000"


def test_database_conflicts_are_reported_by_row_and_column(sites):
    _, idn = add_person(sites, H1, "黄丽娟", seq=21, sex="女", code="D445202000021")
    rows = [
        person("黄丽娟", CHEN, "D445202000021"),  # someone else's code
        person("黄丽", idn, "D445202000022", H2),
    ]  # registered under another name
    preview = preview_import(sites, "personnel", roster("personnel", rows))
    found = {(p.row, p.column): p.message for p in preview.problems if p.severity == "error"}
    assert found[(2, "医保相关人员代码")] == "医保相关人员代码 D445202000021 已属于“黄丽娟”，不能用于本人"
    assert "已登记为“黄丽娟”" in found[(3, "姓名")]


def test_a_suspended_person_cannot_be_registered_at_another_institution(sites):
    add_person(sites, H1, "曾志伟", seq=11)
    with sites.uow() as uow:
        p = uow.session.scalar(select(Person).where(Person.id_number == ZENG))
        p.status, p.status_start, p.status_end = "suspended", date(2026, 10, 1), date(2027, 1, 31)
        uow.commit()
    preview = preview_import(sites, "personnel", roster("personnel", [person("曾志伟", ZENG, "D445202000011", H2)]))
    (err,) = [p for p in preview.problems if p.severity == "error"]
    assert (err.row, err.column) == (2, "身份证件号码") and "2027年1月31日" in err.message


def test_a_failure_while_writing_registrations_leaves_no_person_behind(sites, monkeypatch):
    preview = preview_import(sites, "personnel", roster("personnel", GOOD))

    def boom(conn, values):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_personnel, "_insert_registrations", boom)
    with pytest.raises(RuntimeError):
        commit_import(sites, preview)
    assert count(sites, Person) == 0 and count(sites, AuditEntry) == 2  # the two add_institution entries


def test_a_registration_made_after_the_preview_is_not_duplicated_by_the_commit(sites):
    preview = preview_import(sites, "personnel", roster("personnel", [GOOD[2]]))
    register_person(
        sites,
        RegistrationInput(
            name="林秀英",
            id_number=LIN,
            person_code="D445202000012",
            institution_code=H1,
            commitment=True,
            commitment_on=date(2026, 1, 5),
        ),
        today=date(2026, 11, 23),
    )
    counts = commit_import(sites, preview)
    assert counts["new"] == 0 and count(sites, Registration) == 1


INSTITUTION = {
    "机构名称": "揭阳市榕城区东山社区卫生服务中心",
    "医药机构代码": "H44520200003",
    "机构类别": "社区卫生服务中心（站）",
    "经营性质": "公立",
    "床位数": 20,
    "联系电话": "0663-8223344",
    "协议编号": "揭医保协〔2026〕88号",
    "协议类型": "年度协议",
    "协议开始日期": date(2026, 3, 1),
    "协议状态": "正常",
}


def test_an_institution_row_with_agreement_columns_creates_the_agreement_and_reimport_is_unchanged(ctx):
    data = roster("institutions", [INSTITUTION])
    preview = preview_import(ctx, "institutions", data)
    assert preview.counts["new"] == 1 and not preview.has_errors
    commit_import(ctx, preview)
    with ctx.uow() as uow:
        inst = uow.session.scalar(select(Institution))
        ag = uow.session.scalar(select(Agreement))
        assert (inst.kind, inst.ownership, inst.region_code, inst.beds) == (
            "community_health",
            "public",
            "445202",
            20,
        )
        assert (ag.number, ag.institution_id, ag.start, ag.end, ag.status) == (
            "揭医保协〔2026〕88号",
            inst.id,
            date(2026, 3, 1),
            date(2027, 2, 28),
            "active",
        )
    again = preview_import(ctx, "institutions", data)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 1, "rejected": 0}
    commit_import(ctx, again)
    assert count(ctx, Agreement) == 1 and count(ctx, Institution) == 1


def test_a_whole_class_as_institution_kind_is_taken_with_a_warning(ctx):
    row = dict(
        INSTITUTION,
        机构类别="综合医院、中医医院、中西医结合医院、民族医医院、专科医院、康复医院",
        协议编号=None,
    )
    preview = preview_import(ctx, "institutions", roster("institutions", [row]))
    assert not preview.has_errors
    assert [(p.column, p.severity) for p in preview.problems if "已按“综合医院”登记" in p.message] == [
        ("机构类别", "warning")
    ]


def score(
    idn: str,
    no: str,
    day: date,
    code: str,
    resp: str = "一般",
    points=None,
    inst: str = H1,
    name: str = "曾志伟",
) -> dict:
    return {
        "身份证件号码": idn,
        "姓名": name,
        "医药机构代码": inst,
        "处理类型": "行政处罚",
        "决定文书号": no,
        "决定日期": day,
        "检查批次号": "JC1",
        "违规行为代码": code,
        "责任程度": resp,
        "记分": points,
    }


@pytest.fixture
def scored(sites):
    add_person(sites, H1, "曾志伟", seq=11)
    return sites


def test_a_blank_score_is_proposed_and_a_total_of_nine_drafts_a_suspension_as_typed(scored):
    ctx = scored
    first = score(ZENG, "揭医保罚〔2026〕5号", date(2026, 3, 2), "B2-02", "重要")
    second = score(ZENG, "揭医保罚〔2026〕9号", date(2026, 6, 1), "B2-03")
    expected = None
    commit_import(ctx, preview_import(ctx, "scores", roster("scores", [first])))
    expected = preview_score(
        ctx,
        [ScoreInput(ZENG, H1, "penalty", "揭医保罚〔2026〕9号", date(2026, 6, 1), "JC1", "B2-03", "general")],
    )
    preview = preview_import(ctx, "scores", roster("scores", [first, second]))
    assert preview.counts == {"new": 1, "changed": 0, "unchanged": 1, "rejected": 0}
    commit_import(ctx, preview)
    with ctx.uow() as uow:
        points = list(uow.session.scalars(select(ScoreEntry.points).order_by(ScoreEntry.id)))
        d = uow.session.scalars(select(Disposition).order_by(Disposition.id)).all()[-1]
        assert points == [5, 4]
        assert (d.kind, d.months, d.total_year, d.state, d.reason) == (
            "suspension",
            2,
            9,
            "draft",
            expected.disposition.reason,
        )


def test_points_outside_the_band_are_refused_with_the_allowed_range(scored):
    rows = [score(ZENG, "揭医保罚〔2026〕5号", date(2026, 3, 2), "B2-02", points=8)]
    preview = preview_import(scored, "scores", roster("scores", rows))
    (err,) = [p for p in preview.problems if p.severity == "error"]
    assert (err.row, err.column) == (2, "记分") and "应在 4 至 6 分之间" in err.message


def test_a_future_decision_date_and_an_unknown_person_are_refused(scored):
    rows = [
        score(ZENG, "揭医保罚〔2026〕5号", date(2026, 11, 24), "B2-02"),
        score(CHEN, "揭医保罚〔2026〕6号", date(2026, 3, 2), "B2-02", name="陈建华"),
    ]
    preview = preview_import(scored, "scores", roster("scores", rows))
    found = {(p.row, p.column): p.message for p in preview.problems if p.severity == "error"}
    assert "晚于今天" in found[(2, "决定日期")] and "没有登记备案记录" in found[(3, "身份证件号码")]


def test_a_failure_on_the_third_decision_rolls_back_the_first_two(scored, monkeypatch):
    rows = [score(ZENG, f"揭医保罚〔2026〕{n}号", date(2026, n, 2), "B1-01") for n in (1, 2, 3)]
    preview = preview_import(scored, "scores", roster("scores", rows))
    calls = []

    def third_fails(ctx, items, kind=None, months=None, uow=None):
        calls.append(items)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        return record_scores(ctx, items, kind, months, uow=uow)

    monkeypatch.setattr(roster_scores, "record_scores", third_fails)
    with pytest.raises(RuntimeError):
        commit_import(scored, preview)
    assert len(calls) == 3 and count(scored, ScoreEntry) == 0 and count(scored, Disposition) == 0


def test_personnel_export_reimports_unchanged_and_has_the_extra_columns(sites):
    commit_import(sites, preview_import(sites, "personnel", roster("personnel", GOOD)))
    data = export_roster(sites, "personnel", None)
    preview = preview_import(sites, "personnel", data)
    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 3, "rejected": 0}
    assert preview.read.headers[-4:] == [
        "本年度累计记分",
        "资格状态起始日期",
        "资格状态截止日期",
        "再次登记备案限制截止日期",
    ]


def test_institution_export_reimports_unchanged(sites):
    commit_import(sites, preview_import(sites, "institutions", roster("institutions", [INSTITUTION])))
    preview = preview_import(sites, "institutions", export_roster(sites, "institutions", None))
    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 3, "rejected": 0}
    assert not preview.has_errors


def test_score_export_shows_running_totals_and_the_decisions_disposition(scored):
    ctx = scored
    record_scores(
        ctx,
        [ScoreInput(ZENG, H1, "penalty", "揭医保罚〔2026〕5号", date(2026, 3, 2), "JC1", "B2-02", "important")],
    )
    record_scores(
        ctx,
        [ScoreInput(ZENG, H1, "penalty", "揭医保罚〔2026〕9号", date(2026, 6, 1), "JC2", "B2-03", "general")],
        months=4,
    )
    record_scores(
        ctx,
        [ScoreInput(ZENG, H1, "agreement", "揭医保协处〔2025〕3号", date(2025, 12, 1), "JC0", "B1-01", "general")],
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_roster(ctx, "scores", 2026))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=1)]
    assert rows[0][-2:] == ["本年度累计记分", "拟处理意见"]
    assert [(r[4], r[-2], r[-1]) for r in rows[1:]] == [
        ("揭医保罚〔2026〕5号", 5, "通报所在机构"),
        ("揭医保罚〔2026〕9号", 9, "暂停医保支付资格4个月"),
    ]
    reimport = preview_import(ctx, "scores", export_roster(ctx, "scores", None))
    assert reimport.counts == {"new": 0, "changed": 0, "unchanged": 3, "rejected": 0}


def test_export_table_keeps_id_numbers_and_codes_as_text_and_dates_as_dates():
    data = export_table(
        "人员",
        ["姓名", "身份证件号码", "机构代码", "日期", "记分"],
        [["曾志伟", ZENG, H1, date(2026, 3, 2), 5], ["林秀英", LIN, H2, None, 0]],
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]][:3] == ["曾志伟", ZENG, H1]
    assert sheet["B2"].number_format == "@" and sheet["D2"].is_date and sheet["E2"].value == 5


def test_one_bad_entry_holds_back_the_whole_decision_even_with_accept_valid(scored):
    rows = [
        score(ZENG, "揭医保罚〔2026〕7号", date(2026, 4, 1), "B2-02", resp="很重"),
        score(ZENG, "揭医保罚〔2026〕7号", date(2026, 4, 1), "B2-03"),
        score(ZENG, "揭医保罚〔2026〕8号", date(2026, 5, 1), "B1-01"),
    ]
    preview = preview_import(scored, "scores", roster("scores", rows))
    found = {(p.row, p.column): p.message for p in preview.problems if p.severity == "error"}
    assert found[(3, "决定文书号")] == "同一决定（揭医保罚〔2026〕7号）的第 2 行有错误，本行一并不导入"
    assert preview.counts == {"new": 1, "changed": 0, "unchanged": 0, "rejected": 2}
    commit_import(scored, preview, accept_valid=True)
    with scored.uow() as uow:
        assert list(uow.session.scalars(select(ScoreEntry.decision_no))) == ["揭医保罚〔2026〕8号"]


def test_personnel_export_gives_qualification_dates_only_for_a_suspended_person(sites):
    import io

    from openpyxl import load_workbook

    add_person(sites, H1, "曾志伟", seq=11)
    add_person(sites, H2, "林秀英", seq=12, sex="女", code="D445202000012")
    with sites.uow() as uow:
        p = uow.session.scalar(select(Person).where(Person.id_number == ZENG))
        p.status, p.status_start, p.status_end = "suspended", date(2026, 10, 1), date(2027, 1, 31)
        other = uow.session.scalar(select(Person).where(Person.name == "林秀英"))
        other.status_start, other.status_end = date(2025, 1, 1), date(2025, 3, 31)  # an old, ended period
        uow.commit()
    sheet = load_workbook(io.BytesIO(export_roster(sites, "personnel", None))).worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    zeng, lin = by_name["曾志伟"], by_name["林秀英"]
    assert (zeng["资格状态起始日期"].date(), zeng["资格状态截止日期"].date()) == (date(2026, 10, 1), date(2027, 1, 31))
    assert (lin["资格状态起始日期"], lin["资格状态截止日期"]) == (None, None)
    assert (zeng["医药机构代码"], lin["医药机构代码"]) == (H1, H2) and lin["医药机构名称"] == "榕城区中医医院"
