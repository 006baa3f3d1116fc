"""The event's questions on the public registration form (#17)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sqlalchemy_event

from eventapp.models import Answer, QuestionKind, Registration, db
from tests.factories import make_event
from tests.questions.support import add, form_data
from tests.web.test_public import parse

K = QuestionKind


@pytest.fixture
def world(app):
    with app.app_context():
        event = make_event()
        made = {
            "passport": add(
                event,
                K.SHORT_TEXT,
                "Passport number",
                label_ko="여권 번호",
                help="As printed.",
                help_ko="여권에 적힌 대로.",
                is_required=True,
            ),
            "colours": add(event, K.SEVERAL_CHOICES, "Colours"),
            "guests": add(event, K.NUMBER, "Guests", min_value=0, max_value=3),
            "arrival": add(event, K.DATE, "Arrival"),
            "card": add(event, K.SHORT_TEXT, "Press card", categories={"press"}, is_required=True),
        }
        return {"slug": event.slug, **{name: q.id for name, q in made.items()}}


def _page(response):
    return parse(response.get_data(as_text=True))


def _answers(app):
    with app.app_context():
        return {(a.question_id, a.value) for a in db.session.scalars(db.select(Answer)).all()}


def test_registering_stores_the_answers_with_the_registration(app, client, world):
    q = world
    response = client.post(
        f"/e/{q['slug']}/register",
        data=form_data(
            **{
                f"q_{q['passport']}": "M1234",
                f"q_{q['colours']}": ["c3", "c1"],
                f"q_{q['guests']}": "2",
                f"q_{q['arrival']}": "2023-11-07",
            }
        ),
    )

    assert response.status_code == 302
    assert _answers(app) == {
        (q["passport"], "M1234"),
        (q["colours"], "c1 c3"),
        (q["guests"], "2"),
        (q["arrival"], "2023-11-07"),
    }


def test_a_wrong_answer_is_shown_next_to_its_field_with_what_was_typed(app, client, world):
    q = world
    response = client.post(
        f"/e/{q['slug']}/register",
        data=form_data(
            given_name="지민", **{f"q_{q['guests']}": "seven", f"q_{q['colours']}": ["c2", "c9"]}
        ),
    )

    page = _page(response)
    assert response.status_code == 400
    guests = page.find(id=f"q_{q['guests']}")
    assert guests.attrs["value"] == "seven"
    assert guests.attrs["aria-invalid"] == "true"
    assert (
        page.find(id=f"q_{q['guests']}-error").text
        == "Please enter a whole number, for example 12."
    )
    assert page.find(id=f"q_{q['passport']}-error").text == "Please answer this question."
    assert page.find(id=f"q_{q['colours']}-error").text == "Please choose among the answers listed."
    assert "checked" in page.find(id=f"q_{q['colours']}-1").attrs  # Green kept as ticked
    assert page.find(id="given_name").attrs["value"] == "지민"
    assert _answers(app) == set()
    with app.app_context():
        assert db.session.scalars(db.select(Registration)).all() == []


def test_a_press_question_is_ignored_for_others_and_required_of_the_press(app, client, world):
    q = world
    base = {f"q_{q['passport']}": "M1", f"q_{q['card']}": "PC-77"}

    industry = client.post(f"/e/{q['slug']}/register", data=form_data(category="industry", **base))
    no_card = client.post(
        f"/e/{q['slug']}/register",
        data=form_data(email="p@example.org", category="press", **{f"q_{q['passport']}": "M2"}),
    )
    press = client.post(
        f"/e/{q['slug']}/register", data=form_data(email="p@example.org", category="press", **base)
    )

    assert industry.status_code == 302
    assert no_card.status_code == 400
    assert _page(no_card).find(id=f"q_{q['card']}-error").text == "Please answer this question."
    assert press.status_code == 302
    cards = {value for question_id, value in _answers(app) if question_id == q["card"]}
    assert cards == {"PC-77"}  # stored once: for the journalist, not for the industry


def test_the_form_speaks_the_interface_language_and_marks_category_questions(client, world):
    q = world
    client.set_cookie("lang", "ko")

    page = _page(client.get(f"/e/{q['slug']}/register?lang=ko"))

    assert page.find("label", for_=f"q_{q['passport']}").text == "여권 번호"
    assert page.find(id=f"q_{q['passport']}-hint").text == "여권에 적힌 대로."
    holder = page.find("div", cls="question", **{"data-categories": "press"})
    assert [n.tag for n in holder.iter() if n.attrs.get("id") == f"q_{q['card']}"] == ["input"]
    assert page.find_all("script", src="/static/js/questions.js") != []


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)


def test_an_event_without_questions_reads_nothing_about_them(app, client):
    with app.app_context():
        slug = make_event().slug
    with app.app_context(), _statements() as seen:
        shown = client.get(f"/e/{slug}/register")
        posted = client.post(f"/e/{slug}/register", data=form_data())

    assert (shown.status_code, posted.status_code) == (200, 302)
    touching = re.compile(r"\b(FROM|JOIN|INTO|UPDATE) (questions|registration_answers)\b")
    assert [s for s in seen if touching.search(s)] == []
    assert len(seen) > 3  # the listener did see the registration's statements
    assert "Questions from the organizers" not in _page(shown).text


@pytest.mark.parametrize(
    "hostile",
    ["\x00", "x" * 100_000, "<script>alert(1)</script>", "' OR 1=1 --", "9" * 5000, "%s%n"],
)
def test_hostile_answers_never_break_the_form(app, client, world, hostile):
    q = world
    fields = {f"q_{q[name]}": hostile for name in ("passport", "colours", "guests", "arrival")}
    fields[f"q_{q['card']}"] = [hostile, hostile]
    fields[f"q_{10**12}"] = hostile  # no such question

    response = client.post(f"/e/{q['slug']}/register", data=form_data(category="press", **fields))

    assert response.status_code in {302, 400}
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
