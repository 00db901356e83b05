"""Reading the capacity pages' and API's own parameters: run ids given as a list, and whole
numbers typed in a form."""

from __future__ import annotations

from starlette.datastructures import FormData

from placeplan.core.errors import InputError


def run_ids(runs: str | list[int]) -> list[int]:
    """Run ids from "1,2" (or a list of them as they are)."""
    if isinstance(runs, list):
        return runs
    parts = [p.strip() for p in runs.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise InputError("runs are given as ids separated by commas, e.g. 1,2", field="runs")
    return [int(p) for p in parts]


def whole(form: FormData, name: str, default: int) -> int:
    """A whole number typed in a form (commas allowed), or `default` when left empty."""
    text = str(form.get(name) or "").replace(",", "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise InputError(f"'{text}' is not a whole number", field=name)
    return int(text)
