"""The financial model's JSON answers (API and `placeplan finance show --format json`). Money is
integer pence (`*_pence`) with the £000 the seed prints beside it where a person reads it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.finance.domain.document import to_document
from placeplan.finance.domain.tables import (
    Table,
    bridge_table,
    challenge_table,
    strategy_table,
    thousands,
)
from placeplan.finance.service import Computed, Staleness


class RowOut(BaseModel):
    label: str
    cells_pence: list[int | None]
    cells_thousands: list[int | None]
    total: bool


class TableOut(BaseModel):
    title: str
    columns: list[str]
    rows: list[RowOut]


class StalenessOut(BaseModel):
    base_id: int
    out_of_date: bool
    base_changes: dict[str, Any]
    from_base: dict[str, Any]


class ModelOut(BaseModel):
    id: int
    version: int
    url: str
    plan_id: int
    name: str
    base_id: int | None
    rounding: str
    do_nothing_challenge_pence: int
    proposal_challenge_pence: int
    impact_on_uplifts_pence: int
    tables: dict[str, TableOut]
    assumptions: dict[str, Any]
    scenario: StalenessOut | None = None


class ModelSummary(BaseModel):
    id: int
    version: int
    url: str
    name: str
    base_id: int | None


class ModelsOut(BaseModel):
    plan_id: int
    models: list[ModelSummary]


class LineIn(BaseModel):
    """A line's new values, as the form gives them: `amount_2024` in whole pounds, `rate_2024`
    per cent and `base_2024` ("cost_base"), `name`, `source`, `start_year`."""

    version: int
    values: dict[str, str]


class ScenarioIn(BaseModel):
    name: str


ROUNDING = (
    "Money is held in pence; an amount worked out from a rate is rounded to the nearest penny, "
    "halves away from zero. Tables round each cell to £000 on its own, halves away from zero."
)


def table_json(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": list(table.columns),
        "rows": [
            {
                "label": row.label,
                "cells_pence": list(row.cells),
                "cells_thousands": [None if c is None else thousands(c) for c in row.cells],
                "total": row.total,
            }
            for row in table.rows
        ],
    }


def staleness_json(stale: Staleness | None) -> dict[str, Any] | None:
    if stale is None:
        return None
    return {
        "base_id": stale.base.id,
        "out_of_date": stale.out_of_date,
        "base_changes": stale.base_changes.as_json(),
        "from_base": stale.from_base.as_json(),
    }


def summary_json(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "version": record.version,
        "url": f"/finance/{record.id}",
        "name": record.name,
        "base_id": record.base_id,
    }


def model_json(seen: Computed, stale: Staleness | None = None) -> dict[str, Any]:
    result = seen.result
    return {
        **summary_json(seen.record),
        "plan_id": seen.record.plan_id,
        "rounding": ROUNDING,
        "do_nothing_challenge_pence": result.do_nothing.total,
        "proposal_challenge_pence": result.proposal_challenge,
        "impact_on_uplifts_pence": result.proposal.impact - result.do_nothing.impact,
        "tables": {
            "challenge": table_json(challenge_table(result)),
            "bridge": table_json(bridge_table(result)),
            "strategy": table_json(strategy_table(result)),
        },
        "assumptions": to_document(seen.model),
        "scenario": staleness_json(stale),
    }
