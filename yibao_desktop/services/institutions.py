"""Use cases of the 定点机构 tab: list, read, create and edit institutions."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select

from yibao_desktop.adapters.db.models import Agreement, Institution, Registration
from yibao_desktop.domain import institutions as institution_rules
from yibao_desktop.domain.errors import DomainError, StaleEdit
from yibao_desktop.domain.ids import (
    check_credit_code,
    check_institution_code,
    check_name,
    check_region_code,
    region_label,
)
from yibao_desktop.domain.institutions import AgreementStatus, InstitutionKind, Ownership
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.pinyin import initials_key

from .audit import audit
from .context import AppContext
from .labels import enum_label, search_text
from .rows import InstitutionRow


@dataclass
class InstitutionInput:
    """What the institution dialog (or an import row) submits."""

    name: str = ""
    code: str = ""
    credit_code: str = ""
    kind: str = ""
    ownership: str = "private"
    payment_level: str = ""
    beds: int = 0
    address: str = ""
    longitude: float | None = None
    latitude: float | None = None
    area: str = ""
    region_code: str = ""
    legal_rep: str = ""
    legal_rep_id: str = ""
    principal: str = ""
    principal_id: str = ""
    controller: str = ""
    controller_id: str = ""
    bank_account: str = ""
    licence_no: str = ""
    licence_expiry: date | None = None
    departments: str = ""
    service_categories: str = ""
    operating_since: date | None = None
    contact: str = ""
    phone: str = ""
    dishonest: bool = False
    notes: str = ""


def validate_institution(data: InstitutionInput) -> InstitutionInput:
    """Check and normalise the fields; errors name the field in Chinese."""
    check_name(data.name)
    try:
        kind = InstitutionKind(data.kind)
    except ValueError as err:
        raise DomainError("请选择机构类别。", field="kind") from err
    data.code = check_institution_code(data.code, "pharmacy" if kind.is_pharmacy else None)
    if data.credit_code:
        data.credit_code = check_credit_code(data.credit_code)
    if data.region_code:
        data.region_code = check_region_code(data.region_code)
    if data.ownership not in {o.value for o in Ownership}:
        raise DomainError("请选择经营性质（公立/社会办）。", field="ownership")
    if data.beds < 0:
        raise DomainError("床位数不能为负数。", field="beds")
    for value, label, fld in ((data.latitude, "纬度", "latitude"), (data.longitude, "经度", "longitude")):
        limit = 90 if fld == "latitude" else 180
        if value is not None and not -limit <= value <= limit:
            raise DomainError(f"{label}超出范围。", field=fld)
    return data


def list_institutions(ctx: AppContext) -> list[InstitutionRow]:
    """Every institution with its current agreement status and number of active registrations."""
    latest = (
        select(Agreement.institution_id, func.max(Agreement.end).label("end")).group_by(Agreement.institution_id)
    ).subquery()
    regs = (
        select(Registration.institution_id, func.count().label("n"))
        .where(Registration.cancelled_on.is_(None))
        .group_by(Registration.institution_id)
    ).subquery()
    stmt = (
        select(Institution, Agreement.status, latest.c.end, regs.c.n)
        .outerjoin(latest, latest.c.institution_id == Institution.id)
        .outerjoin(Agreement, (Agreement.institution_id == Institution.id) & (Agreement.end == latest.c.end))
        .outerjoin(regs, regs.c.institution_id == Institution.id)
        .order_by(Institution.code)
    )
    out: dict[int, InstitutionRow] = {}
    with ctx.uow() as uow:
        for inst, status, end, n in uow.session.execute(stmt):
            out[inst.id] = InstitutionRow(
                id=inst.id,
                name=inst.name,
                code=inst.code,
                kind=inst.kind,
                kind_label=enum_label(InstitutionKind, inst.kind),
                ownership_label=enum_label(Ownership, inst.ownership),
                payment_level=inst.payment_level,
                beds=inst.beds,
                area=inst.area,
                address=inst.address,
                agreement_status=enum_label(AgreementStatus, status) if status else "无协议",
                agreement_end=end,
                registrations=n or 0,
                version=inst.version,
                search=search_text(inst.name, inst.name_initials, inst.code, inst.credit_code),
                region=region_label(inst.region_code or inst.code[1:7]),
            )
    return list(out.values())


def get_institution(ctx: AppContext, institution_id: int) -> tuple[InstitutionInput, int]:
    """The editable fields of one institution and its version."""
    with ctx.uow() as uow:
        inst = uow.get(Institution, institution_id, "机构不存在或已被删除。")
        data = InstitutionInput(**{f.name: getattr(inst, f.name) for f in fields(InstitutionInput)})
        return data, inst.version


def save_institution(
    ctx: AppContext, data: InstitutionInput, institution_id: int | None = None, version: int | None = None
) -> int:
    """Create or update an institution; a stale version or a duplicate code is refused in Chinese."""
    require(ctx, Permission.INSTITUTION_EDIT)
    data = validate_institution(data)
    with ctx.uow() as uow:
        s = uow.session
        clash = s.scalar(select(Institution.id).where(Institution.code == data.code))
        if clash is not None and clash != institution_id:
            raise DomainError(f"医药机构代码 {data.code} 已存在，不能重复登记。", field="code")
        changed: list[str] = []
        if institution_id is None:
            inst = Institution()
            s.add(inst)
        else:
            inst = uow.get(Institution, institution_id, "机构不存在或已被删除。")
            if version is not None and inst.version != version:
                raise StaleEdit("该机构已被其他经办人员修改，请重新打开后再编辑（本次修改未保存）。")
            changed = institution_rules.major_changes(_major_values(inst), _major_values(data))
        for f in fields(InstitutionInput):
            setattr(inst, f.name, getattr(data, f.name))
        inst.name_initials = initials_key(data.name)
        uow.flush()
        # a major change must be filed within the profile's working days (《广东办法》第三十九条): the log names it
        note = f"；重大信息变更：{'、'.join(changed)}" if changed else ""
        audit(uow, "institution.save", "institution", inst.id, data.code + note)
        uow.commit()
        return inst.id


# 《广东办法》第三十九条 major-change field → the Institution column that holds it
_MAJOR_COLUMNS = {
    "name": "name",
    "legal_representative": "legal_rep",
    "principal": "principal",
    "actual_controller": "controller",
    "address": "address",
    "bank_account": "bank_account",
    "departments": "departments",
    "scale": "beds",
    "nature": "ownership",
    "level": "payment_level",
    "kind": "kind",
}


def _major_values(source: object) -> dict[str, object]:
    return {key: getattr(source, column) for key, column in _MAJOR_COLUMNS.items()}


def institution_choices(ctx: AppContext) -> list[tuple[int, str, str]]:
    """(id, code, name) of every institution, for pickers."""
    with ctx.uow() as uow:
        return [
            (r[0], r[1], r[2])
            for r in uow.session.execute(
                select(Institution.id, Institution.code, Institution.name).order_by(Institution.code)
            )
        ]
