from __future__ import annotations

from tests.web.conftest import app, browser, client, world  # noqa: F401  (the web tests' fixtures)
