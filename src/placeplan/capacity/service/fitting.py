"""A service's length of stay fitted to observed stays: an uploaded CSV is read and both fits
shown (nothing written; the file is held, as every upload is, for the person who previewed it);
confirming one fit writes it into the model's scenario where the service's length of stay stands
(version-checked against the model as previewed, audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from placeplan.capacity.domain.distributions import Distribution
from placeplan.capacity.domain.fitting import (
    KINDS,
    NAMES,
    Fitted,
    FloatArray,
    check_stays,
    fit_stays,
)
from placeplan.capacity.io.scenario_edit import with_length_of_stay
from placeplan.capacity.io.stays import read_stays
from placeplan.capacity.models import CapacityModel
from placeplan.capacity.service.stored import _require_edit, get_model, update_model, validate
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.store import audit, uploads

KIND = "capacity_stays"


@dataclass
class StaysPreview:
    model: CapacityModel
    service_id: str
    service_name: str
    current: str  # the length of stay the model has now, in words
    filename: str
    days: FloatArray  # the observed stays, sorted
    fitted: Fitted
    token: str | None = None


def _target(model_id: int, service_id: str) -> str:
    return f"{model_id}:{service_id}"[:80]


def fitting_model(session: Session, actor: Actor, model_id: int) -> CapacityModel:
    """The model whose lengths of stay are to be fitted: its editors only."""
    model = get_model(session, actor, model_id)
    _require_edit(actor, model.plan)
    return model


def _preview(model: CapacityModel, service_id: str, filename: str, content: bytes) -> StaysPreview:
    scenario = validate(model.scenario_yaml)
    if not service_id:
        raise InputError("choose the service the stays are of", field="service")
    service = scenario.service(service_id)
    days = check_stays(read_stays(content, filename), filename)
    return StaysPreview(
        model,
        service.id,
        service.label,
        service.length_of_stay.describe(),
        filename,
        days,
        fit_stays(days),
    )


def preview_stays(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    filename: str,
    content: bytes,
) -> StaysPreview:
    """Read and fit the stays; hold the file for the confirmation. Nothing of the model changes."""
    model = fitting_model(session, actor, model_id)
    filename = filename[:300]
    preview = _preview(model, service_id, filename, content)
    held = uploads.hold(
        session, actor, KIND, _target(model.id, service_id), filename, content, str(model.version)
    )
    preview.token = held.token
    return preview


def held_stays(
    session: Session, actor: Actor, model_id: int, service_id: str, token: str
) -> StaysPreview:
    """The preview of a held upload again (its page, its table as CSV)."""
    model = fitting_model(session, actor, model_id)
    upload = uploads.held(session, actor, token, KIND, _target(model.id, service_id))
    preview = _preview(model, service_id, upload.filename, upload.content)
    preview.token = upload.token
    return preview


def _rounded(value: float) -> float:
    return float(f"{value:.4g}")


def apply_fit(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    token: str,
    kind: str,
    expected_version: int | None,
) -> StaysPreview:
    """Write the chosen fit as the service's length of stay (mean and sd to 4 significant
    figures, the family and the file named in a comment beside it), unless the model moved since
    the preview (Conflict: nothing written)."""
    preview = held_stays(session, actor, model_id, service_id, token)
    if kind not in KINDS:
        raise InputError("choose the lognormal or the gamma fit", field="fit")
    fit = preview.fitted.fits[kind]
    spec: dict[str, Any] = {
        "distribution": kind,
        "mean": _rounded(fit.mean),
        "sd": _rounded(fit.sd),
    }
    file = " ".join(preview.filename.split()).replace("#", "")
    note = (
        f"{NAMES[kind].lower()} fitted by maximum likelihood to {preview.fitted.observations}"
        f" observed stays ({file})"
    )
    model = preview.model
    text = with_length_of_stay(model.scenario_yaml, service_id, spec, note)
    written = Distribution(kind, spec["mean"], spec["sd"]).describe()
    # what the person did leads the audit history's entry; the scenario's change follows it
    audit.record(
        session,
        actor,
        "fit_length_of_stay",
        "capacity_model",
        model.id,
        {"name": model.name, "service": preview.service_name, "length_of_stay": preview.current},
        {
            "name": model.name,
            "service": preview.service_name,
            "length_of_stay": written,
            "file": preview.filename,
            "observations": preview.fitted.observations,
            "ks_statistic": round(fit.ks_statistic, 4),
            "aic": round(fit.aic, 2),
        },
    )
    update_model(session, actor, model.id, expected_version, scenario_yaml=text)
    preview.current = written
    upload = uploads.held(session, actor, token, KIND, _target(model.id, service_id))
    uploads.release(session, upload)
    preview.token = None
    return preview
