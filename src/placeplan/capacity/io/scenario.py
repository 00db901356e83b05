"""Capacity scenario files: YAML text or a file -> the engine's `Scenario`.

The reading is here (file formats); validation against the published JSON schema and the checks
for sense are the domain's (`placeplan.capacity.domain.scenario.parse_scenario`). Every refusal is
an `InputError` naming the field and the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def scenario_mapping(text: str) -> dict[str, Any]:
    """A stored scenario's YAML as the mapping the forms edit (it was validated when stored)."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise InputError("a scenario must be a YAML mapping with name and services")
    return data


class _Dumper(yaml.SafeDumper):
    """Lists of numbers on one line ([12.4, 12.4, ...]), as a person writes a monthly list."""


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(i, (int, float)) and not isinstance(i, bool) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _list)


def scenario_text(data: dict[str, Any]) -> str:
    """The scenario's YAML, as the forms store it (comments of a pasted file are not kept)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
