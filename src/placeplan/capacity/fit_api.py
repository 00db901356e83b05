"""The JSON twin of the lengths-of-stay fitting and trial-run pages: preview the fits of an
uploaded CSV of observed stays (nothing written; the file held for its confirmation), confirm one
fit into the model's scenario (version-checked), and a trial run's warm-up suggestion and run-time
estimate. The same services as the pages, so the same checks and refusals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.capacity.io.stays import MAX_BYTES
from placeplan.capacity.present.schemas import ModelOut, model_json
from placeplan.capacity.service.fitting import StaysPreview, apply_fit, preview_stays
from placeplan.capacity.service.runs import DEFAULT_REPLICATIONS
from placeplan.capacity.service.trial import trial_of_model
from placeplan.web.context import Who, api_write_allowed, db
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1", tags=["capacity"])


class FitOut(BaseModel):
    kind: str
    parameters: dict[str, float]
    mean: float
    sd: float
    log_likelihood: float
    aic: float
    ks_statistic: float
    ks_p_value: float


class StaysPreviewOut(BaseModel):
    """Both fits of the uploaded stays; `confirm_url` with `{"fit": kind, "version":
    model_version}` makes one the service's length of stay."""

    model_id: int
    model_version: int
    service: str
    service_name: str
    current_length_of_stay: str
    filename: str
    observations: int
    observed_mean: float
    observed_sd: float
    best: str
    fits: dict[str, FitOut]
    token: str
    confirm_url: str


class FitChoice(BaseModel):
    fit: str
    version: int


class ServiceWarmUp(BaseModel):
    service: str
    service_name: str
    warm_up_days: int
    trusted: bool


class TrialOut(BaseModel):
    model_id: int
    trial_replications: int
    seed: int
    warm_up_days: float
    suggested_warm_up_days: int | None
    services: list[ServiceWarmUp]
    services_without_steady_state: list[str]
    full_replications: int
    estimated_seconds: float


def _preview_json(preview: StaysPreview) -> dict[str, Any]:
    fitted = preview.fitted
    model = preview.model
    return {
        "model_id": model.id,
        "model_version": model.version,
        "service": preview.service_id,
        "service_name": preview.service_name,
        "current_length_of_stay": preview.current,
        "filename": preview.filename,
        "observations": fitted.observations,
        "observed_mean": fitted.observed_mean,
        "observed_sd": fitted.observed_sd,
        "best": fitted.best,
        "fits": {kind: fit.as_dict() for kind, fit in fitted.fits.items()},
        "token": preview.token or "",
        "confirm_url": f"/api/v1/capacity/models/{model.id}/stays/{preview.service_id}"
        f"/{preview.token}",
    }


@router.post("/capacity/models/{model_id}/stays", response_model=StaysPreviewOut)
def api_preview_stays(
    model_id: int,
    service: Annotated[str, Query(description="the service whose stays these are")],
    file: Annotated[UploadFile | None, File()] = None,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Read a CSV of observed stays (multipart field `file`; one length of stay in days a row)
    and fit lognormal and gamma to them: parameters, AIC and the Kolmogorov-Smirnov figure.
    Fewer than 30 stays, or a negative or non-numeric one, is refused naming its row. Nothing of
    the model changes."""
    content = file.file.read(MAX_BYTES + 1) if file is not None else b""
    filename = (file.filename if file is not None else None) or ""
    preview = preview_stays(session, asker.actor, model_id, service, filename, content)
    return committed(session, _preview_json(preview))


@router.post(
    "/capacity/models/{model_id}/stays/{service_id}/{stays_token}",
    response_model=ModelOut,
    responses={409: {"description": "The model changed since it was read: nothing written"}},
)
def api_apply_stays(
    model_id: int,
    service_id: str,
    stays_token: str,
    body: FitChoice,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Make the chosen fit (`lognormal` or `gamma`) the service's length of stay, unless the
    model changed since `version` (409)."""
    done = apply_fit(
        session, asker.actor, model_id, service_id, stays_token, body.fit, body.version
    )
    session.flush()
    return committed(session, model_json(done.model))


@router.get("/capacity/models/{model_id}/trial", response_model=TrialOut)
def api_trial(
    model_id: int,
    replications: Annotated[int, Query(ge=1, le=100_000)] = DEFAULT_REPLICATIONS,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """A short trial run (written nowhere): the warm-up MSER-5 suggests for each service, the
    services whose queue grows without bound, and how long a full run of `replications` would
    take on this server. Its editors only, as it takes the server's time."""
    made = trial_of_model(session, asker.actor, model_id, replications)
    trial = made.trial
    return {
        "model_id": model_id,
        "trial_replications": trial.replications,
        "seed": trial.seed,
        "warm_up_days": trial.warm_up_days,
        "suggested_warm_up_days": trial.suggested_warm_up_days,
        "services": [
            {
                "service": sid,
                "service_name": made.names.get(sid, sid),
                "warm_up_days": cut.observations,
                "trusted": cut.trusted,
            }
            for sid, cut in trial.by_service.items()
        ],
        "services_without_steady_state": [made.names.get(s, s) for s in trial.unbounded],
        "full_replications": replications,
        "estimated_seconds": round(made.estimate_seconds, 3),
    }
