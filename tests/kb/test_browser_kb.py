"""A real browser: the answer form shows KB suggestions (htmx) and one click inserts the answer."""
from __future__ import annotations

import json
import threading

import pytest
from werkzeug.serving import make_server

from superfan.web_server import make_app
from tests.e2e.test_browser_slice import page  # noqa: F401  (the Chromium page fixture)
from tests.foundation.seed import PASSWORD
from tests.kb.test_web_kb import FAQ, seed

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(sqlite_services):
    threads = seed(sqlite_services)
    sqlite_services.knowledge.import_lines([json.dumps(line) for line in FAQ])
    server = make_server("127.0.0.1", 0, make_app(sqlite_services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", threads["Pulse Watch Ziffernblatt"], sqlite_services.knowledge
    server.shutdown()


def test_one_click_inserts_a_suggested_answer_and_records_it(live_server, page):  # noqa: F811
    url, thread_id, kb = live_server
    page.goto(f"{url}/login")
    page.fill("input[name=username]", "maria")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{url}/threads/{thread_id}")
    suggestion = page.locator(".kb-suggestions li", has_text="Ziffernblatt der Pulse Watch einstellen")
    suggestion.get_by_role("button", name="Insert").click()
    page.wait_for_selector(".kb-inserted")
    assert page.input_value("#answer-body") == "In der App unter Uhr > Design."
    assert kb.articles.by_external_id("faq-zif").feedback.inserts == 1
