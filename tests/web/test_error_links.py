"""Every form's refusal follows the NHS.UK error-summary pattern: each link in the summary goes to
an element that is on the page (an input, or the record the refusal is about), and the field
it names shows the message beside it.

Each form of the app is sent, as an editor who may use it, values it must refuse: nothing at all,
and then words and negative numbers in every field a form commonly has. Whatever it refuses
with, the page it answers is checked."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from placeplan.budget.models import ExpenditureLineRow
from tests.app.test_route_access import (  # noqa: F401 (scene is a fixture)
    ACCESS,
    FORM,
    Asker,
    _family,
    _url,
    scene,
)

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

NOT_FORMS = {"/sign-out"}
BAD = "-500"
TEMPLATES = Path(__file__).parents[2] / "src" / "placeplan" / "web" / "templates"
# What the form sends to say which record it is about, or how to go on: kept as the scene gives it.
NOT_VALUES = {"csrf_token", "version", "token", "plan_id", "on_version", "action", "base", "next"}
# Every field a template names outright, and those its macros name (text_input("title", ...)).
FIELDS = sorted(
    {
        name
        for template in TEMPLATES.rglob("*.html")
        for name in re.findall(r'name="([a-z_]+)"|_input\("([a-z_]+)"', template.read_text())
        for name in name
        if name
    }
    - NOT_VALUES
)
SUMMARY = re.compile(r'<div class="nhsuk-error-summary".*?</div>\s*</div>', re.S)
LINK = re.compile(r'<a href="#([^"]*)"')


def _ids(page: str) -> set[str]:
    return {html.unescape(i) for i in re.findall(r'\sid="([^"]+)"', page)}


def _controls(page: str) -> set[str]:
    """The ids of the page's inputs, selects and textareas."""
    return {
        html.unescape(i)
        for i in re.findall(r'<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"', page)
    }


def _problems(page: str, where: str) -> list[str]:
    """What is wrong with the error summaries of `page`: links to nowhere, and a field the summary
    links to that does not show its message beside it (`<id>-error`)."""
    ids, controls = _ids(page), _controls(page)
    found = []
    for summary in SUMMARY.findall(page):
        for target in map(html.unescape, LINK.findall(summary)):
            if target not in ids:
                found.append(f"{where}: the summary links to #{target}, which is not on the page")
            elif target in controls and f"{re.sub(r'-day$', '', target)}-error" not in ids:
                found.append(f"{where}: #{target} does not show its error message")
    return found


def _forms() -> list[tuple[str, str]]:
    return sorted(
        (m, p)
        for (m, p), rule in ACCESS.items()
        if m == "POST" and not p.startswith("/api/") and p not in NOT_FORMS and rule != "public"
    )


def test_every_error_summary_links_to_what_is_on_the_page(app, scene):  # noqa: F811
    asker = Asker(app, scene)
    editor = asker.browser("county-admin")
    problems, refusals = [], 0
    for method, path in _forms():
        params = scene.draft[_family(path)]
        url = _url(path, params)
        if url is None:
            continue
        given = {k: v.format(**params) for k, v in FORM.get((method, path), {}).items()}
        for form in ({}, {**given, **dict.fromkeys(FIELDS, BAD)}):
            response = editor.post(url, form)
            if response.status_code not in (400, 409) or "nhsuk-error-summary" not in response.text:
                continue
            refusals += 1
            problems += _problems(
                response.text, f"{path} sent {'bad values' if form else 'nothing'}"
            )
    assert refusals >= 10  # the forms were reached and refused
    assert not problems, "\n".join(problems)


def _line_version(sessions, line: int) -> str:
    with sessions() as s:
        return str(s.get(ExpenditureLineRow, line).version)


def test_a_line_s_refusal_names_the_line_and_its_scheme_and_shows_at_the_field(
    browser,
    sessions,
    scene,  # noqa: F811
):
    line = scene.draft["plan"]["line_id"]
    form = {"amount": "-500", "new": "0", "version": _line_version(sessions, line)}
    page = browser("county-editor").post(f"/lines/{line}", form)
    assert page.status_code == 400
    text = html.unescape(page.text)
    # The factory's line S2-1 is of the scheme "Acute discharge team" (tests/budget/factory.py).
    # The words are the amount field's one definition (budget.domain, core.fields).
    said = "Line S2-1 of Acute discharge team: the amount must be from £0 to £1bn (it is -£500.00)"
    assert f'<a href="#amount-{line}">{said}</a>' in text
    assert f'id="amount-{line}-error"' in text and "nhsuk-input--error" in text


def test_a_saved_line_returns_to_the_line(browser, sessions, scene):  # noqa: F811
    line = scene.draft["plan"]["line_id"]
    form = {"amount": "50000.00", "new": "0", "version": _line_version(sessions, line)}
    saved = browser("county-editor").post(f"/lines/{line}", form)
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("#line-S2-1")
