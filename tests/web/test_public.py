"""Public pages: events, event, agenda, session, speakers, speaker (status, content, zone, 404s)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event

from eventapp.models import Event, Speaker, db
from tests.cldr import country, full_date, zone_name
from tests.factories import (
    link_speaker,
    make_event,
    make_session,
    make_speaker,
    make_symposium,
    make_track,
)

# --- A small DOM built with the standard library's HTML parser --------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in (node.attrs.get("class") or "").split():
                continue
            if any(node.attrs.get(name.rstrip("_")) != value for name, value in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):  # <rect .../> inside SVG
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """Parse a page, asserting it is well formed: every element closed, ids unique."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.errors == []
    assert [n.tag for n in builder.stack] == ["#document"], "unclosed elements"
    ids = Counter(n.attrs["id"] for n in builder.root.iter() if n.attrs.get("id"))
    assert [i for i, count in ids.items() if count > 1] == []
    return builder.root


def page(client, url: str, **kwargs) -> Node:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response.get_data(as_text=True))


def seed(app) -> dict:
    """The symposium's ids and slug, as plain values usable outside the app context."""
    with app.app_context():
        objects = make_symposium()
        return {name: obj.id for name, obj in objects.items()} | {"slug": objects["event"].slug}


# --- Events list --------------------------------------------------------------------------


def test_index_lists_published_events_with_local_date_summary_and_hosts(app, client):
    ids = seed(app)
    with app.app_context():
        make_event(title="Unpublished Forum", is_published=False)

    doc = page(client, "/")

    card = doc.find("li", cls="event-card")
    assert card.find("a").attrs["href"] == f"/e/{ids['slug']}/"
    assert card.find("h2").text == "ROK-U.S. Space Industry Symposium"
    assert card.find("time").text == full_date("en")
    assert "Space companies of both countries discuss partnerships." in card.text
    hosts = card.find("p", cls="event-card__hosts")
    assert hosts.text.startswith("Hosted by")
    assert [span.text for span in hosts.find_all("span")] == [
        "ROK Ministry of Science and ICT",
        "U.S. Department of Commerce",
    ]
    assert "Unpublished Forum" not in doc.text


def test_index_date_is_in_the_events_zone_not_utc(app, client):
    with app.app_context():
        # 15:30 UTC on 7 November is 00:30 on 8 November in Seoul.
        make_event(starts_at=datetime(2023, 11, 7, 15, 30, tzinfo=UTC))

    doc = page(client, "/")

    assert doc.find("time").text == full_date("en")
    assert doc.find("time").attrs["datetime"] == "2023-11-08T00:30+09:00"


# --- Event page ---------------------------------------------------------------------------


def test_event_page_shows_titles_times_zone_venue_hosts_and_links(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/")

    assert doc.find("h1").text == "ROK-U.S. Space Industry Symposium"
    alt = doc.find("p", cls="alt-title")
    assert (alt.text, alt.attrs["lang"]) == ("한미 우주산업 심포지엄", "ko")
    facts = {
        div.find("dt").text: div.find("dd").text
        for div in doc.find("dl", cls="facts").find_all("div")
    }
    assert facts["Date"] == full_date("en")
    assert facts["Time"] == f"09:00 \N{EN DASH} 18:00 {zone_name('en')} (Asia/Seoul, UTC+09:00)"
    assert facts["Venue"].startswith("Lotte Hotel Seoul")
    assert facts["Host"] == "ROK Ministry of Science and ICT"
    assert facts["Co-organizer"] == "U.S. Department of Commerce"
    hrefs = {a.attrs["href"] for a in doc.find("section", cls="event-actions").find_all("a")}
    slug = ids["slug"]
    assert hrefs == {f"/e/{slug}/register", f"/e/{slug}/agenda", f"/e/{slug}/speakers"}


@pytest.mark.parametrize(
    "path", ["/", "/agenda", "/speakers", "/sessions/{opening}", "/speakers/{lee}"]
)
def test_unpublished_event_pages_are_404(app, client, path):
    ids = seed(app)
    with app.app_context():
        hidden = make_event(slug="hidden-event", is_published=False)
        link_speaker(make_session(hidden), db.session.get(Speaker, ids["lee"]))

    response = client.get("/e/hidden-event" + path.format(**ids))

    assert response.status_code == 404


def test_unknown_event_is_404_page(client):
    response = client.get("/e/no-such-event/")

    assert response.status_code == 404
    assert parse(response.get_data(as_text=True)).find("h1").text == "Page not found"


# --- Agenda -------------------------------------------------------------------------------


def _slots(doc: Node) -> dict[str, Node]:
    return {slot.find("h3").text: slot for slot in doc.find_all("li", cls="slot")}


def test_agenda_names_the_zone_and_shows_seoul_clock_times(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/agenda")

    assert doc.find("p", cls="zone-note").text == (
        f"All times {zone_name('en')} (Asia/Seoul, UTC+09:00)"
    )
    opening = _slots(doc)["Opening remarks"]
    start, end = opening.find_all("time")
    assert (start.text, start.attrs["datetime"]) == ("09:00", "2023-11-08T09:00+09:00")
    assert (end.text, end.attrs["datetime"]) == ("09:30", "2023-11-08T09:30+09:00")


def test_agenda_keeps_a_session_crossing_midnight_on_its_start_day(app, client):
    ids = seed(app)
    with app.app_context():
        make_session(
            db.session.get(Event, ids["event"]),
            title="Second day breakfast",
            starts_at=datetime(2023, 11, 9, 0, 0, tzinfo=UTC),  # 09:00 on 9 November
        )

    doc = page(client, f"/e/{ids['slug']}/agenda")

    days = {
        day.find("h2").find("time").attrs["datetime"]: [
            s.find("h3").text for s in day.find_all("li", cls="slot")
        ]
        for day in doc.find_all("section", cls="agenda-day")
    }
    assert days == {
        "2023-11-08": [
            "Opening remarks",
            "Partnerships for Supply Chain Resilience",
            "Policy briefing: KASA",
            "Networking reception",
        ],
        "2023-11-09": ["Second day breakfast"],
    }
    day_links = [a.attrs["href"] for a in doc.find("nav", cls="day-nav").find_all("a")]
    assert day_links == ["#day-1", "#day-2"]
    reception = _slots(doc)["Networking reception"]
    assert [t.text for t in reception.find_all("time")] == ["23:30", "00:30"]
    assert reception.find("span", cls="next-day").text == "(next day)"


def test_agenda_shows_links_kind_room_track_and_speakers_with_roles(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/agenda")

    opening = _slots(doc)["Opening remarks"]
    assert opening.find("h3").find("a").attrs["href"] == (
        f"/e/{ids['slug']}/sessions/{ids['opening']}"
    )
    meta = opening.find("ul", cls="slot__meta")
    assert meta.find("li", cls="kind").text == "Remarks"
    assert meta.find("li", cls="room").text == "Room: Grand Ballroom"
    track = meta.find("span", cls="track")
    assert track.text == "Track: Policy"  # the name, not only the colour
    assert track.find("rect").attrs["fill"] == "#0b4f8a"
    panel = _slots(doc)["Partnerships for Supply Chain Resilience"]
    people = [li.text for li in panel.find("ul", cls="people").find_all("li")]
    assert people == ["Michael C. Morgan (Moderator)", "Jong-ho Lee (Panelist)"]
    assert panel.find("a", href=f"/e/{ids['slug']}/speakers/{ids['morgan']}")


def test_agenda_marks_cancelled_sessions_in_words_and_hides_unpublished(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/agenda")

    slots = _slots(doc)
    cancelled = slots["Policy briefing: KASA"]
    assert "slot--cancelled" in cancelled.attrs["class"]
    assert cancelled.find("strong", cls="status--cancelled").text == "Cancelled"
    assert "Draft session nobody may see" not in doc.text
    assert "Hidden Person" not in doc.text


def test_agenda_query_count_does_not_grow_with_sessions(app, client):
    def count_queries(slug: str) -> int:
        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa_event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(f"/e/{slug}/agenda").status_code == 200
        finally:
            sa_event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    with app.app_context():
        small, large = make_event(), make_event()
        for event, size in ((small, 1), (large, 12)):
            track = make_track(event)
            for _ in range(size):
                session = make_session(event, track=track)
                link_speaker(session, make_speaker())
                link_speaker(session, make_speaker())
        slugs = small.slug, large.slug

    small_count, large_count = (count_queries(slug) for slug in slugs)

    assert small_count == large_count
    assert large_count <= 3  # event, sessions with room and track, speakers


# --- Session page -------------------------------------------------------------------------


def test_session_page_shows_description_time_room_track_and_speakers(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/sessions/{ids['panel']}")

    assert doc.find("h1").text == "Partnerships for Supply Chain Resilience"
    assert "Companies of both countries on resilient supply chains." in doc.text
    facts = {d.find("dt").text: d.find("dd").text for d in doc.find("dl").find_all("div")}
    assert facts["Time"] == f"12:00 \N{EN DASH} to 13:00 {zone_name('en')} (Asia/Seoul, UTC+09:00)"
    assert facts["Room"] == "Grand Ballroom"
    assert facts["Format"] == "Panel discussion"
    names = [a.text for a in doc.find("ul", cls="person-list").find_all("a")]
    assert names == ["Michael C. Morgan", "Jong-ho Lee"]
    assert doc.find("a", href=f"/e/{ids['slug']}/speakers/{ids['lee']}")
    assert "(Moderator)" in doc.find("ul", cls="person-list").text


def test_session_page_shows_track_and_cancellation(app, client):
    ids = seed(app)

    opening = page(client, f"/e/{ids['slug']}/sessions/{ids['opening']}")
    cancelled = page(client, f"/e/{ids['slug']}/sessions/{ids['cancelled']}")

    assert opening.find("span", cls="track").text == "Track: Policy"
    assert cancelled.find("p", cls="notice").text == ("Cancelled This session will not take place.")
    # Nothing to add to a calendar: the session will not take place.
    assert opening.find_all("p", cls="calendar-links")
    assert not cancelled.find_all("p", cls="calendar-links")


def test_session_pages_404_for_unpublished_and_foreign_sessions(app, client):
    ids = seed(app)
    with app.app_context():
        other = make_session(make_event()).id

    assert client.get(f"/e/{ids['slug']}/sessions/{ids['unpublished']}").status_code == 404
    assert client.get(f"/e/{ids['slug']}/sessions/{other}").status_code == 404
    assert client.get(f"/e/{ids['slug']}/sessions/999999").status_code == 404


# --- Speakers -----------------------------------------------------------------------------


def test_speakers_are_sorted_by_family_name_and_only_published_ones(app, client):
    ids = seed(app)
    with app.app_context():
        link_speaker(make_session(make_event()), make_speaker(given_name="Other", family_name="Aa"))

    doc = page(client, f"/e/{ids['slug']}/speakers")

    names = [h2.text for h2 in doc.find("ul", cls="speaker-cards").find_all("h2")]
    assert names == ["Jong-ho Lee", "Michael C. Morgan", "Chirag Parikh"]
    assert "Hidden Person" not in doc.text


def test_speaker_page_shows_bio_organization_country_position_and_sessions(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/speakers/{ids['lee']}")

    assert doc.find("h1").text == "Jong-ho Lee"
    alt = doc.find("p", cls="alt-title")
    assert (alt.text, alt.attrs["lang"]) == ("이종호", "ko")
    facts = {d.find("dt").text: d.find("dd").text for d in doc.find("dl").find_all("div")}
    assert facts == {
        "Position": "Minister of Science and ICT",
        "Organization": "ROK Ministry of Science and ICT",
        "Country": country("KR"),
    }
    assert "Minister of Science and ICT of the Republic of Korea." in doc.text
    sessions = [li.find("a").text for li in doc.find("ul", cls="person-sessions").find_all("li")]
    assert sessions == ["Opening remarks", "Partnerships for Supply Chain Resilience"]
    assert "(Panelist)" in doc.find("ul", cls="person-sessions").text
    assert doc.find_all("img", cls="profile__photo") == []


def test_speaker_not_in_this_event_is_404(app, client):
    ids = seed(app)
    with app.app_context():
        outsider = make_speaker().id
        elsewhere = make_speaker()
        link_speaker(make_session(make_event()), elsewhere)
        elsewhere_id = elsewhere.id

    for speaker_id in (outsider, elsewhere_id, ids["hidden_speaker"], 999999):
        response = client.get(f"/e/{ids['slug']}/speakers/{speaker_id}")
        assert response.status_code == 404, speaker_id


def test_speaker_photo_is_shown_and_served_resized_from_the_photos_folder(make_app, tmp_path):
    from io import BytesIO

    from PIL import Image

    app = make_app(PHOTOS_DIR=str(tmp_path))
    client = app.test_client()
    ids = seed(app)
    name = f"{ids['morgan']}-photo.jpg"
    Image.new("RGB", (1200, 900), "navy").save(tmp_path / name, "JPEG")
    with app.app_context():
        db.session.get(Speaker, ids["morgan"]).photo = name
        db.session.commit()

    doc = page(client, f"/e/{ids['slug']}/speakers/{ids['morgan']}")
    img = doc.find("img", cls="profile__photo")
    photo = client.get(img.attrs["src"])
    no_photo = client.get(f"/e/{ids['slug']}/speakers/{ids['lee']}/photo")

    assert img.attrs["alt"] == "Photo of Michael C. Morgan"
    assert photo.status_code == 200
    assert photo.mimetype == "image/jpeg"
    assert Image.open(BytesIO(photo.get_data())).size == (512, 384)
    photo.close()
    assert no_photo.status_code == 404


# --- Accessibility and structure, on every public page ------------------------------------


def _public_urls(ids: dict) -> list[str]:
    slug = ids["slug"]
    return [
        "/",
        f"/e/{slug}/",
        f"/e/{slug}/agenda",
        f"/e/{slug}/sessions/{ids['panel']}",
        f"/e/{slug}/sessions/{ids['cancelled']}",
        f"/e/{slug}/speakers",
        f"/e/{slug}/speakers/{ids['lee']}",
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_public_pages_are_well_formed_and_accessible(app, client, language):
    ids = seed(app)
    client.set_cookie("lang", language)

    for url in _public_urls(ids):
        doc = page(client, url)
        assert doc.find("html").attrs["lang"] == language
        assert len(doc.find_all("h1")) == 1, url
        levels = [int(n.tag[1]) for n in doc.iter() if n.tag in {"h1", "h2", "h3", "h4"}]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)
        assert doc.find("main", id="main")
        assert doc.find("a", cls="skip-link").attrs["href"] == "#main"
        assert [len(doc.find_all(tag)) > 0 for tag in ("header", "footer", "nav")] == [True] * 3
        for node in doc.iter():
            assert "style" not in node.attrs, url
            assert node.tag != "script" or node.attrs.get("src"), url
            for attr in ("href", "src", "action"):
                assert not (node.attrs.get(attr) or "").startswith(("http:", "https:", "//"))
            if node.tag == "img":
                assert node.attrs.get("alt")


def test_hangul_content_in_the_english_interface_is_marked_lang_ko(app, client):
    ids = seed(app)

    doc = page(client, f"/e/{ids['slug']}/")

    marked = {n.text for n in doc.find_all(lang="ko")}
    assert {"한미 우주산업 심포지엄", "한국어"} <= marked
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in n.text) for n in doc.find_all(lang="ko"))


def _css_colors() -> dict[str, str]:
    css = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    root = css[css.index(":root") : css.index("}")]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def _contrast(first: str, second: str) -> float:
    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("ink", "bg"),
        ("muted", "bg"),
        ("muted", "bg-soft"),
        ("accent", "bg"),
        ("accent", "bg-soft"),
        ("accent-ink", "accent"),
        ("bad", "bg"),
        ("warn", "bg"),
        ("ok", "bg"),
        ("ink", "focus"),
    ],
)
def test_palette_text_contrast_is_at_least_4_5_to_1(text, background):
    colors = _css_colors()

    assert _contrast(colors[text], colors[background]) >= 4.5


def test_font_stack_takes_the_devices_korean_fonts_first_and_no_remote_fonts():
    css = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    stack = re.search(r"--font:([^;]+);", css).group(1)

    assert stack.split(",")[0].strip() == '"eventapp Korean"'
    korean = css[css.index('font-family: "eventapp Korean"') :]
    for face in ("Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR"):
        assert f'local("{face}")' in korean
    assert "@import" not in css
    assert "url(http" not in css


def test_multi_day_event_shows_a_date_range(app, client):
    with app.app_context():
        make_event(
            starts_at=datetime(2023, 11, 8, 0, 0, tzinfo=UTC),
            ends_at=datetime(2023, 11, 9, 9, 0, tzinfo=UTC),
        )

    doc = page(client, "/")

    assert doc.find("time").text == "Nov 8 \N{EN DASH} 9, 2023"


def test_agenda_of_an_event_elsewhere_uses_that_zone_and_its_daylight_time(app, client):
    with app.app_context():
        event = make_event(
            timezone="America/New_York",
            starts_at=datetime(2024, 7, 1, 13, 0, tzinfo=UTC),  # 09:00 EDT
        )
        make_session(event, title="Morning keynote", starts_at=event.starts_at)
        slug = event.slug

    doc = page(client, f"/e/{slug}/agenda")

    assert doc.find("p", cls="zone-note").text == (
        "All times Eastern Daylight Time (America/New_York, UTC-04:00)"
    )
    assert doc.find("li", cls="slot").find("time").text == "09:00"
    assert doc.find("h2").text == "Monday, July 1, 2024"
