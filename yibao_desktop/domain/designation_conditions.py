"""Basic conditions of designation (《广东办法》第六条, with 002's Tianjin additions): each one met, not met or to check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from yibao_desktop.domain.designation import MANUAL, ApplicantFacts, Ground, NearbyFact, window_end
from yibao_desktop.domain.institutions import distance_m


def _condition(
    code: str,
    label: str,
    met: bool | None,
    evidence: str,
    question: str = "",
    not_applicable: bool = False,
    yes_means_hit: bool = False,
) -> Ground:
    """An admission condition asked as `question` (是 = met, unless `yes_means_hit`); hit = NOT met, met=None = not
    recorded (open until verified)."""
    if met is None:
        return Ground(code, label, False, evidence or MANUAL, True, question, yes_means_hit)
    return Ground(code, label, not met, evidence, False, question, yes_means_hit, not_applicable)


def _operating(app: ApplicantFacts, today: date, months: int) -> Ground:
    """第六条（一）: formally operating for at least `months` months."""
    label = f"第六条（一）正式运营至少{months}个月"
    question = f"是否已正式运营满{months}个月？"
    since = app.operating_since
    if since is None:
        return _condition("operating_months", label, None, "未填写正式运营日期，" + MANUAL, question)
    full = window_end(since, months) + timedelta(days=1)
    met = today >= full
    evidence = f"{since.isoformat()}起运营，" + (f"{full.isoformat()}已满" if met else f"至{full.isoformat()}方满")
    return _condition("operating_months", label, met, evidence + f"{months}个月", question)


def _insurance_department(app: ApplicantFacts, beds_threshold: int) -> Ground:
    """第六条（三）: from `beds_threshold` beds an internal medical-insurance department is required."""
    label = f"第六条（三）{beds_threshold}张床位以上的医疗机构应当设内部医保管理部门，安排专职工作人员"
    question = f"是否设有内部医保管理部门并安排专职工作人员（{beds_threshold}张床位以上须设立）？"
    if app.beds < beds_threshold:
        return _condition(
            "insurance_department",
            label,
            True,
            f"床位{app.beds}张，不足{beds_threshold}张，无需设立",
            question,
            not_applicable=True,
        )
    has = app.has_insurance_department
    state = "是否设立待核实" if has is None else ("已设内部医保管理部门" if has else "未设内部医保管理部门")
    return _condition("insurance_department", label, has, f"床位{app.beds}张，{state}", question)


def _has(flag: bool | None) -> str:
    """已具备 / 未具备 / 需人工核实."""
    return MANUAL if flag is None else ("已具备" if flag else "未具备")


def _national_conditions(app: ApplicantFacts, today: date, months: int, beds_threshold: int) -> list[Ground]:
    """The five checkable conditions of 《广东办法》第六条 and the manual sixth."""
    n = app.physicians_first_registered
    return [
        _operating(app, today, months),
        _condition(
            "first_registered_physician",
            "第六条（二）至少有1名第一注册地在该医疗机构的医师",
            n >= 1,
            f"第一注册地在本机构的医师{n}名",
            "是否至少有1名第一注册地在本机构的医师？",
        ),
        _insurance_department(app, beds_threshold),
        _condition(
            "management_system",
            "第六条（四）具有符合医保协议管理要求的医保管理制度、财务制度等",
            app.has_management_system,
            _has(app.has_management_system),
            "是否具有符合医保协议管理要求的医保管理制度、财务制度等？",
        ),
        _condition(
            "information_system",
            "第六条（五）具有符合医保协议管理要求的信息系统技术和接口标准",
            app.has_information_system,
            _has(app.has_information_system),
            "是否具有符合医保协议管理要求的信息系统技术和接口标准？",
        ),
        _condition(
            "other_conditions",
            "第六条（六）符合法律、法规、规章和省级及以上医疗保障行政部门规定的其他条件",
            None,
            MANUAL,
            "是否符合法律、法规、规章和省级及以上医疗保障行政部门规定的其他条件？",
        ),
    ]


def _at_least(value: int | None, minimum: int, unit: str) -> tuple[bool | None, str]:
    """(met, evidence) for "kept at least `minimum` `unit`"; None when not recorded."""
    if value is None:
        return None, "未填写，" + MANUAL
    return value >= minimum, f"保存{value}{unit}（要求不少于{minimum}{unit}）"


def _departments(app: ApplicantFacts) -> Ground:
    """《天津通知》二(二)2: every clinical department has a physician first-registered there."""
    label = "天津：所有已开设临床科室均应至少有1名第一注册地在该医疗机构的医师"
    question = "是否每个已开设的临床科室都至少有1名第一注册地在本机构的医师？"
    lacking = app.departments_lacking_physician
    if lacking is None:
        return _condition("departments_physician", label, None, MANUAL, question)
    if lacking:
        return _condition("departments_physician", label, False, "缺少医师的科室：" + "、".join(lacking), question)
    return _condition("departments_physician", label, True, "各临床科室均有第一注册地医师", question)


def _nearby(app: ApplicantFacts, nearby: Sequence[NearbyFact], radius_m: int) -> Ground:
    """《天津通知》二(二)3(8): no designated institution of the same payment level and class within `radius_m`."""
    label = f"天津：半径{radius_m}米内无同级别、同类型已纳入医保管理的医疗机构"
    question = f"半径{radius_m}米内是否有同级别、同类型已纳入医保管理的医疗机构？"

    def condition(met: bool | None, evidence: str) -> Ground:
        return _condition("nearby_same_level", label, met, evidence, question, yes_means_hit=True)

    if app.lat is None or app.lon is None or app.kind is None or not app.payment_level:
        return condition(None, "缺少本机构坐标、类别或医保支付级别，" + MANUAL)
    clashes = []
    for other in nearby:
        if other.code and other.code == app.code:
            continue
        if other.kind_class != app.kind.kind_class or other.level != app.payment_level:
            continue
        metres = distance_m(app.lat, app.lon, other.lat, other.lon)
        if metres <= radius_m:
            clashes.append(f"{other.name}（{other.code}）相距{metres:.0f}米")
    if clashes:
        return condition(False, "；".join(clashes))
    return condition(True, f"{radius_m}米内无同级别（{app.payment_level}）同类型定点医疗机构")


def _tianjin_conditions(
    app: ApplicantFacts, nearby: Sequence[NearbyFact], radius_m: int, record_years: int, video_months: int
) -> list[Ground]:
    """The extra admission conditions of the Tianjin draft (《天津通知》二(二))."""
    records = _at_least(app.records_kept_years, record_years, "年")
    video = _at_least(app.video_kept_months, video_months, "个月")
    platform = app.uses_city_purchase_platform
    return [
        _departments(app),
        _condition(
            "records_kept",
            f"天津：检验、影像等原始资料保存时间不少于{record_years}年",
            *records,
            f"检验、影像等原始资料是否保存不少于{record_years}年？",
        ),
        _condition(
            "video_kept",
            f"天津：视频监控资料存储不少于{video_months}个月",
            *video,
            f"视频监控资料是否存储不少于{video_months}个月？",
        ),
        _condition(
            "city_purchase_platform",
            "天津：全量药品、医用耗材从天津市医药采购应用平台网上采购",
            platform,
            "" if platform is None else ("已承诺" if platform else "未在平台采购"),
            "全量药品、医用耗材是否从天津市医药采购应用平台网上采购？",
        ),
        _nearby(app, nearby, radius_m),
        _condition(
            "tianjin_other",
            "天津：追溯码、医技人员、价格承诺、接口改造、视频点位、刷脸扫码等其他要求",
            None,
            MANUAL,
            "是否符合追溯码、医技人员、价格承诺、接口改造、视频点位、刷脸扫码等其他要求？",
        ),
    ]


def basic_conditions(
    app: ApplicantFacts,
    today: date,
    *,
    tianjin: bool = False,
    nearby: Sequence[NearbyFact] = (),
    operating_months: int = 3,
    beds_threshold: int = 100,
    distance_rule_m: int = 1500,
    record_years: int = 3,
    video_months: int = 6,
) -> list[Ground]:
    """Admission conditions of 《广东办法》第六条 (plus the Tianjin extras); a Ground with hit=True is a condition NOT met."""
    grounds = _national_conditions(app, today, operating_months, beds_threshold)
    if tianjin:
        grounds += _tianjin_conditions(app, nearby, distance_rule_m, record_years, video_months)
    return grounds
