"""Settling the evaluation items of a designation (《广东办法》第六条、第九条、第十二条): each refusal ground and condition is
asked as a plain question with 是/否; an item the data cannot answer stays open until the clerk verifies it with a
note and the evidence named; the result is 合格 only when nothing is open and nothing stands against the applicant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from yibao_desktop.domain.designation import Ground
from yibao_desktop.domain.errors import DomainError

ANSWERS = {"yes": "是", "no": "否", "na": "不适用"}
OPEN_TEXT = "待核实"
Outcome = Literal["refused", "fail", "pass", "open"]


@dataclass(frozen=True)
class Verification:
    """The clerk's answer to one open item: 是/否/不适用, why (note) and on which evidence, by whom, on which day."""

    code: str
    answer: str
    note: str
    evidence: str
    verified_by: str
    verified_on: date


def check_verification(ground: Ground, answer: str, note: str, evidence: str) -> tuple[str, str, str]:
    """Validate a clerk's verification of an open item; returns (answer, note, evidence) trimmed."""
    if not ground.manual:
        raise DomainError(f"“{ground.question or ground.label}”已由登记的数据得出结论，无需人工核实。", field="answer")
    if answer not in ANSWERS:
        raise DomainError(f"请回答“{ground.question or ground.label}”（是、否或不适用）。", field="answer")
    note, evidence = (note or "").strip(), (evidence or "").strip()
    if not note:
        raise DomainError(f"请填写“{ground.question or ground.label}”的核实情况说明。", field="note")
    if not evidence:
        raise DomainError(
            f"请写明“{ground.question or ground.label}”所依据的证据材料（如现场核查记录、证照复印件）。",
            field="evidence",
        )
    return answer, note, evidence


def answer_hits(ground: Ground, answer: str) -> bool:
    """Whether answering the item's question with `answer` puts the item against the applicant."""
    if answer == "na":
        return False
    return (answer == "yes") == ground.yes_means_hit


def settled(ground: Ground, verification: Verification | None) -> Ground:
    """The item after the clerk's verification (an open item without one stays open)."""
    if not ground.manual or verification is None:
        return ground
    return Ground(
        ground.code,
        ground.label,
        answer_hits(ground, verification.answer),
        ground.evidence,
        False,
        ground.question,
        ground.yes_means_hit,
        verification.answer == "na",
    )


def answer_of(ground: Ground) -> str:
    """是 / 否 / 不适用 / 待核实: the answer to the item's question as the program or the clerk gave it."""
    if ground.manual:
        return OPEN_TEXT
    if ground.not_applicable:
        return ANSWERS["na"]
    return ANSWERS["yes"] if ground.hit == ground.yes_means_hit else ANSWERS["no"]


def evaluation_outcome(grounds: Sequence[tuple[str, Ground]]) -> Outcome:
    """Result of an evaluation over (group, item) pairs: a refusal ground found → refused; a condition not met →
    fail; anything still open → open (no result yet); else pass."""
    if any(g.hit for group, g in grounds if group == "refusal"):
        return "refused"
    if any(g.hit for _group, g in grounds):
        return "fail"
    if any(g.manual for _group, g in grounds):
        return "open"
    return "pass"
