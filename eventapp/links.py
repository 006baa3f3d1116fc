"""Absolute links to the app's pages, under `PUBLIC_URL`: the address people and calendar
apps reach the site at, whatever host a request (or a command, or a worker) came in on.

Built from the URL map, so a link is right for as long as its route is; no request needed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of `endpoint` with `values` (None values are left out)."""
    values = {name: value for name, value in values.items() if value is not None}
    return _adapter().build(endpoint, values, force_external=True)


def _adapter() -> MapAdapter:
    # Bound once per app and PUBLIC_URL: a feed of 1,000 sessions builds 1,000 links.
    base = current_app.config["PUBLIC_URL"]
    cached = current_app.extensions.get("public_url")
    if cached is None or cached[0] != base:
        parts = urlsplit(base)
        adapter = current_app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
        )
        cached = current_app.extensions["public_url"] = (base, adapter)
    return cached[1]
