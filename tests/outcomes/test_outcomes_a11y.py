"""The outcomes pages in real Chromium at 1280 and 390 px, in English and Korean (#18):
axe-core (vendored under tests/vendor, WCAG 2.1 A and AA rules) finds nothing, and
nothing is wider than the screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eventapp.models import OutcomeStatus, Role, db
from eventapp.services.partnering import profiles
from tests.checkin.conftest import needs_chromium
from tests.conftest import PASSWORD
from tests.factories import (
    add_to_team,
    link_speaker,
    make_account,
    make_event,
    make_government,
    make_recommendation,
    make_session,
    make_speaker,
)

pytestmark = needs_chromium
AXE = Path(__file__).parent.parent / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _world(app):
    with app.app_context():
        event = make_event(
            slug="symposium", title="Space Industry Symposium", title_ko="우주산업 심포지엄"
        )
        profiles.save_tag(event, key="launch", name="Launch", name_ko="발사", by=None)
        profiles.save_tag(event, key="satellites", name="Satellites", name_ko="위성", by=None)
        panel = make_session(
            event,
            title="Panel 1: Commercial space partnerships between the two countries",
            title_ko="패널 1: 양국 간 상업 우주 협력",
        )
        make_session(event, title="Panel 2: Supply chains", title_ko="패널 2: 공급망")
        link_speaker(panel, make_speaker(given_name="Minji", family_name="Kim"))
        msit = make_government(name="Ministry of Science and ICT", name_ko="과학기술정보통신부")
        doc = make_government(name="U.S. Department of Commerce", short_name="DoC", country="US")
        published = make_recommendation(
            panel,
            msit,
            doc,
            text_en="Set up a joint working group on export-control alignment " * 3,
            text_ko="수출 통제 조율을 위한 공동 실무단을 구성한다. " * 3,
        )
        draft = make_recommendation(panel, msit, text_ko="", status=OutcomeStatus.DRAFT)
        from eventapp.models import RecommendationTag

        published.tags = [RecommendationTag(name="launch"), RecommendationTag(name="satellites")]
        account = make_account(Role.ORGANIZER, email="org@example.org", password=PASSWORD)
        add_to_team(account, event)
        db.session.commit()
        return {
            "panel": panel.id,
            "published": published.id,
            "draft": draft.id,
        }


def _pages(ids):
    base = "/admin/events/symposium/outcomes"
    return [
        "/admin/outcomes",
        base,
        f"{base}/sessions/{ids['panel']}",
        f"{base}/sessions/{ids['panel']}/recommendations/new",
        f"{base}/recommendations/{ids['published']}",
        f"{base}/recommendations/{ids['published']}/delete",
        "/admin/outcomes/follow-up",
        "/e/symposium/outcomes",
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_outcomes_pages_are_axe_clean_at_1280_and_390_px(app, served, browser, language):
    ids = _world(app)
    axe = AXE.read_text(encoding="utf-8")
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    page.goto(f"{served}/login")
    page.fill("#email", "org@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{served}/lang/{language}")
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in _pages(ids):
            response = page.goto(f"{served}{path}")
            assert response is not None, path
            assert response.status == 200, path
            assert page.get_attribute("html", "lang") == language
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
            )
            assert len(result["passes"]) > 10, path  # axe ran its rules on the page
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"]]
                found.setdefault(f"{width} {path} {violation['id']}", targets)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                found[f"{width} {path} overflow"] = wide
            if shots := os.environ.get("OUTCOMES_SHOTS"):  # to look at them
                name = path.strip("/").replace("/", "_") or "root"
                page.screenshot(path=f"{shots}/{language}-{width}-{name}.png", full_page=True)
    context.close()

    assert found == {}
