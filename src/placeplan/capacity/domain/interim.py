"""Interim alternatives' times to arrange, and how a service reads a fall in its capacity.

An interim alternative (a temporary care package or residential placement) takes days to
arrange; meanwhile the person waits in an acute bed. Those days are delayed bed days, and they
count in the discharge-delay metric, however soon the interim place follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from placeplan.capacity.domain.distributions import Distribution, parse_distribution
from placeplan.core.errors import InputError

# how a fall in capacity is read (`when_capacity_falls`), with the words the pages use
CAPACITY_FALLS = {
    "empty_gradually": "closing places empty gradually",
    "hold_new_starts": "capacity is a count that holds new starts",
}
CAPACITY_FALLS_EXPLAINED = {
    "empty_gradually": (
        "places that close keep their occupants until they leave, while new people start in the "
        "places still open (a surge ward that closes empties as its patients go home), so "
        "occupancy can stay above the new capacity for a while: utilisation above 100%"
    ),
    "hold_new_starts": (
        "capacity is a count of people at once (staffed beds, carers): nobody new starts while "
        "occupancy is at or above the month's capacity, and people already in care stay until "
        "they finish, so utilisation can still exceed 100% just after a fall"
    ),
}


def parse_arrange_times(
    data: dict[str, Any], days: int, file: str | None
) -> tuple[tuple[str, Distribution], ...]:
    """Each interim alternative's time to arrange (those that give one), refusing a time longer
    than the modelled period."""
    out: list[tuple[str, Distribution]] = []
    for key, spec in (data.get("interim") or {}).items():
        raw = spec.get("time_to_arrange")
        if raw is None:
            continue
        where = f"interim.{key}.time_to_arrange"
        dist = parse_distribution(raw, where, file)
        if dist.mean > days:
            raise InputError(
                f"a time to arrange of {dist.mean:g} days on average is longer than the "
                f"modelled period ({days} days)",
                field=f"{where}.mean" if dist.kind != "empirical" else f"{where}.days",
                file=file,
            )
        out.append((key, dist))
    return tuple(out)


def check_capacity_falls(services: Sequence[Any], file: str | None) -> None:
    """Refuse `hold_new_starts` on a service (`scenario.Service`, not imported: it imports this
    module) linked to others by onward routes: the joint kernels close places by index, which is
    the other reading."""
    linked = {t for s in services for t, _ in s.onward} | {s.id for s in services if s.onward}
    for i, s in enumerate(services):
        if s.capacity_falls == "hold_new_starts" and s.id in linked:
            raise InputError(
                "capacity read as a count that holds new starts is available only for a service "
                "not linked to others by onward routes; use empty_gradually here",
                field=f"services[{i}].when_capacity_falls",
                file=file,
            )
