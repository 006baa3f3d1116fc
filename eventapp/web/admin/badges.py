"""Organizers print badges: the batch PDF by category, one person's badge, a re-issue."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.builders.badge_pdf import Layout
from eventapp.models import Category, Registration, db
from eventapp.services.checkin import badges
from eventapp.web.access import safe_next
from eventapp.web.admin import bp, event_or_404
from eventapp.web.forms.badges import ReissueBadgeForm
from eventapp.web.lookups import acts_on_or_404
from eventapp.web.resources import badge_keys, badge_response


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


@bp.get("/events/<slug>/badges")
def badges_page(slug: str) -> Any:
    """Choose categories and paper for the batch PDF (a GET form: it changes nothing)."""
    event = event_or_404(slug)
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
        "admin/badges.html", event=event, categories=categories, total=sum(counts.values())
    )


@bp.get("/events/<slug>/badges.pdf")
def badges_pdf(slug: str) -> Any:
    """All confirmed attendees' badges; `?category=press&category=…` and `?layout=a4`."""
    event = event_or_404(slug)
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


@bp.get("/registrations/<int:registration_id>/badge.pdf")
def registrant_badge(registration_id: int) -> Any:
    """One person's badge, to print it again (the current one: it checks in)."""
    registration = db.get_or_404(Registration, registration_id)
    acts_on_or_404(registration.event_id)
    return badge_response(registration, "pdf")


@bp.route("/registrations/<int:registration_id>/badge/reissue", methods=["GET", "POST"])
def badge_reissue(registration_id: int) -> Any:
    """Revoke a lost or misprinted badge, once confirmed: its QR code stops working, the new
    one works, and the person is emailed the new badge."""
    registration = db.get_or_404(Registration, registration_id)
    acts_on_or_404(registration.event_id)
    form = ReissueBadgeForm()
    back = safe_next(form.next.data or request.args.get("next")) or url_for(
        ".badges_page", slug=registration.event.slug
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
