"""The search page and its API: one box in every page's header, results grouped by kind with
links to each record's page, and what a signed-out visitor may see."""

from __future__ import annotations

import re

from placeplan.core.actor import operator
from placeplan.measures import service as measures
from placeplan.store.uow import unit_of_work
from tests.factories import add_budget


def test_every_page_has_the_search_box_in_its_header(browser):
    page = browser().get("/plans").text
    header = page.split("</header>")[0]
    assert 'action="/search"' in header and 'name="q"' in header
    assert 'for="search-field"' in header  # the box has a label, if visually hidden


def test_results_are_grouped_by_kind_and_link_to_each_record(browser, world, sessions):
    add_budget(sessions, world)
    page = browser("county-viewer").get("/search?q=county").text
    headings = re.findall(r'<h2 id="results-(\w+)">([^<]+)</h2>', page)
    assert headings == [("plan", "Plans"), ("organisation", "Organisations")]
    assert f'href="/plans/{world.plan_id}">County BCF 2025-26</a>' in page
    scheme = browser("county-viewer").get("/search?q=home+first").text
    assert re.search(r'href="/schemes/\d+">Home first</a>', scheme)
    assert "1 result for “home first”" in scheme


def test_signed_out_the_page_and_the_api_show_only_published_plans(browser, world):
    page = browser().get("/search?q=county+bcf").text
    assert "County BCF 2024-25" in page and "County BCF 2025-26" not in page
    answer = browser().client.get("/api/v1/search?q=county").json()
    plans = [h for g in answer["groups"] if g["kind"] == "plan" for h in g["hits"]]
    assert [(h["id"], h["url"]) for h in plans] == [
        (world.published_plan_id, f"/plans/{world.published_plan_id}")
    ]
    assert answer["total"] == 2  # that plan and County Council


def test_an_empty_or_unmatched_query_says_so(browser, world):
    assert "result" not in browser().get("/search").text.split('id="maincontent"')[1]
    assert "Nothing matches “zebra”" in browser().get("/search?q=zebra").text


def test_a_metric_found_links_to_its_row_in_the_catalogue(browser, world, sessions):
    with unit_of_work(sessions) as s:
        metric = measures.add_metric(
            s,
            operator(),
            {
                "key": "admissions",
                "name": "Admissions 65+",
                "unit": "rate_per_100k",
                "direction": "lower",
                "frequency": "month",
            },
        )
        metric_id = metric.id
    page = browser().get("/search?q=admissions").text
    assert f'href="/metrics#metric-{metric_id}">Admissions 65+</a>' in page
    assert f'id="metric-{metric_id}"' in browser().get("/metrics").text
