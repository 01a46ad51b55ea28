"""The designation workflow on a real database (receive → supplement → accept → evaluate → publicity → list) and
the institution notices printed from it and from agreement events (numbered once, archived, text checked)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.builders import add_institution, record_approved
from yibao_desktop.domain.designation import MATERIALS, ApplicantFacts, PersonRole
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import make_credit_code, make_id_number
from yibao_desktop.services import designation as dsg
from yibao_desktop.services import institution_notices as notices
from yibao_desktop.services.agreements import EventInput, record_event, sign_agreement
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.institutions import InstitutionInput, get_institution, save_institution

CONTROLLER_ID = make_id_number("445202", date(1975, 3, 8), 21, "男")
GOOD = ApplicantFacts(
    main_business="内科、外科",
    operating_since=date(2025, 1, 6),
    physicians_first_registered=3,
    beds=40,
    has_management_system=True,
    has_information_system=True,
    price_policy_violated=False,
    penalty_unfulfilled=False,
)
# What the data cannot answer even for a good applicant: 第九条（九） and 第六条（六）.
ALWAYS_OPEN = {"other_law", "other_conditions"}


def verify_open(ctx, row, on=None, answer="no", evidence="现场核查记录"):
    """The clerk answers every open item (否 for a refusal ground, 是 for a condition) with a note and evidence."""
    checks = [
        dsg.CheckInput(g.code, answer if g.group == "refusal" else "yes", "经现场核查无此情形", evidence)
        for g in row.open_items
    ]
    return dsg.verify_items(ctx, row.id, checks, on or row.evaluated_on)


def application_row(ctx, application_id: int) -> dsg.ApplicationRow:
    """The application as the 定点申请 dialog reads it (the whole list, found by id)."""
    return next(r for r in dsg.list_applications(ctx) if r.id == application_id)


def text_of(pdf: bytes) -> str:
    """All text of a PDF with line breaks and spaces removed (wrapped lines join again)."""
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(raw.split())


def received(ctx, name="揭阳康宁医院", on=date(2026, 1, 5), present=MATERIALS, credit=""):
    return dsg.receive_application(ctx, name, credit, "general_hospital", on, list(present))


def passed(ctx, name, on=date(2026, 1, 5), evaluated=date(2026, 2, 10)):
    app = received(ctx, name, on)
    dsg.accept(ctx, app.id, on)
    return verify_open(ctx, dsg.evaluate(ctx, app.id, GOOD, evaluated, address=f"揭阳市榕城区{name}路1号"))


# -- intake and deadlines ------------------------------------------------------------------------------------------


def test_incomplete_application_received_2026_09_29_needs_the_supplement_notice_by_oct_12(ctx):
    app = received(ctx, on=date(2026, 9, 29), present=MATERIALS[:4])
    assert app.state == "supplement" and app.state_label == "待补正材料"
    assert app.missing == tuple(ctx.profile.materials[m] for m in MATERIALS[4:])
    assert app.supplement_due == date(2026, 10, 12)


def test_supplement_notice_takes_one_number_and_cannot_be_issued_twice(ctx):
    app = received(ctx, on=date(2026, 9, 29), present=MATERIALS[1:])
    with pytest.raises(DomainError, match="早于接收日期"):
        dsg.issue_supplement_notice(ctx, app.id, date(2026, 9, 28))
    assert dsg.issue_supplement_notice(ctx, app.id, date(2026, 10, 9)) == "揭医保补〔2026〕1号"
    with pytest.raises(DomainError, match="一次性发出"):
        dsg.issue_supplement_notice(ctx, app.id, date(2026, 10, 10))
    pdf = notices.application_notice_pdf(ctx, app.id, "supplement")
    text = text_of(pdf)
    assert "揭医保补〔2026〕1号" in text and "1.定点医疗机构申请表" in text and "2026年9月29日" in text
    assert "广东" not in text  # the national profile names the national form and basis
    assert notices.application_notice_pdf(ctx, app.id, "supplement") == pdf
    docs = [d for d in list_documents(ctx) if d[0] == "揭医保补〔2026〕1号"]
    assert len(docs) == 1 and len(docs[0][6]) == 64


def test_evaluation_is_due_three_months_after_acceptance_plus_twenty_supplement_days(ctx):
    app = received(ctx, on=date(2026, 3, 2), present=MATERIALS[:4])
    assert dsg.accept(ctx, app.id, date(2026, 3, 2)).evaluation_due == date(2026, 6, 2)
    dsg.issue_supplement_notice(ctx, app.id, date(2026, 3, 4))
    with pytest.raises(DomainError, match="早于补正告知日期"):
        dsg.record_supplement_received(ctx, app.id, date(2026, 3, 3))
    row = dsg.record_supplement_received(ctx, app.id, date(2026, 3, 24))
    assert row.state == "accepted" and row.missing == ()
    assert row.evaluation_due == date(2026, 6, 22)


def test_evaluating_before_acceptance_is_refused_in_chinese(ctx):
    app = received(ctx)
    with pytest.raises(DomainError, match="尚未受理"):
        dsg.evaluate(ctx, app.id, GOOD, date(2026, 2, 10))
    with pytest.raises(DomainError, match="早于接收日期"):
        dsg.accept(ctx, app.id, date(2026, 1, 4))


def test_a_second_application_while_one_is_in_progress_is_refused(ctx):
    received(ctx)
    with pytest.raises(DomainError, match="办理中"):
        received(ctx, on=date(2026, 1, 8))


def test_supplements_arrive_item_by_item_and_the_wait_extends_the_limit_past_mid_autumn(ctx):
    app = received(ctx, on=date(2026, 6, 1), present=MATERIALS[:4])
    dsg.accept(ctx, app.id, date(2026, 6, 1))
    dsg.issue_supplement_notice(ctx, app.id, date(2026, 6, 3), deadline=date(2026, 6, 30))
    with pytest.raises(DomainError, match="一次性发出，依照一次性告知的要求不能再次告知"):
        dsg.issue_supplement_notice(ctx, app.id, date(2026, 6, 5))
    row = application_row(ctx, app.id)
    assert [m.code for m in row.outstanding] == ["fund_forecast", "provincial_other"]
    assert row.evaluation_due is None and row.supplement_deadline == date(2026, 6, 30)  # the clock is paused
    row = dsg.record_supplement_received(ctx, app.id, date(2026, 6, 10), ["fund_forecast"])
    assert row.state == "supplement" and row.missing == (ctx.profile.materials["provincial_other"],)
    (forecast,) = [m for m in row.materials if m.code == "fund_forecast"]
    assert forecast.status == "补正收到（2026-06-10）"
    with pytest.raises(DomainError, match="已登记收到"):
        dsg.record_supplement_received(ctx, app.id, date(2026, 6, 11), ["fund_forecast"])
    with pytest.raises(DomainError, match="补正材料尚未收齐"):
        dsg.evaluate(ctx, app.id, GOOD, date(2026, 6, 12))
    row = dsg.record_supplement_received(ctx, app.id, date(2026, 6, 28), ["provincial_other"])
    # waited 3 June → 28 June = 25 days; 1 Sept + 25 days = Sat 26 Sept, in the Mid-Autumn holiday → Mon 28 Sept
    assert (row.state, row.supplement_received_on, row.missing) == ("accepted", date(2026, 6, 28), ())
    assert row.evaluation_due == date(2026, 9, 28)
    text = text_of(notices.application_notice_pdf(ctx, app.id, "supplement"))
    assert "纳入定点后使用医疗保障基金的预测性分析报告" in text and "2026年6月30日" in text


def test_titles_and_legal_basis_follow_the_profile_guangdong_names_its_own_form(ctx):
    from dataclasses import replace

    from yibao_desktop.services.profiles import load_profile

    gd = replace(ctx, profile=load_profile("guangdong"))
    app = received(gd, on=date(2026, 9, 29), present=MATERIALS[1:])
    assert app.missing == ("广东省医疗保障定点医疗机构申请表",)
    assert application_row(ctx, app.id).missing == ("定点医疗机构申请表",)  # same record, national names
    dsg.issue_supplement_notice(gd, app.id, date(2026, 10, 9))
    text = text_of(notices.application_notice_pdf(gd, app.id, "supplement"))
    assert "广东省医疗保障定点医疗机构申请表" in text and "《广东省医疗机构医疗保障定点管理暂行办法》" in text


def test_the_work_list_counts_applications_by_next_step_and_the_overdue_ones(ctx):
    from yibao_desktop.services.dashboard import load_dashboard

    received(ctx, "揭阳康宁医院", on=date(2026, 11, 2), present=MATERIALS[:5])  # notice due 11-09: overdue
    waiting = received(ctx, "揭阳仁爱医院", on=date(2026, 11, 16), present=MATERIALS[:5])
    dsg.issue_supplement_notice(ctx, waiting.id, date(2026, 11, 18), deadline=date(2026, 12, 18))
    evaluating = received(ctx, "揭阳惠民医院", on=date(2026, 10, 8))
    dsg.accept(ctx, evaluating.id, date(2026, 10, 8))
    dsg.evaluate(ctx, evaluating.id, GOOD, date(2026, 11, 20))
    rows = {r.applicant_name: r for r in dsg.list_applications(ctx)}
    assert (rows["揭阳康宁医院"].next.label, rows["揭阳康宁医院"].next.when()) == ("发出补正告知", "2026-11-09前")
    assert rows["揭阳康宁医院"].overdue and not rows["揭阳仁爱医院"].overdue
    assert rows["揭阳仁爱医院"].next.when() == "2026-12-18前"
    assert (rows["揭阳惠民医院"].next.label, rows["揭阳惠民医院"].next.when()) == ("核实2项待定事项", "2027-01-08前")
    dash = load_dashboard(ctx)
    counts = dash.counts
    assert (counts["applications_open"], counts["applications_overdue"]) == (3, 1)
    lines = {(t.subject, t.due, t.urgency) for t in dash.todos if t.kind == "定点申请"}
    assert lines == {
        ("揭阳康宁医院", date(2026, 11, 9), "overdue"),
        ("揭阳仁爱医院", date(2026, 12, 18), "later"),
        ("揭阳惠民医院", date(2027, 1, 8), "later"),
    }
    assert (
        counts["applications_supplement_notice"],
        counts["applications_supplement"],
        counts["applications_to_verify"],
        counts["applications_to_evaluate"],
    ) == (1, 1, 1, 0)


# -- evaluation -----------------------------------------------------------------------------------------------------


def terminated_clinic(ctx, ground="fraud", on=date(2022, 11, 20)) -> int:
    """An institution whose controller is CONTROLLER_ID, its agreement terminated on `on`; returns the agreement id."""
    iid = save_institution(
        ctx,
        InstitutionInput(
            name="榕城仁和诊所", code="H44520200031", kind="clinic", controller="王大明", controller_id=CONTROLLER_ID
        ),
    )
    aid = sign_agreement(ctx, iid, "揭医协-2022-031", "annual", date(2022, 1, 1))
    record_event(
        ctx, aid, EventInput(kind="termination", on=on, decision_no="揭医保协决〔2022〕9号", ground_code=ground)
    )
    return aid


def test_controller_of_a_clinic_terminated_for_fraud_four_years_ago_is_found_by_id_number(ctx):
    terminated_clinic(ctx)
    app = received(ctx, "揭阳安康医院", on=date(2026, 11, 2))
    dsg.accept(ctx, app.id, date(2026, 11, 2))
    facts = ApplicantFacts(**{**vars(GOOD), "people": [PersonRole("实际控制人", "王明", CONTROLLER_ID)]})
    row = dsg.evaluate(ctx, app.id, facts, date(2026, 11, 23))
    assert row.result == "refused" and row.state_label == "不予受理"
    (hit,) = row.hits
    assert hit.code == "leader_serious_violation"
    assert "榕城仁和诊所" in hit.evidence and "2022-11-20" in hit.evidence and "按身份证号匹配" in hit.evidence
    assert len(row.grounds) == 15  # nine 第九条 grounds and six 第六条 conditions, each with evidence
    text = text_of(notices.application_notice_pdf(ctx, app.id, "refusal"))
    assert "不予受理定点申请通知书" in text and "揭医保拒〔2026〕1号" in text
    # the paper states the ground in the law's words; the matching evidence stays on the clerk's screen
    assert "1.法定代表人、主要负责人或实际控制人曾因严重违法违规导致原定点医疗机构解除医保协议，未满5年的情形。" in text
    assert "榕城仁和诊所" not in text and "2022-11-20" not in text and "本机构实际控制人" not in text
    assert "根据《医疗机构医疗保障定点管理暂行办法》（国家医疗保障局令第2号）有关规定" in text
    assert (
        "可与本机构协商解决" in text
        and "60日内依法申请行政复议" in text
        and "6个月内依法向人民法院提起行政诉讼" in text
    )


def test_controller_of_a_clinic_terminated_only_for_an_unfiled_change_is_not_a_ground(ctx):
    terminated_clinic(ctx, ground="change_not_filed")
    app = received(ctx, "揭阳安康医院", on=date(2026, 11, 2))
    dsg.accept(ctx, app.id, date(2026, 11, 2))
    facts = ApplicantFacts(**{**vars(GOOD), "people": [PersonRole("实际控制人", "王大明", CONTROLLER_ID)]})
    row = dsg.evaluate(ctx, app.id, facts, date(2026, 11, 23))
    assert {g.code for g in row.open_items} == ALWAYS_OPEN and not row.hits
    assert verify_open(ctx, row).result == "pass"


def test_failing_twice_bans_a_new_application_for_one_year(ctx):
    credit = make_credit_code("91445202MA4UX1234")
    app = received(ctx, "揭阳博爱医院", on=date(2026, 4, 1), credit=credit)
    dsg.accept(ctx, app.id, date(2026, 4, 1))
    no_doctor = ApplicantFacts(**{**vars(GOOD), "physicians_first_registered": 0})
    first = dsg.evaluate(ctx, app.id, no_doctor, date(2026, 5, 20))
    assert first.state == "failed" and first.reevaluation_from == date(2026, 8, 21)
    assert [g.code for g in first.hits] == ["first_registered_physician"]
    text = text_of(notices.application_notice_pdf(ctx, app.id, "evaluation"))
    assert "揭医保评〔2026〕1号" in text and "至少有1名第一注册地在该医疗机构的医师" in text and "整改建议" in text
    assert "整改3个月后可再次组织评估，评估仍不合格的，1年内不得再次申请" in text  # the profile's numbers
    with pytest.raises(DomainError, match="2026年8月21日起方可再次评估"):
        dsg.evaluate(ctx, app.id, no_doctor, date(2026, 8, 20))
    second = dsg.evaluate(ctx, app.id, no_doctor, date(2026, 8, 21))
    assert second.state == "banned" and second.ban_end == date(2027, 8, 21)
    assert notices.application_notice_pdf(ctx, app.id, "evaluation") != b""
    assert {d[0] for d in list_documents(ctx)} == {"揭医保评〔2026〕1号", "揭医保评〔2026〕2号"}
    with pytest.raises(DomainError, match="2027年8月21日前不得再次申请"):
        received(ctx, "揭阳博爱医院", on=date(2026, 11, 23), credit=credit)


# -- verification of open items ------------------------------------------------------------------------------------


def test_an_evaluation_with_an_unverified_condition_cannot_pass(ctx):
    app = received(ctx, on=date(2026, 9, 1))
    dsg.accept(ctx, app.id, date(2026, 9, 1))
    no_opening_date = ApplicantFacts(**{**vars(GOOD), "operating_since": None})
    row = dsg.evaluate(ctx, app.id, no_opening_date, date(2026, 11, 2))
    assert (row.state, row.result, row.result_label) == ("evaluating", "", "")
    assert row.state_label == "评估中（3项待核实）"
    assert {g.code for g in row.open_items} == ALWAYS_OPEN | {"operating_months"}
    assert row.evaluation_due == date(2026, 12, 1)
    with pytest.raises(DomainError, match="只有评估合格的申请才能公示"):
        dsg.start_publicity(ctx, [app.id], date(2026, 11, 23))
    assert notices.application_notices(ctx, app.id) == []  # no result, so no result notice and no number
    # the two items the data can never answer are verified; the 3-month operation is still open
    row = dsg.verify_items(
        ctx,
        app.id,
        [
            dsg.CheckInput("other_law", "no", "经查询无其他不予受理情形", "信用中国查询截图"),
            dsg.CheckInput("other_conditions", "yes", "符合省级规定的其他条件", "现场核查记录"),
        ],
        date(2026, 11, 20),
    )
    assert row.result == "" and [g.code for g in row.open_items] == ["operating_months"]
    assert not [d for d in list_documents(ctx) if "医保评" in d[0]]


def test_verifying_with_a_note_and_the_evidence_lets_it_pass_and_records_who_and_when(ctx, make_ctx):
    app = received(ctx, on=date(2026, 9, 1))
    dsg.accept(ctx, app.id, date(2026, 9, 1))
    row = dsg.evaluate(ctx, app.id, ApplicantFacts(**{**vars(GOOD), "operating_since": None}), date(2026, 11, 2))
    clerk = make_ctx("zhangli", "clerk")
    with pytest.raises(DomainError, match="核实情况说明") as err:
        dsg.verify_items(clerk, app.id, [dsg.CheckInput("operating_months", "yes", "", "营业执照")])
    assert err.value.field == "note_operating_months"
    with pytest.raises(DomainError, match="证据材料"):
        dsg.verify_items(clerk, app.id, [dsg.CheckInput("operating_months", "yes", "2026年5月开业", " ")])
    with pytest.raises(DomainError, match="无需人工核实"):
        dsg.verify_items(clerk, app.id, [dsg.CheckInput("first_registered_physician", "yes", "有", "执业证")])
    dsg.verify_items(
        clerk,
        app.id,
        [
            dsg.CheckInput("other_law", "no", "经查询无其他不予受理情形", "信用中国查询记录"),
            dsg.CheckInput("other_conditions", "yes", "符合省级规定的其他条件", "现场核查记录"),
        ],
        date(2026, 11, 20),
    )
    assert application_row(ctx, app.id).state == "evaluating"
    row = dsg.verify_items(
        clerk,
        app.id,
        [
            dsg.CheckInput(
                "operating_months", "yes", "2026年5月6日起正式运营，已满3个月", "营业执照、开业以来的门诊日志"
            )
        ],
        date(2026, 11, 23),
    )
    assert (row.result, row.state, row.evaluated_on) == ("pass", "passed", date(2026, 11, 23))
    (item,) = [g for g in row.grounds if g.code == "operating_months"]
    assert (item.answer, item.verdict, item.verified_by, item.verified_on) == (
        "是",
        "符合",
        "zhangli",
        date(2026, 11, 23),
    )
    assert (
        item.basis == "zhangli于2026-11-23核实：2026年5月6日起正式运营，已满3个月（证据：营业执照、开业以来的门诊日志）"
    )
    text = text_of(notices.application_notice_pdf(ctx, app.id, "evaluation"))
    assert "揭医保评〔2026〕1号" in text and "评估核查事项" in text and "是否已正式运营满3个月" in text
    assert "zhangli于2026-11-23核实" in text and "信用中国查询记录" in text


def test_a_verified_no_to_a_condition_fails_the_evaluation_at_once(ctx):
    app = received(ctx, on=date(2026, 9, 1))
    dsg.accept(ctx, app.id, date(2026, 9, 1))
    row = dsg.evaluate(ctx, app.id, ApplicantFacts(**{**vars(GOOD), "operating_since": None}), date(2026, 11, 2))
    row = dsg.verify_items(ctx, row.id, [dsg.CheckInput("operating_months", "no", "2026年10月才开业", "营业执照")])
    assert (row.result, row.state, row.reevaluation_from) == ("fail", "failed", date(2027, 2, 24))
    assert [g.code for g in row.hits] == ["operating_months"] and len(row.open_items) == 2


# -- publicity and listing ------------------------------------------------------------------------------------------


def test_publicity_from_2026_02_12_ends_on_working_saturday_feb_28_and_lists_both_institutions(ctx):
    a, b = passed(ctx, "揭阳康宁医院"), passed(ctx, "揭阳仁爱医院")
    period = dsg.start_publicity(ctx, [a.id, b.id], date(2026, 2, 12))
    # published on Thursday 12 Feb: the 7 working days are 13, 14 (调休 Saturday), 24–28 Feb (Spring Festival between)
    assert (period.first_day, period.last_day) == (date(2026, 2, 13), date(2026, 2, 28))
    assert period.text == "自2026年2月13日起至2026年2月28日止（7个工作日）"
    assert application_row(ctx, a.id).publicity_first == date(2026, 2, 13)
    text = text_of(notices.publicity_pdf(ctx, date(2026, 2, 12)))
    assert "揭阳康宁医院" in text and "揭阳仁爱医院" in text and "揭阳市榕城区揭阳仁爱医院路1号" in text
    assert "公示期自2026年2月13日起至2026年2月28日止（7个工作日）" in text and "2家" in text
    assert "揭医保公〔2026〕1号" in text and "联系人：李四，联系电话：0663-8888888" in text
    c = passed(ctx, "揭阳惠民医院")
    with pytest.raises(DomainError, match="公示已发布"):
        dsg.start_publicity(ctx, [c.id], date(2026, 2, 12))


def test_after_publicity_the_applicant_becomes_an_institution_ready_to_sign(ctx):
    app = received(ctx)
    dsg.accept(ctx, app.id, date(2026, 1, 5))
    facts = ApplicantFacts(**{**vars(GOOD), "people": [PersonRole("法定代表人", "陈光明", CONTROLLER_ID)]})
    verify_open(ctx, dsg.evaluate(ctx, app.id, facts, date(2026, 2, 10), address="揭阳市榕城区新阳路8号"))
    dsg.start_publicity(ctx, [app.id], date(2026, 2, 12))
    with pytest.raises(DomainError, match="期满后方可"):
        dsg.complete_publicity(ctx, app.id, date(2026, 2, 28), "H44520200011")
    iid = dsg.complete_publicity(ctx, app.id, date(2026, 3, 2), "H44520200011")
    data, _version = get_institution(ctx, iid)
    assert (data.name, data.code, data.address) == ("揭阳康宁医院", "H44520200011", "揭阳市榕城区新阳路8号")
    assert (data.legal_rep, data.legal_rep_id, data.beds) == ("陈光明", CONTROLLER_ID, 40)
    assert application_row(ctx, app.id).state_label == "已列入拟签协议名单"
    assert sign_agreement(ctx, iid, "揭医协-2026-011", "annual", date(2026, 3, 2)) > 0


# -- agreement event notices ----------------------------------------------------------------------------------------


def test_termination_notice_prints_the_ground_text_and_the_decision_number(ctx):
    iid = add_institution(ctx, "H44520200001", "揭阳市人民医院")
    aid = sign_agreement(ctx, iid, "揭医协-2026-001", "annual", date(2026, 1, 1))
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="termination",
            on=date(2026, 11, 20),
            effective=date(2026, 12, 1),
            decision_no="揭医保协决〔2026〕7号",
            ground_code="change_not_filed",
        ),
    )
    (event,) = notices.printable_events(ctx, aid)
    assert event.title == "解除医保协议通知书"
    pdf = notices.agreement_event_pdf(ctx, event.id)
    text = text_of(pdf)
    assert "1.被发现重大信息发生变更但未办理变更的情形。" in text
    # 《2号令》第四十三条第（六）项: the national article of the ground, read in the order's text (RULES.md)
    assert (
        "根据《医疗机构医疗保障定点管理暂行办法》（国家医疗保障局令第2号）第四十三条第（六）项、本机构处理决定" in text
    )
    assert "揭医保协决〔2026〕7号" in text and "揭医保解〔2026〕1号" in text
    assert "自2026年12月1日起解除" in text and "揭医协-2026-001" in text
    assert notices.agreement_event_pdf(ctx, event.id) == pdf


def test_suspension_and_guidance_extension_notices_print_their_periods(ctx):
    iid = add_institution(ctx, "H44520200001", "揭阳市人民医院")
    aid = sign_agreement(ctx, iid, "揭医协-2026-001", "annual", date(2026, 3, 1))
    record_approved(ctx, aid, EventInput(kind="guidance_extension", on=date(2026, 6, 10), detail="超范围收费"))
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="suspension",
            on=date(2026, 7, 1),
            until=date(2026, 9, 30),
            decision_no="揭医保协决〔2026〕8号",
            ground_code="data_not_provided",
        ),
    )
    suspension, extension = notices.printable_events(ctx, aid)
    text = text_of(notices.agreement_event_pdf(ctx, suspension.id))
    assert "1.未按规定向经办机构及医疗保障行政部门提供有关数据或提供数据不真实的情形。" in text
    assert "自2026年7月1日起至2026年9月30日止" in text
    text = text_of(notices.agreement_event_pdf(ctx, extension.id))
    assert "超范围收费" in text and "自2026年3月1日起进入医保政策辅导期" in text
    assert "根据《国家医疗保障局关于进一步加强医疗保障定点医疗机构管理的通知》（医保发〔2025〕14号）第（四）项" in text
    assert "延长6个月" in text and "国家医保局关于" not in text
    assert "自2026年9月1日起至2027年2月28日止" in text


def test_any_registered_number_reprints_even_after_its_archive_file_was_lost(ctx, tmp_path):
    from yibao_desktop.cli import run
    from yibao_desktop.services.archive import archive_path
    from yibao_desktop.services.reprint import document_pdf

    iid = add_institution(ctx, "H44520200001", "揭阳市人民医院")
    aid = sign_agreement(ctx, iid, "揭医协-2026-001", "annual", date(2026, 1, 1))
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="termination",
            on=date(2026, 11, 20),
            effective=date(2026, 12, 1),
            decision_no="揭医保协决〔2026〕7号",
            ground_code="change_not_filed",
        ),
    )
    (event,) = notices.printable_events(ctx, aid)
    first = notices.agreement_event_pdf(ctx, event.id)
    assert document_pdf(ctx, "揭医保解〔2026〕1号") == first
    archive_path("揭医保解〔2026〕1号", 2026).unlink()
    with pytest.raises(DomainError, match="存档原件无法核实"):  # an issued original is never rendered again silently
        document_pdf(ctx, "揭医保解〔2026〕1号")
    again = text_of(document_pdf(ctx, "揭医保解〔2026〕1号", regenerate=True))
    assert "揭医保协决〔2026〕7号" in again and "重新生成件" in again
    with pytest.raises(DomainError, match="没有文号"):
        document_pdf(ctx, "揭医保解〔2026〕99号")
    if ctx.engine.url.get_backend_name() == "sqlite":
        out = tmp_path / "again.pdf"
        assert run(["--db", str(ctx.engine.url.database), "print", "notice", "揭医保解〔2026〕1号", str(out)]) == 2
        assert (
            run(
                [
                    "--db",
                    str(ctx.engine.url.database),
                    "print",
                    "notice",
                    "揭医保解〔2026〕1号",
                    str(out),
                    "--regenerate",
                ]
            )
            == 0
        )
        assert "解除医保协议" in text_of(out.read_bytes()) and "重新生成件" in text_of(out.read_bytes())


def test_under_the_guangdong_profile_notices_cite_the_provincial_rules_with_the_article_of_each_ground(ctx):
    from yibao_desktop.services.profiles import load_profile

    ctx.profile = load_profile("guangdong")
    terminated_clinic(ctx)
    app = received(ctx, "揭阳安康医院", on=date(2026, 11, 2))
    dsg.accept(ctx, app.id, date(2026, 11, 2))
    facts = ApplicantFacts(
        **{**vars(GOOD), "main_business": "医疗美容", "people": [PersonRole("实际控制人", "王明", CONTROLLER_ID)]}
    )
    dsg.evaluate(ctx, app.id, facts, date(2026, 11, 23))
    text = text_of(notices.application_notice_pdf(ctx, app.id, "refusal"))
    assert "根据《广东省医疗机构医疗保障定点管理暂行办法》第九条第（一）项、第（七）项有关规定" in text
    iid = add_institution(ctx, "H44520200002", "揭阳市人民医院")
    aid = sign_agreement(ctx, iid, "揭医协-2026-001", "annual", date(2026, 1, 1))
    record_approved(
        ctx,
        aid,
        EventInput(
            kind="termination",
            on=date(2026, 11, 20),
            effective=date(2026, 12, 1),
            decision_no="揭医保协决〔2026〕7号",
            ground_code="change_not_filed",
        ),
    )
    (event,) = notices.printable_events(ctx, aid)
    text = text_of(notices.agreement_event_pdf(ctx, event.id))
    assert (
        "根据《广东省医疗机构医疗保障定点管理暂行办法》第四十二条第（六）项、本机构处理决定（揭医保协决〔2026〕7号）"
        in text
    )


def _ground_codes(ctx, application_id: int) -> set[str]:
    import json

    from yibao_desktop.adapters.db.models import Application

    with ctx.uow() as uow:
        reasons = json.loads(uow.get(Application, application_id, "申请不存在。").reasons)
    return {g["code"] for g in reasons["grounds"]}


def test_the_tianjin_conditions_follow_the_profile_flag_not_the_distance_number(ctx):
    """《天津通知》二（二） applies where the profile switches it on; a distance number alone switches nothing."""
    from dataclasses import replace

    from yibao_desktop.services.profiles import load_profile

    tj = replace(ctx, profile=load_profile("tianjin"))
    app = received(tj, "天津康宁医院", on=date(2026, 1, 5))
    dsg.accept(tj, app.id, date(2026, 1, 5))
    dsg.evaluate(tj, app.id, GOOD, date(2026, 2, 10))
    assert {"records_kept", "video_kept"} <= _ground_codes(tj, app.id)

    distance_only = replace(ctx, profile=replace(ctx.profile, distance_rule_m=1500))
    other = received(distance_only, "揭阳惠民医院", on=date(2026, 1, 5))
    dsg.accept(distance_only, other.id, date(2026, 1, 5))
    dsg.evaluate(distance_only, other.id, GOOD, date(2026, 2, 10))
    assert not {"records_kept", "video_kept"} & _ground_codes(distance_only, other.id)
