"""A sweep's rows in words: the CLI's table (one line a task) and its summary."""

from __future__ import annotations

from typing import Any

from placeplan.capacity.domain.sweep import SweepSpec
from placeplan.core.money import format_pence

HEADINGS = (
    ("area", "Area", 16),
    ("demand_growth", "Demand growth", 13),
    ("capacity_option", "Capacity", 18),
    ("share_on_drd", "On the ready date", 17),
    ("average_delay_days", "Average delay (days)", 20),
    ("total_cost_pence", "Total cost", 14),
)


def cell(key: str, row: dict[str, Any]) -> str:
    """One figure of a row as a reader sees it (a withheld figure says why)."""
    value = row.get(key)
    if row.get("status") == "failed" and key not in ("area", "demand_growth", "capacity_option"):
        return "failed"
    if key in ("share_on_drd", "average_delay_days") and row.get("unbounded"):
        return "no steady figure"
    if value is None:
        return "–"
    if key == "demand_growth":
        return f"{value:.0%}"
    if key == "share_on_drd":
        return f"{value:.1%}"
    if key == "average_delay_days":
        return f"{value:.2f}"
    if key == "total_cost_pence":
        return format_pence(int(value), whole_pounds=True)
    return str(value)


def sweep_text(spec: SweepSpec, rows: list[dict[str, Any]], elapsed: float) -> str:
    lines = [
        f"{spec.name}: {len(rows)} tasks at {spec.replications:,} replications, "
        f"seed {spec.seed} ({elapsed:.1f} s)",
        "  ".join(f"{title:<{width}}" for _, title, width in HEADINGS).rstrip(),
    ]
    for row in rows:
        lines.append("  ".join(f"{cell(key, row):<{width}}" for key, _, width in HEADINGS).rstrip())
    unbounded = sorted({r["unbounded"] for r in rows if r.get("unbounded")})
    if unbounded:
        lines.append(
            "no steady figure: people wait in acute beds for a service whose queue grows all "
            f"year ({'; '.join(unbounded)})"
        )
    for row in rows:
        if row["status"] == "failed":
            lines.append(
                f"failed: {row['area']}, demand growth {row['demand_growth']:.0%}, capacity "
                f"{row['capacity_option']}: {row['error']}"
            )
    return "\n".join(lines) + "\n"
