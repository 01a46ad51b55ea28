"""Demo data: a realistic county or city (institutions of every kind, agreements in every state, persons,
multi-site doctors, scores across two years). Used by first run, tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from yibao_desktop.adapters.db.models import Agreement, AgreementEvent, Institution, Person, Registration
from yibao_desktop.domain.ids import make_credit_code, make_id_number
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.domain.periods import period_last_day
from yibao_desktop.domain.permissions import Actor, Permission, Role, require
from yibao_desktop.domain.pinyin import initials_key

from .context import AppContext

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

REGIONS = {"445202": "榕城区", "445203": "揭东区", "445222": "揭西县", "445224": "惠来县", "445281": "普宁市"}
TOWNS = (
    "东山",
    "仙桥",
    "梅云",
    "磐东",
    "榕华",
    "新兴",
    "中山",
    "西马",
    "渔湖",
    "炮台",
    "地都",
    "锡场",
    "玉湖",
    "京冈",
    "钱坑",
    "棉湖",
    "河婆",
    "凤江",
    "坪上",
    "流沙",
    "占陇",
    "麒麟",
    "洪阳",
    "里湖",
    "梅塘",
)
SURNAMES = "陈林黄李张吴郑刘杨蔡许谢王洪曾单仇解区翁邱方詹罗余卢周江"
GIVEN = "志伟秀英建华丽娟明辉晓燕国强海峰文静丹玉婷俊杰少鹏佳琪泽宇思远嘉欣浩然梓涵振东美玲锦鸿"
KIND_NAMES = {
    InstitutionKind.GENERAL_HOSPITAL: "人民医院",
    InstitutionKind.TCM_HOSPITAL: "中医医院",
    InstitutionKind.INTEGRATED_HOSPITAL: "中西医结合医院",
    InstitutionKind.SPECIALTY_HOSPITAL: "眼科医院",
    InstitutionKind.REHABILITATION_HOSPITAL: "康复医院",
    InstitutionKind.MATERNAL_CHILD: "妇幼保健院",
    InstitutionKind.DISEASE_PREVENTION: "慢性病防治站",
    InstitutionKind.COMMUNITY_HEALTH: "社区卫生服务中心",
    InstitutionKind.TOWNSHIP_HEALTH_CENTER: "镇卫生院",
    InstitutionKind.OUTPATIENT_DEPARTMENT: "门诊部",
    InstitutionKind.CLINIC: "诊所",
    InstitutionKind.VILLAGE_CLINIC: "村卫生室",
    InstitutionKind.EMERGENCY_CENTER: "急救中心",
    InstitutionKind.DIALYSIS_CENTER: "血液透析中心",
    InstitutionKind.NURSING_HOME: "护理院",
    InstitutionKind.HOSPICE: "安宁疗护中心",
    InstitutionKind.ELDERLY_CARE_CLINIC: "颐养院医务室",
    InstitutionKind.PHARMACY: "大药房",
}
WEIGHTS = {
    InstitutionKind.CLINIC: 18,
    InstitutionKind.PHARMACY: 30,
    InstitutionKind.VILLAGE_CLINIC: 14,
    InstitutionKind.OUTPATIENT_DEPARTMENT: 8,
    InstitutionKind.TOWNSHIP_HEALTH_CENTER: 6,
    InstitutionKind.COMMUNITY_HEALTH: 5,
    InstitutionKind.GENERAL_HOSPITAL: 4,
}
TITLES = {
    "D": ("主任医师", "副主任医师", "主治医师", "医师"),
    "HY": ("主任药师", "主管药师", "药师", "药士"),
    "HJ": ("主管技师", "技师", "主管护师", "护师"),
}


def _institutions(rng: random.Random, n: int) -> list[dict]:
    kinds = list(KIND_NAMES)
    weights = [WEIGHTS.get(k, 1) for k in kinds]
    rows: list[dict] = []
    serial: dict[str, int] = {}
    for i in range(n):
        kind = kinds[i] if i < len(kinds) else rng.choices(kinds, weights)[0]
        region = rng.choice(list(REGIONS))
        serial[region] = serial.get(region, 0) + 1
        prefix = "P" if kind.is_pharmacy else "H"
        town = rng.choice(TOWNS)
        name = f"{REGIONS[region][:-1]}{town}{KIND_NAMES[kind]}" + (
            f"第{serial[region]}分店" if kind.is_pharmacy else ""
        )
        if kind in (InstitutionKind.CLINIC, InstitutionKind.OUTPATIENT_DEPARTMENT):
            name = f"{REGIONS[region][:-1]}{town}{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{KIND_NAMES[kind]}"
        beds = {1: rng.choice([80, 150, 300, 600]), 2: 40, 5: 60}.get(kind.kind_class, 0)
        public = kind in (
            InstitutionKind.GENERAL_HOSPITAL,
            InstitutionKind.TCM_HOSPITAL,
            InstitutionKind.MATERNAL_CHILD,
            InstitutionKind.TOWNSHIP_HEALTH_CENTER,
            InstitutionKind.COMMUNITY_HEALTH,
            InstitutionKind.DISEASE_PREVENTION,
            InstitutionKind.EMERGENCY_CENTER,
        )
        rows.append(
            dict(
                name=name,
                name_initials=initials_key(name),
                code=f"{prefix}{region}{serial[region]:05d}",
                credit_code=make_credit_code(f"{'12' if public else '92'}{region}{rng.randrange(10**9):09d}"),
                kind=kind.value,
                ownership="public" if public else "private",
                payment_level={1: "三级", 2: "二级"}.get(kind.kind_class, "一级") if not kind.is_pharmacy else "",
                beds=beds,
                address=f"揭阳市{REGIONS[region]}{town}镇{rng.randint(1, 200)}号",
                longitude=116.37 + rng.uniform(-0.3, 0.3),
                latitude=23.55 + rng.uniform(-0.3, 0.3),
                region_code=region,
                legal_rep=_name(rng),
                principal=_name(rng),
                controller=_name(rng),
                operating_since=date(rng.randint(1990, 2025), rng.randint(1, 12), 1),
                phone=f"0663-{rng.randint(2000000, 8999999)}",
                service_categories="门诊,住院" if beds else "门诊",
                version=1,
            )
        )
    return rows


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _agreements(rng: random.Random, inst_ids: list[int], today: date, ctx: AppContext) -> list[dict]:
    rows = []
    for n, iid in enumerate(inst_ids):
        roll = rng.random()
        if roll < 0.08:
            start, status = today - timedelta(days=rng.randint(10, 170)), "guidance"
        else:
            start = date(today.year, rng.randint(1, 12), 1) - timedelta(days=365)
            status = "suspended" if roll < 0.10 else "terminated" if roll < 0.11 else "active"
            if start + timedelta(days=365) < today:
                start = start.replace(year=start.year + 1)
        end = period_last_day(start, 12)
        if status == "active" and end < today:
            status = "expired"
        rows.append(
            dict(
                institution_id=iid,
                number=f"揭医保协〔{start.year}〕{n + 1}号",
                agreement_type="annual",
                start=start,
                end=end,
                signed_on=start,
                status=status,
                version=1,
                guidance_end=period_last_day(start, ctx.profile.guidance_months) if status == "guidance" else None,
            )
        )
    return rows


def _agreement_events(conn: Connection, today: date) -> list[dict]:
    """Signing events for every agreement, and the decision behind each suspended or terminated one."""
    rows = []
    for aid, number, start, status in conn.execute(
        select(Agreement.id, Agreement.number, Agreement.start, Agreement.status)
    ):
        rows.append(dict(agreement_id=aid, kind="sign", on=start, detail=f"签订{number}", version=1))
        if status in ("suspended", "terminated"):
            on = min(today, start + timedelta(days=120))
            rows.append(
                dict(
                    agreement_id=aid,
                    kind="suspension" if status == "suspended" else "termination",
                    on=on,
                    effective=on,
                    decision_no=f"揭医保协处〔{on.year}〕{aid}号",
                    ground_code="",
                    detail="演示数据：未按规定提供检查所需材料"
                    if status == "suspended"
                    else "演示数据：以骗取医保基金为目的的欺诈骗保",
                    version=1,
                )
            )
    return rows


def generate(
    ctx: AppContext, persons: int = 2000, seed: int = 2026, scored: int | None = None, progress=None
) -> dict[str, int]:
    """Fill an empty database; returns counts. Scores go through the scoring services (same rules as typed)."""
    require(ctx, Permission.MAINTENANCE)
    rng = random.Random(seed)
    today = ctx.today()
    n_inst = max(30, persons // 140)
    with ctx.uow() as uow:
        conn = uow.session.connection()
        conn.execute(insert(Institution), _institutions(rng, n_inst))
        insts = conn.execute(select(Institution.id, Institution.kind, Institution.region_code)).all()
        conn.execute(insert(Agreement), _agreements(rng, [i for i, _, _ in insts], today, ctx))
        conn.execute(insert(AgreementEvent), _agreement_events(conn, today))
        people, regs = _people(rng, persons, insts, today)
        conn.execute(insert(Person), people)
        ids = dict(conn.execute(select(Person.id_number, Person.id)).all())
        for r in regs:
            r["person_id"] = ids[r.pop("id_number")]
        conn.execute(insert(Registration), regs)
        uow.commit()
    if progress:
        progress(1, 2)
    n_scored = _scores(ctx, rng, scored if scored is not None else min(600, max(20, persons // 100)), today)
    if progress:
        progress(2, 2)
    return {"institutions": n_inst, "persons": persons, "registrations": len(regs), "scored": n_scored}


def _people(rng: random.Random, n: int, insts: Sequence, today: date) -> tuple[list[dict], list[dict]]:
    people: list[dict] = []
    regs: list[dict] = []
    seen: set[str] = set()
    pharmacies = [i for i in insts if i[1] == InstitutionKind.PHARMACY]
    others = [i for i in insts if i[1] != InstitutionKind.PHARMACY]
    codes = 0
    while len(people) < n:
        region = rng.choice(list(REGIONS))
        birth = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        sex = rng.choice("男女")
        idn = make_id_number(region, birth, rng.randrange(400), sex)
        if idn in seen:
            continue
        seen.add(idn)
        name = _name(rng)
        people.append(
            dict(
                id_number=idn,
                name=name,
                name_initials=initials_key(name),
                birth_date=birth,
                sex=sex,
                phone=f"13{rng.randint(100000000, 999999999)}",
                status="active",
                version=1,
            )
        )
        pharm = bool(pharmacies) and rng.random() < 0.2
        homes = [rng.choice(pharmacies if pharm else others)]
        if not pharm and rng.random() < 0.3:
            homes.append(rng.choice(others))
        for inst in dict.fromkeys(homes):
            codes += 1
            prefix = "HY" if pharm else rng.choice(("D", "D", "D", "HJ"))
            signed = rng.random() > 0.03
            reg_on = date(rng.randint(2018, today.year - 1), rng.randint(1, 12), 1)
            regs.append(
                dict(
                    id_number=idn,
                    institution_id=inst[0],
                    person_code=f"{prefix}{inst[2]}{codes:06d}",
                    region_code=inst[2],
                    practice_type={"HY": "药师", "HJ": "技师", "D": "执业医师"}[prefix],
                    practice_category={"HY": "药学", "HJ": "医技"}.get(prefix) or rng.choice(("临床", "中医", "口腔")),
                    practice_scope="药品调剂" if pharm else rng.choice(("内科", "外科", "儿科", "全科医学")),
                    title=rng.choice(TITLES[prefix]),
                    status="active",
                    commitment=signed,
                    commitment_on=reg_on if signed else None,
                    is_principal=pharm,
                    registered_on=reg_on,
                    year_points=0,
                    version=1,
                )
            )
    return people, regs


def _demo_appeal(
    ctx: AppContext, reviewer: AppContext, rng: random.Random, disp_id: int, received: date, today: date
) -> None:
    """Some persons appeal within the window (filed by the clerk); older ones are decided (upheld) by the reviewer."""
    from . import appeals

    filed = ctx.calendar.add_working_days(received, rng.randint(1, 9))
    if filed > today:
        return
    aid = appeals.file_appeal(
        _on(ctx, filed),
        disp_id,
        rng.choice(("person", "institution")),
        filed,
        "对违规事实认定有异议，申请复核相关病历和结算记录。",
    )
    decided = ctx.calendar.add_working_days(filed, rng.randint(5, 18))
    if decided <= today:
        appeals.decide_appeal(
            _on(reviewer, decided), aid, "upheld", "经复核，违规事实清楚，证据充分，维持原处理。", decided
        )


def _on(c: AppContext, day: date) -> AppContext:
    """The same user's context on a past day: each record is entered on its day, so no date lies in its future."""
    from dataclasses import replace

    return replace(c, clock=lambda: day)


def _scores(ctx: AppContext, rng: random.Random, n: int, today: date) -> int:
    """Score n persons through the services, each person's history in time order (a notice is issued only after
    every decision it counts, and on or after its day); issue and deliver most notices so every state appears."""
    from dataclasses import replace

    from yibao_desktop.domain.errors import DomainError

    from . import notices
    from .scoring import ScoreInput, recompute_all, record_scores

    clerk = replace(ctx, actor=Actor("clerk", Role.CLERK, "经办员"))
    reviewer = replace(ctx, actor=Actor("reviewer", Role.REVIEWER, "审核员"))
    with ctx.uow() as uow:
        pool = uow.session.execute(
            select(Person.id_number, Institution.code)
            .join(Registration, Registration.person_id == Person.id)
            .join(Institution, Institution.id == Registration.institution_id)
        ).all()
    catalog = [it for it in ctx.profile.catalog if not it.code.endswith("99")]
    done, serial = 0, 0
    for idn, code in rng.sample(pool, min(n, len(pool))):
        days = sorted(today - timedelta(days=rng.randint(3, 500)) for _ in range(rng.choice((1, 1, 2, 3))))
        busy_until = date.min  # the person's last notice: the next decision comes after it
        for decided in days:
            if decided <= busy_until:
                continue
            serial += 1
            item = rng.choices(catalog, [8 if it.band <= 2 else 2 for it in catalog])[0]
            kind = "penalty" if item.band in (2, 4) else "agreement"
            data = ScoreInput(
                idn,
                code,
                kind,
                f"揭医保{'罚' if kind == 'penalty' else '协处'}〔{decided.year}〕{serial}号",
                decided,
                f"JC{decided:%Y%m}{serial % 7:02d}",
                item.code,
                rng.choice(("general", "important", "primary")),
            )
            try:
                disp_id = record_scores(_on(clerk, decided), [data])
            except DomainError:
                continue
            done += 1
            if (today - decided).days < 6:
                continue
            issued = ctx.calendar.add_working_days(decided, rng.randint(1, 4))
            if issued > today:
                continue
            notices.approve(_on(reviewer, issued), disp_id)
            notices.issue(_on(reviewer, issued), disp_id, issued)
            busy_until = issued
            delivered = ctx.calendar.add_working_days(issued, rng.randint(1, 3))
            if delivered <= today and rng.random() < 0.9:
                notices.record_delivery(_on(clerk, delivered), disp_id, delivered)
                busy_until = delivered
                if rng.random() < 0.08:
                    _demo_appeal(clerk, reviewer, rng, disp_id, delivered, today)
    recompute_all(ctx, today.year)  # the registrations' points of the current year, as of today
    return done
