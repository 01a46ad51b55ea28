"""Scoring rules (规程第二十五至二十九条): bands, responsibility, mitigation, yearly totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.policy import PolicyProfile

BANDS: dict[int, tuple[int, int]] = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
YEARLY_CAP = 12
_OFFSETS = {"low": 0, "middle": 1, "high": 2}


class Responsibility(StrEnum):
    """责任认定: general, important or primary responsibility (规程第二十五条)."""

    GENERAL = "general"
    IMPORTANT = "important"
    PRIMARY = "primary"

    @property
    def label(self) -> str:
        """Chinese label for forms and lists."""
        return {"general": "一般", "important": "重要", "primary": "主要"}[self.value]


class Circumstance(StrEnum):
    """情节: none, lighter/heavier inside the band, or one band down/up (规程第二十五条)."""

    NONE = "none"
    LIGHTER = "lighter"
    BAND_DOWN = "band_down"
    HEAVIER = "heavier"
    BAND_UP = "band_up"

    @property
    def label(self) -> str:
        """Chinese label for forms and lists."""
        return {
            "none": "无",
            "lighter": "从轻",
            "band_down": "减轻一档",
            "heavier": "从重",
            "band_up": "加重一档",
        }[self.value]


def _check_band(band: int) -> None:
    """DomainError unless band is 1–4."""
    if band not in BANDS:
        raise DomainError(f"记分档次应为 1 至 4，现为 {band}", field="band")


def effective_band(band: int, c: Circumstance) -> int:
    """The band after 减轻一档 / 加重一档, clamped to 1..4 (points never leave 1–12)."""
    _check_band(band)
    step = {Circumstance.BAND_DOWN: -1, Circumstance.BAND_UP: 1}.get(Circumstance(c), 0)
    return min(4, max(1, band + step))


def allowed_points(band: int, c: Circumstance) -> tuple[int, int]:
    """Inclusive range the clerk may choose.

    Inside a three-point band 从轻 means the lower two points and 从重 the upper two: a lighter score must be
    below the band's top and a heavier one above its bottom, while still leaving the clerk a choice.
    """
    lo, hi = BANDS[effective_band(band, c)]
    if c == Circumstance.LIGHTER:
        return lo, hi - 1
    if c == Circumstance.HEAVIER:
        return lo + 1, hi
    return lo, hi


def propose_points(band: int, r: Responsibility, c: Circumstance, profile: PolicyProfile) -> int:
    """Default points: the responsibility's position in the (effective) band, moved one point for 从轻/从重."""
    lo, _hi = BANDS[effective_band(band, c)]
    position = profile.responsibility_positions[Responsibility(r).value]
    points = lo + _OFFSETS[position]
    if c == Circumstance.LIGHTER:
        points -= 1
    elif c == Circumstance.HEAVIER:
        points += 1
    low, high = allowed_points(band, c)
    return min(high, max(low, points))


def check_points(points: int, band: int, c: Circumstance) -> None:
    """DomainError (with the allowed range) unless points fit the band and circumstance."""
    low, high = allowed_points(band, c)
    if not low <= points <= high:
        eff = effective_band(band, c)
        where = f"第{band}档" if eff == band else f"第{band}档{Circumstance(c).label}后为第{eff}档"
        how = "" if c in (Circumstance.NONE, Circumstance.BAND_DOWN, Circumstance.BAND_UP) else Circumstance(c).label
        raise DomainError(f"记分 {points} 分不符合规定：{where}{how}记分应在 {low} 至 {high} 分之间", field="points")


@dataclass(frozen=True)
class ScoreFact:
    """The part of a score entry the totals need."""

    entry_id: int
    decision_no: str
    score_date: date
    batch: str
    violation_code: str
    points: int
    active: bool = True


def _order(f: ScoreFact) -> tuple[date, int]:
    """Chronological order of entries: score date, then entry id."""
    return f.score_date, f.entry_id


def counted_points(facts: Iterable[ScoreFact]) -> dict[int, int]:
    """Points that count per entry id (规程第二十六条).

    Same inspection batch + same violation: only the highest counts (the earliest on a tie), the rest count 0.
    Different violations add up. Inactive (withdrawn, appealed away) entries count 0. An empty batch means the
    entry was not part of a recorded inspection, so it is never merged with another.
    """
    out: dict[int, int] = {}
    best: dict[tuple[str, str], ScoreFact] = {}
    for f in sorted(facts, key=_order):
        out[f.entry_id] = 0
        if not f.active:
            continue
        if not f.batch.strip():
            out[f.entry_id] = f.points
            continue
        key = (f.batch.strip(), f.violation_code.strip())
        held = best.get(key)
        if held is None or f.points > held.points:
            if held is not None:
                out[held.entry_id] = 0
            best[key] = f
            out[f.entry_id] = f.points
    return out


def yearly_total(facts: Iterable[ScoreFact], year: int, repaired: int = 0) -> int:
    """Counted points with a score date in `year`, all institutions together, less the points repaired in the year
    (规程第三十八条), then capped at 12 (规程第二十八条): 8 + 5 with a 4-point repair is 9, not min(13, 12) − 4 = 8."""
    if repaired < 0:
        raise DomainError(f"修复分值不能为负数：{repaired}", field="repaired")
    facts = list(facts)
    counted = counted_points(facts)
    total = sum(counted[f.entry_id] for f in facts if f.score_date.year == year)
    return min(YEARLY_CAP, max(0, total - repaired))


def running_totals(facts: Iterable[ScoreFact], year: int) -> dict[int, int]:
    """Per entry of `year`: the yearly total right after it, as it stood then (later entries not yet known)."""
    ordered = sorted((f for f in facts if f.score_date.year == year), key=_order)
    out: dict[int, int] = {}
    for i, f in enumerate(ordered):
        out[f.entry_id] = yearly_total(ordered[: i + 1], year)
    return out


def decision_points(facts: Iterable[ScoreFact], decision_no: str) -> int:
    """Counted points of one decision, uncapped; ≥ 12 means 一次性记满12分 (3-year ban)."""
    facts = list(facts)
    counted = counted_points(facts)
    return sum(counted[f.entry_id] for f in facts if f.decision_no == decision_no)


def changed_points(entries: list[tuple[int, int]], new_total: int) -> dict[int, int]:
    """The points of each entry of a notice after an appeal changed its total (《规程》第四十二至四十四条, the
    appeal decision): entries keep their points in the order recorded as far as the new total reaches, later ones are
    lowered or dropped (0); a higher total than before is added to the first entry. `entries` are (id, points)
    in the order recorded. Each result is checked against its band by the caller (`check_points`)."""
    if new_total < 0:
        raise DomainError("变更后记分不能为负数。", field="new_points")
    if not entries:
        raise DomainError("被申诉的通知书没有记分。", field="new_points")
    result: dict[int, int] = {}
    left = new_total
    for entry_id, points in entries:
        result[entry_id] = min(points, left)
        left -= result[entry_id]
    if left > 0:
        first = entries[0][0]
        result[first] += left
    return result
