"""The measures' revision tokens: one for all the measures, renewed by every write of a
measurement, an ambition, or an SPC recalculation or setting, so boards computed under it can be
reused by any process until then; and one per plan, renewed by every write of that plan's
ambitions. The ORM flush renews both (through `placeplan.store.revisions`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.measures.models import (
    Ambition,
    AmbitionsRevision,
    Measurement,
    MeasuresRevision,
    SpcRebase,
    SpcSetting,
)
from placeplan.store.revisions import Revisions

SCOPE = 1  # one token for all the measures

REVISIONS = Revisions(
    MeasuresRevision,
    "id",
    tracked=(Measurement, Ambition, SpcRebase, SpcSetting),
    scope_of=lambda _obj: SCOPE,
)


# One plan's ambitions, for its content token. An ambition is given its plan when it is set and never
# moved to another, so the plan it names now is the one whose token its write renews.
AMBITIONS = Revisions(
    AmbitionsRevision,
    "plan_id",
    tracked=(Ambition,),
    scope_of=lambda ambition: ambition.plan_id,
)


def touch(session: Session) -> None:
    """A new revision token for the measures, in the caller's transaction (for writes the ORM does
    not see, such as bulk inserts)."""
    REVISIONS.renew(session, [SCOPE])


def token(session: Session) -> str | None:
    return REVISIONS.token(session, SCOPE)
