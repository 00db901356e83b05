"""A board pack as paged HTML (web/templates/packs/pack.html), for packs.io.pdf to print."""

from __future__ import annotations

import base64
import re

from markupsafe import Markup, escape

from placeplan.budget.domain.actuals import PROFILE_RULE
from placeplan.measures.domain.frequency import OTHER_FIGURES_NOTE
from placeplan.measures.domain.spc_scale import period_label
from placeplan.packs.service import Pack
from placeplan.web.templating import templates

ILLUSTRATIVE_NOTE = "Illustrative spend: demonstration figures"


_TITLES = re.compile(r"<title[^>]*>.*?</title>|<desc[^>]*>.*?</desc>", re.S)


def as_image(svg: str | None, alt: str) -> Markup:
    """An SVG chart as an image of its own: the printer draws it without laying out each of its
    shapes as part of the page (a third less time for a pack of charts), and the PDF tags it as
    a figure with `alt` as its text. Its tooltips (titles) have no use on paper."""
    if not svg:
        return Markup("")
    data = base64.b64encode(_TITLES.sub("", svg).encode()).decode()
    return Markup(
        f'<img class="figure" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'
    )


def pack_title(pack: Pack) -> str:
    return f"{pack.body.name}: board pack, {pack.quarter.label}"


def pack_html(pack: Pack) -> str:
    illustrative = any(b["illustrative"] for b in pack.budgets)
    return templates.env.get_template("packs/pack.html").render(
        pack=pack,
        title=pack_title(pack),
        illustrative=illustrative,
        illustrative_note=ILLUSTRATIVE_NOTE if illustrative else "",
        profile_rule=PROFILE_RULE,
        period_label=period_label,
        as_image=as_image,
        others_note=OTHER_FIGURES_NOTE,
        as_at=f"{pack.as_at.day} {pack.as_at:%B %Y}" if pack.as_at else "",
    )


def pack_filename(pack: Pack) -> str:
    return f"board-pack-{pack.body.key}-{pack.quarter.slug}.pdf"
