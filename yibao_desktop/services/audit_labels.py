"""How a captured change reads in the 操作日志: Chinese names of tables, fields and stored codes.

The log stores the raw table, id, field and values (they are what the chain hashes); these labels only change
how they are shown and exported. An unknown name shows as stored, so new columns never break the view."""

from __future__ import annotations

from yibao_desktop.domain.dispositions import DispositionKind
from yibao_desktop.domain.institutions import AgreementStatus, AgreementType, InstitutionKind, Ownership
from yibao_desktop.domain.permissions import Role
from yibao_desktop.domain.persons import NoticeState, PeriodSource, Status
from yibao_desktop.domain.scoring import Circumstance, Responsibility

from .agreements import EVENT_KINDS
from .appeals import APPEAL_STATES, OUTCOMES
from .audit_refs import REF_FIELDS, Refs, ref_text
from .documents import DOC_TYPE_LABELS
from .labels import enum_label

TABLE_LABELS = {
    "persons": "人员",
    "registrations": "登记备案",
    "dispositions": "处理意见",
    "score_entries": "记分",
    "status_periods": "暂停/终止期",
    "appeals": "申诉",
    "repairs": "记分修复",
    "restorations": "资格恢复",
    "copy_reports": "抄告书",
    "commendations": "表彰",
    "institutions": "定点机构",
    "agreements": "医保协议",
    "agreement_events": "协议处理",
    "agreement_event_persons": "协议处理涉及人员",
    "applications": "定点申请",
    "settings": "设置",
    "users": "用户",
    "documents": "文书登记",
    "doc_serials": "文号",
    "claim_lines": "结算明细",
}

FIELD_LABELS = {
    "name": "姓名/名称",
    "id_number": "身份证号",
    "sex": "性别",
    "birth_date": "出生日期",
    "phone": "联系电话",
    "person_code": "医保代码",
    "person_id": "人员",
    "institution_id": "定点机构",
    "institution_code": "机构编码",
    "code": "编码",
    "kind": "类别",
    "state": "状态",
    "status": "状态",
    "title": "专业技术职务",
    "practice_type": "执业类型",
    "practice_category": "执业类别",
    "practice_scope": "执业范围",
    "registered_on": "登记日期",
    "cancelled_on": "注销日期",
    "cancel_reason": "注销原因",
    "commitment": "承诺书",
    "commitment_on": "承诺书签订日期",
    "decision_no": "决定书文号",
    "decision_date": "决定日期",
    "service_date": "违规发生日期",
    "violation_code": "违规行为代码",
    "violation_name": "违规行为",
    "responsibility": "责任",
    "points": "记分",
    "points_this": "本次记分",
    "total_year": "本年度累计记分",
    "months": "暂停月数",
    "years": "终止年数",
    "reason": "理由",
    "watch": "重点关注",
    "doc_no": "文号",
    "approved_by": "审核人",
    "created_by": "录入人",
    "entered_by": "录入人",
    "issued_on": "签发日期",
    "effective": "生效日期",
    "delivered_on": "送达日期",
    "received_on": "收到日期",
    "voided": "已作废",
    "void_reason": "作废原因",
    "period_end": "期满日期",
    "ban_end": "禁止期满日期",
    "start": "开始日期",
    "end": "结束日期",
    "filed_on": "受理日期",
    "filed_by": "申诉提出方",
    "decided_on": "办结日期",
    "outcome": "办理结果",
    "outcome_reason": "办理理由",
    "points_granted": "修复分值",
    "applied_on": "申请日期",
    "content": "内容",
    "disposition_id": "处理意见",
    "ownership": "经营性质",
    "payment_level": "支付级别",
    "beds": "床位数",
    "address": "地址",
    "region_code": "行政区划",
    "credit_code": "统一社会信用代码",
    "legal_rep": "法定代表人",
    "principal": "主要负责人",
    "agreement_no": "协议编号",
    "signed_on": "签订日期",
    "agreement_type": "协议类型",
    "on": "日期",
    "detail": "说明",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "failed_logins": "连续输错密码次数",
    "locked_until": "锁定至",
    "password_hash": "密码",
    "key": "设置项",
    "value": "值",
    "subject": "对象",
    "doc_type": "文书类型",
    "serial": "序号",
    "year": "年度",
    "last": "最后序号",
    "recipients": "抄告对象",
    "findings": "发现问题",
    "notes": "备注",
    "ref_table": "关联表",
    "ref_id": "关联记录",
    "file_hash": "存档校验码",
}

FIELD_LABELS.update(
    {
        "accepted_on": "受理日期",
        "action": "处理方式",
        "action_code": "处理方式代码",
        "activities": "修复活动次数",
        "agreement": "协议",
        "agreement_id": "医保协议",
        "agreements": "协议",
        "amount_fen": "涉及金额（分）",
        "answer": "核实结论",
        "applicant_name": "申请机构名称",
        "application_id": "定点申请",
        "area": "区域",
        "assessment_score": "评估得分",
        "at": "时间",
        "at_intake": "申请时已提交",
        "band": "记分档次",
        "bank_account": "银行账户",
        "batch": "检查批次",
        "changes": "变更内容",
        "checked_at": "核查时间",
        "checked_by": "核查人",
        "checked_fund_fen": "核查金额（分）",
        "checks": "核查事项",
        "circumstance": "情节",
        "claim_id": "结算ID",
        "contact": "联系人",
        "controller": "实际控制人",
        "controller_id": "实际控制人身份证号",
        "decision": "决定",
        "decision_kind": "决定类型",
        "department": "科室",
        "departments": "科室",
        "dishonest": "失信记录",
        "emergency": "急诊抢救",
        "encoding": "文件编码",
        "ended_on": "实际结束日期",
        "agreement_event_id": "协议事项",
        "approval_on": "批准变更日期",
        "entity": "对象类型",
        "entity_id": "对象",
        "evaluated_on": "评估日期",
        "evaluation_round": "评估轮次",
        "event_id": "协议处理事项",
        "events": "协议处理事项",
        "evidence": "证据材料",
        "expert_days": "专家评估天数",
        "file_name": "文件名",
        "file_size": "文件大小",
        "first_day": "首日",
        "fund_fen": "医保基金（分）",
        "ground_code": "依据条款",
        "guidance_end": "政策辅导期满日期",
        "guidance_extensions": "辅导期延长次数",
        "hash": "校验码",
        "header_key": "表头",
        "institution": "定点机构",
        "institution_opinion": "机构意见",
        "internet_plus": "互联网+医保服务",
        "is_principal": "主要负责人",
        "item": "事项",
        "items": "事项",
        "last_day": "末日",
        "latitude": "纬度",
        "legal_rep_id": "法定代表人身份证号",
        "licence_expiry": "许可证有效期至",
        "licence_no": "执业许可证号",
        "lines": "明细行数",
        "lines_checked": "已核查行数",
        "longitude": "经度",
        "mapping": "列对应关系",
        "mapping_name": "列对应名称",
        "name_initials": "拼音首字母",
        "name_sort": "拼音排序",
        "new_points": "调整后记分",
        "note": "说明",
        "number": "编号",
        "operating_since": "开业日期",
        "period_from": "核查期间起",
        "period_to": "核查期间止",
        "person": "人员",
        "prev_hash": "上一条校验码",
        "principal_id": "主要负责人身份证号",
        "problem_rows": "问题行数",
        "publicity_start": "公示开始日期",
        "reason_code": "理由代码",
        "reasons": "理由",
        "recorded_at": "记录时间",
        "recorded_by": "记录人",
        "recoverable": "可追回",
        "recoverable_fen": "应追回金额（分）",
        "regional_centre": "区域中心",
        "registrations": "登记备案",
        "requested": "申请事项",
        "responsible": "责任人员",
        "result": "结果",
        "reviewed_by": "审核人",
        "round": "轮次",
        "row": "行号",
        "run_id": "核查批次",
        "service_categories": "服务类别",
        "sha256": "文件校验码",
        "source": "来源",
        "status_end": "状态截止日期",
        "status_period_id": "暂停/终止期",
        "status_start": "状态开始日期",
        "strict": "严格模式",
        "supersedes_id": "取代的处理意见",
        "supplement_deadline": "补正期限",
        "supplement_notice_on": "补正告知日期",
        "supplement_received_on": "补正材料收齐日期",
        "transferred": "已移交",
        "until": "截止日期",
        "verified_by": "核实人",
        "verified_on": "核实日期",
        "year_points": "本年记分",
        "legal_rep": "法定代表人",
        "updated_at": "修改时间",
    }
)

_VALUE_ENUMS = {
    "state": NoticeState,
    "kind": DispositionKind,
    "role": Role,
    "ownership": Ownership,
    "responsibility": Responsibility,
    "circumstance": Circumstance,
}
_VALUE_WORDS = {
    "decision_kind": {"penalty": "行政处罚", "agreement": "协议处理"},
    "ref_table": TABLE_LABELS,
    "doc_type": DOC_TYPE_LABELS,
    "outcome": OUTCOMES,
    "filed_by": {"person": "相关人员本人", "institution": "定点医药机构"},
    "agreement_type": {t.value: t.label for t in AgreementType},
}
_TABLE_VALUE_WORDS = {
    ("appeals", "state"): APPEAL_STATES,
    ("agreement_events", "kind"): EVENT_KINDS,
    ("restorations", "decision"): {"passed": "通过", "failed": "未通过"},
    ("repairs", "state"): {"received": "已受理", "granted": "已修复", "refused": "不予修复"},
}
_TABLE_VALUE_ENUMS = {
    ("persons", "status"): Status,
    ("registrations", "status"): Status,
    ("agreements", "status"): AgreementStatus,
    ("institutions", "kind"): InstitutionKind,
    ("status_periods", "kind"): DispositionKind,
    ("status_periods", "status"): Status,
    ("status_periods", "source"): PeriodSource,
}


def _value(table: str, field: str, value, refs: Refs) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field in REF_FIELDS and isinstance(value, int):
        return ref_text(refs, REF_FIELDS[field], value)
    words = _TABLE_VALUE_WORDS.get((table, field))
    if words is not None and isinstance(value, str) and value in words:
        return words[value]
    if isinstance(value, str) and len(value) == 19 and value[10] == "T" and value[:4].isdigit():
        return value.replace("T", " ")  # a stored datetime
    if isinstance(value, str) and value in _VALUE_WORDS.get(field, {}):
        return _VALUE_WORDS[field][value]
    enum = _TABLE_VALUE_ENUMS.get((table, field)) or _VALUE_ENUMS.get(field)
    if enum is not None and isinstance(value, str):
        shown = enum_label(enum, value)
        return shown if shown else str(value)
    return str(value)


def change_text(table: str, rid, field: str, old, new, refs: Refs | None = None) -> str:
    """“处理意见#12 状态：待审核 → 已审核待签发”; a new row's field “处理意见#12 本次记分：3” (empty ones left
    out, ""); a summary line (no field) as it is. `refs` (services/audit_refs.py: describe) turns a field holding
    another record's id into words: “人员：曾志伟（#79）”."""
    if not field:
        return "" if new is None else str(new)
    refs = refs or {}
    where = f"{TABLE_LABELS.get(table, table)}#{rid} " if table else ""
    label = FIELD_LABELS.get(field, field)
    if old is None:
        return f"{where}{label}：{_value(table, field, new, refs)}" if new not in (None, "") else ""  # new row
    return f"{where}{label}：{_value(table, field, old, refs)} → {_value(table, field, new, refs)}"
