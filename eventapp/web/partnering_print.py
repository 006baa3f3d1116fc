"""A participant's printable meeting schedule (#20), by the self-service link:
`GET /me/<token>/partnering/schedule.pdf` (routes on the partnering blueprint)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort

from eventapp.services.partnering import printout, profiles
from eventapp.web.lookups import registration_or_404
from eventapp.web.partnering import bp


@bp.get("/me/<token>/partnering/schedule.pdf")
def schedule_pdf(token: str) -> Any:
    registration = registration_or_404(token)
    participant = profiles.participant_for(registration)
    if participant is None or participant.withdrawn:
        abort(404)
    response = Response(printout.schedule_pdf(participant), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="meetings.pdf"'
    return response
