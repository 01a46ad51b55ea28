"""Basic conditions of designation (001 第六条, with 002's Tianjin additions): each one met, not met or to check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from yibao_desktop.domain.designation import MANUAL, ApplicantFacts, Ground, NearbyFact, window_end
from yibao_desktop.domain.institutions import distance_m


def _condition(code: str, label: str, met: bool | None, evidence: str) -> Ground:
    """An admission condition; hit = NOT met, met=None = not recorded (manual)."""
    if met is None:
        return Ground(code, label, False, evidence or MANUAL, manual=True)
    return Ground(code, label, not met, evidence)


def _operating(app: ApplicantFacts, today: date, months: int) -> Ground:
    """第六条（一）: formally operating for at least `months` months."""
    label = f"第六条（一）正式运营至少{months}个月"
    since = app.operating_since
    if since is None:
        return _condition("operating_months", label, None, "未填写正式运营日期，" + MANUAL)
    full = window_end(since, months) + timedelta(days=1)
    if today >= full:
        return _condition(
            "operating_months", label, True, f"{since.isoformat()}起运营，{full.isoformat()}已满{months}个月"
        )
    return _condition(
        "operating_months", label, False, f"{since.isoformat()}起运营，至{full.isoformat()}方满{months}个月"
    )


def _insurance_department(app: ApplicantFacts, beds_threshold: int) -> Ground:
    """第六条（三）: from `beds_threshold` beds an internal medical-insurance department is required."""
    label = f"第六条（三）{beds_threshold}张床位以上的医疗机构应当设内部医保管理部门，安排专职工作人员"
    if app.beds < beds_threshold:
        return _condition(
            "insurance_department", label, True, f"床位{app.beds}张，不足{beds_threshold}张，无需设立"
        )
    has = app.has_insurance_department
    return _condition(
        "insurance_department", label, has, f"床位{app.beds}张，{'已' if has else '未'}设内部医保管理部门"
    )


def _has(flag: bool) -> str:
    """已具备 / 未具备."""
    return "已具备" if flag else "未具备"


def _national_conditions(app: ApplicantFacts, today: date, months: int, beds_threshold: int) -> list[Ground]:
    """The five checkable conditions of 001 第六条 and the manual sixth."""
    n = app.physicians_first_registered
    return [
        _operating(app, today, months),
        _condition(
            "first_registered_physician",
            "第六条（二）至少有1名第一注册地在该医疗机构的医师",
            n >= 1,
            f"第一注册地在本机构的医师{n}名",
        ),
        _insurance_department(app, beds_threshold),
        _condition(
            "management_system",
            "第六条（四）具有符合医保协议管理要求的医保管理制度、财务制度等",
            app.has_management_system,
            _has(app.has_management_system),
        ),
        _condition(
            "information_system",
            "第六条（五）具有符合医保协议管理要求的信息系统技术和接口标准",
            app.has_information_system,
            _has(app.has_information_system),
        ),
        _condition(
            "other_conditions",
            "第六条（六）符合法律、法规、规章和省级及以上医疗保障行政部门规定的其他条件",
            None,
            MANUAL,
        ),
    ]


def _at_least(value: int | None, minimum: int, unit: str) -> tuple[bool | None, str]:
    """(met, evidence) for "kept at least `minimum` `unit`"; None when not recorded."""
    if value is None:
        return None, "未填写，" + MANUAL
    return value >= minimum, f"保存{value}{unit}（要求不少于{minimum}{unit}）"


def _departments(app: ApplicantFacts) -> Ground:
    """002 二(二)2: every clinical department has a physician first-registered there."""
    label = "天津：所有已开设临床科室均应至少有1名第一注册地在该医疗机构的医师"
    lacking = app.departments_lacking_physician
    if lacking is None:
        return _condition("departments_physician", label, None, MANUAL)
    if lacking:
        return _condition("departments_physician", label, False, "缺少医师的科室：" + "、".join(lacking))
    return _condition("departments_physician", label, True, "各临床科室均有第一注册地医师")


def _nearby(app: ApplicantFacts, nearby: Sequence[NearbyFact], radius_m: int) -> Ground:
    """002 二(二)3(8): no designated institution of the same payment level and class within `radius_m`."""
    label = f"天津：半径{radius_m}米内无同级别、同类型已纳入医保管理的医疗机构"
    if app.lat is None or app.lon is None or app.kind is None or not app.payment_level:
        return _condition("nearby_same_level", label, None, "缺少本机构坐标、类别或医保支付级别，" + MANUAL)
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
        return _condition("nearby_same_level", label, False, "；".join(clashes))
    return _condition(
        "nearby_same_level", label, True, f"{radius_m}米内无同级别（{app.payment_level}）同类型定点医疗机构"
    )


def _tianjin_conditions(
    app: ApplicantFacts, nearby: Sequence[NearbyFact], radius_m: int, record_years: int, video_months: int
) -> list[Ground]:
    """The extra admission conditions of the Tianjin draft (002 二(二))."""
    records = _at_least(app.records_kept_years, record_years, "年")
    video = _at_least(app.video_kept_months, video_months, "个月")
    platform = app.uses_city_purchase_platform
    return [
        _departments(app),
        _condition("records_kept", f"天津：检验、影像等原始资料保存时间不少于{record_years}年", *records),
        _condition("video_kept", f"天津：视频监控资料存储不少于{video_months}个月", *video),
        _condition(
            "city_purchase_platform",
            "天津：全量药品、医用耗材从天津市医药采购应用平台网上采购",
            platform,
            "" if platform is None else ("已承诺" if platform else "未在平台采购"),
        ),
        _nearby(app, nearby, radius_m),
        _condition(
            "tianjin_other",
            "天津：追溯码、医技人员、价格承诺、接口改造、视频点位、刷脸扫码等其他要求",
            None,
            MANUAL,
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
    """Admission conditions of 001 第六条 (plus the Tianjin extras); a Ground with hit=True is a condition NOT met."""
    grounds = _national_conditions(app, today, operating_months, beds_threshold)
    if tianjin:
        grounds += _tianjin_conditions(app, nearby, distance_rule_m, record_years, video_months)
    return grounds
