"""The next step of a designation application and its deadline (《广东办法》第十、十二条)."""

from datetime import date

from yibao_desktop.domain.designation_steps import ApplicationDates, next_step

TODAY = date(2026, 11, 23)
D = ApplicationDates(received_on=date(2026, 9, 29), supplement_due=date(2026, 10, 12))


def test_incomplete_materials_ask_for_the_notice_by_its_deadline_then_for_the_arrivals():
    step = next_step("supplement", D, TODAY)
    assert (step.key, step.label, step.when(), step.overdue(TODAY)) == (
        "supplement_notice",
        "发出补正告知",
        "2026-10-12前",
        True,
    )
    noticed = ApplicationDates(D.received_on, D.supplement_due, date(2026, 10, 9), date(2026, 12, 10))
    step = next_step("supplement", noticed, TODAY)
    assert (step.label, step.when(), step.overdue(TODAY)) == ("登记收到补正材料", "2026-12-10前", False)


def test_accepted_then_evaluating_show_the_evaluation_limit():
    dates = ApplicationDates(
        D.received_on, accepted_on=date(2026, 9, 29), evaluation_due=date(2026, 12, 29), open_items=2
    )
    assert next_step("accepted", dates, TODAY).when() == "2026-12-29前"
    assert next_step("evaluating", dates, TODAY).label == "核实2项待定事项"


def test_publicity_to_2026_02_28_lists_from_march_1_and_a_failed_applicant_from_its_reevaluation_day():
    pub = ApplicationDates(D.received_on, publicity_last_day=date(2026, 2, 28))
    step = next_step("publicity", pub, date(2026, 2, 27))
    assert (step.label, step.when(), step.overdue(date(2026, 3, 5))) == (
        "公示期满后纳入拟签协议名单",
        "2026-03-01起",
        False,
    )
    assert next_step("publicity", pub, date(2026, 3, 1)).label == "纳入拟签协议名单"
    failed = ApplicationDates(D.received_on, reevaluation_from=date(2027, 2, 21))
    assert next_step("failed", failed, TODAY).when() == "2027-02-21起"


def test_closed_applications_have_no_next_step():
    assert all(next_step(s, D, TODAY) is None for s in ("refused", "banned", "listed"))
