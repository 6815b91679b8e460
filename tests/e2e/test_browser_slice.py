"""A real browser (Debian's Chromium through Playwright): a super-user claims a thread, answers, and it leaves the queue."""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from superfan.web_server import make_app
from tests.foundation.seed import PASSWORD, seed

CHROMIUM = os.environ.get("SUPERFAN_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(sqlite_services):
    seed(sqlite_services)
    server = make_server("127.0.0.1", 0, make_app(sqlite_services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page():
    if not os.path.exists(CHROMIUM):
        message = "Debian's Chromium is missing: `apt-get install chromium` (CI installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def test_superuser_claims_answers_and_the_thread_leaves_the_queue(live_server, page):
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "sofia")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/queue")
    queue = page.locator("#open-threads")
    assert queue.get_by_text("Pulse Watch Ziffernblatt").count() == 1
    assert queue.get_by_text("Doppelt abgebucht").count() == 0  # staff-only never reaches a super-user

    row = queue.locator("tr", has_text="Pulse Watch Ziffernblatt")
    row.get_by_role("button", name="Claim").click()
    page.wait_for_url("**/threads/*")
    assert "Claimed" in page.locator(".flash").inner_text()

    page.fill("#answer-body", "In der Kolibri App: Gerät > Ziffernblätter, dann nach links wischen.")
    page.get_by_role("button", name="Send answer").click()
    page.wait_for_url(f"{live_server}/queue")
    assert "Answer saved" in page.locator(".flash").inner_text()
    assert page.locator("#open-threads").get_by_text("Pulse Watch Ziffernblatt").count() == 0
