"""How close a yearly total is to its consequences, for the lists' colours (规程第二十九条 and the local watch line)."""

from __future__ import annotations

from yibao_desktop.domain.policy import PolicyProfile


def points_level(total: int, profile: PolicyProfile) -> str | None:
    """'suspend' from the lowest total that suspends (the profile's suspension table, 9 nationally), 'watch' from the
    local watch line where the profile sets one (天津: 6, 约谈并列入重点监管), else None."""
    if total >= min(profile.suspension_months):
        return "suspend"
    if profile.watch_threshold is not None and total >= profile.watch_threshold:
        return "watch"
    return None
