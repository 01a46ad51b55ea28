"""What the clerk does next on a designation application and by when (《广东办法》第十、十二条): one rule for the list of
applications and the counts of the 工作台."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class NextStep:
    """The next action on an application; `due` is the last day for it, or (`from_day`) the first day it may be done."""

    key: str
    label: str
    due: date | None = None
    from_day: bool = False

    def when(self) -> str:
        """The date as the list shows it: "2026-10-12前" / "2027-02-21起" / ""."""
        if self.due is None:
            return ""
        return f"{self.due.isoformat()}{'起' if self.from_day else '前'}"

    def overdue(self, today: date) -> bool:
        """A deadline that has passed."""
        return self.due is not None and not self.from_day and self.due < today


@dataclass(frozen=True)
class ApplicationDates:
    """The dates next_step reads (None = not reached)."""

    received_on: date
    supplement_due: date | None = None
    supplement_notice_on: date | None = None
    supplement_deadline: date | None = None
    accepted_on: date | None = None
    evaluation_due: date | None = None
    publicity_last_day: date | None = None
    reevaluation_from: date | None = None
    open_items: int = 0


def next_step(state: str, d: ApplicationDates, today: date) -> NextStep | None:
    """The next step of an application in `state`; None when it is closed (不予受理, banned, listed)."""
    if state == "supplement" and d.supplement_notice_on is None:
        return NextStep("supplement_notice", "发出补正告知", d.supplement_due)
    if state == "supplement":
        return NextStep("supplement_arrival", "登记收到补正材料", d.supplement_deadline)
    if state == "received":
        return NextStep("accept", "受理", d.received_on)  # 即时受理 (第十条)
    if state == "accepted":
        return NextStep("evaluate", "组织评估", d.evaluation_due)
    if state == "evaluating":
        return NextStep("verify", f"核实{d.open_items}项待定事项", d.evaluation_due)
    if state == "passed":
        return NextStep("publicity", "向社会公示")
    if state == "publicity" and d.publicity_last_day is not None:
        if today <= d.publicity_last_day:
            return NextStep(
                "publicity_running",
                "公示期满后纳入拟签协议名单",
                d.publicity_last_day + timedelta(days=1),
                from_day=True,
            )
        return NextStep("list", "纳入拟签协议名单")
    if state == "failed":
        return NextStep("reevaluate", "整改后再次评估", d.reevaluation_from, from_day=True)
    return None
