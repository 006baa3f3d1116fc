"""Badges: the attendee's own badge by the secret link, and the organizer's batch PDF."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.builders.badge_pdf import Layout, build_badge_pdf
from eventapp.builders.badge_png import build_badge_png
from eventapp.builders.badge_svg import build_badge_svg
from eventapp.errors import BadgeUnavailable
from eventapp.models import Category, Registration, Role, db
from eventapp.services.checkin import badges
from eventapp.web.access import role_required, safe_next
from eventapp.web.forms.badges import ReissueBadgeForm
from eventapp.web.lookups import acts_on_or_404, registration_or_404, staff_event_or_404
from eventapp.web.resources import badge_keys

bp = Blueprint("badges", __name__)

#: An SVG opened on its own is a document: let it use its own font rules and nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'"


def _private(response: Response, filename: str) -> Response:
    # A badge carries a person's name and a door pass: keep it out of shared caches.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _badge(token: str, kind: str) -> Any:
    return _badge_of(registration_or_404(token), kind)


def _badge_of(registration: Registration, kind: str) -> Any:
    try:
        data = badges.badge_data(registration, badge_keys())
    except BadgeUnavailable:
        page = render_template("badges/unavailable.html", registration=registration)
        return page, 404
    if kind == "png":
        return _private(Response(build_badge_png(data), mimetype="image/png"), "badge.png")
    if kind == "svg":
        svg = build_badge_svg(
            data,
            font_url=url_for("static", filename="fonts/NanumSquareR.ttf"),
            bold_font_url=url_for("static", filename="fonts/NanumSquareB.ttf"),
            code_font_url=url_for("static", filename="fonts/DejaVuSansMono.ttf"),
        )
        response = _private(Response(svg, mimetype="image/svg+xml"), "badge.svg")
        response.headers["Content-Security-Policy"] = SVG_POLICY
        return response
    return _private(Response(build_badge_pdf(data), mimetype="application/pdf"), "badge.pdf")


@bp.get("/me/<token>/badge.png")
def badge_png(token: str) -> Any:
    return _badge(token, "png")


@bp.get("/me/<token>/badge.svg")
def badge_svg(token: str) -> Any:
    return _badge(token, "svg")


@bp.get("/me/<token>/badge.pdf")
def badge_pdf(token: str) -> Any:
    return _badge(token, "pdf")


def _categories(values: list[str]) -> list[Category]:
    try:
        return [Category(value) for value in values if value]
    except ValueError:
        abort(400)


def _since(value: str, zone: str) -> datetime | None:
    """`?since=2023-11-07T18:00` (the event's local time, as the page's field sends it)."""
    if not value.strip():
        return None
    try:
        local = datetime.fromisoformat(value.strip())
    except ValueError:
        abort(400)
    if local.tzinfo is not None:
        abort(400)
    return local.replace(tzinfo=ZoneInfo(zone))


@bp.get("/admin/events/<slug>/badges")
@role_required(Role.ORGANIZER)
def batch_page(slug: str) -> Any:
    """Choose categories and paper for the batch PDF (a GET form: it changes nothing)."""
    event = staff_event_or_404(slug)
    counts = badges.confirmed_by_category(event)
    labels = {
        Category.GOVERNMENT: _("Government"),
        Category.INDUSTRY: _("Industry"),
        Category.ACADEMIA: _("Academia"),
        Category.PRESS: _("Press"),
        Category.SPEAKER: _("Speaker"),
        Category.STAFF: _("Staff"),
        Category.OTHER: _("Participant"),
    }
    categories = [(c.value, labels[c], counts.get(c, 0)) for c in Category]
    return render_template(
        "badges/batch.html", event=event, categories=categories, total=sum(counts.values())
    )


@bp.get("/admin/events/<slug>/badges.pdf")
@role_required(Role.ORGANIZER)
def batch(slug: str) -> Any:
    """All confirmed attendees' badges; `?category=press&category=…` and `?layout=a4`."""
    event = staff_event_or_404(slug)
    layouts: dict[str, Layout] = {"a6": "a6", "a4": "a4"}
    layout = layouts.get(request.args.get("layout", "a6"))
    if layout is None:
        abort(400)
    categories = _categories(request.args.getlist("category"))
    since = _since(request.args.get("since", ""), event.timezone)
    count, pdf = badges.batch_pdf(
        event, badge_keys(), categories=categories, confirmed_since=since, layout=layout
    )
    response = Response(pdf, mimetype="application/pdf")
    response.headers["X-Badge-Count"] = str(count)  # the page's "done" line says how many
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = f'attachment; filename="badges-{event.slug}.pdf"'
    return response


@bp.get("/admin/registrations/<int:registration_id>/badge.pdf")
@role_required(Role.ORGANIZER)
def registrant_badge(registration_id: int) -> Any:
    """One person's badge, to print it again (the current one: it checks in)."""
    registration = db.get_or_404(Registration, registration_id)
    acts_on_or_404(registration.event_id)
    return _badge_of(registration, "pdf")


@bp.route("/admin/registrations/<int:registration_id>/badge/reissue", methods=["GET", "POST"])
@role_required(Role.ORGANIZER)
def reissue(registration_id: int) -> Any:
    """Revoke a lost or misprinted badge, once confirmed: its QR code stops working, the new
    one works, and the person is emailed the new badge."""
    registration = db.get_or_404(Registration, registration_id)
    acts_on_or_404(registration.event_id)
    form = ReissueBadgeForm()
    back = safe_next(form.next.data or request.args.get("next")) or url_for(
        "badges.batch_page", slug=registration.event.slug
    )
    if form.validate_on_submit():
        badges.reissue_badge(registration, by=current_user._get_current_object())
        flash(
            _(
                "Badge re-issued: the old printed badge no longer checks in. "
                "%(name)s is emailed the new one; print it with “Print the badge”.",
                name=registration.name,
            ),
            "success",
        )
        return redirect(back)
    if request.method == "POST":
        abort(400)
    form.next.data = back
    return render_template(
        "admin/confirm.html",
        form=form,
        event=registration.event,
        heading=_("Re-issue this badge?"),
        subject=f"{registration.name} <{registration.email}>",
        consequence=_(
            "The printed badge stops working at the door at once. The person is emailed "
            "the new badge; you can print it from their page."
        ),
        button=_("Re-issue the badge"),
        back=back,
    )
