"""Capacity scenario files: YAML text or a file -> the engine's `Scenario`.

The reading is here (file formats); validation against the published JSON schema and the checks
for sense are the domain's (`placeplan.capacity.domain.scenario.parse_scenario`). Every refusal is
an `InputError` naming the field and the file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from placeplan.capacity.domain.scenario import Scenario, parse_scenario
from placeplan.core.errors import InputError


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and check a YAML scenario file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the scenario file: {exc.strerror}", file=name) from exc
    return parse_scenario_text(text, file=name)


def parse_scenario_text(text: str, file: str | None = None) -> Scenario:
    """Parse, validate and check a scenario given as YAML text (`file` names it in errors)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise InputError(f"not valid YAML{where}: {problem}", file=file) from exc
    if not isinstance(data, dict):
        raise InputError("a scenario must be a YAML mapping with name and services", file=file)
    return parse_scenario(data, file=file)
