"""Hangul in real Chromium on a machine with no Korean font of its own (this one, CI's):
the fonts the browser really drew each text with, read back through the DevTools protocol."""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.factories import make_event

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Chromium at /usr/bin/chromium (.ci/run installs it)"
)
#: Faces that hold Hangul: the one the app ships, or a device's own.
KOREAN_FACES = ("NanumSquare", "NanumGothic", "Noto Sans CJK", "Noto Sans KR", "Malgun", "Apple SD")


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _fonts_drawing(base: str, path: str, selector: str, locale: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(locale=locale)  # sent as Accept-Language
            page.goto(base + path, wait_until="networkidle")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        finally:
            browser.close()


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_the_language_switch_draws_hangul_with_a_korean_face(app, served, locale):
    # On English pages the only Hangul is "한국어" in the header: Chromium drew it as boxes,
    # system-ui answering for it before the shipped face was asked.
    with app.app_context():
        slug = make_event(slug="forum").slug

    fonts = _fonts_drawing(served, f"/e/{slug}", 'a[hreflang="ko"]', locale)

    assert fonts, "nothing drawn"
    assert all(any(face in font["familyName"] for face in KOREAN_FACES) for font in fonts), fonts
