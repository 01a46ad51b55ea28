"""Agreement rules: guidance period, changes, renewal, requests, suspension and termination grounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import ClassVar, Literal

from yibao_desktop.domain.calendar import Deadline, WorkCalendar
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementType, Ownership
from yibao_desktop.domain.periods import add_months, period_last_day

_ONE_DAY = timedelta(days=1)


class GuidanceAction(StrEnum):
    """What follows a violation during the guidance period (《14号文》(四), 《天津通知》三(六))."""

    EXTEND = "extend"
    NO_RENEWAL = "no_renewal"
    TERMINATE = "terminate"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"extend": "延长政策辅导期", "no_renewal": "不予续签医保协议", "terminate": "解除医保协议"}[self.value]


@dataclass(frozen=True)
class GuidanceOutcome:
    """The proposed action with its Chinese reason; GuidanceOutcome.EXTEND etc. name the actions."""

    action: GuidanceAction
    reason: str

    EXTEND: ClassVar[GuidanceAction] = GuidanceAction.EXTEND
    NO_RENEWAL: ClassVar[GuidanceAction] = GuidanceAction.NO_RENEWAL
    TERMINATE: ClassVar[GuidanceAction] = GuidanceAction.TERMINATE


def guidance_end(signed: date, months: int = 6, extensions: int = 0, extension_months: int = 6) -> date:
    """Last day of the guidance period effective on `signed`; each extension runs on from the day after the previous end."""
    if extensions < 0:
        raise DomainError("延长次数不能为负数", field="extensions")
    end = period_last_day(signed, months)
    for _ in range(extensions):
        end = period_last_day(end + _ONE_DAY, extension_months)
    return end


def guidance_violation(
    kind: Literal["minor", "fraud"],
    extensions_so_far: int,
    same_type_unrectified: bool,
    extension_months: int = 6,
) -> GuidanceOutcome:
    """Proposed action for a violation found in the guidance period: extend, no renewal, or terminate."""
    if kind == "fraud":
        return GuidanceOutcome(
            GuidanceAction.TERMINATE,
            "政策辅导期内出现违规违约问题，情节严重（涉及欺诈骗保情形），直接解除医保协议",
        )
    if kind != "minor":
        raise DomainError(f"违规情节“{kind}”无法识别，应为较轻（minor）或严重（fraud）", field="kind")
    if extensions_so_far <= 0:
        return GuidanceOutcome(
            GuidanceAction.EXTEND,
            f"政策辅导期内出现违规违约问题，情节较轻（未涉及欺诈骗保情形），政策辅导期延长{extension_months}个月",
        )
    if same_type_unrectified:
        reason = "延长期内整改不到位，不予续签医保协议"
    else:
        reason = "延长期内再次出现其他类型违规违约问题（视为整改不到位），不予续签医保协议"
    return GuidanceOutcome(GuidanceAction.NO_RENEWAL, reason)


def info_change_due(calendar: WorkCalendar, approved: date, days: int = 30) -> Deadline:
    """Last day to file a major information change: `days` working days from approval (《广东办法》第三十九条)."""
    return calendar.deadline(approved, days)


def renewal_apply_by(expiry: date, months: int = 3) -> date:
    """Last day to apply for renewal: the day before the final `months` months of a term ending on `expiry`."""
    return add_months(expiry + _ONE_DAY, -months) - _ONE_DAY


def request_lead_ok(requested_on: date, effective: date, months: int = 3) -> bool:
    """True when a request to suspend, terminate or not renew is made at least `months` ahead (第四十三条)."""
    return requested_on <= add_months(effective, -months)


def check_request_lead(requested_on: date, effective: date, months: int = 3) -> None:
    """Raise DomainError when the request is not `months` months ahead of its effective date."""
    if not request_lead_ok(requested_on, effective, months):
        latest = add_months(effective, -months)
        raise DomainError(
            f"定点医疗机构请求中止、解除医保协议或不再续签医保协议的，应当提前{months}个月提出申请；"
            f"拟于{effective.isoformat()}生效的，最迟应于{latest.isoformat()}提出",
            field="requested_on",
        )


def _ownership(value: Ownership | str) -> Ownership:
    """Ownership from an enum member or its code."""
    try:
        return Ownership(value)
    except ValueError:
        raise DomainError(f"经营性质“{value}”无法识别", field="ownership") from None


def check_institution_request(ownership: Ownership | str, action: Literal["suspend", "terminate", "not_renew"]) -> None:
    """Raise DomainError when a public institution asks to suspend or terminate its agreement."""
    if action not in ("suspend", "terminate", "not_renew"):
        raise DomainError(f"申请事项“{action}”无法识别", field="action")
    if action != "not_renew" and _ownership(ownership) is Ownership.PUBLIC:
        word = "中止" if action == "suspend" else "解除"
        raise DomainError(f"公立医疗机构不得主动提出{word}医保协议（第四十三条）", field="ownership")


def suspension_last_day(start: date, max_days: int = 180) -> date:
    """Last day of a requested suspension effective on `start` that may run at most `max_days` days."""
    return start + timedelta(days=max_days - 1)


def suspension_auto_termination(start: date, max_days: int = 180) -> date:
    """Day the agreement ends by itself when a requested suspension is not resumed: day `max_days`+1 (第四十一条)."""
    return start + timedelta(days=max_days)


def suspensions_force_termination(
    suspension_dates_in_term: Sequence[date], term_start: date | None = None, term_end: date | None = None
) -> bool:
    """Two or more suspensions within one agreement term → termination (第四十二条（一）)."""
    inside = [
        d
        for d in suspension_dates_in_term
        if (term_start is None or d >= term_start) and (term_end is None or d <= term_end)
    ]
    return len(inside) >= 2


def agreement_term_end(start: date, agreement_type: AgreementType | str, years: int | None = None) -> date:
    """Last day of an agreement effective on `start`: annual = 1 year, fixed = at least 2 years (第四十条)."""
    kind = AgreementType(agreement_type)
    if kind is AgreementType.ANNUAL:
        years = 1 if years is None else years
        if years != 1:
            raise DomainError("年度协议期限为1年", field="years")
    else:
        years = 2 if years is None else years
        if years < 2:
            raise DomainError("固定协议期限不少于2年", field="years")
    return period_last_day(start, 12 * years)


# 《广东办法》第三十七条 (text as published; half-width punctuation of the scanned copy normalised).
AGREEMENT_ACTIONS: tuple[tuple[str, str], ...] = (
    ("interview", "约谈医疗机构法定代表人、主要负责人或实际控制人"),
    ("withhold_payment", "暂停或不予拨付费用"),
    ("refuse_or_recover", "不予支付或追回已支付的医保费用"),
    ("liquidated_damages", "要求定点医疗机构按照协议约定支付违约金"),
    ("suspend_persons", "中止相关责任人员或者所在科室（部门）涉及医疗保障基金使用的医疗服务"),
    ("suspend_or_terminate", "中止或解除医保协议"),
)

# 《广东办法》第四十一条 (request + four mandatory grounds) and 《14号文》(十一) (settlement suspended).
SUSPENSION_GROUNDS: tuple[tuple[str, str], ...] = (
    ("requested", "定点医疗机构可提出中止协议申请，经经办机构同意，可以中止协议"),
    ("major_risk", "根据日常检查或绩效考核，发现对医保基金安全和参保人员权益可能造成重大风险的"),
    ("data_not_provided", "未按规定向经办机构及医疗保障行政部门提供有关数据或提供数据不真实的"),
    ("by_agreement", "根据协议约定应当中止协议的"),
    ("by_law", "法律、法规、规章规定的应当中止协议的其他情形"),
    (
        "suspected_fraud",
        "对医疗机构存在无资质人员冒名行医、涉嫌虚构医药服务项目、伪造检查检验报告、编造病历、提供虚假处方、"
        "诱导协助他人冒名就医或虚假就医购药等可能造成重大风险的，应暂停医保基金结算",
    ),
    (
        "records_not_kept",
        "医疗机构未按法律法规规定和医保协议要求保管、提供医学文书、医学证明、会计凭证、电子信息等有关资料的，"
        "应暂停医保基金结算",
    ),
)

# 《广东办法》第四十二条 (fourteen) and 《14号文》(十一) (three), plus 《14号文》(四) for the guidance period.
TERMINATION_GROUNDS: tuple[tuple[str, str], ...] = (
    ("suspended_twice", "协议有效期内累计2次及以上被中止协议或中止协议期间未按要求整改或整改不到位的"),
    ("fraudulent_application", "以弄虚作假等不正当手段申请取得定点的"),
    ("fraud", "经医疗保障部门和其他有关部门查实有欺诈骗保行为的"),
    ("settled_for_others", "为非定点医疗机构或处于中止医保协议期间的医疗机构提供医保费用结算的"),
    ("obstruction", "拒绝、阻挠或不配合医疗保障部门开展智能审核、绩效考核、服务评价、监督检查且情节恶劣的"),
    ("change_not_filed", "被发现重大信息发生变更但未办理变更的"),
    ("closure_not_reported", "停业或歇业后未按规定向经办机构报告的"),
    (
        "major_violation",
        "医疗保障部门或有关部门在行政执法中，发现定点医疗机构存在重大违法违规行为且可能造成医疗保障基金重大损失的",
    ),
    ("licence_revoked", "被吊销、注销医疗机构执业许可证或中医诊所备案证的"),
    ("leader_default", "法定代表人、主要负责人或实际控制人不能履行协议约定，或有违法失信行为的"),
    ("penalty_unfulfilled", "未依法履行医疗保障部门作出的行政处罚决定的"),
    ("requested", "主动提出解除协议且经办机构同意的"),
    ("by_agreement", "根据医保协议约定应当解除协议的"),
    ("by_law", "法律、法规、规章规定的应当解除协议的其他情形"),
    (
        "fraud_confirmed",
        "对医疗机构存在无资质人员冒名行医、涉嫌虚构医药服务项目、伪造检查检验报告、编造病历、提供虚假处方、"
        "诱导协助他人冒名就医或虚假就医购药等可能造成重大风险的，应暂停医保基金结算，经查实确有欺诈骗保行为的，及时解除医保协议",
    ),
    (
        "records_not_produced",
        "医疗机构未按法律法规规定和医保协议要求保管、提供医学文书、医学证明、会计凭证、电子信息等有关资料的，"
        "应暂停医保基金结算，在规定时间内（原则上7天内）仍不能提供的，及时解除医保协议",
    ),
    (
        "obstructed_inspection",
        "医疗机构隐匿或销毁医学文书、医学证明、会计凭证、删改相关信息系统及监控记录等电子信息、不提供检查相关材料、"
        "集体串供等拒不配合检查、情节恶劣的，及时解除医保协议",
    ),
    (
        "guidance_serious",
        "政策辅导期内出现违规问题，情节较轻的，政策辅导期延长6个月，延长期整改不到位的不予续签医保协议；情节严重的，直接解除医保协议",
    ),
)

GROUND_CITATIONS: dict[str, str] = {
    **{f"suspension:{code}": "第四十一条" for code, _ in SUSPENSION_GROUNDS[:5]},
    **{f"suspension:{code}": "医保发〔2025〕14号（十一）" for code, _ in SUSPENSION_GROUNDS[5:]},
    **{
        f"termination:{code}": f"第四十二条（{n}）"
        for n, (code, _) in zip("一二三四五六七八九十", TERMINATION_GROUNDS[:10], strict=True)
    },
    **{
        f"termination:{code}": f"第四十二条（十{n}）"
        for n, (code, _) in zip("一二三四", TERMINATION_GROUNDS[10:14], strict=True)
    },
    **{f"termination:{code}": "医保发〔2025〕14号（十一）" for code, _ in TERMINATION_GROUNDS[14:17]},
    "termination:guidance_serious": "医保发〔2025〕14号（四）",
}


def ground_text(kind: Literal["suspension", "termination"], code: str) -> str:
    """Citation and Chinese text of a suspension or termination ground, e.g. "第四十二条（一）协议有效期内…"."""
    grounds = SUSPENSION_GROUNDS if kind == "suspension" else TERMINATION_GROUNDS
    for ground_code, text in grounds:
        if ground_code == code:
            return GROUND_CITATIONS[f"{kind}:{code}"] + text
    raise DomainError(f"未知的{'中止' if kind == 'suspension' else '解除'}情形代码：{code}", field="ground")
