"""Registration refusals, stale edits and agreement linkage on a real database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import add_institution, add_person
from yibao_desktop.domain.errors import DomainError, PermissionDenied, StaleEdit
from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.agreements import EventInput, approve_event, record_event, sign_agreement
from yibao_desktop.services.agreements_query import agreement_events
from yibao_desktop.services.institutions import get_institution, save_institution
from yibao_desktop.services.registrations import (
    RegistrationInput,
    cancel_registration,
    list_registrations,
    register_person,
)


@pytest.fixture
def inst(ctx):
    add_institution(ctx, "H44520200001", "揭阳市人民医院")
    return "H44520200001"


def reg(idn, name="陈丽娟", code="D445202000001", inst="H44520200001", **kw):
    return RegistrationInput(name=name, id_number=idn, person_code=code, institution_code=inst, **kw)


def test_a_wrong_check_digit_is_refused_and_nothing_is_saved(ctx, inst):
    good = make_id_number("445202", date(1985, 3, 1), 4, "女")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(DomainError, match="校验位"):
        register_person(ctx, reg(bad))
    assert list_registrations(ctx) == []


def test_a_numeric_id_cell_is_refused_as_damaged_by_excel(ctx, inst):
    with pytest.raises(DomainError, match="Excel"):
        register_person(ctx, reg(445202198503010048))


def test_birth_date_typed_against_the_id_number_is_refused(ctx, inst):
    idn = make_id_number("445202", date(1985, 3, 1), 4, "女")
    with pytest.raises(DomainError) as err:
        register_person(ctx, reg(idn, birth_date=date(1985, 3, 2)))
    assert err.value.field == "birth_date"


def test_a_duplicate_registration_at_the_same_institution_is_refused(ctx, inst):
    _, idn = add_person(ctx, inst, "陈丽娟", seq=4, sex="女")
    with pytest.raises(DomainError, match="不能重复登记"):
        register_person(ctx, reg(idn, code="D445202000004"))


def test_a_job_change_cancels_and_keeps_history_then_registers_again(ctx, inst):
    rid, idn = add_person(ctx, inst, "陈丽娟", seq=4, sex="女")
    version = list_registrations(ctx)[0].version
    with pytest.raises(DomainError, match="不能早于"):
        cancel_registration(ctx, rid, date(2024, 12, 31), "调离本机构", version)
    cancel_registration(ctx, rid, date(2026, 6, 30), "调离本机构", version)
    add_institution(ctx, "H44520200002", "榕城区中医医院", kind="tcm_hospital")
    register_person(ctx, reg(idn, code="D445202000004", inst="H44520200002"), today=date(2026, 7, 1))
    rows = list_registrations(ctx, include_cancelled=True)
    assert sorted(r.status_label for r in rows) == ["已注销", "正常"]


def test_a_stale_edit_from_another_clerk_is_refused_and_the_first_save_kept(ctx, make_ctx, inst):
    iid = 1
    data_a, ver_a = get_institution(ctx, iid)
    data_b, ver_b = get_institution(make_ctx("clerk", "clerk"), iid)
    data_a.phone = "0663-8888888"
    save_institution(ctx, data_a, iid, ver_a)
    data_b.address = "揭阳市榕城区临江北路1号"
    with pytest.raises(StaleEdit, match="其他经办人员"):
        save_institution(ctx, data_b, iid, ver_b)
    saved, _ = get_institution(ctx, iid)
    assert (saved.phone, saved.address) == ("0663-8888888", "")


def test_an_institution_edit_names_its_major_changes_in_the_log_and_a_minor_one_does_not(ctx, inst):
    """《广东办法》第三十九条: a change of address or legal representative must be filed; the log says which."""
    from yibao_desktop.services import audit_log

    data, version = get_institution(ctx, 1)
    data.phone, data.address, data.legal_rep = "0663-8888888", "揭阳市榕城区临江北路1号", "林秀英"
    save_institution(ctx, data, 1, version)
    data, version = get_institution(ctx, 1)
    data.phone = "0663-9999999"
    save_institution(ctx, data, 1, version)
    minor, major = audit_log.list_entries(ctx, audit_log.AuditFilter(entity="institution", entity_id=1))[:2]
    assert major.detail == "H44520200001；重大信息变更：法定代表人、注册地址"
    assert minor.detail == "H44520200001"


def test_suspending_an_agreement_suspends_only_the_responsible_persons(ctx, make_ctx, inst):
    _, idn1 = add_person(ctx, inst, "陈丽娟", seq=4, sex="女")
    _, idn2 = add_person(ctx, inst, "林建华", seq=5, code="D445202000005")
    aid = sign_agreement(ctx, 1, "揭医保协〔2026〕1号", "annual", date(2026, 1, 1), newly_designated=False)
    pid1 = next(r.person_id for r in list_registrations(ctx) if r.id_number == idn1)
    summary = record_event(
        ctx,
        aid,
        EventInput(
            kind="suspension",
            on=date(2026, 5, 6),
            decision_no="揭医保协处〔2026〕3号",
            effective=date(2026, 5, 6),
            until=date(2026, 8, 5),
            responsible_ids=[pid1],
        ),
    )
    assert "须由另一位审核人员审核" in summary  # maker–checker: nothing changes yet
    assert {r.status for r in list_registrations(ctx)} == {"active"}
    event_id = next(e.id for e in agreement_events(ctx, aid) if e.kind == "suspension")
    with pytest.raises(PermissionDenied):
        approve_event(ctx, event_id)
    summary = approve_event(make_ctx("reviewer2", "reviewer"), event_id)
    assert "1名责任人员同步暂停" in summary
    status = {r.id_number: r.status for r in list_registrations(ctx)}
    assert status == {idn1: "suspended", idn2: "active"}
    record_event(ctx, aid, EventInput(kind="suspension", on=date(2026, 9, 1), decision_no="揭医保协处〔2026〕9号"))
    assert [e.kind for e in agreement_events(ctx, aid)] == ["sign", "suspension", "suspension"]


def test_a_guidance_extension_moves_the_guidance_end_by_six_months(ctx, inst):
    aid = sign_agreement(ctx, 1, "揭医保协〔2026〕2号", "annual", date(2026, 8, 31))
    msg = record_event(ctx, aid, EventInput(kind="guidance_extension", on=date(2026, 11, 23)))
    assert msg == "政策辅导期延长至2027年8月31日。"
