"""The measures' revision token: renewed by every write of a measurement, an ambition, or an SPC recalculation or setting (the ORM
flush does it, through `placeplan.store.revisions`), so boards computed under it can be reused by
any process until then."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.measures.models import (
    Ambition,
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


def touch(session: Session) -> None:
    """A new revision token for the measures, in the caller's transaction (for writes the ORM does
    not see, such as bulk inserts)."""
    REVISIONS.renew(session, [SCOPE])


def token(session: Session) -> str | None:
    return REVISIONS.token(session, SCOPE)
