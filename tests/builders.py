"""Builders of valid test records through the services (the same door as the GUI)."""

from __future__ import annotations

from datetime import date

from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services.institutions import InstitutionInput, save_institution
from yibao_desktop.services.registry import RegistrationInput, register_person


def add_institution(ctx, code: str = "H44520200001", name: str = "揭阳市人民医院", kind: str = "general_hospital",
                    ownership: str = "public") -> int:
    """An institution saved through the service."""
    return save_institution(ctx, InstitutionInput(name=name, code=code, kind=kind, ownership=ownership,
                                                  region_code=code[1:7]))


def add_person(ctx, institution_code: str = "H44520200001", name: str = "曾志伟", seq: int = 1,
               birth: date = date(1980, 5, 17), sex: str = "男", code: str | None = None,
               on: date = date(2025, 1, 2)) -> tuple[int, str]:
    """Register a person; returns (registration id, ID number)."""
    idn = make_id_number("445202", birth, seq, sex)
    rid = register_person(ctx, RegistrationInput(
        name=name, id_number=idn, person_code=code or f"D445202{seq:06d}", institution_code=institution_code,
        commitment=True, commitment_on=on, registered_on=on), today=on)
    return rid, idn
