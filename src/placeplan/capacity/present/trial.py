"""A trial run in words: the warm-up MSER-5 suggests against the model's, and how long a full run
will take (the model page and `placeplan capacity trial` say the same)."""

from __future__ import annotations

from typing import Any

from placeplan.capacity.domain.trial import BATCH_SIZE, Trial


def _seconds(value: float) -> str:
    if value < 60:
        return f"about {value:.1f} seconds" if value < 10 else f"about {value:.0f} seconds"
    return f"about {value / 60:.1f} minutes"


def _names(ids: list[str], names: dict[str, str]) -> str:
    shown = [names.get(i, i) for i in ids]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def trial_sentences(trial: Trial, names: dict[str, str], full: int) -> list[str]:
    """What the trial found, a sentence each."""
    said = [
        f"The trial ran {trial.replications} replications of the model held at its first "
        "month's demand and capacity, measuring each service's people (in it or waiting) "
        f"{BATCH_SIZE} days at a time."
    ]
    warm = f"{trial.warm_up_days:g} days"
    if trial.suggested_warm_up_days is not None:
        suggested = trial.suggested_warm_up_days
        verdict = (
            "the model's warm-up of " + warm + " is long enough"
            if suggested <= trial.warm_up_days
            else "the model's warm-up of " + warm + " is shorter: lengthen it (warm_up_days)"
        )
        said.append(
            f"Suggested warm-up: {suggested} days (the MSER-5 rule on the trial's daily "
            f"numbers, the longest of the services); {verdict}."
        )
    elif trial.untrusted:
        said.append(
            f"No warm-up could be suggested: the start-up of {_names(trial.untrusted, names)} "
            "does not settle within the first half of the trial."
        )
    if trial.unbounded:
        said.append(
            f"The queue for {_names(trial.unbounded, names)} grows without bound: no warm-up "
            "brings it to a steady state, so it is left out of the suggestion."
        )
    said.append(
        f"A full run of {full:,} replications will take {_seconds(trial.estimate_seconds(full))}"
        f" ({trial.seconds_per_replication * 1000:.1f} ms a replication and "
        f"{trial.fixed_seconds:.2f} s a run, timed here at 25 and 50 replications)."
    )
    return said


def trial_dict(trial: Trial, names: dict[str, str], full: int) -> dict[str, Any]:
    return {
        "replications": trial.replications,
        "seed": trial.seed,
        "warm_up_days": trial.warm_up_days,
        "suggested_warm_up_days": trial.suggested_warm_up_days,
        "services": {
            sid: {
                "name": names.get(sid, sid),
                "truncation_days": t.observations,
                "batches": t.batches,
                "trusted": t.trusted,
                "unbounded": sid in trial.unbounded,
            }
            for sid, t in trial.by_service.items()
        },
        "seconds_per_replication": trial.seconds_per_replication,
        "fixed_seconds": trial.fixed_seconds,
        "full_replications": full,
        "estimated_seconds": trial.estimate_seconds(full),
        "sentences": trial_sentences(trial, names, full),
    }
