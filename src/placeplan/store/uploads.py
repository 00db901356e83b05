"""Uploads held between their preview and the person's confirmation.

Every upload (a planning workbook, a delivery tracker, measurements) is read and compared first;
nothing is written to the record until the person who saw the preview confirms it. The file is
held here meanwhile, with the token of what it was compared against (`base`), so a confirmation
after someone else changed the same record is refused and previewed again."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from placeplan.core.actor import Actor
from placeplan.core.errors import NotFound
from placeplan.store.base import Base, BigId, UTCDateTime, utcnow

# A preview left unconfirmed this long is forgotten; the person uploads the file again.
KEPT_FOR = timedelta(hours=24)


class PendingUpload(Base):
    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(300))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    base: Mapped[str] = mapped_column(String(64))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    held_by: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


def hold(
    session: Session,
    actor: Actor,
    kind: str,
    target: str,
    filename: str,
    content: bytes,
    base: str,
) -> PendingUpload:
    """Keep an uploaded file until its preview is confirmed; the token names it in the form."""
    session.execute(delete(PendingUpload).where(PendingUpload.held_at < utcnow() - KEPT_FOR))
    upload = PendingUpload(
        token=secrets.token_hex(16),
        kind=kind,
        target=target,
        filename=filename,
        content=content,
        base=base,
        held_at=utcnow(),
        held_by=actor.name,
        user_id=actor.user_id,
    )
    session.add(upload)
    session.flush()
    return upload


def held(session: Session, actor: Actor, token: str, kind: str, target: str) -> PendingUpload:
    """The upload `token` names, if this person previewed it for this target and it is not stale."""
    upload = session.query(PendingUpload).filter_by(token=token).one_or_none()
    if (
        upload is None
        or upload.kind != kind
        or upload.target != target
        or upload.held_by != actor.name
        or upload.held_at < utcnow() - KEPT_FOR
    ):
        raise NotFound(
            "that preview is no longer held (previews are kept for 24 hours, for the person"
            " who made them): upload the file again"
        )
    return upload


def release(session: Session, upload: PendingUpload) -> None:
    """Forget a held upload once it is applied or abandoned."""
    session.delete(upload)
    session.flush()
