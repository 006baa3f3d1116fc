"""The organizer's questions page, answers on the registrant page, the filter and the CSV."""

from __future__ import annotations

import csv
import io

import pytest

from eventapp.models import Answer, Question, QuestionKind, Role, db
from eventapp.services.questions import event_questions
from tests.factories import make_event, make_registration
from tests.questions.support import add
from tests.web.test_public import parse

K = QuestionKind


def _new(client, slug, **fields):
    data = {"kind": "short_text", "label": "Badge name", **fields}
    return client.post(f"/admin/events/{slug}/questions/new", data=data)


def _labels(app, slug):
    with app.app_context():
        from eventapp.models import Event

        event = db.session.scalar(db.select(Event).filter_by(slug=slug))
        return [q.label for q in event_questions(event)]


def test_organizers_add_edit_move_and_delete_questions(app, client, login_as):
    with app.app_context():
        slug = make_event().slug
    login_as(Role.ORGANIZER)

    added = _new(
        client,
        slug,
        kind="one_choice",
        label="Meal",
        label_ko="식사",
        **{
            "choices-0-text": "Vegetarian",
            "choices-0-text_ko": "채식",
            "choices-1-text": "Halal",
            "categories": ["press", "government"],
        },
    )
    _new(client, slug, kind="number", label="Guests", min_value="0", max_value="3")
    listing = client.get(f"/admin/events/{slug}/questions")

    assert added.status_code == 302
    assert _labels(app, slug) == ["Meal", "Guests"]
    doc = parse(listing.get_data(as_text=True))
    assert "only for: Government, Press" in doc.text
    with app.app_context():
        meal = db.session.scalar(db.select(Question).filter_by(label="Meal"))
        meal_id, guests_id = (
            meal.id,
            db.session.scalar(db.select(Question.id).filter_by(label="Guests")),
        )
        assert [c["label_ko"] for c in meal.choices if "label_ko" in c] == ["채식"]

    moved = client.post(
        f"/admin/events/{slug}/questions/{guests_id}/move", data={"direction": "up"}
    )
    assert moved.headers["Location"].endswith(f"/questions#question-{guests_id}")
    assert _labels(app, slug) == ["Guests", "Meal"]

    form = client.get(f"/admin/events/{slug}/questions/{meal_id}/edit")
    assert (
        parse(form.get_data(as_text=True)).find("input", id="choices-0-key").attrs["value"] == "c1"
    )
    edited = client.post(
        f"/admin/events/{slug}/questions/{meal_id}/edit",
        data={
            "kind": "one_choice",
            "label": "Meal choice",
            "choices-0-key": "c2",
            "choices-0-text": "Halal",
            "choices-1-key": "c1",
            "choices-1-text": "Veggie",
        },
    )
    assert edited.status_code == 302
    with app.app_context():
        meal = db.session.get(Question, meal_id)
        assert [(c["key"], c["label"]) for c in meal.choices] == [("c2", "Halal"), ("c1", "Veggie")]
        assert meal.categories == ""

    assert client.get(f"/admin/events/{slug}/questions/{meal_id}/delete").status_code == 200
    client.post(f"/admin/events/{slug}/questions/{meal_id}/delete")
    assert _labels(app, slug) == ["Guests"]


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"label": ""}, "label", "This field is required."),
        (
            {"kind": "number", "min_value": "5", "max_value": "2"},
            "max_value",
            "Not saved: the smallest number is above the largest.",
        ),
        (
            {"kind": "one_choice", "choices-0-text": "Only one"},
            "choices",
            "Not saved: give at least 2 choices.",
        ),
        ({"kind": "nonsense"}, "kind", "Not a valid choice."),
        ({"min_value": "ten"}, "min_value", "Not a valid integer value."),
    ],
)
def test_a_refused_question_is_explained_next_to_its_field(
    app, client, login_as, fields, field_id, message
):
    with app.app_context():
        slug = make_event().slug
    login_as(Role.ORGANIZER)

    response = _new(client, slug, **fields)

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert f'id="{field_id}-error"' in text or 'id="choices-error"' in text
    assert _labels(app, slug) == []


def test_the_questions_page_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    from tests.conftest import PASSWORD
    from tests.factories import add_to_team, make_account

    with app.app_context():
        event = make_event()
        add_to_team(make_account(Role.ORGANIZER, email="o@example.org", password=PASSWORD), event)
        slug = event.slug
        login_page = client.get("/login").get_data(as_text=True)
    token = parse(login_page).find("input", name="csrf_token").attrs["value"]
    client.post(
        "/login", data={"email": "o@example.org", "password": PASSWORD, "csrf_token": token}
    )

    refused = _new(client, slug)

    assert refused.status_code == 400
    assert _labels(app, slug) == []


def test_another_teams_organizer_gets_404(app, client, login_as):
    with app.app_context():
        slug = make_event().slug
        mine = make_event()
    login_as(Role.ORGANIZER, events=[mine])

    assert client.get(f"/admin/events/{slug}/questions").status_code == 404
    assert _new(client, slug).status_code == 404


@pytest.fixture
def answered(app):
    """An event with two questions and three registrants who answered differently."""
    with app.app_context():
        event = make_event()
        meal = add(event, K.ONE_CHOICE, "Meal")
        note = add(event, K.LONG_TEXT, "Note")
        people = []
        for given, key, text in (
            ("Ana", "c1", "Arrives late"),
            ("Bo", "c2", None),
            ("Cy", None, None),
        ):
            r = make_registration(event, given_name=given, family_name="Lee")
            if key:
                db.session.add(
                    Answer(
                        registration_id=r.id,
                        question_id=meal.id,
                        value=key,
                        choice_text={key: [meal.choice(key)["label"], ""]},
                    )
                )
            if text:
                db.session.add(Answer(registration_id=r.id, question_id=note.id, value=text))
            people.append(r.id)
        db.session.commit()
        return {"slug": event.slug, "meal": meal.id, "note": note.id, "people": people}


def _names(client, url):
    doc = parse(client.get(url).get_data(as_text=True))
    return [
        a.text
        for a in doc.find_all("a")
        if "/registrants/" in (a.attrs.get("href") or "") and a.attrs["href"].endswith("/edit")
    ]


def test_the_registrants_list_filters_by_answer(client, login_as, answered):
    a = answered
    login_as(Role.ORGANIZER)
    base = f"/admin/events/{a['slug']}/registrants"

    assert _names(client, f"{base}?answer={a['meal']}:c2") == ["Bo Lee"]
    assert _names(client, f"{base}?answer={a['meal']}:*") == ["Ana Lee", "Bo Lee"]
    assert _names(client, f"{base}?answer={a['meal']}:-") == ["Cy Lee"]
    assert _names(client, f"{base}?answer_text=LATE") == ["Ana Lee"]
    assert _names(client, f"{base}?answer=99:c1%25") == ["Ana Lee", "Bo Lee", "Cy Lee"]  # ignored


def test_the_csv_has_one_column_per_question(client, login_as, answered):
    login_as(Role.ORGANIZER)

    response = client.get(f"/admin/events/{answered['slug']}/registrants.csv")

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["given_name"], r["Meal"], r["Note"]) for r in rows] == [
        ("Ana", "Red", "Arrives late"),
        ("Bo", "Green", ""),
        ("Cy", "", ""),
    ]


def test_organizers_edit_answers_on_the_registrant_page(app, client, login_as, answered):
    a = answered
    login_as(Role.ORGANIZER)
    url = f"/admin/events/{a['slug']}/registrants/{a['people'][0]}/edit"
    page = parse(client.get(url).get_data(as_text=True))
    assert "checked" in page.find("input", id=f"q_{a['meal']}-0").attrs

    wrong = client.post(
        url,
        data={
            "given_name": "Ana",
            "family_name": "Lee",
            "email": "ana@example.org",
            "category": "other",
            "locale": "en",
            f"q_{a['meal']}": "c7",
        },
    )
    saved = client.post(
        url,
        data={
            "given_name": "Ana",
            "family_name": "Lee",
            "email": "ana@example.org",
            "category": "other",
            "locale": "en",
            f"q_{a['meal']}": "c3",
        },
    )

    assert wrong.status_code == 400
    assert "Please choose among the answers listed." in wrong.get_data(as_text=True)
    assert saved.status_code == 302
    with app.app_context():
        answers = {
            x.question_id: x.value
            for x in db.session.scalars(
                db.select(Answer).where(Answer.registration_id == a["people"][0])
            )
        }
    assert answers == {a["meal"]: "c3"}  # the note left empty is removed
