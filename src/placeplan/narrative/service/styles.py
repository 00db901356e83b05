"""Organisations' Word templates (house styles): upload one (its placeholders checked, an unknown
one refused by name), read the one a document uses, or go back to the default. An organisation's
administrators manage its template; operators (the command line) manage any."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from docx.document import Document as WordDocument
from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden, InputError
from placeplan.narrative.io.house_style import (
    TemplateRefused,
    check_template,
    compose,
    default_template,
)
from placeplan.narrative.models import HouseStyle
from placeplan.organisations.models import Organisation
from placeplan.organisations.service import get_organisation, get_organisation_by_key
from placeplan.store import audit
from placeplan.store.base import utcnow

KIND = "house_style"
MAX_TEMPLATE_BYTES = 5_000_000
# The template's bytes are kept once, on its row; the log says who uploaded which file when.
NOT_AUDITED = audit.NOT_AUDITED | {"content"}


def can_manage(actor: Actor, organisation: Organisation) -> bool:
    if actor.trusted:
        return True
    p = actor.principal
    return p is not None and p.role == "admin" and p.organisation_id == organisation.id


def style_of(session: Session, organisation_id: int | None) -> HouseStyle | None:
    if organisation_id is None:
        return None
    return session.scalar(select(HouseStyle).where(HouseStyle.organisation_id == organisation_id))


def template_for(session: Session, actor: Actor, organisation_key: str | None = None) -> bytes:
    """The template a document for this person uses: the named organisation's, else their own
    organisation's, else the accessible default."""
    organisation_id = None
    if organisation_key:
        organisation_id = get_organisation_by_key(session, organisation_key).id
    elif actor.principal is not None:
        organisation_id = actor.principal.organisation_id
    found = style_of(session, organisation_id)
    return found.content if found is not None else default_template()


Composer = Callable[[str, dict[str, str], Callable[[WordDocument], None]], bytes]


def composer_for(session: Session, actor: Actor) -> Composer | None:
    """How another concept's Word file (the delivery reports) is put in the asking person's
    organisation's uploaded template: given its title, its placeholders' values and what writes
    its body. None when the organisation has uploaded none: those files keep their own layout."""
    p = actor.principal
    found = style_of(session, p.organisation_id if p is not None else None)
    if found is None or p is None:
        return None
    content, organisation = found.content, p.organisation_name
    today = date.today()

    def put(title: str, values: dict[str, str], write: Callable[[WordDocument], None]) -> bytes:
        given = {
            "organisation_name": organisation,
            "generated_on": f"{today.day} {today:%B %Y}",
            "document_title": title,
            **values,
        }
        return compose(content, title, given, write)

    return put


def managed(session: Session, actor: Actor, organisation_id: int) -> Organisation:
    organisation = get_organisation(session, organisation_id)
    if not can_manage(actor, organisation):
        raise Forbidden("only an administrator of the organisation may change its Word template")
    return organisation


def upload_style(
    session: Session, actor: Actor, organisation_id: int, filename: str, content: bytes
) -> HouseStyle:
    organisation = managed(session, actor, organisation_id)
    if not content:
        raise InputError("choose a Word template (.docx) to upload", field="template")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise InputError("the template must be 5 MB or smaller", field="template")
    try:
        check_template(content)
    except TemplateRefused as exc:
        raise InputError(str(exc), field="template", file=filename) from exc
    name = (filename.rsplit("/", 1)[-1] or "template.docx")[:200]
    existing = style_of(session, organisation.id)
    now = utcnow()
    if existing is None:
        row = HouseStyle(
            organisation_id=organisation.id,
            filename=name,
            content=content,
            uploaded_at=now,
            uploaded_by=actor.name,
        )
        session.add(row)
        session.flush()
        audit.record(session, actor, "create", KIND, row.id, None, audit.state_of(row, NOT_AUDITED))
        return row
    before = audit.state_of(existing, NOT_AUDITED)
    existing.filename, existing.content = name, content
    existing.uploaded_at, existing.uploaded_by = now, actor.name
    session.flush()
    audit.record(
        session, actor, "update", KIND, existing.id, before, audit.state_of(existing, NOT_AUDITED)
    )
    return existing


def remove_style(session: Session, actor: Actor, organisation_id: int) -> bool:
    organisation = managed(session, actor, organisation_id)
    existing = style_of(session, organisation.id)
    if existing is None:
        return False
    before = audit.state_of(existing, NOT_AUDITED)
    session.delete(existing)
    session.flush()
    audit.record(session, actor, "delete", KIND, existing.id, before, None)
    return True
