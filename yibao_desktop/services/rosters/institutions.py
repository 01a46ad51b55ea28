"""机构名册 import: kinds and ownership, existing institutions, new agreements; one ORM write per row."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Agreement, AgreementEvent, Institution
from yibao_desktop.adapters.excel import Problem
from yibao_desktop.adapters.excel.columns import INSTITUTION_CLASS_TEXTS
from yibao_desktop.domain.agreements import agreement_term_end, guidance_end
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import (
    AgreementStatus,
    AgreementType,
    InstitutionKind,
    agreement_status_from_label,
    agreement_type_from_label,
    kind_from_label,
    ownership_from_label,
)
from yibao_desktop.domain.pinyin import initials_key

from ..context import AppContext
from ..institutions import InstitutionInput, validate_institution
from .common import INST_FIELDS, PlannedRow, RowPlanner, headers, valid_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from yibao_desktop.adapters.db.uow import UnitOfWork

_KIND_CLASS_OF_CHOICE = {text: (i + 1 if i < 6 else 0) for i, text in enumerate(INSTITUTION_CLASS_TEXTS)}
_AGREEMENT_KEYS = ("agreement_type", "agreement_start", "agreement_end", "agreement_status")
_INPUT_FIELD_HEADER = {
    "name": "name",
    "code": "institution_code",
    "credit_code": "credit_code",
    "kind": "kind",
    "ownership": "ownership",
    "beds": "beds",
    "latitude": "latitude",
    "longitude": "longitude",
    "region_code": "institution_code",
}


def _kind_value(text: str, existing: str | None) -> tuple[str, str | None]:
    """Institution kind code from the roster text, plus a warning when a whole class was given."""
    try:
        return kind_from_label(text).value, None
    except DomainError:
        cls = _KIND_CLASS_OF_CHOICE.get(text)
        if cls is None:
            raise
    if existing is not None and InstitutionKind(existing).kind_class == cls:
        return existing, None
    first = next(k for k in InstitutionKind if k.kind_class == cls)
    return first.value, f"机构类别填写的是一类机构，已按“{first.label}”登记；如不准确，请填写具体类别"


def _same(a, b) -> bool:
    """Stored and roster values agree (floats within rounding)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


class _InstitutionPlanner(RowPlanner):
    """Checks institution rows: kinds and ownership, existing records, the agreement columns."""

    def __init__(self, ctx: AppContext, session: Session):
        self.ctx = ctx
        self.h = headers("institutions")
        self.existing = {i.code: i for i in session.scalars(select(Institution))}
        self.agreements = {a.number: a for a in session.scalars(select(Agreement))}
        self.numbers: dict[str, int] = {}

    def row(self, r: dict, out: list[Problem]) -> PlannedRow | None:
        """One row → new institution, changed fields, or unchanged; plus a new agreement where numbered."""
        inst = self.existing.get(r["institution_code"])
        values = self._values(r, inst, out)
        if values is None:
            return None
        agreement = self._agreement(r, inst, out)
        if inst is None:
            data = self._validated(r, values, out)
            return None if data is None else PlannedRow("new", r, {"input": data, "agreement": agreement})
        changes = {f: v for f, v in values.items() if v is not None and not _same(getattr(inst, f), v)}
        action = "changed" if changes or agreement else "unchanged"
        return PlannedRow(action, r, {"institution_id": inst.id, "changes": changes, "agreement": agreement})

    def _values(self, r: dict, inst, out: list[Problem]) -> dict | None:
        """Model values of the row (None where blank); kind and ownership from their labels."""
        n, values = r["_row"], {f: r[k] for k, f in INST_FIELDS}
        try:
            values["kind"], warning = _kind_value(r["kind"], inst.kind if inst else None)
            if warning:
                out.append(Problem(n, self.h["kind"], warning, "warning"))
            values["ownership"] = ownership_from_label(r["ownership"]).value
        except DomainError as err:
            out.append(Problem(n, self.h[err.field or "kind"], err.message))
            return None
        return values

    def _validated(self, r: dict, values: dict, out: list[Problem]) -> InstitutionInput | None:
        """The service's own checks for a new institution (region code from the institution code)."""
        data = InstitutionInput(
            code=r["institution_code"],
            region_code=r["institution_code"][1:7],
            **{f: v for f, v in values.items() if v is not None},
        )
        try:
            return validate_institution(data)
        except DomainError as err:
            out.append(Problem(r["_row"], self.h[_INPUT_FIELD_HEADER.get(err.field or "", "name")], err.message))
            return None

    def _agreement(self, r: dict, inst, out: list[Problem]) -> dict | None:
        """A new agreement to sign, or None (blank, already there, or refused)."""
        n, h, number = r["_row"], self.h, r["agreement_no"]
        if number is None:
            if any(r[k] is not None for k in _AGREEMENT_KEYS):
                out.append(Problem(n, h["agreement_no"], "未填写协议编号，协议信息未导入", "warning"))
            return None
        first = self.numbers.setdefault(number, n)
        existing = self.agreements.get(number)
        if first != n or (existing is not None and (inst is None or existing.institution_id != inst.id)):
            where = f"第 {first} 行" if first != n else "其他机构"
            out.append(Problem(n, h["agreement_no"], f"协议编号 {number} 已用于{where}"))
            return None
        if existing is not None:
            if _agreement_differs(r, existing):
                out.append(
                    Problem(
                        n,
                        h["agreement_no"],
                        f"协议 {number} 已存在，协议类型、期限、状态的变化请在“医保协议”中办理，本次未导入",
                        "warning",
                    )
                )
            return None
        try:
            return _agreement_values(r, self.ctx.profile.guidance_months)
        except DomainError as err:
            out.append(Problem(n, h.get(err.field or "", h["agreement_start"]), err.message))
            return None


def _agreement_differs(r: dict, ag: Agreement) -> bool:
    """A filled agreement cell that disagrees with the stored agreement (blank cells agree)."""
    given = (
        r["agreement_type"] and agreement_type_from_label(r["agreement_type"]).value,
        r["agreement_start"],
        r["agreement_end"],
        r["agreement_status"] and agreement_status_from_label(r["agreement_status"]).value,
    )
    stored = (ag.agreement_type, ag.start, ag.end, ag.status)
    return any(g is not None and g != s for g, s in zip(given, stored, strict=True))


def _agreement_values(r: dict, guidance_months: int) -> dict:
    """Agreement columns → values of a new agreement (annual by default; end from the term when blank)."""
    if r["agreement_start"] is None:
        raise DomainError("新协议须填写协议开始日期", field="agreement_start")
    kind = agreement_type_from_label(r["agreement_type"] or AgreementType.ANNUAL.label)
    status = agreement_status_from_label(r["agreement_status"] or "正常")
    start = r["agreement_start"]
    end = r["agreement_end"] or agreement_term_end(start, kind)
    g_end = guidance_end(start, guidance_months) if status == AgreementStatus.GUIDANCE else None
    return dict(
        number=r["agreement_no"],
        agreement_type=kind.value,
        start=start,
        end=end,
        signed_on=start,
        status=status.value,
        guidance_end=g_end,
    )


def plan_institutions(ctx: AppContext, session: Session, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
    """Plan a 机构名册 (rows with cell errors are left out)."""
    return _InstitutionPlanner(ctx, session).plan(valid_rows(rows, problems), problems)


def _write_institution(uow: UnitOfWork, p: PlannedRow) -> None:
    """Create or update one institution and sign its new agreement."""
    s = uow.session
    if p.action == "new":
        inst = Institution(**vars(p.target["input"]))
        inst.name_initials = initials_key(inst.name)
        s.add(inst)
    else:
        inst = s.get_one(Institution, p.target["institution_id"])
        for f, v in p.target["changes"].items():
            setattr(inst, f, v)
        if "name" in p.target["changes"]:
            inst.name_initials = initials_key(inst.name)
    s.flush()
    ag = p.target["agreement"]
    if ag is not None:
        agreement = Agreement(institution_id=inst.id, **ag)
        s.add(agreement)
        s.flush()
        s.add(AgreementEvent(agreement_id=agreement.id, kind="sign", on=ag["start"], detail="由机构名册导入"))


def commit_institutions(ctx: AppContext, uow: UnitOfWork, plan: list[PlannedRow]) -> None:
    """Institutions are few: one ORM write per row."""
    for p in plan:
        if p.action != "unchanged":
            _write_institution(uow, p)
    uow.flush()
