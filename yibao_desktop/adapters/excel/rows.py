"""Checks that need several cells of one row (ID vs birth date/sex, agreement dates, person identifiers)."""

from __future__ import annotations

import re
from collections.abc import Callable

from yibao_desktop.domain import ids
from yibao_desktop.domain.errors import DomainError

from .columns import columns
from .model import Problem


def _problem(row: int, header: str, message: str, severity: str = "error") -> Problem:
    """Build a Problem for one cell of one row."""
    return Problem(row, header, message, severity)


def _headers(kind: str) -> dict[str, str]:
    """key → Chinese header of a roster kind."""
    return {c.key: c.header for c in columns(kind)}


# What ids.check_phone returns unchanged without a second look: 11 ASCII digits of a mobile number.
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # [0-9]: \d would take full-width digits too
_H = {kind: _headers(kind) for kind in ("institutions", "personnel", "scores", "claims")}


def _unwrap_id(rec: dict, key: str, header: str, problems: list) -> ids.IdInfo | None:
    """Replace an IdInfo by its number and report its warnings; return the IdInfo (or None)."""
    info = rec.get(key)
    if info is None:
        return None
    rec[key] = info.number
    for warning in info.warnings:
        problems.append(_problem(rec["_row"], header, warning, "warning"))
    return info


def _phone(rec: dict, header: str, problems: list) -> None:
    """Normalise a phone number; a doubtful one is only a warning (extensions and old numbers exist)."""
    phone = rec.get("phone")
    if phone is None:
        return
    try:
        rec["phone"] = ids.check_phone(phone)
    except DomainError as exc:
        problems.append(_problem(rec["_row"], header, exc.message, "warning"))


def check_institution_row(rec: dict, problems: list) -> None:
    """Institution code prefix vs kind (P for pharmacies), agreement end not before start."""
    h = _H["institutions"]
    _unwrap_id(rec, "legal_representative_id_number", h["legal_representative_id_number"], problems)
    _phone(rec, h["phone"], problems)
    code, kind = rec["institution_code"], rec["kind"]
    if code is not None and kind is not None:
        try:
            ids.check_institution_code(code, kind)
        except DomainError as exc:
            problems.append(_problem(rec["_row"], h["institution_code"], f"{exc.message}（机构类别为“{kind}”）"))
    start, end = rec["agreement_start"], rec["agreement_end"]
    if start is not None and end is not None and end < start:
        problems.append(_problem(rec["_row"], h["agreement_end"], f"协议结束日期{end}早于开始日期{start}"))


def check_personnel_row(rec: dict, problems: list) -> None:
    """Birth date and sex must agree with the ID number; blanks are filled from it."""
    h = _H["personnel"]
    phone = rec["phone"]
    if phone is not None and not (phone.__class__ is str and _PLAIN_MOBILE.fullmatch(phone)):
        _phone(rec, h["phone"], problems)  # the usual plain mobile number stays as it is
    info = _unwrap_id(rec, "id_number", h["id_number"], problems)
    if info is None:
        return
    birth, sex = rec["birth_date"], rec["sex"]
    if (birth is None or birth == info.birth_date) and (sex is None or sex == info.sex):
        # the usual row: nothing disagrees (check_birth_and_sex would pass), blanks come from the number
        if birth is None:
            rec["birth_date"] = info.birth_date
        if sex is None:
            rec["sex"] = info.sex
        return
    try:
        ids.check_birth_and_sex(info, birth, sex)
    except DomainError as exc:
        header = h["sex"] if exc.field == "sex" else h["birth_date"]
        problems.append(_problem(rec["_row"], header, exc.message))
        return
    if birth is None:
        rec["birth_date"] = info.birth_date
    if sex is None:
        rec["sex"] = info.sex


def check_score_row(rec: dict, problems: list) -> None:
    """Score rows: only the ID number needs unwrapping; bands are the service's business."""
    _unwrap_id(rec, "id_number", _H["scores"]["id_number"], problems)


def check_claim_row(rec: dict, problems: list) -> None:
    """A claim line must name its person by 医保相关人员代码 or 身份证件号码."""
    h = _H["claims"]
    _unwrap_id(rec, "id_number", h["id_number"], problems)
    if rec["person_code"] is None and rec["id_number"] is None and not _has_problem(problems, rec["_row"], h):
        problems.append(_problem(rec["_row"], h["person_code"], "医保相关人员代码和身份证件号码至少填写一项"))


def _has_problem(problems: list, row: int, h: dict) -> bool:
    """True when the person columns of this row already have an error (bad value, not blank)."""
    return any(p.row == row and p.column in (h["person_code"], h["id_number"]) for p in reversed(problems[-4:]))


ROW_CHECKS: dict[str, Callable[[dict, list], None]] = {
    "institutions": check_institution_row,
    "personnel": check_personnel_row,
    "scores": check_score_row,
    "claims": check_claim_row,
}
