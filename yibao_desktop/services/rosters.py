"""Excel rosters (SPEC §10): templates, validate-every-row import preview, one-transaction commit, exports."""

from __future__ import annotations

import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, update

from yibao_desktop.adapters.db.models import (
    Agreement,
    AgreementEvent,
    Disposition,
    Institution,
    Person,
    Registration,
    Repair,
    ScoreEntry,
)
from yibao_desktop.adapters.excel import (
    Column,
    FileRefused,
    Problem,
    RosterRead,
    columns,
    read_roster,
    write_error_report,
    write_roster,
    write_table,
    write_template,
)
from yibao_desktop.adapters.excel.columns import INSTITUTION_KIND_CHOICES
from yibao_desktop.domain.agreements import agreement_term_end, guidance_end
from yibao_desktop.domain.dispositions import DispositionKind
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import (
    AgreementStatus,
    AgreementType,
    InstitutionKind,
    Ownership,
    agreement_status_from_label,
    agreement_type_from_label,
    kind_from_label,
    ownership_from_label,
)
from yibao_desktop.domain.persons import Status, check_may_register
from yibao_desktop.domain.pinyin import initials_key
from yibao_desktop.domain.scoring import (
    Circumstance,
    Responsibility,
    ScoreFact,
    check_points,
    propose_points,
    running_totals,
    yearly_total,
)

from .audit import audit
from .context import AppContext
from .institutions import InstitutionInput, validate_institution
from .scoring import DECISION_KINDS, ScoreInput, record_scores

ROSTER_LABELS = {"institutions": "机构名册", "personnel": "人员登记备案名册", "scores": "记分名册"}
CHUNK = 500  # keys per IN (...) query: far below every engine's parameter limit
WATCHED = (Institution, Agreement, Person, Registration, ScoreEntry)

_DECISION_BY_LABEL = {v: k for k, v in DECISION_KINDS.items()}
_RESP_BY_LABEL = {r.label: r.value for r in Responsibility}
_CIRC_BY_LABEL = {c.label: c.value for c in Circumstance}
# Export labels of agreement statuses; the roster's own choices name 正常 rather than 履行中.
_AGREEMENT_STATUS_EXPORT = {"active": "正常", "suspended": "中止", "terminated": "解除", "expired": "到期终止",
                            "guidance": "政策辅导期", "draft": "待签订"}
_KIND_CLASS_OF_CHOICE = {text: (i + 1 if i < 6 else 0) for i, text in enumerate(INSTITUTION_KIND_CHOICES)}


@dataclass
class PlannedRow:
    """One accepted roster row and what committing it does: action 'new', 'changed' or 'unchanged'."""

    action: str
    row: dict
    target: dict = field(default_factory=dict)


@dataclass
class ImportPreview:
    """Everything the clerk sees before accepting: the read rows, the plan, every problem and the counts."""

    kind: str
    file_name: str
    read: RosterRead = field(repr=False)
    plan: list[PlannedRow] = field(repr=False)
    problems: list[Problem] = field(repr=False)
    counts: dict[str, int]
    data: bytes = field(default=b"", repr=False)
    fingerprint: tuple = field(default=(), repr=False)

    @property
    def has_errors(self) -> bool:
        """True when at least one row (or the file) has an error."""
        return any(p.severity == "error" for p in self.problems)

    @property
    def error_rows(self) -> set[int]:
        """Excel rows with at least one error."""
        return {p.row for p in self.problems if p.severity == "error"}


def _headers(kind: str) -> dict[str, str]:
    """Column key → Chinese header."""
    return {c.key: c.header for c in columns(kind)}


def _chunks(values: Iterable, size: int = CHUNK):
    """Successive lists of at most `size` values."""
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _institution_codes(session) -> list[str]:
    """Every institution code, sorted."""
    return list(session.scalars(select(Institution.code).order_by(Institution.code)))


def _read_choices(kind: str) -> dict[str, list[str]]:
    """Choices accepted on import beyond the roster's own: exact institution kinds, every agreement status."""
    if kind != "institutions":
        return {}
    return {"kind": [k.label for k in InstitutionKind],
            "agreement_status": [s.label for s in AgreementStatus] + list(_AGREEMENT_STATUS_EXPORT.values())}


def template_bytes(ctx: AppContext, kind: str) -> bytes:
    """A blank roster template with drop-downs of this database (institution codes, violation codes)."""
    extra = _read_choices(kind)
    if kind in ("personnel", "scores"):
        with ctx.uow() as uow:
            extra["institution_code"] = _institution_codes(uow.session)
    if kind == "scores":
        extra["violation_code"] = [it.code for it in ctx.profile.catalog]
    return write_template(kind, extra_choices=extra)


# ---------------------------------------------------------------- generic export

_ID_TEXT = re.compile(r"\d{17}[\dX]")
_CODE_TEXT = re.compile(r"(?=.*\d)[0-9A-Z][0-9A-Z\-]{4,}")
KIND_SAMPLE = 2000


def _infer_kind(values: list) -> str:
    """Column kind from its values: dates, numbers, booleans, ID numbers and codes (as text), else text."""
    seen = [v for v in values if v is not None and v != ""]
    if not seen:
        return "text"
    if all(isinstance(v, date) for v in seen):
        return "date"
    if all(isinstance(v, bool) for v in seen):
        return "bool"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return "float"
    if all(isinstance(v, str) for v in seen):
        if all(_ID_TEXT.fullmatch(v) for v in seen):
            return "id"
        if all(_CODE_TEXT.fullmatch(v) for v in seen):
            return "code"
    return "text"


def export_table(title: str, headers: list[str], rows: list) -> bytes:
    """Export what a table view shows; column kinds are inferred from the values."""
    rows = list(rows)
    sample = rows[:KIND_SAMPLE]
    kinds = [_infer_kind([r[i] for r in sample if i < len(r)]) for i in range(len(headers))]
    return write_table(title, headers, rows, kinds)


# ---------------------------------------------------------------- preview


def _fingerprint(session) -> tuple:
    """Counts, last ids and version sums of the tables an import reads: any change between preview and commit
    shows here (versions rise on every edit)."""
    return tuple(tuple(session.execute(select(func.count(), func.max(m.id), func.sum(m.version))).one())
                 for m in WATCHED)


def preview_import(ctx: AppContext, kind: str, data: bytes, file_name: str = "",
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportPreview:
    """Validate every row (cells, then the database) and plan each one; writes nothing."""
    if kind not in ROSTER_LABELS:
        raise DomainError(f"不支持导入该名册：{kind}")
    read = read_roster(kind, data, progress=progress, cancelled=cancelled, extra_choices=_read_choices(kind))
    problems = list(read.problems)
    with ctx.uow() as uow:
        fingerprint = _fingerprint(uow.session)
        plan = _PLANNERS[kind](ctx, uow.session, read.rows, problems)
    problems.sort(key=lambda p: (p.row, p.severity != "error"))
    return ImportPreview(kind, file_name, read, plan, problems, _counts(plan, problems), data, fingerprint)


def _counts(plan: list[PlannedRow], problems: list[Problem]) -> dict[str, int]:
    """new / changed / unchanged planned rows and rejected (erroneous) data rows."""
    counts = dict.fromkeys(("new", "changed", "unchanged"), 0)
    for p in plan:
        counts[p.action] += 1
    counts["rejected"] = len({p.row for p in problems if p.severity == "error" and p.row > 0})
    return counts


def _error_rows(problems: list[Problem]) -> set[int]:
    """Rows that already have an error (from the cells or an earlier check)."""
    return {p.row for p in problems if p.severity == "error"}


def _accept(planned: PlannedRow | None, found: list[Problem], plan: list, problems: list) -> None:
    """Keep the row's problems; plan it only when none of them is an error."""
    problems.extend(found)
    if planned is not None and not any(p.severity == "error" for p in found):
        plan.append(planned)


# ---------------------------------------------------------------- personnel

_REG_FIELDS = (("person_code", "person_code"), ("region_code", "region_code"), ("practice_type", "practice_type"),
               ("practice_category", "practice_category"), ("practice_scope", "practice_scope"),
               ("title", "title"), ("commitment_signed", "commitment"), ("commitment_date", "commitment_on"))


def _persons(session, id_numbers: Iterable[str]) -> dict[str, object]:
    """ID number → (id_number, id, name, phone, status, status_end, ban_end) of the persons already known."""
    cols = (Person.id_number, Person.id, Person.name, Person.phone, Person.status, Person.status_end,
            Person.ban_end)
    out = {}
    for part in _chunks(id_numbers):
        for row in session.execute(select(*cols).where(Person.id_number.in_(part))):
            out[row.id_number] = row
    return out


def _registrations(session, person_ids: Iterable[int]) -> dict[tuple[int, int], object]:
    """(person id, institution id) → current (not cancelled) registration values."""
    cols = [Registration.person_id, Registration.institution_id, Registration.id,
            *(getattr(Registration, f) for _k, f in _REG_FIELDS)]
    out = {}
    for part in _chunks(person_ids):
        stmt = select(*cols).where(Registration.person_id.in_(part), Registration.cancelled_on.is_(None))
        for row in session.execute(stmt):
            out[(row.person_id, row.institution_id)] = row
    return out


def _code_owners(session, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Person code → (ID number, name) of the person who holds it (cancelled registrations too)."""
    out = {}
    for part in _chunks(codes):
        stmt = (select(Registration.person_code, Person.id_number, Person.name)
                .join(Person, Person.id == Registration.person_id).where(Registration.person_code.in_(part)))
        for code, idn, name in session.execute(stmt):
            out.setdefault(code, (idn, name))
    return out


def _institutions(session) -> dict[str, object]:
    """Institution code → (id, code, name, region_code, kind)."""
    stmt = select(Institution.id, Institution.code, Institution.name, Institution.region_code, Institution.kind)
    return {row.code: row for row in session.execute(stmt)}


class _PersonnelPlanner:
    """Checks personnel rows against the database and the rest of the file."""

    def __init__(self, ctx: AppContext, session, rows: list[dict]):
        self.h = _headers("personnel")
        self.today = ctx.today()
        self.insts = _institutions(session)
        self.persons = _persons(session, {r["id_number"] for r in rows})
        self.regs = _registrations(session, [p.id for p in self.persons.values()])
        self.owners = _code_owners(session, {r["person_code"] for r in rows if r["person_code"]})
        self.names: dict[str, tuple[str, int]] = {}
        self.codes: dict[str, tuple[str, int]] = {}

    def plan(self, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
        """Plan every row whose cells are valid; problems are appended."""
        plan: list[PlannedRow] = []
        for r in rows:
            found: list[Problem] = []
            _accept(self.row(r, found), found, plan, problems)
        return plan

    def row(self, r: dict, out: list[Problem]) -> PlannedRow | None:
        """One row: institution, name against the ID number, person code, then new or existing registration."""
        n, h, idn, name = r["_row"], self.h, r["id_number"], r["name"]
        inst = self.insts.get(r["institution_code"])
        if inst is None:
            out.append(Problem(n, h["institution_code"],
                               f"医药机构代码 {r['institution_code']} 在系统中不存在，请先登记或导入该机构"))
        elif r["institution_name"] and r["institution_name"] != inst.name:
            out.append(Problem(n, h["institution_name"], f"系统中该代码的机构名称为“{inst.name}”，以系统为准",
                               "warning"))
        first = self.names.setdefault(idn, (name, n))
        if first[0] != name:
            out.append(Problem(n, h["name"], f"与第 {first[1]} 行身份证件号码相同，但姓名不同（“{first[0]}”）"))
        person = self.persons.get(idn)
        if person is not None and person.name != name:
            out.append(Problem(n, h["name"],
                               f"身份证件号码 {idn} 已登记为“{person.name}”，与名册中的姓名“{name}”不一致"))
        self._check_code(r, out)
        if inst is None or out and any(p.severity == "error" for p in out):
            return None
        reg = self.regs.get((person.id, inst.id)) if person is not None else None
        if reg is None:
            return self._new(r, person, inst, out)
        return self._existing(r, person, reg, out)

    def _check_code(self, r: dict, out: list[Problem]) -> None:
        """A person code may belong to one person only (in the database and in the file)."""
        code, idn, n = r["person_code"], r["id_number"], r["_row"]
        if code is None:
            return
        owner = self.owners.get(code)
        if owner is not None and owner[0] != idn:
            out.append(Problem(n, self.h["person_code"], f"医保相关人员代码 {code} 已属于“{owner[1]}”，不能用于本人"))
        first = self.codes.setdefault(code, (idn, n))
        if first[0] != idn:
            out.append(Problem(n, self.h["person_code"],
                               f"与第 {first[1]} 行的医保相关人员代码相同，但身份证件号码不同"))

    def _new(self, r: dict, person, inst, out: list[Problem]) -> PlannedRow:
        """A new registration: person code required, the person may be registered, commitment dated."""
        n, h = r["_row"], self.h
        if r["person_code"] is None:
            out.append(Problem(n, h["person_code"], "新登记备案须填写医保相关人员代码"))
        if person is not None:
            try:
                check_may_register(person.status, person.status_end, person.ban_end, self.today)
            except DomainError as err:
                out.append(Problem(n, h["id_number"], err.message))
        if r["commitment_signed"] and r["commitment_date"] is None:
            out.append(Problem(n, h["commitment_date"], "已签订承诺书的，请填写承诺日期"))
        if r["status"] not in (None, Status.ACTIVE.label):
            out.append(Problem(n, h["status"], f"新登记备案的状态为“正常”，“{r['status']}”未导入"
                               "（暂停、终止由医保支付资格处理决定）", "warning"))
        return PlannedRow("new", r, {"institution_id": inst.id, "region_code": inst.region_code,
                                     "person_id": person.id if person is not None else None})

    def _existing(self, r: dict, person, reg, out: list[Problem]) -> PlannedRow:
        """An existing registration: blank cells keep the stored value; differences are planned updates."""
        values = {f: getattr(reg, f) for _k, f in _REG_FIELDS}
        changed = False
        for key, f in _REG_FIELDS:
            v = r[key]
            if v is not None and v != values[f]:
                values[f], changed = v, True
        if values["commitment"] and values["commitment_on"] is None:
            out.append(Problem(r["_row"], self.h["commitment_date"], "已签订承诺书的，请填写承诺日期"))
        phone = r["phone"] if r["phone"] is not None and r["phone"] != person.phone else None
        action = "changed" if changed or phone is not None else "unchanged"
        return PlannedRow(action, r, {"registration_id": reg.id, "person_id": person.id, "values": values,
                                      "changed": changed, "phone": phone})


def _plan_personnel(ctx: AppContext, session, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
    """Plan a 人员登记备案名册 (rows with cell errors are left out)."""
    bad = _error_rows(problems)
    rows = [r for r in rows if r["_row"] not in bad]
    return _PersonnelPlanner(ctx, session, rows).plan(rows, problems)


def _commit_personnel(ctx: AppContext, uow, plan: list[PlannedRow]) -> None:
    """Bulk-insert new persons and registrations, then update the changed ones (Core statements)."""
    conn = uow.session.connection()
    new = [p for p in plan if p.action == "new"]
    initials, people = initials_key, {}
    for p in new:
        r = p.row
        if p.target["person_id"] is None and r["id_number"] not in people:
            people[r["id_number"]] = dict(
                id_number=r["id_number"], name=r["name"], name_initials=initials(r["name"]),
                birth_date=r["birth_date"], sex=r["sex"], phone=r["phone"] or "", status=Status.ACTIVE.value,
                version=1)
    if people:
        conn.execute(insert(Person), list(people.values()))
    ids = {}
    for part in _chunks(people):
        ids.update(conn.execute(select(Person.id_number, Person.id).where(Person.id_number.in_(part))).all())
    _insert_registrations(conn, [_registration_values(p, ids, ctx.today()) for p in new])
    _update_registrations(conn, [p for p in plan if p.action == "changed"])


def _registration_values(p: PlannedRow, ids: dict[str, int], today: date) -> dict:
    """Column values of one new registration."""
    r, t = p.row, p.target
    return dict(
        person_id=t["person_id"] or ids[r["id_number"]], institution_id=t["institution_id"],
        person_code=r["person_code"], region_code=r["region_code"] or t["region_code"] or "",
        practice_type=r["practice_type"] or "", practice_category=r["practice_category"] or "",
        practice_scope=r["practice_scope"] or "", title=r["title"] or "", status=Status.ACTIVE.value,
        commitment=bool(r["commitment_signed"]), commitment_on=r["commitment_date"], is_principal=False,
        registered_on=today, year_points=0, version=1)


def _insert_registrations(conn, values: list[dict]) -> None:
    """One executemany for every new registration (kept apart so tests can make it fail)."""
    if values:
        conn.execute(insert(Registration), values)


def _update_registrations(conn, changed: list[PlannedRow]) -> None:
    """Changed registrations and phones, one executemany each; versions rise so open editors see the change."""
    regs = Registration.__table__
    rows = [dict(rid=p.target["registration_id"], **{f"v_{k}": v for k, v in p.target["values"].items()})
            for p in changed if p.target["changed"]]
    if rows:
        stmt = (update(regs).where(regs.c.id == bindparam("rid"))
                .values(version=regs.c.version + 1, **{f: bindparam(f"v_{f}") for _k, f in _REG_FIELDS}))
        conn.execute(stmt, rows)
    phones = {p.target["person_id"]: p.target["phone"] for p in changed if p.target["phone"] is not None}
    if phones:
        persons = Person.__table__
        stmt = (update(persons).where(persons.c.id == bindparam("pid"))
                .values(phone=bindparam("v_phone"), version=persons.c.version + 1))
        conn.execute(stmt, [{"pid": k, "v_phone": v} for k, v in phones.items()])


# ---------------------------------------------------------------- institutions

_INST_FIELDS = (("name", "name"), ("credit_code", "credit_code"), ("kind", "kind"), ("ownership", "ownership"),
                ("payment_level", "payment_level"), ("beds", "beds"), ("address", "address"),
                ("longitude", "longitude"), ("latitude", "latitude"), ("area", "area"),
                ("legal_representative", "legal_rep"), ("legal_representative_id_number", "legal_rep_id"),
                ("principal", "principal"), ("actual_controller", "controller"), ("phone", "phone"))
_AGREEMENT_KEYS = ("agreement_type", "agreement_start", "agreement_end", "agreement_status")
_INPUT_FIELD_HEADER = {"name": "name", "code": "institution_code", "credit_code": "credit_code", "kind": "kind",
                       "ownership": "ownership", "beds": "beds", "latitude": "latitude", "longitude": "longitude",
                       "region_code": "institution_code"}


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


class _InstitutionPlanner:
    """Checks institution rows: kinds and ownership, existing records, the agreement columns."""

    def __init__(self, ctx: AppContext, session):
        self.ctx = ctx
        self.h = _headers("institutions")
        self.existing = {i.code: i for i in session.scalars(select(Institution))}
        self.agreements = {a.number: a for a in session.scalars(select(Agreement))}
        self.numbers: dict[str, int] = {}

    def plan(self, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
        """Plan every row whose cells are valid; problems are appended."""
        plan: list[PlannedRow] = []
        for r in rows:
            found: list[Problem] = []
            _accept(self.row(r, found), found, plan, problems)
        return plan

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
        n, values = r["_row"], {f: r[k] for k, f in _INST_FIELDS}
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
        data = InstitutionInput(code=r["institution_code"], region_code=r["institution_code"][1:7],
                                **{f: v for f, v in values.items() if v is not None})
        try:
            return validate_institution(data)
        except DomainError as err:
            out.append(Problem(r["_row"], self.h[_INPUT_FIELD_HEADER.get(err.field, "name")], err.message))
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
                out.append(Problem(n, h["agreement_no"], f"协议 {number} 已存在，协议类型、期限、状态的变化"
                                   "请在“医保协议”中办理，本次未导入", "warning"))
            return None
        try:
            return _agreement_values(r, self.ctx.profile.guidance_months)
        except DomainError as err:
            out.append(Problem(n, h.get(err.field or "", h["agreement_start"]), err.message))
            return None


def _agreement_differs(r: dict, ag: Agreement) -> bool:
    """A filled agreement cell that disagrees with the stored agreement (blank cells agree)."""
    given = (r["agreement_type"] and agreement_type_from_label(r["agreement_type"]).value, r["agreement_start"],
             r["agreement_end"], r["agreement_status"] and agreement_status_from_label(r["agreement_status"]).value)
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
    return dict(number=r["agreement_no"], agreement_type=kind.value, start=start, end=end, signed_on=start,
                status=status.value, guidance_end=g_end)


def _plan_institutions(ctx: AppContext, session, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
    """Plan a 机构名册 (rows with cell errors are left out)."""
    bad = _error_rows(problems)
    return _InstitutionPlanner(ctx, session).plan([r for r in rows if r["_row"] not in bad], problems)


def _write_institution(uow, p: PlannedRow) -> None:
    """Create or update one institution and sign its new agreement."""
    s = uow.session
    if p.action == "new":
        inst = Institution(**vars(p.target["input"]))
        inst.name_initials = initials_key(inst.name)
        s.add(inst)
    else:
        inst = s.get(Institution, p.target["institution_id"])
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


def _commit_institutions(ctx: AppContext, uow, plan: list[PlannedRow]) -> None:
    """Institutions are few: one ORM write per row."""
    for p in plan:
        if p.action != "unchanged":
            _write_institution(uow, p)
    uow.flush()


# ---------------------------------------------------------------- scores


class _ScorePlanner:
    """Checks score rows: institution, person and name, catalog, band, date, entries already recorded."""

    def __init__(self, ctx: AppContext, session, rows: list[dict]):
        self.ctx, self.h, self.today = ctx, _headers("scores"), ctx.today()
        self.insts = _institutions(session)
        self.persons = _persons(session, {r["id_number"] for r in rows if r["id_number"]})
        self.recorded: dict[tuple[int, str, str], int] = {}
        for part in _chunks([p.id for p in self.persons.values()]):
            stmt = (select(ScoreEntry.person_id, ScoreEntry.decision_no, ScoreEntry.violation_code,
                           ScoreEntry.points).where(ScoreEntry.person_id.in_(part), ScoreEntry.state == "active"))
            for pid, no, code, points in session.execute(stmt):
                self.recorded[(pid, no, code)] = points

    def plan(self, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
        """Plan every valid row, then reject whole decisions: one decision's entries are scored together."""
        plan: list[PlannedRow] = []
        bad_cells = _error_rows(problems)
        for r in rows:
            if r["_row"] not in bad_cells:
                found: list[Problem] = []
                _accept(self.row(r, found), found, plan, problems)
        bad_rows = _error_rows(problems)
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in rows:
            groups[(r["id_number"], r["decision_no"])].append(r)
        refused: set[int] = set()
        for (_idn, number), members in groups.items():
            refused |= self._check_group(number, members, bad_rows, problems)
        return [p for p in plan if p.row["_row"] not in refused]

    def _check_group(self, number: str, members: list[dict], bad_rows: set[int], problems: list) -> set[int]:
        """Rows of one decision share the decision date; an error in one row holds back the others."""
        h, first = self.h, members[0]
        refused = set()
        for r in members[1:]:
            if r["decision_date"] != first["decision_date"]:
                problems.append(Problem(r["_row"], h["decision_date"], f"与第 {first['_row']} 行同一决定文书号"
                                        f"（{number}），决定日期却不同（{first['decision_date']}）"))
                refused.add(r["_row"])
        wrong = sorted(({r["_row"] for r in members} & bad_rows) | refused)
        if wrong:
            for r in members:
                if r["_row"] not in bad_rows and r["_row"] not in refused:
                    problems.append(Problem(r["_row"], h["decision_no"], f"同一决定（{number}）的第 "
                                            f"{'、'.join(map(str, wrong))} 行有错误，本行一并不导入"))
                    refused.add(r["_row"])
        return refused

    def row(self, r: dict, out: list[Problem]) -> PlannedRow | None:
        """One score row → a ScoreInput for record_scores, or 'unchanged' when already recorded."""
        n, h = r["_row"], self.h
        if r["institution_code"] not in self.insts:
            out.append(Problem(n, h["institution_code"], f"医药机构代码 {r['institution_code']} 在系统中不存在"))
        person = self.persons.get(r["id_number"])
        if person is None:
            out.append(Problem(n, h["id_number"], f"身份证件号码 {r['id_number']} 没有登记备案记录，"
                                                  "请先导入人员登记备案名册"))
        elif person.name != r["name"]:
            out.append(Problem(n, h["name"], f"身份证件号码 {r['id_number']} 登记的姓名为“{person.name}”，"
                                             f"与名册中的“{r['name']}”不一致"))
        if r["decision_date"] > self.today:
            out.append(Problem(n, h["decision_date"], f"决定日期 {r['decision_date']} 晚于今天，不能记分"))
        data = self._input(r, out)
        if data is None or person is None or out:
            return None
        done = self.recorded.get((person.id, data.decision_no, data.violation_code))
        if done is None:
            return PlannedRow("new", r, {"input": data, "person_id": person.id})
        if data.points is not None and data.points != done:
            out.append(Problem(n, h["points"], f"该项记分已录入（{done} 分），与名册中的 {data.points} 分不同；"
                                               "更正请通过申诉或更正流程办理", "warning"))
        return PlannedRow("unchanged", r, {"person_id": person.id})

    def _input(self, r: dict, out: list[Problem]) -> ScoreInput | None:
        """Labels → codes; the violation must be in the catalog and the points must fit its band."""
        n, h = r["_row"], self.h
        try:
            item = self.ctx.profile.item(r["violation_code"])
        except DomainError as err:
            out.append(Problem(n, h["violation_code"], err.message))
            return None
        if r["violation"] and r["violation"] != item.name:
            out.append(Problem(n, h["violation"], f"目录中该代码为“{item.name}”，以目录为准", "warning"))
        resp = Responsibility(_RESP_BY_LABEL[r["responsibility"]])
        circ = Circumstance(_CIRC_BY_LABEL.get(r["circumstance"] or "无", "none"))
        points = r["points"]
        try:
            check_points(points if points is not None else propose_points(item.band, resp, circ, self.ctx.profile),
                         item.band, circ)
        except DomainError as err:
            out.append(Problem(n, h["points"], f"{err.message}（{item.code} {item.name}）"))
            return None
        return ScoreInput(r["id_number"], r["institution_code"], _DECISION_BY_LABEL[r["decision_kind"]],
                          r["decision_no"], r["decision_date"], r["inspection_batch"] or "", item.code,
                          resp.value, circ.value, points, r["amount"] or 0, r["notes"] or "")


def _plan_scores(ctx: AppContext, session, rows: list[dict], problems: list[Problem]) -> list[PlannedRow]:
    """Plan a 记分名册 (all rows are passed: a decision with a bad row is held back whole)."""
    return _ScorePlanner(ctx, session, rows).plan(rows, problems)


def _commit_scores(ctx: AppContext, uow, plan: list[PlannedRow]) -> None:
    """Each decision through record_scores, oldest first, exactly as if typed in the score dialog."""
    groups: dict[tuple[str, str], list[PlannedRow]] = defaultdict(list)
    for p in plan:
        if p.action == "new":
            groups[(p.row["id_number"], p.row["decision_no"])].append(p)
    for members in sorted(groups.values(), key=lambda g: (g[0].row["decision_date"], g[0].row["_row"])):
        record_scores(ctx, [p.target["input"] for p in members], uow=uow)


_PLANNERS = {"personnel": _plan_personnel, "institutions": _plan_institutions, "scores": _plan_scores}
_COMMITTERS = {"personnel": _commit_personnel, "institutions": _commit_institutions, "scores": _commit_scores}


# ---------------------------------------------------------------- commit, report, CLI


def commit_import(ctx: AppContext, preview: ImportPreview, accept_valid: bool = False) -> dict[str, int]:
    """Write the planned rows in ONE transaction; any failure rolls everything back. Returns the counts."""
    if preview.has_errors and not accept_valid:
        raise DomainError("名册中有错误，未导入任何数据。请按错误报告修改后重新导入，或选择“仅导入无错误的行”。")
    with ctx.uow() as uow:
        plan = preview.plan
        if _fingerprint(uow.session) != preview.fingerprint:
            plan = _replan(ctx, uow.session, preview)
        _COMMITTERS[preview.kind](ctx, uow, plan)
        counts = _counts(plan, preview.problems)
        audit(uow, f"import.{preview.kind}", "roster", None,
              f"{ROSTER_LABELS[preview.kind]} {preview.file_name}：{summary_text(counts)}")
        uow.commit()
    return counts


def _replan(ctx: AppContext, session, preview: ImportPreview) -> list[PlannedRow]:
    """The database changed since the preview: plan again inside this transaction; new errors refuse."""
    problems = list(preview.read.problems)
    plan = _PLANNERS[preview.kind](ctx, session, preview.read.rows, problems)
    fresh = sorted(_error_rows(problems) - preview.error_rows)
    if fresh:
        rows = "、".join(map(str, fresh[:10])) + ("等" if len(fresh) > 10 else "")
        raise DomainError(f"检查之后数据库已有变化，第 {rows} 行现在不能导入；未导入任何数据，请重新导入该名册。")
    return plan


def summary_text(counts: dict[str, int]) -> str:
    """新增 a，变更 b，不变 c，有错误 d."""
    return (f"新增 {counts.get('new', 0)}，变更 {counts.get('changed', 0)}，不变 {counts.get('unchanged', 0)}，"
            f"有错误 {counts.get('rejected', 0)}")


def error_report(preview: ImportPreview) -> bytes:
    """The original file with every bad cell marked, plus the problem list (.xlsx bytes)."""
    return write_error_report(preview.kind, preview.data, preview.problems)


def report_path(path: Path) -> Path:
    """Where the CLI writes the error report: next to the file, <name>.错误报告.xlsx."""
    return path.with_name(f"{path.stem}.错误报告.xlsx")


def run_cli_import(ctx: AppContext, kind: str, path: Path, dry_run: bool = False,
                   accept_valid: bool = False) -> int:
    """CLI import: 0 all rows written (or dry run clean), 1 rows rejected (report written), 2 file refused."""
    path = Path(path)
    try:
        preview = preview_import(ctx, kind, path.read_bytes(), path.name)
    except FileRefused as err:
        print(f"无法导入 {path}：{err.message}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"无法读取 {path}：{err.strerror or err}", file=sys.stderr)
        return 2
    print(f"{ROSTER_LABELS[kind]} {path.name}：共 {preview.read.total_rows} 行，{summary_text(preview.counts)}")
    if preview.has_errors:
        report = report_path(path)
        report.write_bytes(error_report(preview))
        print(f"错误报告：{report}")
    if dry_run or (preview.has_errors and not accept_valid):
        print("试运行，未写入任何数据。" if dry_run else "有错误，未写入任何数据（可用 --accept-valid 仅导入无错误的行）。")
        return 1 if preview.has_errors else 0
    counts = commit_import(ctx, preview, accept_valid=accept_valid)
    print(f"已写入：新增 {counts['new']}，变更 {counts['changed']}。")
    return 1 if preview.has_errors else 0


# ---------------------------------------------------------------- roster exports

_PERSONNEL_EXTRA = (Column("year_points", "本年度累计记分", "int", width=16),
                    Column("status_start", "资格状态起始日期", "date", width=18),
                    Column("status_end", "资格状态截止日期", "date", width=18),
                    Column("ban_end", "再次登记备案限制截止日期", "date", width=26))
_SCORES_EXTRA = (Column("year_total", "本年度累计记分", "int", width=16),
                 Column("proposal", "拟处理意见", "text", width=36))


def export_roster(ctx: AppContext, kind: str, year: int | None = None) -> bytes:
    """A roster in its import layout (re-importing it changes nothing) plus read-only extra columns."""
    with ctx.uow() as uow:
        if kind == "personnel":
            return write_roster(kind, _personnel_rows(ctx, uow.session), _PERSONNEL_EXTRA)
        if kind == "institutions":
            return write_roster(kind, _institution_rows(uow.session))
        if kind == "scores":
            return write_roster(kind, _score_rows(uow.session, year), _SCORES_EXTRA)
    raise DomainError(f"不支持导出该名册：{kind}")


def _current_totals(session, year: int) -> dict[int, int]:
    """Yearly total of every person scored in `year` (counted points, cap, granted repairs)."""
    facts: dict[int, list[ScoreFact]] = defaultdict(list)
    for pid, i, no, d, b, v, p in session.execute(
            select(ScoreEntry.person_id, ScoreEntry.id, ScoreEntry.decision_no, ScoreEntry.decision_date,
                   ScoreEntry.batch, ScoreEntry.violation_code, ScoreEntry.points)
            .where(ScoreEntry.state == "active", ScoreEntry.decision_date >= date(year, 1, 1),
                   ScoreEntry.decision_date <= date(year, 12, 31))):
        facts[pid].append(ScoreFact(i, no, d, b, v, p))
    repaired = dict(session.execute(
        select(Repair.person_id, func.sum(Repair.points_granted)).where(
            Repair.state == "granted", Repair.decided_on >= date(year, 1, 1),
            Repair.decided_on <= date(year, 12, 31)).group_by(Repair.person_id)).all())
    return {pid: max(0, yearly_total(f, year) - (repaired.get(pid) or 0)) for pid, f in facts.items()}


def _personnel_rows(ctx: AppContext, session):
    """Current registrations as roster dicts, with this year's total and the qualification dates."""
    totals = _current_totals(session, ctx.today().year)
    labels = {s.value: s.label for s in Status}
    stmt = (select(Person.id, Person.name, Person.id_number, Person.sex, Person.birth_date, Person.phone,
                   Person.status, Person.status_start, Person.status_end, Person.ban_end, Institution.name,
                   Institution.code, *(getattr(Registration, f) for _k, f in _REG_FIELDS), Registration.status)
            .join(Registration, Registration.person_id == Person.id)
            .join(Institution, Institution.id == Registration.institution_id)
            .where(Registration.cancelled_on.is_(None)).order_by(Institution.code, Registration.id))
    for (pid, name, idn, sex, birth, phone, pstatus, start, end, ban, iname, icode, pcode, region, ptype, pcat,
         scope, title, commit, commit_on, rstatus) in session.execute(stmt):
        suspended = pstatus in (Status.SUSPENDED, Status.TERMINATED)
        yield dict(name=name, person_code=pcode, id_number=idn, sex=sex, birth_date=birth, phone=phone or None,
                   institution_name=iname, institution_code=icode, region_code=region or None,
                   practice_type=ptype or None, practice_category=pcat or None, practice_scope=scope or None,
                   title=title or None, status=labels.get(rstatus, rstatus), commitment_signed=commit,
                   commitment_date=commit_on, year_points=totals.get(pid, 0),
                   status_start=start if suspended else None, status_end=end if suspended else None,
                   ban_end=ban)


def _institution_rows(session) -> list[dict]:
    """Institutions as roster dicts with their latest agreement."""
    latest: dict[int, Agreement] = {}
    for a in session.scalars(select(Agreement).order_by(Agreement.end, Agreement.id)):
        latest[a.institution_id] = a
    rows = []
    for inst in session.scalars(select(Institution).order_by(Institution.code)):
        row = {k: (getattr(inst, f) if getattr(inst, f) not in ("", None) else None) for k, f in _INST_FIELDS}
        row.update(institution_code=inst.code, kind=InstitutionKind(inst.kind).label,
                   ownership=Ownership(inst.ownership).label, beds=inst.beds)
        a = latest.get(inst.id)
        if a is not None:
            row.update(agreement_no=a.number, agreement_type=AgreementType(a.agreement_type).label,
                       agreement_start=a.start, agreement_end=a.end,
                       agreement_status=_AGREEMENT_STATUS_EXPORT.get(a.status, a.status))
        rows.append(row)
    return rows


def proposal_text(kind: str | None, months: int | None, years: int | None) -> str:
    """拟处理意见 of a disposition, e.g. '暂停医保支付资格4个月'."""
    if not kind:
        return ""
    k = DispositionKind(kind)
    if k == DispositionKind.SUSPENSION and months:
        return f"{k.label}{months}个月"
    if k == DispositionKind.TERMINATION and years:
        return f"{k.label}，{years}年内不得再次登记备案"
    return k.label


def _score_rows(session, year: int | None) -> list[dict]:
    """Active score entries as roster dicts with the running yearly total and the decision's disposition."""
    circ = {c.value: c.label for c in Circumstance}
    resp = {r.value: r.label for r in Responsibility}
    stmt = (select(ScoreEntry, Person.id_number, Person.name, Institution.code, Disposition.kind,
                   Disposition.months, Disposition.years)
            .join(Person, Person.id == ScoreEntry.person_id)
            .join(Institution, Institution.id == ScoreEntry.institution_id)
            .outerjoin(Disposition, Disposition.id == ScoreEntry.disposition_id)
            .where(ScoreEntry.state == "active").order_by(ScoreEntry.decision_date, ScoreEntry.id))
    if year is not None:
        stmt = stmt.where(ScoreEntry.decision_date >= date(year, 1, 1), ScoreEntry.decision_date <= date(year, 12, 31))
    found = session.execute(stmt).all()
    facts: dict[tuple[int, int], list[ScoreFact]] = defaultdict(list)
    for e, *_rest in found:
        facts[(e.person_id, e.decision_date.year)].append(
            ScoreFact(e.id, e.decision_no, e.decision_date, e.batch, e.violation_code, e.points))
    running: dict[int, int] = {}
    for (_pid, y), fs in facts.items():
        running.update(running_totals(fs, y))
    return [dict(id_number=idn, name=name, institution_code=icode, decision_kind=DECISION_KINDS.get(e.decision_kind),
                 decision_no=e.decision_no, decision_date=e.decision_date, inspection_batch=e.batch or None,
                 violation_code=e.violation_code, violation=e.violation_name, responsibility=resp.get(e.responsibility),
                 circumstance=circ.get(e.circumstance), points=e.points, amount=e.amount_fen or None,
                 notes=e.notes or None, year_total=running.get(e.id, 0), proposal=proposal_text(kind, months, years))
            for e, idn, name, icode, kind, months, years in found]
