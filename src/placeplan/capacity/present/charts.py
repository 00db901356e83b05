"""Chart geometry for a run's results: places needed against capacity (bars) with occupancy and
its 95% band, and the fan charts (SVG strings, `fan_svg`)."""

from __future__ import annotations

from typing import Any

from placeplan.capacity.present.fan_svg import fan_svg
from placeplan.capacity.present.format import stat_value as _v
from placeplan.capacity.present.months import month_parts

FAN_MEASURES = {"occupancy": "places occupied", "queue": "people waiting"}


def charts(service_doc: dict[str, Any]) -> dict[str, Any]:
    """SVG geometry for places needed against capacity (bars) and occupancy with its 95% band."""
    monthly = service_doc["monthly"]
    n = len(monthly) or 1
    caps = [float(r["capacity"]) for r in monthly]
    load = [float(x) for x in service_doc.get("offered_load_by_month", [])][: len(monthly)]
    occ = [_v(r["occupancy"]) or 0.0 for r in monthly]
    low = [_v(r["occupancy"], "p2_5") or 0.0 for r in monthly]
    high = [_v(r["occupancy"], "p97_5") or 0.0 for r in monthly]
    top = max(caps + load + high + [1.0]) * 1.1
    # the legend sits above the plot, the months (name over year) below it
    left, width, height, base = 60.0, 720.0, 220.0, 270.0
    step = width / n

    def y(value: float) -> float:
        return round(base - height * value / top, 1)

    bars = []
    for i, row in enumerate(monthly):
        x = left + i * step
        needed = load[i] if i < len(load) else 0.0
        bars.append(
            {
                "x_load": round(x + step * 0.1, 1),
                "x_cap": round(x + step * 0.5, 1),
                "w": round(step * 0.38, 1),
                "y_load": y(needed),
                "h_load": round(base - y(needed), 1),
                "y_cap": y(caps[i]),
                "h_cap": round(base - y(caps[i]), 1),
                "label": month_parts(row["month"])[0],
                "year": month_parts(row["month"])[1],
                "x_mid": round(x + step / 2, 1),
            }
        )
    mid = [left + (i + 0.5) * step for i in range(len(monthly))]
    band = [f"{x:.1f},{y(v)}" for x, v in zip(mid, high, strict=True)] + [
        f"{x:.1f},{y(v)}" for x, v in reversed(list(zip(mid, low, strict=True)))
    ]
    ticks = [{"y": y(top * k / 4), "label": f"{top * k / 4:,.0f}"} for k in range(5)]
    return {
        "bars": bars,
        "ticks": ticks,
        "occupancy": " ".join(f"{x:.1f},{y(v)}" for x, v in zip(mid, occ, strict=True)),
        "capacity": " ".join(f"{x:.1f},{y(v)}" for x, v in zip(mid, caps, strict=True)),
        "band": " ".join(band),
        "left": left,
        "right": left + width,
        "base": base,
    }


def fans(results: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per service, per fanned measure, the fan chart's SVG (runs stored before fans were kept
    have none)."""
    out: dict[str, dict[str, str]] = {}
    for sid, doc in results.get("services", {}).items():
        charts_of: dict[str, str] = {}
        for measure, label in FAN_MEASURES.items():
            months = (doc.get("fan") or {}).get(measure)
            if not months:
                continue
            charts_of[measure] = fan_svg(
                months,
                f"{doc.get('name') or sid}: {label} by month",
                ident=f"fan-{sid}-{measure}",
                measure=label,
                capacity=[r["capacity"] for r in doc["monthly"]]
                if measure == "occupancy"
                else None,
            )
        out[sid] = charts_of
    return out


def all_charts(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per service, `charts` of its results."""
    return {sid: charts(doc) for sid, doc in results.get("services", {}).items()}
