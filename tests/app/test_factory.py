"""The app factory's own page: the API documentation, served with no outside server."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def test_the_api_documentation_names_only_the_apps_own_addresses(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and '<html lang="en">' in page.text
    addresses = re.findall(r'(?:src|href|url)\s*[=:]\s*[\'"]([^\'"]+)', page.text)
    assert addresses and all(a.startswith("/") for a in addresses), addresses
    assert "<script>" not in page.text  # the CSP allows no inline script: its start is a file
    start = client.get("/static/swagger-init.js").text
    assert "validatorUrl: null" in start  # the validator badge, an outside call, is off
    for asset in ("/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"):
        assert client.get(asset).status_code == 200, f"{asset}: run `make setup`"
