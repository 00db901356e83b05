"""A trial run of a stored model, before its full run: the warm-up MSER-5 suggests and how long a
full run will take (`domain.trial`). Made in the request (a few seconds at most) and written
nowhere; only those who may run the model may make one, as it takes the server's time too."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from placeplan.capacity.domain.trial import Trial, trial_run
from placeplan.capacity.service.stored import _require_edit, get_model, validate
from placeplan.core.actor import Actor


@dataclass(frozen=True)
class ModelTrial:
    trial: Trial
    names: dict[str, str]  # service id -> its plain name
    full_replications: int

    @property
    def estimate_seconds(self) -> float:
        return self.trial.estimate_seconds(self.full_replications)


def trial_of_model(
    session: Session, actor: Actor, model_id: int, full_replications: int, seed: int = 1
) -> ModelTrial:
    model = get_model(session, actor, model_id)
    _require_edit(actor, model.plan)
    scenario = validate(model.scenario_yaml)
    names = {s.id: s.label for s in scenario.services}
    return ModelTrial(trial_run(scenario, seed=seed), names, full_replications)
