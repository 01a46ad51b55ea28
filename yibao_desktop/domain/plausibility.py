"""Plausibility of the dates a clerk enters: the one home of "could this date be true?".

A recorded fact (a commitment signed, a registration, a decision, a claim served, a notice issued or delivered) cannot
lie after today, before the person it concerns was born, before the record it depends on (delivery after issue,
issue after the decision), or before the floors of the policy profile: ``[dates] earliest_record`` (no medical-
insurance record predates the basic medical insurance system) and ``[dates] scoring_start`` (no scoring decision
predates the rules of scoring). The single forms, the roster import and the CLI all call these functions, so they
refuse the same dates with the same Chinese message naming the field.
"""

from __future__ import annotations

from datetime import date

from .errors import DomainError
from .periods import format_cn_date
from .policy import PolicyProfile


def date_problem(
    value: date,
    label: str,
    *,
    today: date,
    floor: date,
    floor_text: str = "",
    birth: date | None = None,
    after: date | None = None,
    after_label: str = "",
) -> str | None:
    """The Chinese reason why `value` (the field called `label`) cannot be true, or None when it is plausible.

    Checked in this order: after today; before the birth date; before `after` (the date of the record it depends
    on, called `after_label`); before `floor` (described by `floor_text`, e.g. "记分制度施行之日").
    """
    if floor <= value <= today and (birth is None or birth <= value) and (after is None or after <= value):
        return None  # the usual case: one comparison chain
    shown = format_cn_date(value)
    if value > today:
        return f"{label}（{shown}）晚于今天（{format_cn_date(today)}），尚未发生的日期不能录入，请核对"
    if birth is not None and value < birth:
        return f"{label}（{shown}）早于本人出生日期（{format_cn_date(birth)}），请核对"
    if after is not None and value < after:
        return f"{label}（{shown}）不能早于{after_label}（{format_cn_date(after)}），请核对"
    what = floor_text or "医保业务记录的最早日期"
    return f"{label}（{shown}）早于{what}（{format_cn_date(floor)}），不可能是真实日期，请核对年份"


def check_date(
    value: date,
    label: str,
    field: str,
    *,
    today: date,
    profile: PolicyProfile,
    birth: date | None = None,
    after: date | None = None,
    after_label: str = "",
) -> None:
    """Refuse an implausible record date (today, birth date, the record it depends on, the profile's floor).

    The general check for any dated fact, a step of a procedure too (a delivery after its issue: `after` is the
    issue date, `after_label` its name); `field` names the input at fault in the DomainError.
    """
    message = date_problem(
        value, label, today=today, floor=profile.earliest_record, birth=birth, after=after, after_label=after_label
    )
    if message is not None:
        raise DomainError(message + "。", field=field)


def commitment_date_problem(on: date, *, today: date, profile: PolicyProfile, birth: date | None = None) -> str | None:
    """Why a 承诺日期 cannot be true (signed by the person, so not before their birth, not after today, not before
    the profile's floor), or None when it is plausible: check_commitment_date without raising, for bulk checks."""
    return date_problem(on, "承诺日期", today=today, floor=profile.earliest_record, birth=birth)


def check_commitment_date(on: date, *, today: date, profile: PolicyProfile, birth: date | None = None) -> None:
    """Refuse an implausible 承诺日期 (commitment_date_problem)."""
    message = commitment_date_problem(on, today=today, profile=profile, birth=birth)
    if message is not None:
        raise DomainError(message + "。", field="commitment_on")


def check_registration_date(on: date, *, today: date, profile: PolicyProfile, birth: date | None = None) -> None:
    """登记备案日期: not after today, not before the person's birth, not before the profile's floor."""
    check_date(on, "登记备案日期", "registered_on", today=today, profile=profile, birth=birth)


def check_cancellation_date(on: date, registered_on: date, *, today: date, profile: PolicyProfile) -> None:
    """注销日期: not after today and not before the registration it ends."""
    check_date(
        on, "注销日期", "cancelled_on", today=today, profile=profile, after=registered_on, after_label="登记备案日期"
    )


def check_decision_date(on: date, *, today: date, profile: PolicyProfile, label: str = "决定日期") -> None:
    """The date of a decision that is scored: not after today, not before the profile's ``scoring_start``."""
    message = date_problem(on, label, today=today, floor=profile.scoring_start, floor_text="记分制度施行之日")
    if message is not None:
        raise DomainError(message + "。", field="decision_date")


def check_service_date(on: date, *, today: date, profile: PolicyProfile) -> None:
    """服务日期 of a claim line: a service already given, so not after today, not before the profile's floor."""
    check_date(on, "服务日期", "service_date", today=today, profile=profile)
