"""What the narrative's pages and downloads show: each heading's row (its review state, version
and length against the guidance), the text as safe HTML parts, versions' differences, and the
tables' CSV rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from placeplan.audit.domain import describe_kind
from placeplan.core.errors import InputError
from placeplan.narrative.domain.headings import (
    BY_KEY,
    REVIEW_STATES,
    SECTIONS,
    Heading,
    length_warning,
    words,
)
from placeplan.narrative.domain.text import Block, parse
from placeplan.narrative.models import NarrativeBlock, UecPriority
from placeplan.narrative.service.blocks import Narrative

STATE_TAGS = {"draft": "grey", "ready": "yellow", "agreed": "green"}


@dataclass(frozen=True)
class Row:
    heading: Heading
    section: str
    block: NarrativeBlock | None
    state: str
    state_tag: str
    words: int
    over: bool
    parts: list[Block]


def rows(found: Narrative) -> list[Row]:
    out = []
    for heading, block in found.rows():
        count = words(block.text) if block else 0
        state = block.state if block else ""
        out.append(
            Row(
                heading,
                SECTIONS[heading.section],
                block,
                REVIEW_STATES.get(state, "Not yet written"),
                STATE_TAGS.get(state, "white"),
                count,
                count > heading.words,
                parse(block.text) if block else [],
            )
        )
    return out


CSV_HEADER = ["Section", "Heading", "Review state", "Version", "Words", "Guidance (words)"]


def csv_rows(found: Narrative) -> list[list[Any]]:
    return [
        [
            r.section,
            r.heading.title,
            r.state,
            r.block.number if r.block else "",
            r.words,
            r.heading.words,
        ]
        for r in rows(found)
    ]


UEC_HEADER = ["UEC priority", "BCF schemes", "How they support it"]


def uec_rows(priorities: list[UecPriority]) -> list[list[str]]:
    return [
        [p.title, "; ".join(link.scheme.name for link in p.links), p.support] for p in priorities
    ]


def errors(error: InputError | None) -> list[dict[str, str]]:
    if error is None:
        return []
    field = error.field or "maincontent"
    return [{"field": field, "href": field, "message": error.message}]


AUDIT_KINDS = (
    describe_kind(
        "narrative_block",
        noun="narrative heading",
        name=lambda state, names: (
            BY_KEY[state["heading"]].title if state.get("heading") in BY_KEY else "a heading"
        ),
        labels={"text": "Text", "state": "Review state", "number": "Version"},
        choices={"state": REVIEW_STATES},
        hidden={"heading", "updated_at"},
        part="the narrative",
    ),
    describe_kind(
        "uec_priority",
        noun="UEC priority",
        name="title",
        labels={"title": "Priority", "support": "How the schemes support it"},
        hidden={"position"},
        part="the narrative",
    ),
    describe_kind(
        "house_style",
        noun="Word template",
        name="filename",
        labels={"filename": "File", "uploaded_by": "Uploaded by"},
        refs={"organisation_id": "organisation"},
        hidden={"uploaded_at"},
    ),
)


class HeadingOut(BaseModel):
    """One heading of the narrative: its text (empty until written), review state and length."""

    heading: str
    section: str
    title: str
    text: str
    state: str | None
    number: int | None  # the text's version number
    version: int | None  # the record's version, sent back with a change
    words: int
    guidance_words: int
    warning: str | None = None
    url: str


class NarrativeOut(BaseModel):
    plan_id: int
    headings: list[HeadingOut]


def heading_json(plan_id: int, heading: Heading, block: NarrativeBlock | None) -> HeadingOut:
    text = block.text if block else ""
    return HeadingOut(
        heading=heading.key,
        section=SECTIONS[heading.section],
        title=heading.title,
        text=text,
        state=block.state if block else None,
        number=block.number if block else None,
        version=block.version if block else None,
        words=words(text),
        guidance_words=heading.words,
        warning=length_warning(heading.key, text) if text else None,
        url=f"/plans/{plan_id}/narrative#{heading.key}",
    )


def narrative_json(found: Narrative) -> NarrativeOut:
    return NarrativeOut(
        plan_id=found.plan.id,
        headings=[heading_json(found.plan.id, h, b) for h, b in found.rows()],
    )
