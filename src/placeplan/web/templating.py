"""Jinja2 set-up and the one function every page renders through."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from placeplan.core.money import format_pence
from placeplan.core.principal import ROLES
from placeplan.web.context import ANON_CSRF_COOKIE, Who
from placeplan.web.downloads import download
from placeplan.web.notices import NOTICE_COOKIE

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
# Templates ship with the package: no need to stat every template file on every render.
templates.env.auto_reload = False
# The concepts' vocabularies that templates name (kinds of plan, decisions...) are added by the
# composition root (placeplan.app.wiring), since this module imports no concept.
templates.env.globals.update(ROLES=ROLES)


@functools.lru_cache(maxsize=64)
def _options_html(choices: tuple[tuple[Any, str], ...]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in choices)


def option_tags(choices: Iterable[tuple[Any, str]], selected: Any = None) -> Markup:
    """A select's options, (value, what a person reads) each, `selected` marked. A filter may offer
    every plan in England: escaping 600 names took a millisecond a page, so the options of a list
    met before are reused and only the chosen one is marked."""
    html = _options_html(tuple(choices))
    if selected is not None:
        opening = f'<option value="{escape(selected)}">'
        html = html.replace(opening, opening[:-1] + " selected>", 1)
    return Markup(html)


templates.env.globals["option_tags"] = option_tags
templates.env.filters["pence"] = format_pence
templates.env.filters["thousands"] = lambda n: "" if n is None else f"{n:,}"
templates.env.filters["date"] = lambda d: "" if d is None else f"{d.day} {d:%B %Y}"


def render(
    request: Request, name: str, asker: Who, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.update(
        request=request,
        actor=asker.actor,
        principal=asker.actor.principal,
        csrf_token=asker.csrf_token,
    )
    notice = request.cookies.get(NOTICE_COOKIE)
    context.setdefault("notice", notice[:300] if notice else None)
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if notice:
        response.delete_cookie(NOTICE_COOKIE)
    new_csrf = getattr(request.state, "new_anon_csrf", False)
    if isinstance(new_csrf, str):
        response.set_cookie(
            ANON_CSRF_COOKIE,
            new_csrf,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies,
        )
    return response


# A cell a spreadsheet would run as a formula (OWASP's CSV injection list): text starting with
# = + - @, a tab or a carriage return is written with a leading single quote, which Excel and
# LibreOffice show as text. A plain number stays as it is, so -500 or -£1,234.50 still reads as a
# number (a number cannot carry a formula); only text is neutralised.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?£?\d[\d,]*(\.\d+)?%?")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """Every CSV download: each cell through csv_safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(h) for h in header])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return download(buffer.getvalue(), "text/csv; charset=utf-8", filename)
