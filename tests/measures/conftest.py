from tests.browser.conftest import chromium, live_server, page  # noqa: F401  (the browser tests')
from tests.web.conftest import app, browser, client, world  # noqa: F401  (the web tests' fixtures)
