"""The scheduler's pages in Chromium at 390 and 1280 px: nothing wider than a phone's
screen, every field labelled, one h1. Set SCREENSHOTS=<dir> to keep the pictures."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from eventapp.models import Role, db
from eventapp.services.partnering import manual, publish, runs
from tests.partnering.workflow_support import world

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"


def _serve(client):
    def handle(route):
        parts = urlsplit(route.request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path)
        body = response.get_data()
        response.close()
        route.fulfill(status=response.status_code, content_type=response.content_type, body=body)

    return handle


@pytest.mark.parametrize("width", [390, 1280])
def test_scheduler_pages_fit_and_label_their_fields(app, client, login_as, width):
    if not os.path.exists(CHROMIUM):
        pytest.skip("no chromium")
    with app.app_context():
        event, made, _people, found = world(tables=6, pairs=5)
        run = runs.execute(runs.start_run(event, by=None, time_limit=2).id)
        publish.publish(run, by=None)
        db.session.refresh(found[0])
        manual.set_pinned(found[0], True, by=None)
        again = runs.execute(runs.start_run(event, by=None, time_limit=2).id)
        slug, meeting_id, run_id = event.slug, found[1].id, again.id
        table_id = made.tables[0].id
    login_as(Role.ORGANIZER)
    pages = {
        "scheduler": f"/admin/events/{slug}/partnering/scheduler",
        "run": f"/admin/events/{slug}/partnering/scheduler/runs/{run_id}",
        "matrix": f"/admin/events/{slug}/partnering/matrix",
        "meeting": f"/admin/events/{slug}/partnering/meetings/{meeting_id}",
        "dashboard": f"/admin/events/{slug}/",
        "door": f"/checkin/{slug}/partnering/tables/{table_id}",
    }
    keep = os.environ.get("SCREENSHOTS")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.route("http://eventapp.test/**", _serve(client))
        for name, path in pages.items():
            page.goto(f"http://eventapp.test{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            unlabelled = page.evaluate(
                """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                   .filter(e => !(e.labels && e.labels.length)).length"""
            )
            assert unlabelled == 0, name
            assert page.locator("h1").count() == 1, name
            if keep:
                page.screenshot(path=str(Path(keep) / f"{name}-{width}.png"), full_page=True)
        browser.close()
