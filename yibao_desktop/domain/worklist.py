"""The work list's grouping of deadlines as a clerk plans a week: 已逾期, 今天, 本周 (to Sunday), 以后."""

from __future__ import annotations

from datetime import date, timedelta

OVERDUE, TODAY, THIS_WEEK, LATER = "已逾期", "今天", "本周", "以后"
GROUPS = (OVERDUE, TODAY, THIS_WEEK, LATER)


def deadline_group(today: date, due: date) -> str:
    """Which group a deadline falls in; the week ends on Sunday (a Sunday's 本周 is only itself)."""
    if due < today:
        return OVERDUE
    if due == today:
        return TODAY
    sunday = today + timedelta(days=6 - today.weekday())
    return THIS_WEEK if due <= sunday else LATER
