"""How governance bodies read in the JSON API and CSV downloads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.governance.models import Body


class BodyOut(BaseModel):
    id: int
    key: str
    name: str
    short_name: str | None
    area: str | None
    system: str | None
    reports_to: int | None
    members: list[str]
    may_approve: list[str]
    valid_from: str | None
    valid_to: str | None
    source: str | None
    version: int
    url: str


def body_out(b: Body) -> BodyOut:
    return BodyOut(
        id=b.id,
        key=b.key,
        name=b.name,
        short_name=b.short_name,
        area=b.area.gss_code if b.area else None,
        system=b.system.code if b.system else None,
        reports_to=b.reports_to_id,
        members=[m.key for m in b.members],
        may_approve=list(b.may_approve),
        valid_from=b.valid_from.isoformat() if b.valid_from else None,
        valid_to=b.valid_to.isoformat() if b.valid_to else None,
        source=b.source,
        version=b.version,
        url=f"/api/v1/bodies/{b.id}",
    )


BODIES_CSV_HEADER = [
    "name",
    "short_name",
    "area",
    "reports_to",
    "may_approve",
    "valid_from",
    "valid_to",
]


def bodies_csv_rows(bodies: list[Body]) -> list[list[Any]]:
    return [
        [
            b.name,
            b.short_name,
            b.area.name if b.area else "",
            b.reports_to.name if b.reports_to else "",
            " ".join(b.may_approve),
            b.valid_from or "",
            b.valid_to or "",
        ]
        for b in bodies
    ]
