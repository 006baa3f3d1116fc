"""The questions in real Chromium (#17): the press question follows the category chosen,
and the pages hold together at 390 and 1280 px. Set QUESTIONS_SCREENSHOTS=<dir> to keep
the screenshots."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from eventapp.models import QuestionKind, Role
from tests.conftest import PASSWORD
from tests.factories import add_to_team, make_account, make_event, make_registration
from tests.questions.support import add

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Chromium")
K = QuestionKind


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _world(app):
    with app.app_context():
        event = make_event(slug="forum")
        add(event, K.SHORT_TEXT, "Passport number", label_ko="여권 번호", is_required=True,
            help="As printed in your passport, for the security list.")  # fmt: skip
        meal = add(event, K.ONE_CHOICE, "Meal at the luncheon", label_ko="오찬 식사")
        add(event, K.SEVERAL_CHOICES, "Topics of interest for the afternoon panels")
        add(event, K.NUMBER, "Accompanying staff", min_value=0, max_value=3)
        add(event, K.DATE, "Arrival in Seoul")
        card = add(event, K.SHORT_TEXT, "Press card number", categories={"press"},
                   is_required=True)  # fmt: skip
        registration = make_registration(event, category="press")
        account = make_account(Role.ORGANIZER, email="o@example.org", password=PASSWORD)
        add_to_team(account, event)
        return card.id, registration.manage_token, registration.id, meal.id


def _shot(page, name):
    folder = os.environ.get("QUESTIONS_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize("width", [390, 1280])
def test_the_press_question_follows_the_category_and_pages_fit(app, served, browser, width):
    card_id, token, registration_id, meal_id = _world(app)
    page = browser.new_page(viewport={"width": width, "height": 900})

    page.goto(f"{served}/e/forum/register")
    card = page.locator(f"#q_{card_id}")
    page.select_option("#category", "industry")
    hidden_for_industry = card.is_hidden()
    page.select_option("#category", "press")
    shown_for_press = card.is_visible()
    page.click("button[type=submit]")  # nothing filled in: errors next to the fields
    _no_sideways_scroll(page)
    _shot(page, f"register-errors-{width}")

    assert (hidden_for_industry, shown_for_press) == (True, True)
    assert page.locator(f"#q_{card_id}-error").inner_text() == "Please answer this question."

    page.goto(f"{served}/me/{token}/details")
    _no_sideways_scroll(page)
    _shot(page, f"details-{width}")

    page.goto(f"{served}/login")
    page.fill("#email", "o@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    for name, path in (
        ("questions", "/admin/events/forum/questions"),
        ("question-edit", f"/admin/events/forum/questions/{meal_id}/edit"),
        ("registrant", f"/admin/events/forum/registrants/{registration_id}/edit"),
    ):
        page.goto(served + path)
        _no_sideways_scroll(page)
        _shot(page, f"{name}-{width}")
    page.goto(f"{served}/admin/events/forum/questions")
    page.locator(f"#question-{meal_id} button[value=up]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".question-row__label").first.inner_text().startswith("Meal")
