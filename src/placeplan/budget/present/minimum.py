"""A plan's NHS minimum contribution and an uplift taken from a financial model, as the API
answers them. Uplifts are per cent to three places, as text; money in pence."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from placeplan.budget.service import Minimum, UpliftPreview


class ModelRef(BaseModel):
    id: int
    url: str
    name: str


class OfferedOut(ModelRef):
    uplift_percent: str | None
    explained: str | None = Field(description="How the uplift was worked out")
    problem: str | None = Field(description="Why the model gives no uplift that year")


class MinimumOut(BaseModel):
    plan_id: int
    year: int = Field(description="The financial year's first calendar year")
    baseline_pence: int | None
    uplift_percent: str | None
    required_pence: int | None
    source: str
    model: ModelRef | None
    national_uplift_percent: str | None
    below_national: bool
    version: int | None = Field(description="The baseline's version, sent back with a change")
    can_edit: bool
    offered: list[OfferedOut] = Field(description="Models the uplift may be taken from")


class UpliftIn(BaseModel):
    model: int = Field(description="The financial model to take the year's uplift from")


class UpliftChange(UpliftIn):
    version: int


class UpliftPreviewOut(BaseModel):
    plan_id: int
    model: ModelRef
    explained: str
    uplift_before: str
    uplift_after: str
    required_before_pence: int
    required_after_pence: int
    source_after: str
    below_national: bool
    version: int


def _model_ref(record: Any) -> dict[str, Any]:
    return {"id": record.id, "url": f"/finance/{record.id}", "name": record.name}


def minimum_json(minimum: Minimum, offered: list[Any]) -> dict[str, Any]:
    row = minimum.baseline
    return {
        "plan_id": minimum.plan.id,
        "year": minimum.plan.period_start,
        "baseline_pence": row.baseline_pence if row else None,
        "uplift_percent": str(row.uplift_percent) if row else None,
        "required_pence": minimum.required,
        "source": minimum.source,
        "model": _model_ref(minimum.model) if minimum.model else None,
        "national_uplift_percent": str(minimum.national) if minimum.national else None,
        "below_national": minimum.below_national,
        "version": row.version if row else None,
        "can_edit": minimum.can_edit,
        "offered": [
            {
                **_model_ref(o.record),
                "name": o.label,
                "uplift_percent": str(o.uplift.percent) if o.uplift else None,
                "explained": o.uplift.explained() if o.uplift else None,
                "problem": o.problem,
            }
            for o in offered
        ],
    }


def uplift_preview_json(preview: UpliftPreview) -> dict[str, Any]:
    assert preview.offered.uplift is not None
    return {
        "plan_id": preview.minimum.plan.id,
        "model": {**_model_ref(preview.offered.record), "name": preview.offered.label},
        "explained": preview.offered.uplift.explained(),
        "uplift_before": str(preview.uplift_before),
        "uplift_after": str(preview.uplift_after),
        "required_before_pence": preview.required_before,
        "required_after_pence": preview.required_after,
        "source_after": preview.source_after,
        "below_national": preview.below_national,
        "version": preview.version,
    }
