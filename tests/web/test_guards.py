"""What every request passes (web.guards): body limits checked before any route or sign-in, and
the security headers; and every CSV download neutralising formulas (web.templating.csv_safe)."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest

from placeplan.assurance.service.batch import upload_batch
from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from placeplan.web.guards import LARGE_BYTES, SMALL_BYTES, body_limit
from placeplan.web.templating import csv_safe

# `scene` is the route access test's world, a fixture used here too
from tests.app.test_route_access import _family, app_routes, scene  # noqa: F401
from tests.factories import LEICESTERSHIRE, PASSWORD, actor_for

SQLITE = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

HOSTILE = ("=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(A1)")


@SQLITE
def test_a_body_over_the_limit_is_refused_before_sign_in_by_its_length(client, world):
    # a signed-out API write, a JSON body one byte over 1 MB: 413, not 401, and nothing read
    too_big = b"{" + b" " * SMALL_BYTES + b"}"
    answer = client.put(
        f"/api/v1/plans/{world.plan_id}",
        content=too_big,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert "larger than this address accepts" in answer.json()["error"]["message"]
    page = client.post("/sign-in", content=too_big)
    assert page.status_code == 413 and "There is a problem" in page.text


@SQLITE
def test_a_streamed_body_is_counted_as_it_arrives(client, world):
    def chunks():  # no Content-Length: the limit is met while the body streams
        for _ in range(SMALL_BYTES // 65536 + 2):
            yield b"x" * 65536

    answer = client.post(
        "/sign-in", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert answer.status_code == 413


def test_uploads_take_the_largest_workbook_and_json_stays_small():
    assert body_limit("POST", "/plans/3/budget/upload") == LARGE_BYTES
    assert body_limit("POST", "/api/v1/plans/3/delivery/tracker/preview") == LARGE_BYTES
    assert body_limit("PATCH", "/api/v1/lines/3") == SMALL_BYTES
    assert body_limit("POST", "/sign-in") == SMALL_BYTES
    assert LARGE_BYTES > 20 * 1024 * 1024  # xlsx_guard's largest workbook, and its envelope


@SQLITE
def test_every_answer_carries_the_security_headers(client, browser, world):
    signed_out = client.get("/")
    csp = signed_out.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert signed_out.headers["x-content-type-options"] == "nosniff"
    assert signed_out.headers["referrer-policy"] == "same-origin"
    assert signed_out.headers["strict-transport-security"].startswith("max-age=")
    assert "no-store" not in signed_out.headers.get("cache-control", "")
    b = browser("county-editor")
    assert b.get("/").headers["cache-control"] == "no-store"
    assert b.get(f"/plans/{world.plan_id}").headers["cache-control"] == "no-store"
    assert "no-store" not in b.get("/static/placeplan.css").headers.get("cache-control", "")


def test_no_template_has_an_inline_script():
    from placeplan.web.templating import templates

    folder = templates.env.loader.searchpath[0]  # type: ignore[union-attr]
    import pathlib

    for path in pathlib.Path(folder).rglob("*.html"):
        for tag in re.findall(r"<script[^>]*>", path.read_text()):
            assert "src=" in tag, f"{path}: {tag} (the CSP allows only script files)"
        assert not re.search(r"\son[a-z]+=", path.read_text()), f"{path}: an inline handler"


@SQLITE
def test_health_and_ready(client):
    assert client.get("/health").json() == {"status": "alive"}
    assert client.get("/ready").json() == {"status": "ready"}


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 116", "'+44 116"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-500", "-500"),  # a number stays a number: it cannot carry a formula
        ("-£1,234.50", "-£1,234.50"),
        ("+3.5%", "+3.5%"),
        (-500, -500),
        ("Home care", "Home care"),
    ],
)
def test_a_csv_cell_that_would_run_as_a_formula_is_quoted(cell, written):
    assert csv_safe(cell) == written


# Every route that answers CSV: the walk below must find each one answering CSV, and no other. A
# new CSV download fails the walk until it is named here, so it cannot ship unchecked.
CSV_DOWNLOADS = {
    "/areas",
    "/areas/{gss_code}/metrics/{key}",
    "/areas/{gss_code}/metrics/{key}/breakdowns",
    "/assurance",
    "/assurance/batch/{token}",
    "/audit",
    "/board",
    "/bodies",
    "/capacity/runs/{run_id}",
    "/capacity/sweeps/{sweep_id}",
    "/capacity/{model_id}",
    "/capacity/{model_id}/stays/{service_id}/{stays_token}",
    "/comparisons/spend",
    "/comparisons/{key}/funnel",
    "/comparisons/{key}/league",
    "/finance/allocations/{allocation_id}",
    "/finance/allocations/{allocation_id}/need-index/{index_token}",
    "/finance/{finance_id}",
    "/organisations",
    "/plans",
    "/plans/{plan_id}/budget",
    "/plans/{plan_id}/budget/upload/{token}",
    "/plans/{plan_id}/capacity/predicted",
    "/plans/{plan_id}/delivery",
    "/plans/{plan_id}/delivery/exception",
    "/plans/{plan_id}/delivery/history",
    "/plans/{plan_id}/delivery/on-a-page",
    "/plans/{plan_id}/differences",
    "/plans/{plan_id}/interventions",
    "/plans/{plan_id}/metrics",
    "/plans/{plan_id}/narrative",
    "/plans/{plan_id}/pledges",
    "/plans/{plan_id}/pledges/{ref}",
    "/plans/{plan_id}/spend",
    "/plans/{plan_id}/spend/upload/{held}",
}
CSV_LINK = re.compile(r'href="([^"]*format=csv[^"]*)"')


@SQLITE
def test_every_csv_download_neutralises_formulas(app, sessions, world, scene, browser):  # noqa: F811
    """Every GET route, its path filled from the route access test's world (a record of every
    kind), as it is, with ?format=csv, and through every CSV link its page offers (a table
    chosen by `table=`), asked by the system-wide role (who reads every plan), a national
    assurer (the assurance pages) and the county editor (who holds the uploads in the world):
    each CSV answer's every cell is one no spreadsheet runs as a formula, and the routes
    answering CSV are exactly CSV_DOWNLOADS."""
    with unit_of_work(sessions) as s:
        for text in HOSTILE:  # records whose names a CSV repeats
            plans.create_plan(
                s, operator("t"), "bcf_plan", text, "2025-26", area_code=LEICESTERSHIRE
            )
        people.create_token(s, actor_for(s, "county-admin"), HOSTILE[0])
        people.add_user(s, operator("t"), "assurer", "A", PASSWORD, "icb", "national_assurer")
        # a batch whose one file is named as a formula: its report repeats the name
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr(f"{HOSTILE[1]}.xlsx", b"not a workbook")
        batch = upload_batch(s, actor_for(s, "assurer"), "region.zip", archive.getvalue())
    readers = [browser(who) for who in ("system-admin", "assurer", "county-editor")]
    served, unfilled = set(), set()
    quoted = 0

    def check(path: str, address: str, answer) -> bool:
        nonlocal quoted
        if not answer.headers.get("content-type", "").startswith("text/csv"):
            return False
        served.add(path)
        for row in csv.reader(io.StringIO(answer.text)):
            for cell in row:
                assert csv_safe(cell) == cell, f"{address}: {cell!r}"
                quoted += cell.startswith(("'=", "'+", "'@"))
        return True

    for path in sorted(p for m, p in app_routes(app) if m == "GET"):
        names = re.findall(r"{(\w+)}", path)
        ids = dict(scene.draft[_family(path)])
        if path.startswith("/assurance/batch/"):
            ids["token"] = batch.token
        if any(ids.get(n) is None for n in names):
            unfilled.add(path)
            continue
        url = path.format(**ids)
        for reader in readers:
            # Each address once per reader: the page itself is checked from the same answer
            # its CSV links are read from, and a link to ?format=csv is not fetched twice.
            page = reader.get(url)
            check(path, url, page)
            addresses = {f"{url}?format=csv"}
            if page.headers.get("content-type", "").startswith("text/html"):
                for link in set(CSV_LINK.findall(page.text)):
                    link = html.unescape(link)
                    target = link if link.startswith("/") else f"{url}{link}"
                    if urlsplit(target).path == url:
                        addresses.add(target)
            for address in sorted(addresses):
                check(path, address, reader.get(address))
    assert not unfilled, f"GET routes the walk could not fill: {sorted(unfilled)}"
    assert served == CSV_DOWNLOADS, (
        f"answering CSV but not named: {sorted(served - CSV_DOWNLOADS)}; "
        f"named but not found answering CSV: {sorted(CSV_DOWNLOADS - served)}"
    )
    assert quoted > 0  # the hostile names reached a CSV, quoted


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
def test_a_number_beyond_64_bits_is_a_400_in_the_error_shape(client, sessions, world):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    headers = {"Authorization": f"Bearer {token}"}
    huge = 2**63  # one past the largest 64-bit integer a database column holds
    read = client.get(f"/api/v1/plans/{huge}", headers=headers)
    write = client.patch(f"/api/v1/plans/{world.plan_id}", json={"version": huge}, headers=headers)
    for answer, field in ((read, "plan_id"), (write, "version")):
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["field"] == field
