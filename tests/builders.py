"""Builders of valid test records through the services (the same door as the GUI)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.domain.permissions import Actor, Permission, Role
from yibao_desktop.services.institutions import InstitutionInput, save_institution
from yibao_desktop.services.registrations import RegistrationInput, register_person


@dataclass(frozen=True)
class AllRounder(Actor):
    """Tests only: a user holding every permission (no such role exists in the program)."""

    @property
    def permissions(self) -> frozenset[Permission]:
        """Every permission."""
        return frozenset(Permission)


def signed_in(ctx, username: str = "admin"):
    """The context signed in as the all-rounder test user (returned for chaining)."""
    ctx.actor = AllRounder(username, Role.ADMIN, "测试管理员")
    return ctx


def as_user(ctx, username: str, role: str):
    """Another user's view of the same database with the real permissions of `role`."""
    return replace(ctx, actor=Actor(username, Role(role), username))


def add_institution(
    ctx,
    code: str = "H44520200001",
    name: str = "揭阳市人民医院",
    kind: str = "general_hospital",
    ownership: str = "public",
) -> int:
    """An institution saved through the service."""
    return save_institution(
        ctx, InstitutionInput(name=name, code=code, kind=kind, ownership=ownership, region_code=code[1:7])
    )


def add_person(
    ctx,
    institution_code: str = "H44520200001",
    name: str = "曾志伟",
    seq: int = 1,
    birth: date = date(1980, 5, 17),
    sex: str = "男",
    code: str | None = None,
    on: date = date(2025, 1, 2),
) -> tuple[int, str]:
    """Register a person; returns (registration id, ID number)."""
    idn = make_id_number("445202", birth, seq, sex)
    rid = register_person(
        ctx,
        RegistrationInput(
            name=name,
            id_number=idn,
            person_code=code or f"D445202{seq:06d}",
            institution_code=institution_code,
            commitment=True,
            commitment_on=on,
            registered_on=on,
        ),
        today=on,
    )
    return rid, idn


def issue_suspension(ctx, reviewer_ctx, seq: int = 7, name: str = "曾志伟") -> tuple[int, str]:
    """`name` scored 9 on 2026-09-11 and suspended by a notice issued 2026-09-14 (… 2026-11-13); (disposition, ID)."""
    from yibao_desktop.services import notices
    from yibao_desktop.services.scoring import ScoreInput, record_scores

    add_institution(ctx)
    _, idn = add_person(ctx, name=name, seq=seq)
    did = record_scores(
        ctx,
        [
            ScoreInput(
                idn, "H44520200001", "penalty", "揭医保罚〔2026〕40号", date(2026, 9, 11), "JC9", "B3-01", "primary"
            )
        ],
    )
    notices.approve(reviewer_ctx, did)
    notices.issue(reviewer_ctx, did, date(2026, 9, 14))
    return did, idn


def score_nine_points(clerk_ctx, id_number: str, institution_code: str, decision_no: str) -> int:
    """Two violations of one inspection on 2026-11-02 (5 + 4 points) → a draft 3-month suspension; its id."""
    from yibao_desktop.services.scoring import ScoreInput, record_scores

    entries = [
        ScoreInput(
            id_number,
            institution_code,
            "penalty",
            decision_no,
            date(2026, 11, 2),
            "JC1",
            code,
            responsibility,
            "none",
            None,
        )
        for code, responsibility in (("B2-02", "important"), ("B2-03", "general"))
    ]
    return record_scores(clerk_ctx, entries, months=3)


def record_approved(ctx, agreement_id: int, event) -> str:
    """Record an agreement event and, if it is a proposal (suspension/termination under review), have another
    reviewer approve it, so it takes effect as the office's decision. Returns the summary of the step that applied it."""
    from yibao_desktop.services.agreements import approve_event, record_event
    from yibao_desktop.services.agreements_query import proposed_events

    summary = record_event(ctx, agreement_id, event)
    for proposal in proposed_events(ctx, agreement_id):
        summary = approve_event(as_user(ctx, "reviewer9", "reviewer"), proposal.id)
    return summary


def entry_ids_of(ctx, disposition_id: int) -> list[int]:
    """Score entries of a disposition, highest points first (to change one on appeal)."""
    from sqlalchemy import select

    from yibao_desktop.adapters.db.models import ScoreEntry

    with ctx.uow() as uow:
        return list(
            uow.session.scalars(
                select(ScoreEntry.id)
                .where(ScoreEntry.disposition_id == disposition_id)
                .order_by(ScoreEntry.points.desc())
            )
        )
