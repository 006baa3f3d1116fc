"""Security headers on every kind of response, and error pages (HTML and JSON)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.test_public import seed

ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("path", ["/", "/e/{slug}/", "/e/{slug}/agenda", "/e/missing/", "/login"])
def test_pages_carry_csp_nosniff_and_frame_options(app, client, path):
    ids = seed(app)

    response = client.get(path.format(**ids))

    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_static_files_carry_the_headers_too(client):
    response = client.get("/static/css/public.css")

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "text/css"
    response.close()


def test_api_404_is_json(client):
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == "not_found"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_html_404_is_a_page(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


def test_templates_have_no_inline_script_or_style_and_no_external_urls():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle\s*=", source) or re.search(r"<style[\s>]", source):
            offenders.append((path.name, "inline style"))
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", source):
            offenders.append((path.name, "inline script"))
        if re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", source):
            offenders.append((path.name, "external URL"))

    assert offenders == []


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/events/{slug}/registrants", "/checkin", "/checkin/{slug}/counts"]
)
def test_staff_pages_are_never_stored_by_browsers_or_proxies(app, client, login_as, path):
    from eventapp.models import Role

    ids = seed(app)
    login_as(Role.ADMIN)

    response = client.get(path.format(**ids))

    assert (response.status_code, response.mimetype) == (200, "text/html")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_login_page_is_never_stored(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_public_pages_may_be_stored(app, client):
    ids = seed(app)

    response = client.get(f"/e/{ids['slug']}/agenda")

    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path", ["/e/{slug}/agenda.ics", "/e/{slug}/schedule.xml", "/e/{slug}/schedule.json"]
)
def test_feeds_and_exports_are_revalidated_before_each_use(app, client, path):
    ids = seed(app)

    response = client.get(path.format(**ids))

    assert response.status_code == 200
    assert response.cache_control.no_cache is True
    assert response.cache_control.public is True
    assert response.cache_control.max_age is None
    assert response.get_etag()[0]
    again = client.get(path.format(**ids), headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
