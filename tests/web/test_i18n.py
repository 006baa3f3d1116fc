"""The bilingual interface: language choice, Korean pages, and a complete Korean catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.cldr import country, full_date, zone_name
from tests.web.test_public import page, parse, seed

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "eventapp/translations/ko/LC_MESSAGES/messages.po"
COMPILED = CATALOG.with_suffix(".mo")

#: The interface strings this catalog must cover (templates and modules of the public pages,
#: the shared layout and error pages, and the staff login).
OWNED_SOURCES = [
    *sorted((ROOT / "templates/public").glob("*.html")),
    *sorted((ROOT / "templates/errors").glob("*.html")),
    ROOT / "templates/_macros/public.html",
    ROOT / "templates/base.html",
    ROOT / "templates/auth/login.html",
    ROOT / "eventapp/web/templating.py",
    ROOT / "eventapp/web/auth.py",
    ROOT / "eventapp/web/forms/auth.py",
]


# --- Choosing the language ----------------------------------------------------------------


def test_accept_language_ko_without_cookie_picks_korean(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/agenda", headers={"Accept-Language": "ko-KR,ko;q=0.9"})

    assert doc.find("html").attrs["lang"] == "ko"
    assert doc.find("h1").text == "프로그램"


def test_english_is_the_default_without_cookie_or_accept_language(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/agenda")

    assert doc.find("html").attrs["lang"] == "en"
    assert doc.find("h1").text == "Agenda"


def test_cookie_from_the_switch_wins_over_accept_language(app, client):
    ids = seed(app)
    client.get("/lang/en?next=/")

    doc = page(client, f"/e/{ids['slug']}/agenda", headers={"Accept-Language": "ko"})

    assert doc.find("h1").text == "Agenda"


def test_switch_sets_a_long_lived_cookie_and_returns_to_the_local_page(client):
    response = client.get("/lang/ko?next=/e/some-event/agenda?x=1")

    assert response.status_code in {302, 303}
    assert response.headers["Location"] == "/e/some-event/agenda?x=1"
    cookie = client.get_cookie("lang")
    assert cookie.value == "ko"
    assert cookie.http_only
    assert cookie.expires is not None


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "evil"]
)
def test_switch_never_redirects_off_site(client, target):
    response = client.get("/lang/ko", query_string={"next": target})

    assert response.headers["Location"] == "/"


def test_switch_to_an_unknown_language_falls_back_to_english(client):
    client.get("/lang/xx")

    assert client.get_cookie("lang").value == "en"


def test_header_switch_links_point_back_to_the_current_page(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/speakers")

    links = doc.find("nav", cls="lang-switch").find_all("a")
    assert [(a.text, a.attrs["lang"]) for a in links] == [("English", "en"), ("한국어", "ko")]
    assert links[1].attrs["href"] == f"/lang/ko?next=/e/{ids['slug']}/speakers"


# --- Korean pages -------------------------------------------------------------------------


def test_agenda_in_korean_shows_korean_titles_names_and_interface_words(app, client):
    ids = seed(app)
    client.set_cookie("lang", "ko")

    doc = page(client, f"/e/{ids['slug']}/agenda")

    assert doc.find("p", cls="zone-note").text == (
        f"모든 시간은 {zone_name('ko')} (Asia/Seoul, UTC+09:00) 기준입니다"
    )
    assert doc.find("h2").text == full_date("ko")
    titles = [slot.find("h3").text for slot in doc.find_all("li", cls="slot")]
    assert titles == [
        "개회사",
        "공급망 회복력을 위한 파트너십",
        "정책 발표: 우주항공청",
        "네트워킹 리셉션",
    ]
    panel = doc.find_all("li", cls="slot")[1]
    assert [li.text for li in panel.find("ul", cls="people").find_all("li")] == [
        "마이클 C. 모건 (좌장)",
        "이종호 (패널)",
    ]
    assert panel.find("li", cls="kind").text == "패널 토론"
    assert doc.find("strong", cls="status--cancelled").text == "취소됨"
    assert doc.find("nav", cls="breadcrumb").find("a", href=f"/e/{ids['slug']}/").text == (
        "한미 우주산업 심포지엄"
    )


def test_english_content_in_the_korean_interface_is_marked_lang_en(app, client):
    ids = seed(app)
    client.set_cookie("lang", "ko")

    doc = page(client, f"/e/{ids['slug']}/speakers/{ids['parikh']}")

    # Parikh has a Hangul name but no Korean position: the English one is marked.
    assert doc.find("h1").text == "치라그 파리크"
    alt = doc.find("p", cls="alt-title")
    assert (alt.text, alt.attrs["lang"]) == ("Chirag Parikh", "en")
    position = doc.find("dd", lang="en")
    assert position.text == "Executive Secretary, U.S. National Space Council"


def test_speaker_page_in_korean_names_the_country_in_korean(app, client):
    ids = seed(app)
    client.set_cookie("lang", "ko")

    doc = page(client, f"/e/{ids['slug']}/speakers/{ids['lee']}")

    facts = {d.find("dt").text: d.find("dd").text for d in doc.find("dl").find_all("div")}
    assert facts == {
        "직위": "과학기술정보통신부 장관",
        "소속": "과학기술정보통신부",
        "국가": country("KR", "ko"),
    }
    assert doc.find("h2", id="bio-heading").text == "약력"


def test_event_page_in_korean_names_hosts_and_zone(app, client):
    ids = seed(app)
    client.set_cookie("lang", "ko")

    doc = page(client, f"/e/{ids['slug']}/")

    assert doc.find("h1").text == "한미 우주산업 심포지엄"
    assert doc.find("p", cls="alt-title").attrs["lang"] == "en"
    facts = {d.find("dt").text: d.find("dd").text for d in doc.find("dl").find_all("div")}
    assert facts["주최"] == "과학기술정보통신부"
    assert facts["공동 주관"] == "미국 상무부"
    assert facts["시간"] == f"09:00 \N{EN DASH} 18:00 {zone_name('ko')} (Asia/Seoul, UTC+09:00)"


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("ko", "페이지를 찾을 수 없습니다")]
)
def test_404_page_in_both_languages(client, language, heading):
    client.set_cookie("lang", language)

    response = client.get("/e/nothing-here/")

    assert response.status_code == 404
    doc = parse(response.get_data(as_text=True))
    assert doc.find("html").attrs["lang"] == language
    assert doc.find("h1").text == heading


def test_login_page_in_korean(client):
    client.set_cookie("lang", "ko")

    doc = page(client, "/login")

    assert doc.find("h1").text == "운영진 로그인"
    assert [label.text for label in doc.find_all("label")] == [
        "이메일",
        "비밀번호",
        "이 기기에서 로그인 상태 유지",
    ]


# --- The catalog itself -------------------------------------------------------------------


def _catalog():
    with CATALOG.open("rb") as fh:
        return read_po(fh, locale="ko")


def test_every_interface_string_of_the_owned_sources_has_a_korean_translation():
    catalog = _catalog()
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    missing = []
    for path in OWNED_SOURCES:
        method = "python" if path.suffix == ".py" else "jinja2"
        for _lineno, message, _comments, _context in extract_from_file(
            method, str(path), keywords=keywords
        ):
            entry = catalog.get(message)
            if entry is None or not entry.string or entry.fuzzy:
                missing.append((path.name, message))

    assert missing == []


def test_compiled_catalog_matches_the_po_file():
    with COMPILED.open("rb") as fh:
        compiled = read_mo(fh)
    po = _catalog()

    def plain(value):  # a plural message's forms come as a tuple or a list
        return tuple(value) if isinstance(value, list | tuple) else value

    assert {plain(m.id): plain(m.string) for m in compiled if m.id} == {
        plain(m.id): plain(m.string) for m in po if m.id and not m.fuzzy
    }


def test_korean_translations_keep_their_placeholders():
    for message in _catalog():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if ids[0] and "%(" in ids[0]:
            assert message.python_format
            for translated in strings:  # Korean has one plural form for both English ones
                assert sorted(_placeholders(ids[0])) == sorted(_placeholders(translated))


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\((\w+)\)s", text)


def test_public_pages_vary_by_language_for_caches(app, client):
    ids = seed(app)

    response = client.get(f"/e/{ids['slug']}/agenda")

    assert {"Accept-Language", "Cookie"} <= set(response.vary)
