"""Checking the audit log's hash chain: the first link that does not hold, if any."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.store.audit import CHAINED, GENESIS, AuditChainHead, AuditEvent, link_hash

BATCH = 2_000


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # the id of the first event whose link does not hold
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    def as_dict(self) -> dict[str, object]:
        return {
            "intact": self.intact,
            "checked": self.checked,
            "broken_at": self.broken_at,
            "problem": self.problem,
        }


def verify_chain(session: Session) -> ChainReport:
    """Walk every event in order: each must name the previous event's hash and hash to its own."""
    prev = GENESIS
    checked = 0
    last_id = 0
    columns = [getattr(AuditEvent, n) for n in ("id", *CHAINED, "prev_hash", "row_hash")]
    while True:
        rows = session.execute(
            select(*columns).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(BATCH)
        ).all()
        if not rows:
            break
        for row in rows:
            data = row._asdict()
            if data["prev_hash"] != prev:
                return ChainReport(
                    checked,
                    data["id"],
                    f"event {data['id']} does not follow the event before it: "
                    "an event was removed, inserted or reordered",
                )
            if data["row_hash"] != link_hash(prev, data):
                return ChainReport(
                    checked,
                    data["id"],
                    f"event {data['id']} was changed after it was written",
                )
            prev = data["row_hash"]
            checked += 1
            last_id = data["id"]
    head = session.scalar(select(AuditChainHead.last_hash).where(AuditChainHead.id == 1))
    if head is not None and head != prev:
        return ChainReport(
            checked, None, "the newest events were removed: the chain ends before its recorded head"
        )
    return ChainReport(checked)
