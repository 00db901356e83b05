"""`placeplan equity core20`: each place's share of Core20 patients, from the demo's LLR data
unless --data names another file (moved from the measures' commands, which do not read the demo's
files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from placeplan.cli_support import format_option, reports_errors
from placeplan.core.errors import InputError
from placeplan.measures.domain.equity import Core20Place, core20_shares


@click.group()
def equity() -> None:
    """Equity: who is left behind (Core20PLUS5)."""


def _figure(area: dict[str, Any], key: str, name: str, file: str) -> int:
    entry = area.get(key)
    value = entry.get("value") if isinstance(entry, dict) else entry
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(f"{name}: {key} must be a whole number", file=file, field=key)
    return value


@equity.command("core20")
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="a YAML file with `areas` (default: the LLR demo data)",
)
@format_option
@reports_errors
def core20(data_file: Path | None, output_format: str) -> None:
    """Each place's share of its patients in Core20, and of the system's Core20 population."""
    from placeplan.demo.loader import LLR_FILE, read_yaml

    path = data_file or LLR_FILE
    data = read_yaml(path)
    areas = data.get("areas") or []
    places = [
        Core20Place(
            name=str(area.get("name")),
            registered_patients=_figure(
                area, "registered_patients", str(area.get("name")), str(path)
            ),
            core20_patients=_figure(
                area, "patients_in_most_deprived_20pct", str(area.get("name")), str(path)
            ),
        )
        for area in areas
        if isinstance(area, dict) and "registered_patients" in area
    ]
    table = core20_shares(places)
    if output_format == "json":
        click.echo(json.dumps(table.as_dict()))
        return
    click.echo(f"{'place':<16} {'patients':>10} {'Core20':>8} {'% Core20':>9} {'% of Core20':>12}")
    for share in (*table.places, table.system):
        row = share.as_dict()
        click.echo(
            f"{share.name:<16} {share.registered_patients:>10,} {share.core20_patients:>8,} "
            f"{row['core20_pct_of_patients']:>8}% {row['pct_of_system_core20']:>11}%"
        )
