"""Use cases of registration (登记备案): register, commitment, cancel, list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from yibao_desktop.adapters.db.models import Institution, Person, Registration
from yibao_desktop.adapters.db.uow import get_row
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import (
    IdInfo,
    check_birth_and_sex,
    check_id_number,
    check_name,
    check_person_code,
    check_phone,
)
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.domain.permissions import Permission, require
from yibao_desktop.domain.persons import Status, check_may_register
from yibao_desktop.domain.pinyin import initials_key
from yibao_desktop.domain.plausibility import (
    check_cancellation_date,
    check_commitment_date,
    check_registration_date,
)

from .audit import audit
from .context import AppContext
from .rows import RegistrationRow

if TYPE_CHECKING:
    from yibao_desktop.adapters.db.uow import UnitOfWork


@dataclass
class RegistrationInput:
    """Annex 2 fields as the registration dialog or a roster row submits them."""

    name: str = ""
    id_number: str = ""
    person_code: str = ""
    sex: str | None = None
    birth_date: date | None = None
    phone: str = ""
    institution_code: str = ""
    region_code: str = ""
    practice_type: str = ""
    practice_category: str = ""
    practice_scope: str = ""
    title: str = ""
    commitment: bool = False
    commitment_on: date | None = None
    registered_on: date | None = None
    is_principal: bool = False


def _validate(ctx: AppContext, data: RegistrationInput, today: date) -> tuple[str, IdInfo]:
    """Normalise the input and check its dates are plausible; returns (name, IdInfo)."""
    name = check_name(data.name)
    info = check_id_number(data.id_number)
    check_birth_and_sex(info, data.birth_date, data.sex)
    data.person_code = check_person_code(data.person_code)
    if data.phone:
        data.phone = check_phone(data.phone)
    if not data.institution_code:
        raise DomainError("请选择医药机构。", field="institution_code")
    if data.commitment and data.commitment_on is None:
        raise DomainError("已签订承诺书的，请填写承诺日期。", field="commitment_on")
    if data.commitment_on is not None:
        check_commitment_date(data.commitment_on, today=today, profile=ctx.profile, birth=info.birth_date)
    if data.registered_on is not None:
        check_registration_date(data.registered_on, today=today, profile=ctx.profile, birth=info.birth_date)
    return name, info


def register_person(ctx: AppContext, data: RegistrationInput, today: date | None = None) -> int:
    """Register a person at an institution; refuses duplicates, bans and suspended/terminated persons."""
    require(ctx, Permission.REGISTER)
    today = today or ctx.today()
    name, info = _validate(ctx, data, today)
    on = data.registered_on or today
    with ctx.uow() as uow:
        uow.lock_for_writing()  # the duplicate checks below must still hold when the rows are written
        s = uow.session
        inst = s.scalar(select(Institution).where(Institution.code == data.institution_code.upper()))
        if inst is None:
            raise DomainError(
                f"医药机构代码 {data.institution_code} 不存在，请先登记该机构。", field="institution_code"
            )
        if data.is_principal and not InstitutionKind(inst.kind).is_pharmacy:
            raise DomainError("只有定点零售药店登记主要负责人。", field="is_principal")
        person = s.scalar(select(Person).where(Person.id_number == info.number))
        if person is None:
            person = Person(
                id_number=info.number,
                name=name,
                name_initials=initials_key(name),
                birth_date=info.birth_date,
                sex=info.sex,
                phone=data.phone,
                status=Status.ACTIVE,
            )
            s.add(person)
            s.flush()
        else:
            if person.name != name:
                raise DomainError(
                    f"身份证件号码 {info.number} 已登记为“{person.name}”，与填写的姓名“{name}”不一致。", field="name"
                )
            check_may_register(person.status, person.status_end, person.ban_end, on)
        dup = s.scalar(
            select(Registration.id).where(
                Registration.person_id == person.id,
                Registration.institution_id == inst.id,
                Registration.cancelled_on.is_(None),
            )
        )
        if dup is not None:
            raise DomainError(f"{name} 已在 {inst.name} 登记备案，不能重复登记。", field="id_number")
        code_clash = s.scalar(
            select(Person.name)
            .join(Registration)
            .where(Registration.person_code == data.person_code, Registration.person_id != person.id)
        )
        if code_clash:
            raise DomainError(f"医保相关人员代码 {data.person_code} 已属于“{code_clash}”。", field="person_code")
        reg = Registration(
            person_id=person.id,
            institution_id=inst.id,
            person_code=data.person_code,
            region_code=data.region_code or inst.region_code,
            practice_type=data.practice_type,
            practice_category=data.practice_category,
            practice_scope=data.practice_scope,
            title=data.title,
            status=Status.ACTIVE,
            commitment=data.commitment,
            commitment_on=data.commitment_on,
            is_principal=data.is_principal,
            registered_on=on,
        )
        s.add(reg)
        s.flush()
        audit(uow, "registration.create", "registration", reg.id, f"{info.number}@{inst.code}")
        uow.commit()
        return reg.id


def record_commitment(ctx: AppContext, registration_id: int, on: date, version: int) -> None:
    """Record the signed commitment (annex 1) of a registration."""
    require(ctx, Permission.REGISTER)
    with ctx.uow() as uow:
        reg = _get_reg(uow, registration_id, version)
        check_commitment_date(on, today=ctx.today(), profile=ctx.profile, birth=reg.person.birth_date)
        reg.commitment, reg.commitment_on = True, on
        audit(uow, "registration.commitment", "registration", reg.id, on.isoformat())
        uow.commit()


def cancel_registration(ctx: AppContext, registration_id: int, on: date, reason: str, version: int) -> None:
    """Cancel a registration (leaving, retiring, job change); it stays in history."""
    require(ctx, Permission.REGISTER)
    if not reason.strip():
        raise DomainError("请填写注销原因（调离、退休等）。", field="cancel_reason")
    with ctx.uow() as uow:
        reg = _get_reg(uow, registration_id, version)
        if reg.cancelled_on is not None:
            raise DomainError("该登记备案已注销。")
        check_cancellation_date(on, reg.registered_on, today=ctx.today(), profile=ctx.profile)
        reg.cancelled_on, reg.cancel_reason = on, reason.strip()
        audit(uow, "registration.cancel", "registration", reg.id, reason)
        uow.commit()


EDITABLE = ("phone", "region_code", "practice_type", "practice_category", "practice_scope", "title")


def get_registration(ctx: AppContext, registration_id: int) -> tuple[RegistrationInput, int]:
    """The editable annex-2 fields of a registration and its version."""
    with ctx.uow() as uow:
        reg = _get_reg(uow, registration_id, None)
        p, inst = reg.person, get_row(uow.session, Institution, reg.institution_id)
        data = RegistrationInput(
            name=p.name,
            id_number=p.id_number,
            person_code=reg.person_code,
            sex=p.sex,
            birth_date=p.birth_date,
            phone=p.phone,
            institution_code=inst.code,
            region_code=reg.region_code,
            practice_type=reg.practice_type,
            practice_category=reg.practice_category,
            practice_scope=reg.practice_scope,
            title=reg.title,
            commitment=reg.commitment,
            commitment_on=reg.commitment_on,
            registered_on=reg.registered_on,
            is_principal=reg.is_principal,
        )
        return data, reg.version


def update_registration(ctx: AppContext, registration_id: int, data: RegistrationInput, version: int) -> None:
    """Edit the practice fields, phone and a wrongly saved registration date (identity and institution stay:
    re-register instead); the corrected date is checked as on entry and may not follow a cancellation."""
    require(ctx, Permission.REGISTER)
    if data.phone:
        data.phone = check_phone(data.phone)
    with ctx.uow() as uow:
        reg = _get_reg(uow, registration_id, version)
        if data.registered_on is not None and data.registered_on != reg.registered_on:
            check_registration_date(
                data.registered_on, today=ctx.today(), profile=ctx.profile, birth=reg.person.birth_date
            )
            if reg.cancelled_on is not None and data.registered_on > reg.cancelled_on:
                raise DomainError(f"登记备案日期不能晚于注销日期 {reg.cancelled_on:%Y-%m-%d}。", field="registered_on")
            reg.registered_on = data.registered_on
        for name in EDITABLE:
            value = getattr(data, name)
            if name == "phone":
                reg.person.phone = value
            else:
                setattr(reg, name, value)
        audit(uow, "registration.update", "registration", reg.id)
        uow.commit()


def _get_reg(uow: UnitOfWork, registration_id: int, version: int | None) -> Registration:
    """Load a registration and check the version the clerk saw."""
    return uow.get(
        Registration,
        registration_id,
        "登记备案记录不存在。",
        version,
        "该登记备案已被其他经办人员修改，请刷新后重试（本次修改未保存）。",
    )


def list_registrations(
    ctx: AppContext, include_cancelled: bool = False, limit: int | None = None
) -> list[RegistrationRow]:
    """All registrations with person, institution and this year's points (Core tuples, no ORM objects).

    `limit` returns the first rows quickly so a table can paint before the whole list has arrived.
    """
    r, p, i = Registration.__table__.c, Person.__table__.c, Institution.__table__.c
    stmt = (
        select(
            # RegistrationRow's fields up to its title, in its order ...
            r.id,
            p.id,
            p.name,
            p.id_number,
            p.sex,
            r.person_code,
            i.id,
            i.name,
            i.code,
            r.practice_type,
            r.title,
            r.status,  # shown as 已注销 once cancelled
            r.commitment,
            r.year_points,
            r.registered_on,
            r.cancelled_on,
            r.version,
            p.name_initials,  # for the search text
            p.name_sort,
        )
        .select_from(
            Registration.__table__.join(Person.__table__, p.id == r.person_id).join(
                Institution.__table__, i.id == r.institution_id
            )
        )
        .order_by(r.id)
    )
    if not include_cancelled:
        stmt = stmt.where(r.cancelled_on.is_(None))
    if limit is not None:
        stmt = stmt.limit(limit)
    labels = {s.value: s.label for s in Status}
    make = RegistrationRow
    with ctx.uow() as uow:
        result = uow.session.connection().execute(stmt).all()
    out: list[RegistrationRow] = []
    append = out.append
    for row in result:
        head, (status, commit, pts, reg_on, canc, ver, ini, sort) = row[:11], row[11:]
        _, _, name, idn, _, pcode, _, iname, icode, _, _ = head
        shown = "cancelled" if canc else status
        search = f"{name} {ini} {idn} {pcode} {icode} {iname}".lower()
        fields = (*head, shown, labels.get(shown, shown), commit, pts, reg_on, canc, ver, search, sort)
        append(make(*fields))
    return out
