"""Need-weighted allocation with a pace of change, as NHS England's allocation formulae work:
each area's target share from its population weighted by a need index; its distance from
target against today's spend; and a glide path over the years in which no area loses more than
a stated share a year and the money freed goes first to the areas furthest below target. Pure;
money in integer pence.

The need index of an area is the weighted mean of its components' indices, each the area's
value over the population-weighted mean of that value across the areas (so 1 is average need).
A component may be "uploaded": its values are then the index itself. Each year's allocations
are rounded to the penny and the rounding put on the largest, so they add to the year's total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from placeplan.core.errors import InputError
from placeplan.finance.domain import fields


@dataclass(frozen=True)
class Area:
    name: str
    population: int
    current: int  # today's spend, pence


@dataclass(frozen=True)
class Component:
    """One part of the need index: its weight (not negative) and a value for every area."""

    name: str
    weight: Decimal
    values: Mapping[str, Decimal]
    source: str
    uploaded: bool = False  # the values are already an index


@dataclass(frozen=True)
class Allocation:
    """The inputs: the areas, the need components, and a total for each year of the path."""

    areas: tuple[Area, ...]
    components: tuple[Component, ...]
    totals: tuple[int, ...]  # pence, one per year of the glide path
    max_loss: Decimal  # per cent of last year's allocation an area may lose in a year
    first_year: int


@dataclass(frozen=True)
class AreaResult:
    name: str
    need: Decimal
    target_share: Decimal
    current_share: Decimal
    target: int  # pence, of the first year's total
    distance: Decimal  # per cent: (today's spend - target) / target
    path: tuple[int, ...]  # pence, year by year


def check_allocation(allocation: Allocation) -> None:
    """InputError naming the field, each figure checked through `fields` (what every way in
    accepts): no areas, an area twice, a population or spend out of bounds, a weight or value
    out of bounds, weights adding to nothing, a component missing an area, no totals or a total
    out of bounds, a pace outside 0% to 99.99%."""
    names = [a.name for a in allocation.areas]
    if not names:
        raise InputError("Give at least one area", field="areas")
    if len(set(names)) != len(names):
        raise InputError("Each area may appear once", field="areas")
    for area in allocation.areas:
        if not area.name:
            raise InputError("Give each area a name", field="areas")
        fields.AREA_NAME.check(area.name)
        fields.population(area.name).check(area.population)
        fields.spend_today(area.name).check(area.current)
    if not allocation.components:
        raise InputError("Give at least one need component", field="components")
    for component in allocation.components:
        if not component.name:
            raise InputError("Give each need component a name", field="components")
        fields.COMPONENT_NAME.check(component.name)
        fields.weight(component.name).check(component.weight)
        fields.need_source(component.name).check(component.source)
        missing = [n for n in names if n not in component.values]
        if missing:
            raise InputError(
                f"{component.name} has no value for {', '.join(missing)}", field="values"
            )
        for name in names:
            fields.need_value(component.name, name).check(component.values[name])
    if sum(c.weight for c in allocation.components) <= 0:
        raise InputError("The components' weights must add to more than nothing", field="weight")
    if not allocation.totals:
        raise InputError("Give the total for each year", field="totals")
    for line, total in enumerate(allocation.totals, start=1):
        fields.year_total(line).check(total)
    fields.MAX_LOSS.check(allocation.max_loss)


def need_indices(allocation: Allocation) -> dict[str, Decimal]:
    """Each area's need index (1 is the areas' population-weighted average)."""
    population = sum(a.population for a in allocation.areas)
    weights = sum(c.weight for c in allocation.components)
    need = {a.name: Decimal(0) for a in allocation.areas}
    for component in allocation.components:
        if component.uploaded:
            index = {a.name: component.values[a.name] for a in allocation.areas}
        else:
            mean = (
                sum((component.values[a.name] * a.population for a in allocation.areas), Decimal(0))
                / population
            )
            index = {
                a.name: component.values[a.name] / mean if mean else Decimal(1)
                for a in allocation.areas
            }
        for name, value in index.items():
            need[name] += component.weight * value / weights
    return need


def _whole(amounts: dict[str, Decimal], total: int) -> dict[str, int]:
    """To the penny, the rounding on the largest, so they add to `total`."""
    rounded = {n: int(v.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for n, v in amounts.items()}
    largest = max(rounded, key=lambda n: (rounded[n], n))
    rounded[largest] += total - sum(rounded.values())
    return rounded


def _step(
    previous: dict[str, int], targets: dict[str, Decimal], total: int, max_loss: Decimal
) -> dict[str, int]:
    """One year: areas above target come down at most `max_loss` per cent (never below target);
    what is left goes to the areas below target, the furthest below (as a share of target)
    raised first, until each reaches target; anything more goes by target share."""
    keep = 1 - max_loss / 100
    floor = {
        n: max(targets[n], Decimal(v) * keep) if v > targets[n] else Decimal(v)
        for n, v in previous.items()
    }
    spare = Decimal(total) - sum(floor.values())
    if spare < 0:  # the total fell below what the pace allows: everyone shares the cut
        scale = Decimal(total) / sum(floor.values())
        return _whole({n: v * scale for n, v in floor.items()}, total)
    below = {n: floor[n] / targets[n] for n in floor if targets[n] and floor[n] < targets[n]}
    need = sum(targets[n] - floor[n] for n in below)
    if spare >= need:
        extra = spare - need
        target_sum = sum(targets.values())
        return _whole(
            {
                n: (targets[n] if n in below else floor[n]) + extra * targets[n] / target_sum
                for n in floor
            },
            total,
        )
    low, high = min(below.values(), default=Decimal(1)), Decimal(1)
    for _ in range(80):  # the level every area below target is raised to, as a share of target
        level = (low + high) / 2
        cost = sum(max(Decimal(0), level * targets[n] - floor[n]) for n in below)
        low, high = (level, high) if cost <= spare else (low, level)
    raised = {n: max(floor[n], low * targets[n]) if n in below else floor[n] for n in floor}
    return _whole(raised, total)


def allocate(allocation: Allocation) -> tuple[AreaResult, ...]:
    """Each area's need, target share, distance from target and glide path."""
    check_allocation(allocation)
    need = need_indices(allocation)
    weighted = {a.name: a.population * need[a.name] for a in allocation.areas}
    whole = sum(weighted.values())
    share = {n: w / whole for n, w in weighted.items()}
    spend = sum(a.current for a in allocation.areas)
    previous = {a.name: a.current for a in allocation.areas}
    paths: dict[str, list[int]] = {a.name: [] for a in allocation.areas}
    for total in allocation.totals:
        targets = {n: share[n] * total for n in share}
        previous = _step(previous, targets, total, allocation.max_loss)
        for name, amount in previous.items():
            paths[name].append(amount)
    first = allocation.totals[0]
    results = []
    for area in allocation.areas:
        target = share[area.name] * first
        results.append(
            AreaResult(
                area.name,
                need[area.name],
                share[area.name],
                Decimal(area.current) / spend if spend else Decimal(0),
                int(target.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
                (Decimal(area.current) - target) / target * 100 if target else Decimal(0),
                tuple(paths[area.name]),
            )
        )
    return tuple(results)
