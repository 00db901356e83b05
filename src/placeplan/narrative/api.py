"""JSON API of a plan's narrative under /api/v1. Whoever may read the plan may read it; editors of
the plan's area or system (with a token, or a signed-in browser's CSRF header) may write a
heading's text. A write carries the version it was read at (none for a heading not yet written);
a stale one answers 409 with what changed; text past the guidance is saved, with a warning."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from placeplan.narrative.present import HeadingOut, NarrativeOut, heading_json, narrative_json
from placeplan.narrative.service import blocks
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1/plans/{plan_id}", tags=["narrative"])


class BlockBody(BaseModel):
    text: str
    note: str | None = None
    version: int = Field(
        description="The heading's version you started from: 0 when it has no text yet"
    )


@router.get("/narrative", response_model=NarrativeOut)
def api_narrative(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> NarrativeOut:
    """Every heading of the national narrative template, in order, with its text and state."""
    return narrative_json(blocks.narrative(session, asker.actor, plan_id))


@router.put("/narrative/{heading}", response_model=HeadingOut)
def api_save_block(
    plan_id: int,
    heading: str,
    body: BlockBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> HeadingOut:
    """Save a heading's text as a new version (unchanged text saves nothing)."""
    saved = committed(
        session,
        blocks.save_block(
            session, asker.actor, plan_id, heading, body.text, body.version, body.note
        ),
    )
    return heading_json(plan_id, blocks.heading_of(heading), saved.block)
