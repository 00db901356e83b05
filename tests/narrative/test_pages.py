"""The narrative's pages: write a heading, see it rendered safely, a long one warned and saved,
a stale one refused with what was typed kept, the review state, the versions' differences, the
Word file; and an organisation's Word template, an unknown placeholder refused by name, used by
its people's narrative and delivery reports."""

from __future__ import annotations

import io

import docx
from sqlalchemy import select

from placeplan.narrative.domain.headings import BY_KEY
from placeplan.narrative.io.house_style import default_template
from placeplan.organisations.models import Organisation
from tests.factories import add_budget

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _edit(b, plan_id: int, heading: str, text: str, version: str = "0"):
    page = b.get(f"/plans/{plan_id}/narrative/{heading}/edit")
    assert page.status_code == 200
    return b.post(
        f"/plans/{plan_id}/narrative/{heading}/edit", {"text": text, "version": version, "note": ""}
    )


def test_write_a_heading_and_read_it_back_escaped(browser, world):
    b = browser("county-editor")
    saved = _edit(b, world.plan_id, "overview", "**Home first** <b>not bold</b>\n\n- one\n- two")
    assert saved.status_code == 303 and saved.headers["location"].endswith("#overview")
    page = b.get(f"/plans/{world.plan_id}/narrative")
    assert page.status_code == 200
    assert "<strong>Home first</strong> &lt;b&gt;not bold&lt;/b&gt;" in page.text
    assert "<li>one</li>" in page.text
    assert "Saved as version 1" in page.text  # the notice
    csv = b.get(f"/plans/{world.plan_id}/narrative?format=csv")
    assert "Overview,Draft,1," in csv.text
    # the plan page offers the narrative
    assert f"/plans/{world.plan_id}/narrative" in b.get(f"/plans/{world.plan_id}").text


def test_a_long_text_is_warned_and_saved_and_a_stale_one_refused(browser, world):
    b = browser("county-editor")
    words = BY_KEY["therapy"].words + 10
    saved = _edit(b, world.plan_id, "therapy", "word " * words)
    assert saved.status_code == 303
    page = b.get(f"/plans/{world.plan_id}/narrative")
    assert "over the guidance" in page.text and "consider shortening it" in page.text
    stale = b.post(
        f"/plans/{world.plan_id}/narrative/therapy/edit",
        {"text": "Mine, typed on an old page.", "version": "0"},
    )
    assert stale.status_code == 409
    assert "Mine, typed on an old page." in stale.text


def test_review_state_and_versions(browser, world):
    b = browser("county-editor")
    _edit(b, world.plan_id, "priorities", "First")
    page = b.get(f"/plans/{world.plan_id}/narrative/priorities/edit")
    version = page.text.split('name="version" value="')[1].split('"')[0]
    _edit(b, world.plan_id, "priorities", "First\nSecond", version)
    versions = b.get(f"/plans/{world.plan_id}/narrative/priorities/versions")
    assert versions.status_code == 200
    assert "<ins>Second</ins>" in versions.text
    page = b.get(f"/plans/{world.plan_id}/narrative")
    version = page.text.split(f'action="/plans/{world.plan_id}/narrative/priorities/state"')[1]
    version = version.split('name="version" value="')[1].split('"')[0]
    moved = b.post(
        f"/plans/{world.plan_id}/narrative/priorities/state",
        {"state": "agreed", "version": version},
    )
    assert moved.status_code == 303
    assert "Agreed" in b.get(f"/plans/{world.plan_id}/narrative").text
    # a viewer reads but is offered no editing
    viewer = browser("county-viewer")
    assert "/narrative/priorities/edit" not in viewer.get(f"/plans/{world.plan_id}/narrative").text


def test_the_word_file_downloads(browser, world):
    b = browser("county-viewer")
    got = b.get(f"/plans/{world.plan_id}/narrative.docx")
    assert got.status_code == 200 and got.headers["content-type"] == DOCX
    texts = [p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs]
    assert "Section 2: National Condition 2: implementing the objectives of the BCF" in texts


def _template(*paragraphs: str) -> bytes:
    made = docx.Document()
    for text in paragraphs:
        made.add_paragraph(text)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def test_an_organisations_template_is_used_and_an_unknown_placeholder_refused(
    browser, world, sessions
):
    with sessions() as s:
        county = s.scalar(select(Organisation.id).where(Organisation.key == "county"))
    admin = browser("county-admin")
    page = admin.get(f"/organisations/{county}/house-style")
    assert page.status_code == 200
    refused = admin.client.post(
        f"/organisations/{county}/house-style",
        data={"csrf_token": admin.token},
        files={"template": ("ours.docx", _template("{{ plan_title }}", "{{ chief_exec }}"), DOCX)},
        follow_redirects=False,
    )
    assert refused.status_code == 400 and "chief_exec" in refused.text
    saved = admin.client.post(
        f"/organisations/{county}/house-style",
        data={"csrf_token": admin.token},
        files={"template": ("ours.docx", _template("County cover: {{ plan_title }}"), DOCX)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    # the county's editor's documents now use it
    editor = browser("county-editor")
    got = editor.get(f"/plans/{world.plan_id}/narrative.docx")
    first = docx.Document(io.BytesIO(got.content)).paragraphs[0].text
    assert first == "County cover: County BCF 2025-26"
    # and so do their delivery reports, written where the template's body goes
    report = editor.get(f"/plans/{world.plan_id}/delivery/highlight.docx")
    assert report.status_code == 200, report.text
    texts = [p.text for p in docx.Document(io.BytesIO(report.content)).paragraphs]
    assert texts[0] == "County cover: County BCF 2025-26"
    assert "Highlight report: County BCF 2025-26" in texts
    # a user of another organisation keeps the reports' own layout
    other = browser("city-editor").get(f"/plans/{world.city_plan_id}/delivery/highlight.docx")
    assert docx.Document(io.BytesIO(other.content)).paragraphs[0].text.startswith("Highlight")
    # anyone may start from the default template
    assert browser("county-viewer").get("/house-style/default.docx").content[:2] == b"PK"
    assert default_template()[:2] == b"PK"


def test_add_a_uec_priority_linked_to_schemes(browser, world, sessions):
    add_budget(sessions, world)
    b = browser("county-editor")
    form = b.get(f"/plans/{world.plan_id}/narrative/uec/new")
    assert form.status_code == 200 and 'value="S1"' in form.text
    refused = b.post(f"/plans/{world.plan_id}/narrative/uec/new", {"title": "", "support": ""})
    assert refused.status_code == 400 and 'href="#title"' in refused.text
    b.get(f"/plans/{world.plan_id}/narrative/uec/new")
    added = b.client.post(
        f"/plans/{world.plan_id}/narrative/uec/new",
        data={
            "csrf_token": b.token,
            "title": "Flow",
            "support": "Step-down",
            "schemes": ["S1", "S2"],
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    csv = b.get(f"/plans/{world.plan_id}/narrative?format=uec-csv").text
    assert csv.splitlines()[1].startswith("Flow,")


def test_the_api_reads_and_writes_a_heading(browser, world):
    b = browser("county-editor")
    token = b.token
    headers = {"X-CSRF-Token": token}
    read = b.client.get(f"/api/v1/plans/{world.plan_id}/narrative")
    assert read.status_code == 200
    assert [h["heading"] for h in read.json()["headings"]][:2] == [
        "overview",
        "approach-governance",
    ]
    url = f"/api/v1/plans/{world.plan_id}/narrative/overview"
    saved = b.client.put(url, json={"text": "From a script.", "version": 0}, headers=headers)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["number"], saved.json()["state"]) == (1, "draft")
    stale = b.client.put(url, json={"text": "Again.", "version": 0}, headers=headers)
    assert stale.status_code == 409 and "error" in stale.json()
    empty = b.client.put(url, json={"text": " ", "version": 1}, headers=headers)
    assert empty.status_code == 400 and empty.json()["error"]["field"] == "text"
