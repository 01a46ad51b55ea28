"""Institution kinds (《广东办法》第五条), ownership and agreement enums with Chinese labels, distances, major changes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TypeVar

from yibao_desktop.domain.errors import DomainError

# (code, label, class) — the six classes of 《广东办法》第五条; pharmacies are class 0.
_KINDS: dict[str, tuple[str, int]] = {
    "general_hospital": ("综合医院", 1),
    "tcm_hospital": ("中医医院", 1),
    "integrated_hospital": ("中西医结合医院", 1),
    "ethnic_hospital": ("民族医医院", 1),
    "specialty_hospital": ("专科医院", 1),
    "rehabilitation_hospital": ("康复医院", 1),
    "disease_prevention": ("专科疾病防治院（所、站）", 2),
    "maternal_child": ("妇幼保健院", 2),
    "community_health": ("社区卫生服务中心（站）", 3),
    "central_health_center": ("中心卫生院", 3),
    "township_health_center": ("乡镇卫生院", 3),
    "street_health_center": ("街道卫生院", 3),
    "outpatient_department": ("门诊部", 3),
    "clinic": ("诊所", 3),
    "health_station": ("卫生所（站）", 3),
    "infirmary": ("医务室", 3),
    "village_clinic": ("村卫生室（所）", 3),
    "emergency_center": ("急救中心", 4),
    "hospice": ("安宁疗护中心", 5),
    "dialysis_center": ("血液透析中心", 5),
    "nursing_home": ("护理院", 5),
    "elderly_care_clinic": ("养老机构内设的医疗机构", 6),
    "pharmacy": ("定点零售药店", 0),
}


class InstitutionKind(StrEnum):
    """Kind of a designated institution; the value is a stable code, `.label` the Chinese name."""

    GENERAL_HOSPITAL = "general_hospital"
    TCM_HOSPITAL = "tcm_hospital"
    INTEGRATED_HOSPITAL = "integrated_hospital"
    ETHNIC_HOSPITAL = "ethnic_hospital"
    SPECIALTY_HOSPITAL = "specialty_hospital"
    REHABILITATION_HOSPITAL = "rehabilitation_hospital"
    DISEASE_PREVENTION = "disease_prevention"
    MATERNAL_CHILD = "maternal_child"
    COMMUNITY_HEALTH = "community_health"
    CENTRAL_HEALTH_CENTER = "central_health_center"
    TOWNSHIP_HEALTH_CENTER = "township_health_center"
    STREET_HEALTH_CENTER = "street_health_center"
    OUTPATIENT_DEPARTMENT = "outpatient_department"
    CLINIC = "clinic"
    HEALTH_STATION = "health_station"
    # 医务室 is not named in 《广东办法》第五条 but is in Tianjin's scope (《天津通知》二(一)); grouped with 卫生所（站）.
    INFIRMARY = "infirmary"
    VILLAGE_CLINIC = "village_clinic"
    EMERGENCY_CENTER = "emergency_center"
    HOSPICE = "hospice"
    DIALYSIS_CENTER = "dialysis_center"
    NURSING_HOME = "nursing_home"
    ELDERLY_CARE_CLINIC = "elderly_care_clinic"
    PHARMACY = "pharmacy"

    @property
    def label(self) -> str:
        """Chinese name as written in 《广东办法》第五条."""
        return _KINDS[self.value][0]

    @property
    def kind_class(self) -> int:
        """Class 1–6 of 《广东办法》第五条 (the 1500 m rule's 同类型); 0 for a retail pharmacy."""
        return _KINDS[self.value][1]

    @property
    def is_pharmacy(self) -> bool:
        """True for a designated retail pharmacy."""
        return self is InstitutionKind.PHARMACY


KIND_CLASS_LABELS: dict[int, str] = {
    0: "定点零售药店",
    1: "第一类：综合医院、中医医院、中西医结合医院、民族医医院、专科医院、康复医院",
    2: "第二类：专科疾病防治院（所、站）、妇幼保健院",
    3: "第三类：社区卫生服务中心（站）、中心卫生院、乡镇卫生院、街道卫生院、门诊部、诊所、卫生所（站）、村卫生室（所）",
    4: "第四类：独立设置的急救中心",
    5: "第五类：安宁疗护中心、血液透析中心、护理院",
    6: "第六类：养老机构内设的医疗机构",
}


class Ownership(StrEnum):
    """公立 / 社会办 — public institutions may not ask to suspend or terminate (《广东办法》第四十三条)."""

    PUBLIC = "public"
    PRIVATE = "private"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"public": "公立", "private": "社会办"}[self.value]


class AgreementStatus(StrEnum):
    """State of a medical-insurance agreement."""

    DRAFT = "draft"
    ACTIVE = "active"
    GUIDANCE = "guidance"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        """Chinese label."""
        return _STATUS_LABELS[self.value]


_STATUS_LABELS = {
    "draft": "待签订",
    "active": "履行中",
    "guidance": "政策辅导期",
    "suspended": "中止",
    "terminated": "解除",
    "expired": "到期终止",
}


class AgreementType(StrEnum):
    """年度协议 / 固定协议 (《广东办法》第四十条)."""

    ANNUAL = "annual"
    FIXED = "fixed"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"annual": "年度协议", "fixed": "固定协议"}[self.value]


# Other spellings clerks type in Excel rosters, mapped to the canonical label.
_KIND_ALIASES = {
    "独立设置的急救中心": "急救中心",
    "养老机构内设医疗机构": "养老机构内设的医疗机构",
    "社区卫生服务中心": "社区卫生服务中心（站）",
    "社区卫生服务站": "社区卫生服务中心（站）",
    "专科疾病防治院": "专科疾病防治院（所、站）",
    "专科疾病防治所": "专科疾病防治院（所、站）",
    "专科疾病防治站": "专科疾病防治院（所、站）",
    "卫生所": "卫生所（站）",
    "卫生站": "卫生所（站）",
    "村卫生室": "村卫生室（所）",
    "村卫生所": "村卫生室（所）",
    "零售药店": "定点零售药店",
    "药店": "定点零售药店",
}
_OWNERSHIP_ALIASES = {"公立医疗机构": "公立", "社会办医": "社会办", "民营": "社会办", "非公立": "社会办"}
_STATUS_ALIASES = {"正常": "履行中", "已中止": "中止", "已解除": "解除", "到期": "到期终止"}
_TYPE_ALIASES = {"年度": "年度协议", "固定": "固定协议"}

E = TypeVar("E", bound=StrEnum)


def _normalise(text: str) -> str:
    """Strip spaces and unify half-width brackets and commas so "卫生所(站)" matches "卫生所（站）"."""
    cleaned = "".join(str(text).split())
    return cleaned.replace("(", "（").replace(")", "）").replace(",", "、").replace("，", "、")


def _from_label(enum_cls: type[E], text: str, aliases: Mapping[str, str], what: str, field: str) -> E:
    """Enum member whose label, alias or code equals `text`; DomainError listing the allowed labels otherwise."""
    wanted = _normalise(text)
    wanted = _normalise(aliases.get(wanted, wanted))
    for member in enum_cls:
        if wanted in (_normalise(member.label), member.value):  # type: ignore[attr-defined]
            return member
    allowed = "、".join(m.label for m in enum_cls)  # type: ignore[attr-defined]
    raise DomainError(f"{what}“{text}”无法识别，应为：{allowed}", field=field)


def kind_from_label(text: str) -> InstitutionKind:
    """InstitutionKind from its Chinese label (or a common variant); DomainError if unknown."""
    return _from_label(InstitutionKind, text, _KIND_ALIASES, "机构类别", "kind")


def ownership_from_label(text: str) -> Ownership:
    """Ownership from 公立 / 社会办; DomainError if unknown."""
    return _from_label(Ownership, text, _OWNERSHIP_ALIASES, "经营性质", "ownership")


def agreement_status_from_label(text: str) -> AgreementStatus:
    """AgreementStatus from its Chinese label; DomainError if unknown."""
    return _from_label(AgreementStatus, text, _STATUS_ALIASES, "协议状态", "agreement_status")


def agreement_type_from_label(text: str) -> AgreementType:
    """AgreementType from 年度协议 / 固定协议; DomainError if unknown."""
    return _from_label(AgreementType, text, _TYPE_ALIASES, "协议类型", "agreement_type")


# Mean Earth radius (IUGG); haversine error < 0.5 % — ample for a 1500 m rule.
_EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in decimal degrees (haversine)."""
    for value, limit, name in (
        (lat1, 90, "纬度"),
        (lat2, 90, "纬度"),
        (lon1, 180, "经度"),
        (lon2, 180, "经度"),
    ):
        if not -limit <= value <= limit:
            raise DomainError(f"{name}{value}超出范围（±{limit}）", field="coordinates")
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# 《广东办法》第三十九条: changes that must be filed within 30 working days of the approving authority's date.
MAJOR_CHANGE_FIELDS: dict[str, str] = {
    "name": "名称",
    "legal_representative": "法定代表人",
    "principal": "主要负责人",
    "actual_controller": "实际控制人",
    "address": "注册地址",
    "bank_account": "银行账户",
    "departments": "诊疗科目",
    "scale": "机构规模",
    "nature": "机构性质",
    "level": "等级",
    "kind": "类别",
}


def major_changes(old: Mapping[str, object], new: Mapping[str, object], keys: Iterable[str] | None = None) -> list[str]:
    """Chinese labels of the major-change fields whose value differs between `old` and `new` (missing = unchanged)."""
    changed = []
    for key in keys if keys is not None else MAJOR_CHANGE_FIELDS:
        if key in new and key in old and old[key] != new[key]:
            changed.append(MAJOR_CHANGE_FIELDS[key])
    return changed
