"""Small things people meet on the day (#22 details): each page says a thing once, in the
reader's order and words."""

from pathlib import Path

from eventapp.models import Role
from eventapp.services.checkin.badges import badge_token
from tests.cldr import country
from tests.factories import (
    link_speaker,
    make_event,
    make_organization,
    make_registration,
    make_session,
    make_speaker,
)
from tests.web.test_checkin import KEYS, _scan

STATIC = Path(__file__).resolve().parents[2] / "static"


def _speakers(app):
    with app.app_context():
        event = make_event()
        session = make_session(event, is_published=True)
        council = make_organization(
            name="U.S. National Space Council", name_ko="미국 국가우주위원회"
        )
        kasa = make_organization(name="Korea AeroSpace Administration", name_ko="우주항공청")
        people = [
            make_speaker(
                given_name="Chirag",
                family_name="Parikh",
                name_alt="치라그 파리크",
                position="Executive Secretary, U.S. National Space Council",
                position_ko="미국 국가우주위원회 사무총장",
                organization=council,
            ),
            make_speaker(
                given_name="Young-bin",
                family_name="Yoon",
                name_alt="윤영빈",
                position="Administrator",
                position_ko="청장",
                organization=kasa,
            ),
            make_speaker(
                given_name="Michael C.",
                family_name="Morgan",
                name_alt="마이클 C. 모건",
                position="Assistant Secretary",
                organization=None,
            ),
            make_speaker(
                given_name="Ada", family_name="Lovelace", name_alt=None, organization=None
            ),
        ]
        for person in people:
            link_speaker(session, person)
        return event.slug, session.id


def test_a_position_that_names_the_organization_is_not_followed_by_it_again(app, client):
    slug, session_id = _speakers(app)

    for language in ("en", "ko"):
        headers = {"Accept-Language": language}
        session_page = client.get(f"/e/{slug}/sessions/{session_id}", headers=headers)
        speakers_page = client.get(f"/e/{slug}/speakers", headers=headers)
        for page in (session_page.get_data(as_text=True), speakers_page.get_data(as_text=True)):
            council = "U.S. National Space Council" if language == "en" else "미국 국가우주위원회"
            kasa = "Korea AeroSpace Administration" if language == "en" else "우주항공청"
            assert page.count(council) == 1, language
            assert page.count(kasa) == 1, language  # "Administrator" does not name it


def test_speakers_read_in_korean_are_in_hangul_order_of_the_family_name(app, client):
    slug, _ = _speakers(app)

    english = client.get(f"/e/{slug}/speakers", headers={"Accept-Language": "en"})
    korean = client.get(f"/e/{slug}/speakers", headers={"Accept-Language": "ko"})

    def order(page, names):
        text = page.get_data(as_text=True)
        return sorted(names, key=text.index)

    latin = ["Ada Lovelace", "Michael C. Morgan", "Chirag Parikh", "Young-bin Yoon"]
    assert order(english, latin) == latin
    # 모건 (ㅁ), 윤영빈 (ㅇ), 파리크 (ㅍ); then the name without Hangul.
    hangul = ["마이클 C. 모건", "윤영빈", "치라그 파리크", "Ada Lovelace"]
    assert order(korean, hangul) == hangul


def test_the_door_shows_the_country_by_name_in_the_staff_language(app, client, login_as):
    with app.app_context():
        event = make_event(slug="forum")
        token = badge_token(make_registration(event, country="KR"), KEYS)
    login_as(Role.CHECKIN)

    english = _scan(client, token)
    korean = client.post(
        "/api/checkin", json={"token": token, "event": "forum"}, headers={"Accept-Language": "ko"}
    )

    assert (english.json["country"], english.json["country_name"]) == ("KR", country("KR", "en"))
    assert korean.json["country_name"] == country("KR", "ko")


def test_self_service_buttons_are_not_list_bullets():
    # /me lays its buttons out as a <ul class="actions"> styled by register.css.
    css = (STATIC / "css" / "register.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith(".actions {"))
    assert "list-style: none" in rule
    assert "padding: 0" in rule


def test_the_attendee_and_organizers_are_told_what_the_badge_leaves_out(app, client, login_as):
    with app.app_context():
        event = make_event()
        registration = make_registration(event, given_name="Minji 🚀", family_name="Kim")
        token, slug, registration_id = registration.manage_token, event.slug, registration.id
        plain = make_registration(event).manage_token

    own = client.get(f"/me/{token}").get_data(as_text=True)
    other = client.get(f"/me/{plain}").get_data(as_text=True)
    login_as(Role.ORGANIZER)
    back_office = client.get(f"/admin/events/{slug}/registrants/{registration_id}/edit")

    assert "Your badge leaves out 🚀, which its font cannot print" in own
    assert "leaves out" not in other
    assert "The badge font cannot print 🚀" in back_office.get_data(as_text=True)


def test_the_agenda_puts_its_calendar_and_app_links_under_one_control(app, client):
    slug, _ = _speakers(app)

    page = client.get(f"/e/{slug}/agenda").get_data(as_text=True)

    exports = page[page.index('<nav class="agenda-exports"') :]
    exports = exports[: exports.index("</nav>")]
    assert exports.count("<details>") == 1
    assert "Add to calendar / apps</summary>" in exports
    for link in ("agenda.ics", "schedule.xml", "schedule.json", "webcal:"):
        assert link in exports, link
    # Printed, the page names the event and its date above the programme.
    heading = page[page.index('class="print-only print-heading"') :].split("</p>")[0]
    assert "Test Symposium" in heading
    assert "2023" in heading


def test_every_page_carries_a_hangul_face_for_devices_without_one(app, client):
    slug, _ = _speakers(app)

    css = (STATIC / "css" / "app.css").read_text()
    # First in the family list, for Hangul only; the device's own face before the shipped one.
    assert '--font: "eventapp Korean", system-ui' in css
    assert css.index('local("Malgun Gothic")') < css.index('url("../fonts/NanumSquareR.ttf")')
    assert 'url("../fonts/NanumSquareB.ttf")' in css
    for name in ("NanumSquareR.ttf", "NanumSquareB.ttf"):
        font = client.get(f"/static/fonts/{name}")
        font.close()
        assert font.status_code == 200
    # Nothing is preloaded: a device with a Korean face of its own downloads nothing.
    korean = client.get(f"/e/{slug}/agenda", headers={"Accept-Language": "ko"})
    assert 'rel="preload"' not in korean.get_data(as_text=True)


def test_the_import_and_badges_pages_are_inside_the_back_office_navigation(app, client, login_as):
    login_as(Role.ORGANIZER)
    with app.app_context():
        slug = make_event().slug

    for url in (f"/admin/events/{slug}/badges", f"/admin/events/{slug}/import"):
        page = client.get(url).get_data(as_text=True)
        assert 'class="admin-nav"' in page, url
        assert 'class="event-nav"' in page, url
