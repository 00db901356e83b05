"""Sweep spec files (YAML) -> the spec and the model it names, and sweep rows -> CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.sweep import FIELDS, SweepSpec, parse_sweep
from placeplan.capacity.io.scenario import load_scenario
from placeplan.core.errors import InputError


def load_sweep(path: str | Path) -> tuple[SweepSpec, Scenario]:
    """Read a sweep spec and the model it names (`model:`, a path relative to the spec)."""
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the sweep file: {exc.strerror}", file=name) from exc
    except yaml.YAMLError as exc:
        raise InputError("the sweep file is not valid YAML", file=name) from exc
    if not isinstance(data, dict) or not isinstance(data.get("model"), str):
        raise InputError(
            "a sweep must be a YAML mapping naming its model file", field="model", file=name
        )
    try:
        spec = parse_sweep(data)
    except InputError as exc:
        raise InputError(exc.message, field=exc.field, file=name) from exc
    return spec, load_scenario(Path(path).parent / data["model"])


def rows_csv(rows: list[dict[str, Any]]) -> str:
    """The sweep's rows as CSV, one task a line, in the fields' order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in FIELDS})
    return out.getvalue()
