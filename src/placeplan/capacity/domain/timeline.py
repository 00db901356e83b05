"""The model's calendar: months from `start`, warm-up before it, and monthly values on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NOMINAL_MONTH_DAYS = 365.0 / 12.0


@dataclass(frozen=True)
class Segment:
    """One month (or the part of it inside the simulated span), in days from the start."""

    label: str
    begin: float
    end: float
    cycle: int  # index 0..11 into a monthly list (0 = the start month)
    reported: bool

    @property
    def days(self) -> float:
        return self.end - self.begin


@dataclass(frozen=True)
class Timeline:
    """Months covering the warm-up and the reported period [0, days)."""

    start: str | None
    days: int
    warm_up_days: float
    segments: tuple[Segment, ...]

    @property
    def reported(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.reported)

    @property
    def t0(self) -> float:
        return -self.warm_up_days

    def labels(self) -> list[str]:
        return [s.label for s in self.reported]

    def segment_at(self, t: float) -> Segment:
        for s in self.segments:
            if s.begin <= t < s.end:
                return s
        return self.segments[-1]

    def has_label(self, label: str) -> bool:
        return any(s.label == label for s in self.segments)


def month_label(start: str, offset: int) -> str:
    year, month = (int(p) for p in start.split("-"))
    index = year * 12 + (month - 1) + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _first_day(start: str, offset: int) -> dt.date:
    year, month = (int(p) for p in month_label(start, offset).split("-"))
    return dt.date(year, month, 1)


def build_timeline(start: str | None, days: int, warm_up_days: float) -> Timeline:
    """Months covering [-warm_up_days, days): calendar months from `start`, else 365/12-day months."""
    segments: list[Segment] = []
    t0 = -float(warm_up_days)
    origin = _first_day(start, 0) if start else None

    def bounds(offset: int) -> tuple[float, float]:
        if start is None or origin is None:
            return offset * NOMINAL_MONTH_DAYS, (offset + 1) * NOMINAL_MONTH_DAYS
        b = (_first_day(start, offset) - origin).days
        e = (_first_day(start, offset + 1) - origin).days
        return float(b), float(e)

    offset = 0
    while bounds(offset)[0] > t0:
        offset -= 1
    while True:
        b, e = bounds(offset)
        if b >= days:
            break
        lo, hi = max(b, t0), min(e, float(days))
        if hi > lo:
            if start is not None:
                label = month_label(start, offset)
            else:
                label = f"M{offset + 1:02d}" if offset >= 0 else f"W{-offset:02d}"
            segments.append(Segment(label, lo, hi, offset % 12, offset >= 0))
        offset += 1
    return Timeline(start, days, float(warm_up_days), tuple(segments))
