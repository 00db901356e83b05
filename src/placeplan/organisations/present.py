"""How organisations read in the JSON API and CSV downloads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.organisations.models import Organisation


class OrganisationOut(BaseModel):
    id: int
    key: str
    name: str
    kind: str
    ods_code: str | None
    system: str | None
    areas: list[str]
    valid_from: str | None
    valid_to: str | None
    source: str | None
    version: int
    url: str


def organisation_out(o: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=o.id,
        key=o.key,
        name=o.name,
        kind=o.kind,
        ods_code=o.ods_code,
        system=o.system.code if o.system else None,
        areas=[a.gss_code for a in o.areas],
        valid_from=o.valid_from.isoformat() if o.valid_from else None,
        valid_to=o.valid_to.isoformat() if o.valid_to else None,
        source=o.source,
        version=o.version,
        url=f"/api/v1/organisations/{o.id}",
    )


ORGANISATIONS_CSV_HEADER = ["name", "kind", "ods_code", "areas", "valid_from", "valid_to", "source"]


def organisations_csv_rows(organisations: list[Organisation]) -> list[list[Any]]:
    return [
        [
            o.name,
            o.kind,
            o.ods_code or "",
            " ".join(a.gss_code for a in o.areas),
            o.valid_from or "",
            o.valid_to or "",
            o.source or "",
        ]
        for o in organisations
    ]
