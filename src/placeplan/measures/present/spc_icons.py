"""The Making Data Count variation and assurance icons, drawn here as small SVGs after NHS England's
guidance designs, each with its text equivalent (an accessible name and the words a table prints
beside it).

Variation: a ring with five dots joined by a line; common cause all grey; special cause with the
last two dots in the ring's colour, raised ("H", high) or lowered ("L", low): blue for improvement,
orange for concern, purple where neither direction is better. Assurance: a ring with a dashed
target line and a grey process line; "P" blue where the process passes the target consistently
(the line clear of the target), "F" orange where it fails consistently, "?" grey for hit and miss
(the line crossing the target). The rings' colours keep at least 3:1 against white.
"""

from __future__ import annotations

from html import escape
from typing import Literal

BLUE = "#0072c6"
ORANGE = "#d55e00"
GREY = "#737373"
LIGHT = "#a6a6a6"
PURPLE = "#490092"

Side = Literal["high", "low", "none"]

VARIATION_TEXT = {
    ("common_cause", "none"): "Common cause variation",
    ("improvement", "high"): "Special cause variation: improvement (high)",
    ("improvement", "low"): "Special cause variation: improvement (low)",
    ("concern", "high"): "Special cause variation: concern (high)",
    ("concern", "low"): "Special cause variation: concern (low)",
    ("neutral", "high"): "Special cause variation: neither better nor worse (high)",
    ("neutral", "low"): "Special cause variation: neither better nor worse (low)",
}
ASSURANCE_TEXT = {
    "pass": "Assurance: consistently passes the target",
    "fail": "Assurance: consistently fails the target",
    "inconsistent": "Assurance: hit and miss against the target",
}
_COLOUR = {"common_cause": GREY, "improvement": BLUE, "concern": ORANGE, "neutral": PURPLE}
_ASSURANCE = {"pass": (BLUE, "P"), "fail": (ORANGE, "F"), "inconsistent": (GREY, "?")}
_XS = (9.0, 15.0, 21.0, 27.0, 33.0)


def variation_text(variation: str, side: Side) -> str:
    """The words for a variation icon ("" when there is no reading)."""
    return VARIATION_TEXT.get((variation, side if variation != "common_cause" else "none"), "")


def _frame(label: str, kind: str, colour: str, size: int, body: str, x: float, y: float) -> str:
    place = f' x="{x:g}" y="{y:g}"' if (x or y) else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{place} width="{size}" height="{size}" '
        f'viewBox="0 0 40 40" role="img" aria-label="{escape(label)}" class="spc-icon {kind}">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="20" cy="20" r="17.5" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
        f"{body}</svg>"
    )


def _dots(ys: tuple[float, ...], colours: tuple[str, ...]) -> str:
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x:g},{y:g}" for i, (x, y) in enumerate(zip(_XS, ys, strict=True))
    )
    dots = "".join(
        f'<circle cx="{x:g}" cy="{y:g}" r="2.4" fill="{c}"/>'
        for x, y, c in zip(_XS, ys, colours, strict=True)
    )
    return f'<path d="{path}" fill="none" stroke="{LIGHT}" stroke-width="1.4"/>{dots}'


def variation_icon(
    variation: str, side: Side, *, size: int = 40, x: float = 0, y: float = 0
) -> str:
    """The variation icon ("" for no reading: too few points)."""
    label = variation_text(variation, side)
    if not label:
        return ""
    colour = _COLOUR[variation]
    if variation == "common_cause":
        body = _dots((22, 26, 18, 25, 21), (LIGHT,) * 5)
        return _frame(label, "variation common-cause", colour, size, body, x, y)
    high = side == "high"
    ys = (29, 31, 29, 24, 21) if high else (12, 10, 12, 17, 20)
    body = _dots(ys, (LIGHT, LIGHT, LIGHT, colour, colour))
    letter, ty = ("H", 17) if high else ("L", 34)
    body += (
        f'<text x="20" y="{ty}" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="11" font-weight="bold" fill="{colour}">{letter}</text>'
    )
    return _frame(label, f"variation {variation}-{side}", colour, size, body, x, y)


def assurance_icon(assurance: str, *, size: int = 40, x: float = 0, y: float = 0) -> str:
    """The assurance icon ("" where there is no target or no direction)."""
    if assurance not in _ASSURANCE:
        return ""
    colour, letter = _ASSURANCE[assurance]
    if assurance == "pass":
        line, ty = "M8,15 C12,11 15,13 19,14 S26,11 32,13", 32
    elif assurance == "fail":
        line, ty = "M8,27 C12,24 15,29 19,27 S26,25 32,28", 16
    else:
        line, ty = "M8,19 C12,31 16,31 20,23 S27,16 32,29", 14
    body = (
        f'<line x1="3" y1="21" x2="37" y2="21" stroke="{colour}" stroke-width="1.8" '
        'stroke-dasharray="4 2"/>'
        f'<path d="{line}" fill="none" stroke="{GREY}" stroke-width="1.8"/>'
        f'<text x="20" y="{ty}" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="11" font-weight="bold" fill="{colour}">{letter}</text>'
    )
    return _frame(ASSURANCE_TEXT[assurance], f"assurance {assurance}", colour, size, body, x, y)
