"""The directory and a participant's page at 390 px wide: nothing wider than the screen,
every form field labelled. Pages come from the test client through Playwright's router."""

from urllib.parse import urlsplit

import pytest

from tests.partnering.support import participant, partnering_event

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"


def _serve(client):
    def handle(route):
        parts = urlsplit(route.request.url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        body = response.get_data()
        response.close()  # static files are streamed from an open file
        route.fulfill(status=response.status_code, content_type=response.content_type, body=body)

    return handle


@pytest.mark.parametrize("language", ["en", "ko"])
def test_pages_fit_390_px_and_label_their_fields(app, client, language):
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("no chromium")
    with app.app_context():
        event = partnering_event()
        me = participant(event, "Example Launch", "US", offers=("launch",), locale=language)
        participant(
            event,
            "Example Satellite Korea With A Rather Long Name",
            "KR",
            seeks=("launch",),
        )
        token, slug = me.registration.manage_token, event.slug
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.route("http://eventapp.test/**", _serve(client))
        for path in (f"/e/{slug}/partnering?me={token}", f"/me/{token}/partnering"):
            page.goto(f"http://eventapp.test{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, path
            unlabelled = page.evaluate(
                """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                   .filter(e => !(e.labels && e.labels.length)).length"""
            )
            assert unlabelled == 0, path
            assert page.locator("h1").count() == 1
        browser.close()
