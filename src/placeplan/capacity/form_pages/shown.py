"""What every form page of the model shares: what was typed, the editor check, the page and the
page shown again after a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.capacity.present.forms import choices
from placeplan.capacity.service import form_edits
from placeplan.capacity.service.form_edits import ScenarioForms
from placeplan.core.errors import Forbidden
from placeplan.web.context import Who
from placeplan.web.forms import Refused, refusal, version_again
from placeplan.web.templating import render

NOT_TYPED = {"csrf_token", "version"}


def typed_fields(form: FormData) -> dict[str, str]:
    """What was typed, every field as text; the surge's ticked months as one list."""
    typed = {k: str(form.get(k) or "") for k in form if k not in NOT_TYPED}
    typed["surge_months"] = ",".join(str(m) for m in form.getlist("surge_months") if m)
    return typed


def editable(session: Session, asker: Who, model_id: int) -> ScenarioForms:
    seen = form_edits.scenario_forms(session, asker.actor, model_id)
    if not seen.can_edit:
        raise Forbidden("only an editor of this plan's area may change its capacity models")
    return seen


def form_page(
    request: Request,
    asker: Who,
    template: str,
    seen: ScenarioForms,
    status_code: int = 200,
    refused: Refused | None = None,
    version: int | None = None,
    **shown: Any,
) -> Response:
    return render(
        request,
        template,
        asker,
        status_code=status_code,
        model=seen.model,
        plan=seen.model.plan,
        version=version if version is not None else seen.model.version,
        has_comments=seen.has_comments,
        **choices(seen.data, seen.names),
        **refusal(refused),
        **shown,
    )


def shown_again(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    template: str,
    started: int,
    **shown: Any,
) -> Callable[[Refused, int], Response]:
    def again(error: Refused, status: int) -> Response:
        seen = form_edits.scenario_forms(session, asker.actor, model_id)
        version = version_again(error, started, seen.model.version)
        return form_page(request, asker, template, seen, status, error, version, **shown)

    return again
