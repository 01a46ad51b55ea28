"""The 操作日志 reads in Chinese: every stored table and column has a Chinese name, codes show their Chinese label."""

from __future__ import annotations

import re
from datetime import date

from yibao_desktop.adapters.db.base import Base
from yibao_desktop.services.audit_labels import FIELD_LABELS, TABLE_LABELS, change_text


def test_every_column_of_every_table_has_a_chinese_name():
    import yibao_desktop.adapters.db.models  # noqa: F401  (registers every table)

    missing = sorted(
        {c.name for t in Base.metadata.tables.values() for c in t.columns} - set(FIELD_LABELS) - {"id", "version"}
    )
    assert not missing, f"columns without a Chinese name in services/audit_labels.py: {missing}"
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in FIELD_LABELS.values())


def test_score_entry_fields_read_in_chinese():
    lines = [
        change_text("score_entries", 54, f, None, v)
        for f, v in (("decision_kind", "penalty"), ("band", 4), ("responsibility", "general"), ("circumstance", "none"))
    ]
    assert lines[0] == "记分#54 决定类型：行政处罚"
    assert "记分档次：4" in lines[1] and "责任：一般" in lines[2] and not re.search(r"[a-z]", "".join(lines))
    assert "score_entries" in TABLE_LABELS


def _audited_actions() -> set[str]:
    """Every action name the services write, with the names built from a kind or state spelled out."""
    from pathlib import Path

    from yibao_desktop.services.agreements import EVENT_KINDS
    from yibao_desktop.services.appeals import APPEAL_STATES
    from yibao_desktop.services.rosters.common import ROSTER_LABELS

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("yibao_desktop").rglob("*.py"))
    found = set(re.findall(r"audit\(\s*\w+,\s*f?\"([a-z_.{}]+)\"", source))
    assert len(found) > 30, "the search for audit() calls found too little: has its form changed?"
    spelled = {
        "{ev.kind}": EVENT_KINDS,
        "{row.kind}": EVENT_KINDS,
        "{state}": APPEAL_STATES,
        "{preview.kind}": ROSTER_LABELS,
    }
    actions = set()
    for name in found:
        holes = re.findall(r"\{[^}]+\}", name)
        assert len(holes) <= 1 and all(h in spelled for h in holes), f"unknown action pattern {name}"
        actions |= {name.replace(holes[0], key) for key in spelled[holes[0]]} if holes else {name}
    return actions


def test_every_audited_action_has_a_chinese_name():
    from yibao_desktop.services.audit_log import action_label

    english = {a: action_label(a) for a in _audited_actions() if re.search(r"[a-z]", action_label(a))}
    assert not english, f"actions shown with English in the 操作日志: {english}"
    assert action_label("agreement.suspension.approve") == "审核中止协议"
    assert action_label("appeal.expert") == "申诉：专家评审中"
    assert action_label("import.personnel") == "导入人员登记备案名册"


def test_stored_codes_of_appeals_and_documents_read_in_chinese():
    lines = [
        change_text("appeals", 5, "state", "received", "decided"),
        change_text("appeals", 5, "outcome", None, "upheld"),
        change_text("appeals", 5, "filed_by", None, "institution"),
        change_text("documents", 43, "doc_type", None, "score_notice"),
        change_text("agreement_events", 2, "kind", None, "suspension"),
        change_text("status_periods", 8, "status", None, "terminated"),
        change_text("status_periods", 8, "source", None, "score"),
        change_text("documents", 43, "ref_table", None, "dispositions"),
    ]
    assert lines == [
        "申诉#5 状态：已受理 → 已办结",
        "申诉#5 办理结果：维持原处理",
        "申诉#5 申诉提出方：定点医药机构",
        "文书登记#43 文书类型：医保支付资格处理通知书",
        "协议处理#2 类别：中止协议",
        "暂停/终止期#8 状态：终止",
        "暂停/终止期#8 来源：记分处理通知书",
        "文书登记#43 关联表：处理意见",
    ]


def test_a_field_naming_another_record_reads_as_that_record(ctx):
    from tests.builders import add_institution, add_person
    from yibao_desktop.services.audit_log import AuditFilter, list_entries

    add_institution(ctx)
    rid, _idn = add_person(ctx, name="曾志伟", seq=3)
    (reg,) = [r for r in list_entries(ctx, AuditFilter(subject="曾志伟")) if r.action == "registration.create"]
    assert reg.entity_id == rid and reg.entity_text == "曾志伟@揭阳市人民医院"
    assert "人员：曾志伟（#" in reg.changes_text and "定点机构：揭阳市人民医院（#" in reg.changes_text
    assert not re.search(r"(人员|定点机构)：\d", reg.changes_text)
    assert change_text("registrations", 1, "person_id", None, 999_999, refs={}) == "登记备案#1 人员：#999999"


def test_a_notice_and_an_appeal_against_it_read_as_the_person_and_the_number(ctx, make_ctx):
    from sqlalchemy import select

    from tests.builders import issue_suspension
    from yibao_desktop.adapters.db.models import Disposition
    from yibao_desktop.services import notices
    from yibao_desktop.services.appeals import file_appeal
    from yibao_desktop.services.audit_refs import describe

    did, _idn = issue_suspension(ctx, make_ctx("reviewer", "reviewer"))
    with ctx.uow() as uow:
        doc_no = uow.session.scalar(select(Disposition.doc_no).where(Disposition.id == did))
    notices.record_delivery(ctx, did, date(2026, 9, 16))
    notices.record_receipt(ctx, did, date(2026, 9, 18))
    aid = file_appeal(ctx, did, "person", date(2026, 9, 21), "对违规事实认定有异议。")
    with ctx.uow() as uow:
        words = describe(uow.session, [("disposition", did), ("appeal", aid), ("appeal", 999_999)])
    assert words[("disposition", did)].endswith(f" {doc_no}") and words[("appeal", aid)] == words[("disposition", did)]
    assert ("appeal", 999_999) not in words
