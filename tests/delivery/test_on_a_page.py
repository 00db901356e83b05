"""The plan on a page: every theme with its ambition, priorities and ratings, as a page, a CSV and
a landscape Word file. Expected figures are worked out from the demo's data file (seed 004's
themes and priorities, and the ILLUSTRATIVE updates), not read back from the output."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.core.actor import operator
from placeplan.delivery import present, service
from placeplan.delivery.domain import ratings
from placeplan.delivery.io import report_docx
from placeplan.demo.loader import DEMO_PASSWORD
from tests.io.test_delivery_report_docx import DEMO, Demo, demo_database, ratings_at

PERIOD = "2023-24 Q4"
RATINGS = ("red", "amber", "green", "not_rated")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_sqlite: Path) -> Iterator[Demo]:
    built = demo_database(tmp_path_factory, demo_sqlite)
    yield built
    built.engine.dispose()


@pytest.fixture(scope="module")
def signed_in(demo: Demo) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=str(demo.engine.url)), engine=demo.engine)
    with TestClient(app, base_url="https://testserver") as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
        assert token is not None
        answer = client.post(
            "/sign-in",
            data={
                "username": "programme.lead@lpt.demo",  # a viewer, in another organisation
                "password": DEMO_PASSWORD,
                "csrf_token": token[1],
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303
        yield client


def expected_counts(period: str) -> dict[str, dict[str, int]]:
    """Each theme's actions by their latest overall rating at the period's end, from the file."""
    latest, _ = ratings_at(period)
    out = {}
    for theme in DEMO["themes"]:
        counts = dict.fromkeys(RATINGS, 0)
        for p in theme.get("priorities", []):
            for a in p.get("actions", []):
                counts[latest[a["ref"]]["overall"] if a["ref"] in latest else "not_rated"] += 1
        out[theme["name"]] = counts
    return out


def content(demo: Demo, period: str | None = PERIOD) -> dict[str, Any]:
    with demo.sessions() as s:
        return service.on_a_page(s, operator(), demo.plan_id, period)


def test_every_theme_with_its_ambition_priorities_and_counts(demo):
    page = content(demo)
    # Seed 004: five themes and 19 priorities; the demo file carries them all.
    assert [t["name"] for t in page["themes"]] == [t["name"] for t in DEMO["themes"]]
    assert [t["ambition"] for t in page["themes"]] == [t.get("ambition") for t in DEMO["themes"]]
    assert sum(len(t["priorities"]) for t in page["themes"]) == sum(
        len(t.get("priorities", [])) for t in DEMO["themes"]
    )
    for got, theme in zip(page["themes"], DEMO["themes"], strict=True):
        assert [p["ref"] for p in got["priorities"]] == [p["ref"] for p in theme["priorities"]]
        assert [p["do_priority"] for p in got["priorities"]] == [
            bool(p.get("do_priority")) for p in theme["priorities"]
        ]
    want = expected_counts(PERIOD)
    assert {t["name"]: t["counts"] for t in page["themes"]} == want
    for rating in RATINGS:
        assert page["totals"][rating] == sum(c[rating] for c in want.values())
    assert page["totals"]["actions"] == sum(sum(c.values()) for c in want.values())


def test_the_chart_has_a_bar_for_each_theme_and_rating(demo):
    page = content(demo)
    chart = present.chart(page)
    assert [g["name"] for g in chart["groups"]] == [t["name"] for t in DEMO["themes"]]
    want = expected_counts(PERIOD)
    for group in chart["groups"]:
        assert [b["count"] for b in group["bars"]] == [want[group["name"]][r] for r in RATINGS]
        # Each bar says its rating in words and with a shape, not by its colour alone.
        for bar in group["bars"]:
            assert bar["label"] == (
                f"{ratings.RAG_SHAPES[bar['rating']]} {ratings.RAG_WORDS[bar['rating']]}"
                f" {bar['count']}"
            )
    widths = [b["width"] for g in chart["groups"] for b in g["bars"]]
    assert max(widths) <= chart["width"] - chart["label_width"]


def test_the_word_file_is_landscape_with_a_column_per_theme(demo):
    page = content(demo)
    doc = Document(io.BytesIO(report_docx.on_a_page_docx(page)))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        f"Plan on a page: {demo.title}"
    ]
    themes = doc.tables[0]
    assert [c.text for c in themes.rows[0].cells] == [
        f"{t['ref']}. {t['name']}" for t in DEMO["themes"]
    ]
    assert themes.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in themes.rows[1].cells] == [
        f"Ambition: {t.get('ambition') or ''}" for t in DEMO["themes"]
    ]
    for cell, theme in zip(themes.rows[2].cells, DEMO["themes"], strict=True):
        for p in theme["priorities"]:
            assert f"{p['ref']}. {p['statement']}" in cell.text
    want = expected_counts(PERIOD)
    summary = doc.tables[1]
    assert [c.text for c in summary.rows[0].cells][1:5] == [
        report_docx.rag_text(r) for r in RATINGS
    ]
    for row in summary.rows[1:-1]:
        name = row.cells[0].text
        assert [int(c.text) for c in row.cells[1:5]] == [want[name][r] for r in RATINGS]
    assert summary.rows[-1].cells[0].text == "All themes"


def test_the_page_shows_themes_chart_and_table_and_its_csv(demo, signed_in):
    answer = signed_in.get(f"/plans/{demo.plan_id}/delivery/on-a-page?period=2023-24+Q4")
    assert answer.status_code == 200
    html = unescape(answer.text)
    for theme in DEMO["themes"]:
        assert theme["name"] in html and theme["ambition"] in html
    assert 'role="img"' in html and 'id="oap-table"' in html
    for rating in ("Red", "Amber", "Green", "Not rated"):
        assert rating in html
    csv_answer = signed_in.get(
        f"/plans/{demo.plan_id}/delivery/on-a-page?format=csv&period=2023-24+Q4"
    )
    rows = list(csv.DictReader(io.StringIO(csv_answer.text)))
    want = expected_counts(PERIOD)
    assert [r["theme"] for r in rows] == [t["name"] for t in DEMO["themes"]]
    for row in rows:
        assert {r: int(row[r]) for r in RATINGS} == want[row["theme"]]
    docx_answer = signed_in.get(f"/plans/{demo.plan_id}/delivery/on-a-page.docx")
    assert docx_answer.status_code == 200
    assert docx_answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    Document(io.BytesIO(docx_answer.content))  # opens


def test_the_tracker_links_to_the_plan_on_a_page(demo, signed_in):
    html = signed_in.get(f"/plans/{demo.plan_id}/delivery").text
    assert f'href="/plans/{demo.plan_id}/delivery/on-a-page' in html


def test_before_any_rating(demo):
    # 2023-24 Q2 ends before the first illustrative update (2023-24 Q3): every action not rated.
    page = content(demo, "2023-24 Q2")
    actions = sum(
        len(p.get("actions", [])) for t in DEMO["themes"] for p in t.get("priorities", [])
    )
    assert page["totals"]["not_rated"] == actions and page["totals"]["red"] == 0
