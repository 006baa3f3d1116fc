"""axe-core over the participants' partnering pages in real Chromium, at 390 and 1280 px,
in English and Korean: the directory (with a logo), the organization profile, the request
page, the participant's page, the unavailable times, the opt-in page and the
registration form with partnering on. Pages come from the test client through
Playwright's router. Set A11Y_SCREENSHOTS=<dir> to keep a screenshot of each."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from eventapp.services.partnering import logos, requests
from tests.factories import make_registration
from tests.partnering.support import participant, partnering_event, session

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent.parent / "vendor" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium")


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PHOTOS_DIR=str(tmp_path))


def _serve(client):
    def handle(route):
        parts = urlsplit(route.request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.open(
            path,
            method=route.request.method,
            data=route.request.post_data_buffer,
            headers={"Content-Type": route.request.headers.get("content-type", "")},
        )
        body = response.get_data()
        response.close()  # static files are streamed from an open file
        route.fulfill(
            status=response.status_code,
            headers={k: v for k, v in response.headers.items() if k.lower() != "content-length"},
            body=body,
        )

    return handle


def _logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _world(app, tmp_path, language):
    with app.app_context():
        event = partnering_event(cross_country_first=True)
        me = participant(event, "Example Launch (demo)", "US", offers=("launch",), locale=language)
        other = participant(
            event,
            "Example Satellite Korea With A Rather Long Name (demo)",
            "KR",
            seeks=("launch",),
            offers=("satellites",),
        )
        participant(event, organization_id=other.organization_id, given_name="Colleague")
        logos.save_logo(me.organization, _logo(), photos_dir=tmp_path, participant=me)
        logos.save_logo(other.organization, _logo(), photos_dir=tmp_path, participant=other)
        slots = session(event).slots
        asked = requests.send_request(
            other, me.id, note="Launch slots?", preferred_slot_ids=[slots[1].id]
        )
        requests.respond(me, asked.id, accept=True)
        requests.send_request(me, organization_id=other.organization_id, note="Antennas")
        newcomer = make_registration(event, locale=language)
        token, slug = me.registration.manage_token, event.slug
        return slug, [
            f"/e/{slug}/partnering?me={token}",
            f"/me/{token}/partnering",
            f"/me/{token}/partnering/profile",
            f"/me/{token}/partnering/request?to={other.id}",
            f"/me/{token}/partnering/request?organization={other.organization_id}",
            f"/me/{token}/partnering/unavailable",
            f"/me/{newcomer.manage_token}/partnering",
            f"/e/{slug}/register",
        ]


def _violations(page) -> list[str]:
    results = page.evaluate(
        "async () => { const r = await axe.run(document);"
        " return {passes: r.passes.length, violations: r.violations}; }"
    )
    assert results["passes"] > 10  # axe ran over a real page
    found = results["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_partnering_pages_are_axe_clean_at_390_and_1280_px(app, client, tmp_path, language):
    _slug, paths = _world(app, tmp_path, language)
    client.set_cookie("lang", language)
    keep = os.environ.get("A11Y_SCREENSHOTS")
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
            page = context.new_page()
            page.route("http://eventapp.test/**", _serve(client))
            for number, path in enumerate(paths):
                page.goto(f"http://eventapp.test{path}")
                page.add_script_tag(path=str(AXE))
                problems += [f"{width}px {path}: {v}" for v in _violations(page)]
                overflow = page.evaluate("document.documentElement.scrollWidth")
                if overflow > width:
                    problems.append(f"{width}px {path}: {overflow}px wide")
                if keep:
                    Path(keep).mkdir(parents=True, exist_ok=True)
                    shot = Path(keep) / f"{language}-{width}-{number}.png"
                    page.screenshot(path=str(shot), full_page=True)
            context.close()
        browser.close()
    assert problems == []
