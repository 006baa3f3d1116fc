"""Answers on the registrant's own page, /me/<token> (#17)."""

from __future__ import annotations

import json

from eventapp.models import Answer, QuestionKind, db
from eventapp.services.questions.answers import add_answers, check_answer
from tests.factories import make_event, make_registration
from tests.questions.support import add
from tests.web.test_public import parse

K = QuestionKind


def _world(app):
    with app.app_context():
        event = make_event()
        lunch = add(event, K.YES_NO, "Lunch?", label_ko="점심?")
        card = add(event, K.SHORT_TEXT, "Press card", categories={"press"}, is_required=True)
        arrival = add(event, K.DATE, "Arrival")
        registration = make_registration(event, category="press")
        add_answers(registration, [check_answer(lunch, "yes"), check_answer(card, "PC-1")])
        db.session.commit()
        return registration.manage_token, registration.id, lunch.id, card.id, arrival.id


def _stored(app, registration_id):
    with app.app_context():
        found = db.session.scalars(
            db.select(Answer).where(Answer.registration_id == registration_id)
        )
        return {a.question_id: a.value for a in found}


def _details(**overrides):
    return {"given_name": "Minji", "family_name": "Kim", "country": "KR", **overrides}


def test_the_manage_page_lists_the_answers_in_the_interface_language(app, client):
    token, _rid, *_ = _world(app)

    client.set_cookie("lang", "ko")

    doc = parse(client.get(f"/me/{token}").get_data(as_text=True))

    answers = doc.find("dl", cls="answers")
    assert [n.text for n in answers.find_all("dt")] == ["점심?", "Press card", "Arrival"]
    assert [n.text for n in answers.find_all("dd")] == ["예", "PC-1", "—"]


def test_the_registrant_edits_their_answers(app, client):
    token, rid, lunch, card, arrival = _world(app)
    form = parse(client.get(f"/me/{token}/details").get_data(as_text=True))
    assert "checked" in form.find("input", id=f"q_{lunch}-0").attrs
    assert form.find("input", id=f"q_{card}").attrs["value"] == "PC-1"

    wrong = client.post(
        f"/me/{token}/details",
        data=_details(
            category="press",
            **{f"q_{lunch}": "no", f"q_{card}": "PC-2", f"q_{arrival}": "tomorrow"},
        ),
    )
    saved = client.post(
        f"/me/{token}/details",
        data=_details(
            category="press",
            **{f"q_{lunch}": "no", f"q_{card}": "PC-2", f"q_{arrival}": "2023-11-07"},
        ),
    )

    assert wrong.status_code == 400
    wrong_doc = parse(wrong.get_data(as_text=True))
    assert wrong_doc.find("input", id=f"q_{arrival}").attrs["value"] == "tomorrow"
    assert wrong_doc.find(id=f"q_{arrival}-error").text.startswith(
        "Please enter a date as YYYY-MM-DD"
    )
    assert saved.status_code == 302
    assert _stored(app, rid) == {lunch: "no", card: "PC-2", arrival: "2023-11-07"}


def test_leaving_the_press_drops_the_press_answer(app, client):
    token, rid, lunch, card, _arrival = _world(app)

    response = client.post(
        f"/me/{token}/details",
        data=_details(category="industry", **{f"q_{lunch}": "yes", f"q_{card}": "PC-1"}),
    )

    assert response.status_code == 302
    assert _stored(app, rid) == {lunch: "yes"}


def test_the_data_download_carries_the_answers(app, client):
    token, *_ = _world(app)

    data = json.loads(client.get(f"/me/{token}/data.json").get_data(as_text=True))

    assert data["answers"] == [
        {"question": "Lunch?", "answer": "yes"},
        {"question": "Press card", "answer": "PC-1"},
    ]
