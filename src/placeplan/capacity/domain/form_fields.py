"""What the scenario forms share: a form's text to the scenario's numbers and back, months named
for labels, and an error of the scenario's validation said against the form field it is about.

The forms define no limits of their own. A field's text becomes the number it reads as, or stays
the text when it does not read as one, and the scenario's own validation (the published JSON
schema and `scenario.parse_scenario`) refuses it; its error path (`services[1].capacity[3]`) is
then turned into the form field's id (`capacity_4`) and the message is prefixed with the label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from placeplan.capacity.domain.timeline import month_label
from placeplan.core.errors import InputError

MONTHS = 12
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# the engine's distributions (distributions.KINDS), in the words the forms use
DISTRIBUTION_WORDS = {
    "exponential": "Exponential (give the mean)",
    "lognormal": "Lognormal (give the mean and standard deviation)",
    "gamma": "Gamma (give the mean and standard deviation)",
    "fixed": "Fixed (everyone takes the mean)",
    "empirical": "Observed lengths (a list of days, drawn from at random)",
}

Fields = Mapping[str, str]


def month_words(label: str) -> str:
    """ "2025-04" -> "April 2025"; "M03" -> "month 3"."""
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return f"{MONTH_NAMES[int(label[5:]) - 1]} {label[:4]}"
    if re.fullmatch(r"M\d+", label):
        return f"month {int(label[1:])}"
    return label


def cycle_words(start: str | None) -> list[str]:
    """The twelve months a monthly list's values stand for, from the scenario's start."""
    if start and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start):
        return [month_words(month_label(start, i)) for i in range(MONTHS)]
    return [f"month {i + 1}" for i in range(MONTHS)]


def text(value: Any) -> str:
    """A scenario's number as a form shows it: shortest exact digits, no exponent."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return _plain(Decimal(repr(value)))


def _plain(number: Decimal) -> str:
    shown = format(number.normalize(), "f")
    return "0" if shown in ("-0", "") else shown


def number(typed: str) -> Any:
    """What a field's text reads as: a whole number, a decimal, or the text itself (refused by
    the scenario's validation, naming the field). Thousands separators and a pound sign are
    allowed."""
    cleaned = typed.strip().replace(",", "").removeprefix("£").strip()
    try:
        parsed = Decimal(cleaned)
    except InvalidOperation:
        return typed.strip()
    if not parsed.is_finite():
        return typed.strip()
    if parsed == parsed.to_integral_value() and "." not in cleaned and "e" not in cleaned.lower():
        return int(parsed)
    return float(parsed)


def percent_text(value: Any) -> str:
    """A share (0.3) as the percentage a form shows (30)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return text(value)
    return _plain(Decimal(repr(float(value))) * 100)


def share(typed: str) -> Any:
    """A percentage typed (30, or 30%) as the share the scenario holds (0.3)."""
    read = number(typed.strip().removesuffix("%"))
    if isinstance(read, (int, float)):
        return float(Decimal(str(read)) / 100)
    return read


def given(fields: Fields, name: str) -> bool:
    return bool((fields.get(name) or "").strip())


def monthly_fields(value: Any, name: str) -> dict[str, str]:
    """One figure (`name`) or twelve (`name_1`..): which one a form shows, and what is in it."""
    out = {f"{name}_by": "month" if isinstance(value, list) else "year", name: ""}
    out |= {f"{name}_{i + 1}": "" for i in range(MONTHS)}
    if isinstance(value, list):
        out |= {f"{name}_{i + 1}": text(v) for i, v in enumerate(value[:MONTHS])}
    elif value is not None:
        out[name] = text(value)
    return out


def monthly_value(fields: Fields, name: str) -> Any:
    """The figure, the twelve figures, or None when nothing was typed."""
    if fields.get(f"{name}_by") == "month":
        typed = [fields.get(f"{name}_{i + 1}", "") for i in range(MONTHS)]
        if not any(t.strip() for t in typed):
            return None
        return [number(t) if t.strip() else "" for t in typed]
    return number(fields[name]) if given(fields, name) else None


def monthly_field(fields: Fields, name: str, rest: str) -> str:
    """The input an error about a monthly figure is about: `[3]` is the fourth month's."""
    match = re.match(r"\[(\d+)\]", rest)
    if match and int(match.group(1)) < MONTHS:
        return f"{name}_{int(match.group(1)) + 1}"
    return f"{name}_1" if fields.get(f"{name}_by") == "month" else name


def distribution_fields(spec: Mapping[str, Any] | None, prefix: str) -> dict[str, str]:
    spec = spec or {}
    days = spec.get("days")
    return {
        f"{prefix}_distribution": str(spec.get("distribution") or ""),
        f"{prefix}_mean": text(spec.get("mean")),
        f"{prefix}_sd": text(spec.get("sd")),
        f"{prefix}_days": ", ".join(text(d) for d in days) if isinstance(days, list) else "",
    }


def distribution_value(
    fields: Fields, prefix: str, old: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The distribution chosen, with the parameters it takes (the others typed are not kept:
    the form shows every distribution's inputs). Its notes stay while the kind does."""
    kind = (fields.get(f"{prefix}_distribution") or "").strip()
    if not kind or kind == "none":
        return None
    spec: dict[str, Any] = {"distribution": kind}
    if kind == "empirical":
        typed = re.split(r"[\s,;]+", fields.get(f"{prefix}_days", "").strip())
        spec["days"] = [number(t) for t in typed if t]
    else:
        if given(fields, f"{prefix}_mean"):
            spec["mean"] = number(fields[f"{prefix}_mean"])
        if kind in ("lognormal", "gamma") and given(fields, f"{prefix}_sd"):
            spec["sd"] = number(fields[f"{prefix}_sd"])
    if old and old.get("distribution") == kind and "notes" in old:
        spec["notes"] = old["notes"]
    return spec


def distribution_field(prefix: str, rest: str) -> str:
    """`.mean` -> `los_mean`; `.days[4]` -> `los_days`; the distribution itself otherwise."""
    for part in ("mean", "sd", "days"):
        if rest.startswith(f".{part}"):
            return f"{prefix}_{part}"
    return f"{prefix}_distribution"


def said(error: InputError, field: str, label: str, percent: bool = False) -> InputError:
    """The scenario's refusal said against a form field: its label first, and for a field typed
    as a percentage the figures as percentages."""
    message = error.message
    if percent:
        message = re.sub(
            r"(?<![\w.])(-?\d+(?:\.\d+)?)(?![\w.%])",
            lambda m: f"{percent_text(float(m.group(1)))}%",
            message,
        )
    joined = (
        f"{label} {message}" if re.match(r"(must|is |needs)", message) else f"{label}: {message}"
    )
    return InputError(joined[0].upper() + joined[1:], field=field)


def code_from_name(name: str, taken: set[str]) -> str:
    """A short code for a new service or interim option named `name` (the scenario keys them by
    code: letters, digits, _ and -, a letter first), unlike those `taken`."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    base = "-".join(words)[:40].strip("-") or "service"
    if not base[0].isalpha():
        base = f"s-{base}"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code
