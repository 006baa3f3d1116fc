"""The scanner page is installable and kept by a same-origin service worker (#19)."""

import json
import re

import pytest

from eventapp.models import Role
from eventapp.web import CONTENT_SECURITY_POLICY
from eventapp.web.checkin_offline import OFFLINE_ASSETS
from tests.factories import make_event


def _page(app, client, login_as):
    with app.app_context():
        make_event(slug="forum", title="Forum")
    login_as(Role.CHECKIN)
    return client.get("/checkin?event=forum").get_data(as_text=True)


def test_page_links_the_manifest_and_names_the_worker(app, client, login_as):
    html = _page(app, client, login_as)

    assert '<link rel="manifest" href="/checkin/manifest.webmanifest">' in html
    assert 'data-worker="/checkin/sw.js"' in html
    assert 'data-scope="/checkin"' in html


def test_manifest_makes_the_scanner_installable(client):
    response = client.get("/checkin/manifest.webmanifest")

    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    data = json.loads(response.get_data(as_text=True))
    assert data["start_url"] == "/checkin"
    assert data["scope"] == "/checkin"
    assert data["display"] == "standalone"
    assert data["name"] == "Check-in"
    assert data["icons"][0]["src"].startswith("/static/")


def test_manifest_is_in_korean_for_korean_staff(client):
    response = client.get("/checkin/manifest.webmanifest", headers={"Accept-Language": "ko"})

    assert json.loads(response.get_data(as_text=True))["name"] != "Check-in"


def test_worker_is_same_origin_javascript_scoped_to_the_page(client):
    response = client.get("/checkin/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/checkin"
    # The CSP allows it: workers and manifests fall back to default-src 'self'.
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "worker-src" not in CONTENT_SECURITY_POLICY
    body = response.get_data(as_text=True)
    config = json.loads(re.match(r"self\.OFFLINE = (.*);\n", body).group(1))
    assert config["page"] == "/checkin"
    assert config["assets"] == [f"/static/{name}" for name in OFFLINE_ASSETS]
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])


def test_every_kept_asset_is_served_from_static(client):
    for name in OFFLINE_ASSETS:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        response.close()


def _data_attribute(html, name):
    raw = re.search(rf"data-{name}='([^']*)'", html).group(1)
    return json.loads(raw.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_scanner_words_cover_every_result_reason_and_status(app, client, login_as, language):
    from eventapp.models import RegistrationStatus, ScanResult
    from eventapp.services.checkin import SESSION_REFUSALS
    from eventapp.services.checkin.rules import STEPS, rule_table

    with app.app_context():
        make_event(slug="forum", title="Forum")
    login_as(Role.CHECKIN)
    client.get(f"/lang/{language}")
    html = client.get("/checkin?event=forum").get_data(as_text=True)

    words = _data_attribute(html, "messages")
    rules = _data_attribute(html, "rules")

    needed = {r.value for r in ScanResult} | set(SESSION_REFUSALS) | {"revoked", "first_at"}
    needed |= {f"status_{s.value}" for s in RegistrationStatus if s.value != "confirmed"}
    assert needed <= set(words)
    assert all(words[key].strip() for key in needed)
    assert rules["steps"] == rule_table()["steps"]
    assert [step[0] for step in rules["steps"]] == [fact for fact, _, _ in STEPS]
    assert (rules["hangul"]["jamo"]["ㄲ"], rules["hangul"]["jamo"]["ㅘ"]) == ("R", "HK")
