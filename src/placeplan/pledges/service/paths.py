"""The glide path a pledge measure follows: the yearly targets of an area in a need-weighted
allocation of the same plan, read from the allocation as it now stands. Read wherever measures
are judged (service.reads), since such a measure's status is judged against the path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.finance import service as finance
from placeplan.finance.domain.model import year_label
from placeplan.pledges.models import PledgeMeasure


@dataclass(frozen=True)
class FollowedPath:
    """The allocation a measure follows and the area's yearly targets (year label, pence);
    `problem` says why there are none (the area is no longer in the allocation)."""

    allocation_id: int
    allocation: str
    area: str
    illustrative: bool
    targets: tuple[tuple[str, int], ...]
    problem: str | None = None


def path_of(session: Session, actor: Actor, measure: PledgeMeasure) -> FollowedPath | None:
    if measure.allocation_id is None or measure.allocation_area is None:
        return None
    seen = finance.get_allocation(session, actor, measure.allocation_id)
    area = measure.allocation_area
    found = next((r for r in seen.areas if r.name == area), None)
    first = seen.allocation.first_year
    return FollowedPath(
        allocation_id=seen.record.id,
        allocation=seen.record.name,
        area=area,
        illustrative=seen.record.illustrative,
        targets=()
        if found is None
        else tuple((year_label(first + i), pence) for i, pence in enumerate(found.path)),
        problem=None if found else f"{area} is no longer an area of {seen.record.name}",
    )


def followed_paths(
    session: Session, actor: Actor, measures: Iterable[PledgeMeasure]
) -> dict[int, FollowedPath]:
    """The path of each measure that follows one, by the measure's id."""
    found = {}
    for measure in measures:
        path = path_of(session, actor, measure)
        if path is not None:
            found[measure.id] = path
    return found
