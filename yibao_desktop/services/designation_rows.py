"""Read side of designation: application rows with due dates, states and stored grounds (plain DTOs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Application
from yibao_desktop.domain.designation import (
    Ground,
    MaterialState,
    PublicityPeriod,
    evaluation_due,
    publicity_period,
    reapply_ban_end,
    reevaluation_earliest,
    supplement_complete_on,
    supplement_notice_due,
    supplement_wait_days,
)
from yibao_desktop.domain.designation_checks import Verification, answer_of, settled
from yibao_desktop.domain.designation_steps import ApplicationDates, NextStep, next_step
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.domain.pinyin import initials_key

from .context import AppContext
from .labels import enum_label, search_text
from .rows import TodoRow

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork

STATES = {
    "supplement": "待补正材料",
    "received": "材料齐全待受理",
    "accepted": "已受理待评估",
    "evaluating": "评估中（有待核实事项）",
    "refused": "不予受理",
    "failed": "评估不合格（整改中）",
    "banned": "再次评估不合格",
    "passed": "评估合格待公示",
    "publicity": "公示中",
    "listed": "已列入拟签协议名单",
}
RESULTS = {"pass": "合格", "fail": "不合格", "refused": "不予受理"}


# Termination grounds that are "严重违法违规" for 第九条（七）; the other grounds (change not filed, requested …) are not.
@dataclass(frozen=True)
class GroundRow:
    """One refusal ground (第九条) or admission condition (第六条): its plain question, the answer the data or the
    clerk gave, the evidence, and for a verified item who verified it, when, why and on which evidence."""

    group: str  # "refusal" | "condition"
    code: str
    label: str
    hit: bool
    evidence: str
    manual: bool = False
    question: str = ""
    yes_means_hit: bool = True
    not_applicable: bool = False
    verified_by: str = ""
    verified_on: date | None = None
    note: str = ""
    check_evidence: str = ""

    @property
    def ask(self) -> str:
        """The item as a plain question (old records without one show the article text)."""
        return self.question or self.label

    @property
    def answer(self) -> str:
        """是 / 否 / 不适用 / 待核实."""
        return answer_of(self.ground)

    @property
    def verdict(self) -> str:
        """Whether the item stands: 不予受理情形 / 不符合 (against the applicant), 待核实, 不适用, 符合 / 未发现."""
        if self.hit:
            return "存在该情形" if self.group == "refusal" else "不符合"
        if self.manual:
            return "待核实"
        if self.not_applicable:
            return "不适用"
        return "未发现" if self.group == "refusal" else "符合"

    @property
    def basis(self) -> str:
        """What the answer rests on: the data's evidence, or the clerk's verification."""
        if self.verified_by:
            return f"{self.verified_by}于{self.verified_on}核实：{self.note}（证据：{self.check_evidence}）"
        return self.evidence

    @property
    def ground(self) -> Ground:
        """The domain item."""
        return Ground(
            self.code,
            self.label,
            self.hit,
            self.evidence,
            self.manual,
            self.question,
            self.yes_means_hit,
            self.not_applicable,
        )


@dataclass(frozen=True)
class ApplicationRow:
    """One designation application with its statutory dates and Chinese state."""

    id: int
    applicant_name: str
    credit_code: str
    kind: str
    kind_label: str
    received_on: date
    missing: tuple[str, ...]
    supplement_due: date | None
    supplement_notice_on: date | None
    supplement_received_on: date | None
    accepted_on: date | None
    evaluation_due: date | None
    evaluated_on: date | None
    result: str
    result_label: str
    reevaluation_from: date | None
    ban_end: date | None
    publicity_start: date | None
    publicity_first: date | None
    publicity_end: date | None
    state: str
    state_label: str
    institution_id: int | None
    grounds: tuple[GroundRow, ...]
    version: int
    search: str = ""
    publicity_period: PublicityPeriod | None = None
    materials: tuple[MaterialRow, ...] = ()
    supplement_deadline: date | None = None
    next: NextStep | None = None
    overdue: bool = False  # the next step's deadline has passed

    @property
    def outstanding(self) -> tuple[MaterialRow, ...]:
        """The items the supplement notice asked for that have not arrived yet."""
        return tuple(m for m in self.materials if m.requested and m.received_on is None)

    @property
    def publicity_text(self) -> str:
        """The exact publicity period, e.g. "自2026年2月13日起至2026年2月28日止（7个工作日）", or ""."""
        return self.publicity_period.text if self.publicity_period else ""

    @property
    def hits(self) -> tuple[GroundRow, ...]:
        """The grounds that stand against the applicant."""
        return tuple(g for g in self.grounds if g.hit)

    @property
    def open_items(self) -> tuple[GroundRow, ...]:
        """The items still waiting for the clerk's verification."""
        return tuple(g for g in self.grounds if g.manual)


# -- stored text: materials and evaluation record are JSON in the text columns of Application --------------------


def record_of(app: Application) -> dict:
    """{"grounds": [...], "applicant": {...}} stored by evaluate()."""
    return json.loads(app.reasons) if (app.reasons or "").startswith("{") else {}


def material_state(m) -> MaterialState:
    """The domain value of one stored 第八条 item."""
    return MaterialState(m.item, m.at_intake, m.requested, m.received_on)


def missing_materials(app: Application) -> list[str]:
    """Codes of the 第八条 items not yet handed in."""
    return [m.item for m in app.items if m.received_on is None]


def supplement_days(app: Application) -> int:
    """Days spent waiting for supplements after acceptance (not counted toward the evaluation limit, 第十二条)."""
    complete = supplement_complete_on([material_state(m) for m in app.items])
    return supplement_wait_days(app.accepted_on, app.supplement_notice_on, complete)


@dataclass(frozen=True)
class MaterialRow:
    """One 第八条 item as the clerk sees it: its name in the active profile and where it stands."""

    code: str
    name: str
    at_intake: bool
    requested: bool
    received_on: date | None

    @property
    def status(self) -> str:
        """随申请提交 / 补正已收到（日期） / 已告知补正，未收到 / 未提交."""
        if self.at_intake:
            return "随申请提交"
        if self.received_on:
            return f"补正收到（{self.received_on}）"
        return "已告知补正，未收到" if self.requested else "未提交"


def materials_rows(ctx: AppContext, app: Application) -> tuple[MaterialRow, ...]:
    """Every 第八条 item of the application, named as the active profile names it."""
    return tuple(
        MaterialRow(m.item, ctx.profile.materials.get(m.item, m.item), m.at_intake, m.requested, m.received_on)
        for m in app.items
    )


_GROUND_KEYS = ("group", "code", "label", "hit", "evidence", "manual", "question", "yes_means_hit", "not_applicable")


def stored_grounds(app: Application) -> list[tuple[str, Ground]]:
    """(group, item) as computed by the last evaluation, before any verification."""
    out = []
    for g in record_of(app).get("grounds", []):
        values = {k: g[k] for k in _GROUND_KEYS if k in g}
        group = values.pop("group")
        out.append((group, Ground(**values)))
    return out


def verifications_of(app: Application) -> dict[str, Verification]:
    """The latest verification of each item in the current evaluation round."""
    out: dict[str, Verification] = {}
    for c in app.checks:
        if c.round == app.evaluation_round:
            out[c.code] = Verification(c.code, c.answer, c.note, c.evidence, c.verified_by, c.verified_on)
    return out


def grounds_of(app: Application) -> tuple[GroundRow, ...]:
    """The items of the last evaluation with the clerk's verifications applied."""
    checks = verifications_of(app) if app.evaluation_round else {}
    rows = []
    for group, g in stored_grounds(app):
        v = checks.get(g.code) if g.manual else None
        s = settled(g, v)
        rows.append(
            GroundRow(
                group,
                s.code,
                s.label,
                s.hit,
                s.evidence,
                s.manual,
                s.question,
                s.yes_means_hit,
                s.not_applicable,
                v.verified_by if v else "",
                v.verified_on if v else None,
                v.note if v else "",
                v.evidence if v else "",
            )
        )
    return tuple(rows)


def open_items(app: Application) -> tuple[GroundRow, ...]:
    """The items still waiting for the clerk's verification."""
    return tuple(g for g in grounds_of(app) if g.manual)


def row_of(ctx: AppContext, app: Application) -> ApplicationRow:
    """The read DTO of an ORM application (inside its unit of work)."""
    p = ctx.profile
    mats = materials_rows(ctx, app)
    missing = tuple(m.name for m in mats if m.received_on is None)
    sup_due = (
        supplement_notice_due(ctx.calendar, app.received_on, p.supplement_notice_working_days).due
        if missing or app.supplement_notice_on
        else None
    )
    eval_due = (
        evaluation_due(app.accepted_on, supplement_days(app), p.evaluation_months, ctx.calendar)
        if app.accepted_on
        and app.state in ("accepted", "supplement", "failed", "evaluating")
        and not (app.state == "supplement" and app.supplement_notice_on)
        else None
    )  # paused while supplementing
    refrom = (
        reevaluation_earliest(app.evaluated_on, p.reevaluation_wait_months)
        if app.state == "failed" and app.evaluated_on
        else None
    )
    ban = reapply_ban_end(app.evaluated_on, p.reapply_ban_years) if app.state == "banned" and app.evaluated_on else None
    period = (
        publicity_period(ctx.calendar, app.publicity_start, p.publicity_working_days) if app.publicity_start else None
    )
    pub_end = period.last_day if period else None
    label = STATES.get(app.state, app.state)
    if app.state == "publicity" and pub_end and ctx.today() > pub_end:
        label = "公示期满待纳入名单"
    elif app.state == "supplement" and app.supplement_notice_on:
        label = "已告知补正，待收材料"
    grounds = grounds_of(app)
    if app.state == "evaluating":
        label = f"评估中（{sum(g.manual for g in grounds)}项待核实）"
    step = next_step(
        app.state,
        ApplicationDates(
            app.received_on,
            sup_due,
            app.supplement_notice_on,
            app.supplement_deadline,
            app.accepted_on,
            eval_due,
            pub_end,
            refrom,
            sum(g.manual for g in grounds),
        ),
        ctx.today(),
    )
    return ApplicationRow(
        app.id,
        app.applicant_name,
        app.credit_code,
        app.kind,
        enum_label(InstitutionKind, app.kind),
        app.received_on,
        missing,
        sup_due,
        app.supplement_notice_on,
        app.supplement_received_on,
        app.accepted_on,
        eval_due,
        app.evaluated_on,
        app.result,
        RESULTS.get(app.result, ""),
        refrom,
        ban,
        app.publicity_start,
        period.first_day if period else None,
        pub_end,
        app.state,
        label,
        app.institution_id,
        grounds,
        app.version,
        search_text(app.applicant_name, initials_key(app.applicant_name), app.credit_code),
        period,
        mats,
        app.supplement_deadline,
        step,
        bool(step and step.overdue(ctx.today())),
    )


def load_application(uow: UnitOfWork, application_id: int, version: int | None = None) -> Application:
    """The application, refusing a missing one or a stale version."""
    return uow.get(
        Application,
        application_id,
        "定点申请不存在。",
        version,
        "该申请已被其他经办人员修改，请刷新后重试（本次操作未保存）。",
    )


def list_applications(ctx: AppContext) -> list[ApplicationRow]:
    """Every application, newest first, with due dates and the state in Chinese."""
    with ctx.uow() as uow:
        apps = uow.session.scalars(select(Application).order_by(Application.received_on.desc(), Application.id.desc()))
        return [row_of(ctx, a) for a in apps]


CLOSED = ("refused", "banned", "listed")


def designation_work(s, ctx: AppContext) -> tuple[dict[str, int], list[TodoRow]]:
    """For the 工作台: counts of open applications by next step (and overdue), and a deadline line for each next
    step that has a last day (the notice, the applicant's supplement deadline, acceptance, the evaluation limit)."""
    rows = [row_of(ctx, a) for a in s.scalars(select(Application).where(Application.state.not_in(CLOSED)))]
    keys = {
        "supplement_notice": "applications_supplement_notice",
        "supplement_arrival": "applications_supplement",
        "accept": "applications_to_accept",
        "evaluate": "applications_to_evaluate",
        "verify": "applications_to_verify",
        "publicity": "applications_to_publicise",
        "list": "applications_to_list",
    }
    counts = dict.fromkeys(["applications_open", "applications_overdue", *keys.values()], 0)
    todos = []
    today = ctx.today()
    for r in rows:
        counts["applications_open"] += 1
        counts["applications_overdue"] += r.overdue
        if r.next and r.next.key in keys:
            counts[keys[r.next.key]] += 1
        if r.next and r.next.due and not r.next.from_day:
            soon = ctx.calendar.working_days_between(today, r.next.due) <= 2 if r.next.due >= today else False
            todos.append(
                TodoRow(
                    r.next.due,
                    "定点申请",
                    r.applicant_name,
                    f"{r.next.label}（{r.state_label}）",
                    "overdue" if r.overdue else "soon" if soon else "later",
                    "application",
                    r.id,
                )
            )
    return counts, todos


# -- intake -------------------------------------------------------------------------------------------------------
