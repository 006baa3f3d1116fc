"""The public outcomes page of an event, `GET /e/<slug>/outcomes` (published only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from eventapp.builders.briefing.data import Block, blocks
from eventapp.services.outcomes import queries, recording
from eventapp.web.lookups import published_event_or_404

bp = Blueprint("summary", __name__)


@bp.app_template_global()
def key_point_blocks(text: str) -> list[Block]:
    """Plain-text key points as paragraphs and lists, for the outcomes templates."""
    return blocks(text or "")


@bp.get("/e/<slug>/outcomes")
def outcomes(slug: str) -> Any:
    event = published_event_or_404(slug)
    found = queries.published_outcomes(event)
    if not found:
        abort(404)  # nothing published yet: the page does not exist
    return render_template(
        "outcomes/public.html",
        event=event,
        outcomes=found,
        tag_labels=recording.partnering_tags(event.id),
    )
