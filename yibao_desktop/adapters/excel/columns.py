"""The four roster layouts of the rules (docs/RULES.md): headers (exact Chinese), keys, kinds, choices and widths."""

from __future__ import annotations

from dataclasses import dataclass

from yibao_desktop.domain.institutions import InstitutionKind

ROSTER_KINDS = ("institutions", "personnel", "scores", "claims")

ROSTER_TITLES = {
    "institutions": "机构名册",
    "personnel": "人员登记备案名册",
    "scores": "记分名册",
    "claims": "结算明细",
}

# 《广东办法》第五条: the six classes word for word, plus the pharmacy kind.
INSTITUTION_CLASS_TEXTS = (  # 《广东办法》第五条's classes: older rosters name a class instead of a kind
    "综合医院、中医医院、中西医结合医院、民族医医院、专科医院、康复医院",
    "专科疾病防治院（所、站）、妇幼保健院",
    "社区卫生服务中心（站）、中心卫生院、乡镇卫生院、街道卫生院、门诊部、诊所、卫生所（站）、村卫生室（所）",
    "独立设置的急救中心",
    "安宁疗护中心、血液透析中心、护理院",
    "养老机构内设的医疗机构",
    "定点零售药店",
)
# the template offers the exact kinds the database stores (a class alone is ambiguous)
INSTITUTION_KIND_CHOICES = tuple(k.label for k in InstitutionKind)
OWNERSHIP_CHOICES = ("公立", "社会办")
AGREEMENT_TYPE_CHOICES = ("年度协议", "固定协议")
AGREEMENT_STATUS_CHOICES = ("正常", "中止", "解除", "到期终止")
SEX_CHOICES = ("男", "女")
REGISTRATION_STATUS_CHOICES = ("正常", "暂停", "终止")
YES_NO = ("是", "否")
DECISION_KIND_CHOICES = ("行政处罚", "协议处理")
RESPONSIBILITY_CHOICES = ("一般", "重要", "主要")
CIRCUMSTANCE_CHOICES = ("无", "从轻", "减轻一档", "从重", "加重一档")

KINDS = ("text", "code", "id", "date", "int", "money", "float", "choice", "bool")


@dataclass(frozen=True)
class Column:
    """One roster column: snake_case key, exact Chinese header, value kind, required flag, drop-down choices."""

    key: str
    header: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14


def _c(key, header, kind="text", required=False, choices=(), width=None) -> Column:
    """Shorthand constructor that fits the width to the header when none is given."""
    if kind == "bool" and not choices:
        choices = YES_NO
    if width is None:
        width = {"id": 22, "code": 18, "date": 13, "money": 14}.get(kind, 14)
        width = max(width, 2 * len(header) + 4)
    return Column(key, header, kind, required, tuple(choices), width)


_INSTITUTIONS = (
    _c("name", "机构名称", required=True, width=30),
    _c("institution_code", "医药机构代码", "code", True),
    _c("credit_code", "统一社会信用代码", "code", width=22),
    _c("kind", "机构类别", "choice", True, INSTITUTION_KIND_CHOICES, width=30),
    _c("ownership", "经营性质", "choice", True, OWNERSHIP_CHOICES),
    _c("payment_level", "医保支付级别"),
    _c("beds", "床位数", "int"),
    _c("address", "地址", width=36),
    _c("longitude", "经度", "float"),
    _c("latitude", "纬度", "float"),
    _c("area", "所属区域"),
    _c("legal_representative", "法定代表人"),
    _c("legal_representative_id_number", "法定代表人身份证号码", "id", width=24),
    _c("principal", "主要负责人"),
    _c("actual_controller", "实际控制人"),
    _c("phone", "联系电话", width=16),
    _c("agreement_no", "协议编号", width=18),
    _c("agreement_type", "协议类型", "choice", choices=AGREEMENT_TYPE_CHOICES),
    _c("agreement_start", "协议开始日期", "date"),
    _c("agreement_end", "协议结束日期", "date"),
    _c("agreement_status", "协议状态", "choice", choices=AGREEMENT_STATUS_CHOICES),
)

_PERSONNEL = (
    _c("name", "姓名", required=True),
    _c("person_code", "医保相关人员代码", "code", width=20),
    _c("id_number", "身份证件号码", "id", True),
    _c("sex", "性别", "choice", choices=SEX_CHOICES, width=8),
    _c("birth_date", "出生日期", "date"),
    _c("phone", "联系电话", width=16),
    _c("institution_name", "医药机构名称", width=30),
    _c("institution_code", "医药机构代码", "code", True),
    _c("region_code", "医保区划", "code", width=12),
    _c("practice_type", "执业类型"),
    _c("practice_category", "执业类别"),
    _c("practice_scope", "执业范围", width=20),
    _c("title", "专业技术职务"),
    _c("status", "登记备案状态", "choice", choices=REGISTRATION_STATUS_CHOICES),
    _c("commitment_signed", "是否签订承诺书", "bool"),
    _c("commitment_date", "承诺日期", "date"),
)

_SCORES = (
    _c("id_number", "身份证件号码", "id", True),
    _c("name", "姓名", required=True),
    _c("institution_code", "医药机构代码", "code", True),
    _c("decision_kind", "处理类型", "choice", True, DECISION_KIND_CHOICES),
    _c("decision_no", "决定文书号", required=True, width=24),
    _c("decision_date", "决定日期", "date", True),
    _c("inspection_batch", "检查批次号", width=16),
    _c("violation_code", "违规行为代码", "code", True),
    _c("violation", "违规行为", width=30),
    _c("responsibility", "责任程度", "choice", True, RESPONSIBILITY_CHOICES),
    _c("circumstance", "情节", "choice", choices=CIRCUMSTANCE_CHOICES),
    _c("points", "记分", "int", width=8),
    _c("amount", "涉及金额", "money"),
    _c("notes", "备注", width=30),
)

_CLAIMS = (
    _c("claim_id", "结算流水号", "code", True, width=24),
    _c("institution_code", "医药机构代码", "code", True),
    _c("person_code", "医保相关人员代码", "code", width=20),
    _c("id_number", "身份证件号码", "id"),
    _c("service_date", "服务日期", "date", True),
    _c("fund_amount", "基金支付金额", "money", True),
    _c("emergency", "是否急诊抢救", "bool"),
)

_LAYOUTS = {
    "institutions": _INSTITUTIONS,
    "personnel": _PERSONNEL,
    "scores": _SCORES,
    "claims": _CLAIMS,
}

# In-file duplicate keys: a later row with the same values is an error naming the earlier row.
DUPLICATE_KEYS = {
    "institutions": ("institution_code",),
    "personnel": ("id_number", "institution_code"),
    "scores": ("decision_no", "id_number", "violation_code"),
    "claims": ("claim_id",),
}


def columns(kind: str) -> tuple[Column, ...]:
    """Return the columns of a roster kind, in the rules (docs/RULES.md) order; unknown kind → ValueError."""
    try:
        return _LAYOUTS[kind]
    except KeyError:
        raise ValueError(f"unknown roster kind {kind!r}; expected one of {ROSTER_KINDS}") from None


def roster_title(kind: str) -> str:
    """Return the Chinese roster name (also the data sheet's title)."""
    columns(kind)
    return ROSTER_TITLES[kind]


def column_by_header(kind: str, header: str) -> Column | None:
    """Return the column with this exact header, or None."""
    for col in columns(kind):
        if col.header == header:
            return col
    return None


def merged_choices(col: Column, extra_choices: dict[str, list[str]] | None) -> tuple[str, ...]:
    """Return the column's choices plus extras given by key or header (order kept, no repeats)."""
    if not extra_choices:
        return col.choices
    extra = list(extra_choices.get(col.key, ())) + list(extra_choices.get(col.header, ()))
    return tuple(dict.fromkeys([*col.choices, *(str(x) for x in extra)]))
