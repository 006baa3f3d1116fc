"""The comparable baseline of `bench_register` (#17): not part of the product.

A plain Flask-WTF view with the registration form's fields and CSRF: it validates the
form, then inserts the registration and one outbox row through the ORM (the product's
models, Flask-SQLAlchemy) in one transaction, and redirects. No lock, seat count,
waiting list, invitation, rendered email, iCalendar part or rate limiter: what a
registration costs without the guarantees the product gives. Served by the same
gunicorn settings as the product (`bench.bare_form:app`), against the bench database
from BENCH_FORM_DATABASE_URL.
"""

from __future__ import annotations

import os
import secrets
import uuid
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import Flask, redirect, render_template_string
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import make_url
from wtforms import BooleanField, EmailField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from eventapp.countries import country_codes
from eventapp.models import Category, Event, OutboxMessage, Registration, db, utcnow
from eventapp.models import RegistrationStatus as Status

_PAGE = """<!doctype html><title>Register</title>
<form method="post">{{ form.hidden_tag() }}
{% for f in form if f.name != "csrf_token" %}{{ f.label() }} {{ f() }}{% endfor %}
<button>Register</button></form>"""


def _email(form: FlaskForm, field: Field) -> None:
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError("Please enter a valid email address.") from error


def _country(form: FlaskForm, field: Field) -> None:
    if field.data and field.data not in country_codes():
        raise ValidationError("Please choose a country from the list.")


def _text(label: str, limit: int, *, required: bool = False) -> StringField:
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=limit)])


class PlainRegistrationForm(FlaskForm):
    """The product form's fields and lengths (`web/forms/registration.py`), plainly."""

    given_name = _text("Given name", 100, required=True)
    family_name = _text("Family name", 100)
    name_alt = _text("Your name in another script", 200)
    email = EmailField("Email", validators=[InputRequired(), Length(max=254), _email])
    organization_name = _text("Organization", 200)
    job_title = _text("Job title", 200)
    country = StringField("Country", validators=[Optional(), _country])
    category = SelectField(
        "I attend as", choices=[c.value for c in Category], default=Category.OTHER.value
    )
    dietary_needs = TextAreaField("Dietary needs", validators=[Optional(), Length(max=1000)])
    accessibility_needs = TextAreaField(
        "Accessibility needs", validators=[Optional(), Length(max=1000)]
    )
    consent = BooleanField("I agree", validators=[DataRequired()])


def create_app(url: str) -> Flask:
    if "bench" not in (make_url(url).database or ""):
        raise ValueError(f"refusing database {make_url(url).database!r}: not a bench database")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="bench-only-not-a-secret",  # noqa: S106 (bench-only app, as the harness)
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    db.init_app(app)
    CSRFProtect(app)

    @app.get("/")
    def hello() -> str:  # the harness's readiness probe
        return "Hello, bench."

    @app.route("/e/<slug>/register", methods=["GET", "POST"])
    def register(slug: str) -> Any:
        event_id = db.session.scalar(db.select(Event.id).where(Event.slug == slug))
        if event_id is None:
            return "no such event", 404
        form = PlainRegistrationForm()
        if not form.validate_on_submit():
            return render_template_string(_PAGE, form=form), 400 if form.errors else 200
        now = utcnow()
        registration = Registration(
            event_id=event_id,
            email=form.email.data.lower(),
            given_name=form.given_name.data,
            family_name=form.family_name.data or "",
            name_alt=form.name_alt.data or None,
            organization_name=form.organization_name.data or None,
            job_title=form.job_title.data or None,
            country=form.country.data or None,
            category=Category(form.category.data),
            status=Status.CONFIRMED,
            manage_token=secrets.token_urlsafe(32),
            consented_at=now,
            created_at=now,
            confirmed_at=now,
        )
        db.session.add(registration)
        db.session.add(
            OutboxMessage(
                kind="confirmation",
                registration=registration,
                to_address=registration.email,
                subject="Registration confirmed",
                message_id=f"<{uuid.uuid4().hex}@bench.invalid>",
                raw=f"To: {registration.email}\r\nSubject: Registration confirmed\r\n\r\nHello.",
                created_at=now,
                next_attempt_at=now,
            )
        )
        db.session.commit()
        return redirect(f"/e/{slug}/register/done")

    return app


_URL = os.environ.get("BENCH_FORM_DATABASE_URL")
app = create_app(_URL) if _URL else None
