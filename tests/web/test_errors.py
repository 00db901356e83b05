"""Errors as pages for browsers, and one JSON error shape for the API, whatever the status."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from tests.factories import LEICESTERSHIRE

HTML = {"Accept": "text/html,application/xhtml+xml"}

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _page(response) -> str:
    assert response.headers["content-type"].startswith("text/html"), response.text[:200]
    text = response.text
    assert '<a href="/">Go to the home page</a>' in text  # a link back, always
    assert '"detail"' not in text and "int_parsing" not in text
    return text


def test_a_page_address_with_a_word_for_a_number_is_a_page_not_found(browser):
    response = browser().get("/plans/abc", headers=HTML)
    assert response.status_code == 404
    text = _page(response)
    assert "<h1>Page not found</h1>" in text
    assert "&#39;abc&#39; is not a plan number, so there is no page at /plans/abc." in text
    assert "check you copied the whole address" in text


def test_a_bad_setting_in_the_address_is_a_page_naming_it(browser, world):
    response = browser("county-viewer").get("/systems/LLR/budget?year=2025-26", headers=HTML)
    assert response.status_code == 400
    text = _page(response)
    assert "<h1>There is a problem</h1>" in text
    assert "The year in the address, &#39;2025-26&#39;, is not a year such as 2025" in text
    assert "Sign out" in text  # signed in: the header says so, though the route never ran


def test_an_address_the_app_does_not_have_is_a_page_not_found(browser):
    text = _page(browser().get("/no/such/page", headers=HTML))
    assert "There is no page at /no/such/page." in text and 'href="/sign-in?next=' in text


def test_a_page_a_person_may_not_see_says_so_and_links_back(browser, world):
    viewer = browser("county-viewer")
    came_from = "https://testserver/plans"
    response = viewer.get(f"/plans/{world.plan_id}/edit", headers=HTML | {"Referer": came_from})
    assert response.status_code == 403
    text = _page(response)
    assert "<h1>You cannot do that</h1>" in text and "ask an administrator" in text
    assert '<a href="/plans">Go back to the page you came from</a>' in text


def _app_raising(app, exc: Exception) -> TestClient:
    def boom() -> None:
        raise exc

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("exc", "status", "title"),
    [
        (InputError("amounts run from £0 to £1bn", field="amount"), 400, "There is a problem"),
        (Forbidden("only an editor may change this"), 403, "You cannot do that"),
        (NotFound("no plan 9"), 404, "Page not found"),
        (Conflict("the line moved on", 3, {"amount": (1, 2)}), 409, "Someone else changed this"),
        (RuntimeError("a secret stack detail"), 500, "Sorry, there is a problem with the service"),
    ],
)
def test_each_status_is_a_page_for_a_browser_and_one_shape_for_the_api(app, exc, status, title):
    client = _app_raising(app, exc)
    page = client.get("/boom", headers=HTML)
    assert page.status_code == status
    text = _page(page)
    assert f"<h1>{title}</h1>" in text
    assert "a secret stack detail" not in text  # a 500 tells no internals
    answer = client.get("/api/v1/boom")
    assert answer.status_code == status
    error = answer.json()["error"]
    assert set(answer.json()) == {"error"} and error["message"]
    if status == 400:
        assert error == {"message": "amounts run from £0 to £1bn", "field": "amount"}
    if status == 409:
        assert error["current_version"] == 3
        assert error["changes"] == {"amount": {"yours": 1, "now": 2}}
    if status == 500:
        assert "secret" not in error["message"]


def test_a_422_from_a_route_is_a_page(app):
    from fastapi import HTTPException

    client = _app_raising(app, HTTPException(422, "the file is not a workbook"))
    text = _page(client.get("/boom", headers=HTML))
    assert "<h1>There is a problem with what was sent</h1>" in text
    assert "the file is not a workbook" in text
    assert client.get("/api/v1/boom").json() == {"error": {"message": "the file is not a workbook"}}


def test_the_api_names_the_field_and_what_was_expected_with_no_raw_detail(client):
    answer = client.get("/api/v1/plans/abc")
    assert answer.status_code == 422
    assert answer.json() == {
        "error": {
            "message": "plan_id must be a whole number; 'abc' was given",
            "field": "plan_id",
            "expected": "a whole number",
            "problems": [
                {
                    "message": "plan_id must be a whole number; 'abc' was given",
                    "field": "plan_id",
                    "expected": "a whole number",
                }
            ],
        }
    }


def test_a_bad_body_names_each_field(browser, world):
    b = browser("county-admin")
    b.client.headers["X-CSRF-Token"] = b.token
    answer = b.client.post("/api/v1/plans", json={"title": 5})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert "detail" not in answer.json() and "type" not in error
    fields = {p["field"]: p for p in error["problems"]}
    assert fields["title"]["expected"] == "text"
    missing = [p for p in error["problems"] if p["message"].endswith("is required")]
    assert missing and error["message"].startswith(f"{len(error['problems'])} problems: ")


def test_unknown_api_address_and_a_missing_token_answer_the_shape(client):
    assert client.get("/api/v1/nowhere").json() == {
        "error": {"message": "There is no page at /api/v1/nowhere."}
    }
    answer = client.post(
        "/api/v1/areas", json={"gss_code": LEICESTERSHIRE, "name": "x", "system_code": "LLR"}
    )
    assert answer.status_code == 401 and set(answer.json()["error"]) == {"message"}


def test_the_openapi_document_describes_the_error_shape(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            if path.startswith("/api/") and "422" in operation["responses"]:
                assert "HTTPValidationError" not in str(operation["responses"]), path
    answer = spec["paths"]["/api/v1/plans/{plan_id}"]["get"]["responses"]["422"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorAnswer"
    }
