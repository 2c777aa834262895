"""Under the Content-Security-Policy, in Chromium: the API docs (Swagger UI from Tandem's
static files) and the HTMX pages work, and the browser reports no violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright injects it outside the page's CSP): records every
# violation the page reports, and stands in for the print dialog.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
window.print = () => { window.__printed = true; };
"""


def _sign_in(page: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )


@pytest.fixture
def watched(page: Any) -> Any:
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.add_init_script(WATCH)
    page.csp_console = console
    return page


def _violations(page: Any) -> list[str]:
    return [*page.evaluate("window.__violations"), *page.csp_console]


def test_api_docs_work_under_the_policy(watched, mentee):
    page = watched
    _sign_in(page, mentee)
    response = page.goto("/api/v1/docs")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI is a 1.4 MB script served by the test server: give a loaded machine time.
    page.locator(".swagger-ui .info .title").get_by_text("Tandem API").wait_for(timeout=60_000)

    # Try an operation from the page: the request goes out and its answer comes back.
    operation = page.locator("#operations-accounts-tandem_accounts_api_me")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    operation.locator(".live-responses-table .response-col_status").first.wait_for(timeout=60_000)
    assert "mentee@example.com" in operation.locator(".live-responses-table").inner_text()
    assert _violations(page) == []


def test_htmx_pages_and_page_behaviours_work_under_the_policy(watched, mentee):
    page = watched
    _sign_in(page, mentee)

    # HTMX: add a binder entry without a reload (its POST carries the CSRF header).
    page.goto("/binder/")
    questions = page.locator("#section-questions")
    questions.get_by_text("Add an entry").click()
    questions.locator("#entry-questions-title").fill("How do I ask for a bigger project?")
    questions.get_by_role("button", name="Add", exact=True).click()
    questions.get_by_text("How do I ask for a bigger project?").wait_for()

    assert _violations(page) == []

    # The printable binder's Print button (data-print, from tandem.js).
    page.goto("/binder/export/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") is True

    assert _violations(page) == []

    # The calendar feed address selects itself on focus (data-select-on-focus).
    # It is shown once, right after it is made.
    page.goto("/meetings/calendar/")
    page.get_by_role("button", name="Make my feed address").click()
    page.locator("#feed-url").focus()
    selected = page.evaluate(
        "(() => { const f = document.getElementById('feed-url');"
        " return f.selectionStart === 0 && f.selectionEnd === f.value.length"
        " && f.value.length > 0; })()"
    )
    assert selected

    assert _violations(page) == []

    # Pages whose styles moved to static files still get them.
    page.goto("/people/me/")
    grid = page.locator(".people-grid").first
    assert grid.evaluate("el => getComputedStyle(el).display") == "grid"
    assert _violations(page) == []
    page.goto("/find/")
    page.locator(".find-grid").wait_for()
    assert _violations(page) == []
