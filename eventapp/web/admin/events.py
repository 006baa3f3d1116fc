"""Events: the list, create, edit, delete (with confirmation), and the per-event dashboard."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.errors import DomainError
from eventapp.models import db
from eventapp.services.accounts import teams
from eventapp.services.reports import stats
from eventapp.services.setup import events
from eventapp.web.admin import actor, bp, event_or_404
from eventapp.web.feedback import show_error
from eventapp.web.forms.admin import ConfirmForm, EventForm


@bp.get("/")
def index() -> Any:
    statement = events.events_statement().where(teams.event_clause(actor()))
    found = db.session.scalars(statement).all()
    no_team = not found and not teams.sees_every_event(actor())
    return render_template("admin/index.html", events=found, no_team=no_team)


@bp.route("/events/new", methods=["GET", "POST"])
def event_new() -> Any:
    form = EventForm(events.venues())
    if form.validate_on_submit():
        try:
            event = events.create_event(form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Event created."), "success")
            return redirect(url_for("admin.event_dashboard", slug=event.slug))
    return _form_page(form, _("New event"), None)


@bp.get("/events/<slug>/")
def event_dashboard(slug: str) -> Any:
    event = event_or_404(slug)
    board = stats.dashboard(event)
    bars = stats.chart_bars(board.days)
    from eventapp.services.partnering.held import pair_counts

    pairs = pair_counts(event)
    return render_template(
        "admin/dashboard.html",
        event=event,
        board=board,
        bars=bars,
        pairs=pairs,
        pair_bars=pair_bars(pairs),
    )


#: The four bars of a country pair, in the order the legend names them.
PAIR_MEASURES = ("requested", "accepted", "placed", "held")


def pair_bars(pairs: list[Any]) -> list[dict[str, Any]]:
    """Bars of the country-pair chart in the dashboard's SVG units (640 by 220)."""
    if not pairs:
        return []
    peak = max(max(getattr(p, m) for m in PAIR_MEASURES) for p in pairs) or 1
    group = 640 / len(pairs)
    width = min(28.0, group / 5)
    bars = []
    for i, pair in enumerate(pairs):
        for j, measure in enumerate(PAIR_MEASURES):
            count = getattr(pair, measure)
            height = round(170 * count / peak, 1)
            x = round(i * group + (group - 4 * width) / 2 + j * width, 1)
            bars.append(
                {
                    "pair": pair.pair,
                    "measure": measure,
                    "count": count,
                    "x": x,
                    "y": round(200 - height, 1),
                    "width": round(width - 2, 1),
                    "height": height,
                    "label_x": round(i * group + group / 2, 1),
                    "first": j == 0,
                }
            )
    return bars


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
def event_edit(slug: str) -> Any:
    event = event_or_404(slug)
    form = EventForm(events.venues())
    if form.validate_on_submit():
        try:
            events.update_event(event, form.to_data(), by=actor())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Event saved."), "success")
            return redirect(url_for("admin.event_dashboard", slug=event.slug))
    elif not form.is_submitted():
        form.load(event)
    return _form_page(form, _("Edit event"), event)


@bp.route("/events/<slug>/delete", methods=["GET", "POST"])
def event_delete(slug: str) -> Any:
    event = event_or_404(slug)
    form = ConfirmForm()
    if form.validate_on_submit():
        events.delete_event(event, by=actor())
        flash(_("Event deleted."), "success")
        return redirect(url_for("admin.index"))
    footprint = events.event_footprint(event)
    consequence = _(
        "This deletes %(sessions)d sessions and %(registrations)d registrations with it.",
        sessions=footprint.sessions,
        registrations=footprint.registrations,
    )
    return render_template(
        "admin/confirm.html",
        form=form,
        event=event,
        heading=_("Delete this event?"),
        subject=event.title,
        consequence=consequence,
        button=_("Delete event"),
        back=url_for("admin.event_dashboard", slug=event.slug),
    )


def _form_page(form: EventForm, heading: str, event: Any) -> Any:
    status = 400 if form.errors else 200
    return render_template(
        "admin/form.html",
        form=form,
        heading=heading,
        event=event,
        zone_hint=_("Times are in the time zone chosen below."),
        back=url_for("admin.event_dashboard", slug=event.slug) if event else url_for("admin.index"),
    ), status
