"""The organizer's agenda upload: roles, CSRF, checks, preview and import."""

from __future__ import annotations

import html
import io
import re

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from eventapp.models import AgendaSession, Event, Role, db
from tests.conftest import PASSWORD
from tests.factories import add_to_team, make_account, make_event

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:talk@example.org\r\n"
    "DTSTART;TZID=Korea Standard Time:20231108T100000\r\n"
    "DTEND;TZID=Korea Standard Time:20231108T110000\r\n"
    "SUMMARY:우주 정책 발표\r\nLOCATION:Room 201\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def new_event(app, **overrides) -> str:
    with app.app_context():
        return make_event(**overrides).slug


def count_sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(AgendaSession.id)))


def upload(client, slug, data=ICS, name="agenda.ics", button="submit"):
    return client.post(
        f"/admin/events/{slug}/import",
        data={"file": (io.BytesIO(data), name), button: "1"},
        content_type="multipart/form-data",
    )


def test_form_shows_for_organizer(app, client, login_as):
    slug = new_event(app, is_published=False)  # organizers prepare unpublished events too
    login_as(Role.ORGANIZER)

    response = client.get(f"/admin/events/{slug}/import")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page


def test_import_creates_sessions_and_reports(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    response = upload(client, slug)
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code in {302, 303}
    assert response.headers["Location"].endswith(f"/admin/events/{slug}/import")
    assert "Imported: 1 created, 0 updated, 0 unchanged" in page
    assert count_sessions(app) == 1


def test_preview_lists_changes_and_writes_nothing(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    response = upload(client, slug, button="preview")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview: nothing has changed yet" in page
    assert "우주 정책 발표" in page
    assert count_sessions(app) == 0


def test_malformed_file_gets_a_message_and_changes_nothing(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    response = upload(client, slug, data=b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")

    assert response.status_code == 400
    assert "This file cannot be imported: the file is not a valid calendar" in response.get_data(
        as_text=True
    )
    assert count_sessions(app) == 0


def test_wrong_file_type_is_refused(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    response = upload(client, slug, name="agenda.pdf")

    assert response.status_code == 400
    assert "Choose an .ics file." in response.get_data(as_text=True)
    assert count_sessions(app) == 0


def test_too_large_file_is_refused(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)
    # Encoded in memory: the test client would spool a body this large to a temporary
    # file that it never closes (a ResourceWarning, which this suite treats as an error).
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(ICS + b" " * (2 * 1024 * 1024)), "big.ics"), "submit": "1"}
    )
    response = client.post(
        f"/admin/events/{slug}/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 400
    assert "larger than 2 MB" in response.get_data(as_text=True)


def test_a_file_of_too_many_events_is_refused_with_what_to_do(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)
    one = "BEGIN:VEVENT\r\nUID:t{n}@x\r\nDTSTART:20231108T010000Z\r\nSUMMARY:T\r\nEND:VEVENT\r\n"
    many = "".join(one.format(n=n) for n in range(5001))
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\n{many}END:VCALENDAR\r\n"
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(data.encode()), "all.ics"), "submit": "1"}
    )

    response = client.post(
        f"/admin/events/{slug}/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 400
    assert "more than 5000 events: export only the event&#39;s dates" in response.get_data(
        as_text=True
    )
    assert count_sessions(app) == 0


def test_checkin_staff_are_forbidden(app, client, login_as):
    slug = new_event(app)
    login_as(Role.CHECKIN)

    assert client.get(f"/admin/events/{slug}/import").status_code == 403
    assert upload(client, slug).status_code == 403
    assert count_sessions(app) == 0


def test_anonymous_is_sent_to_login(app, client):
    slug = new_event(app)

    response = client.get(f"/admin/events/{slug}/import")

    assert response.status_code in {302, 303}
    assert "/login" in response.headers["Location"]


def test_unknown_event_is_404(app, client, login_as):
    login_as(Role.ORGANIZER)

    assert client.get("/admin/events/nope/import").status_code == 404


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_post_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    slug = new_event(app)
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        email = add_to_team(make_account(Role.ORGANIZER, password=PASSWORD), event).email
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    form_token = csrf_token(client.get(f"/admin/events/{slug}/import").get_data(as_text=True))

    refused = upload(client, slug)
    accepted = client.post(
        f"/admin/events/{slug}/import",
        data={"file": (io.BytesIO(ICS), "a.ics"), "submit": "1", "csrf_token": form_token},
        content_type="multipart/form-data",
    )

    assert refused.status_code == 400
    assert accepted.status_code in {302, 303}
    assert count_sessions(app) == 1


def test_preview_of_a_moved_session_names_the_changed_fields(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)
    upload(client, slug)
    moved = ICS.replace(b"T100000", b"T120000").replace(b"T110000", b"T130000")

    page = upload(client, slug, data=moved, button="preview").get_data(as_text=True)

    row = re.search(r'<tr class="imports-row imports-row--update">(.*?)</tr>', page, re.S)
    assert row is not None
    assert row.group(1).split("<td>")[-1].startswith("end, start</td>")


def calendar_file(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode()


LEFT_OUT = calendar_file(
    "BEGIN:VEVENT",
    "UID:talk@example.org",
    "DTSTART;TZID=Asia/Seoul:20231108T100000",
    "DTEND;TZID=Asia/Seoul:20231108T110000",
    "SUMMARY:Keynote",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:holiday@example.org",
    "DTSTART;VALUE=DATE:20231225",
    "SUMMARY:Christmas",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:broken@example.org",
    "SUMMARY:Broken",
    "DTSTART;TZID=Asia/Seoul:20231108T120000",
    "DTEND;TZID=Asia/Seoul 20231108T130000",
    "END:VEVENT",
)


def test_preview_lists_every_entry_left_out_with_its_line(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    page = upload(client, slug, data=LEFT_OUT, button="preview").get_data(as_text=True)

    items = re.findall(r"<li>(.*?)</li>", page.split('class="imports-left-out"')[1], re.S)
    assert "Left out (2)" in page
    assert [html.unescape(i) for i in items[:2]] == [
        "“Broken” (line 19): its DTEND cannot be read",
        "“Christmas” (line 10): it is outside the event's dates",
    ]
    assert "Keynote" in page
    assert count_sessions(app) == 0


def test_import_reports_what_was_left_out(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    response = upload(client, slug, data=LEFT_OUT)
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))

    assert (
        "Imported: 1 created, 0 updated, 0 unchanged; 0 update emails queued. 2 left out." in page
    )
    assert "Left out: “Christmas” (line 10): it is outside the event's dates" in page
    assert count_sessions(app) == 1


def test_files_that_crashed_the_parser_import(app, client, login_as):
    # Two TZIDs in one VTIMEZONE (AttributeError) and a Windows X-WR-TIMEZONE (KeyError).
    slug = new_event(app)
    login_as(Role.ORGANIZER)
    two_tzids = calendar_file(
        "BEGIN:VTIMEZONE", "TZID:Asia/Seoul", "TZID:Seoul", "BEGIN:STANDARD",
        "DTSTART:16010101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "END:STANDARD",
        "END:VTIMEZONE", "BEGIN:VEVENT", "UID:a", "DTSTART;TZID=Seoul:20231108T100000",
        "DTEND;TZID=Seoul:20231108T110000", "SUMMARY:A", "END:VEVENT",
    )  # fmt: skip
    windows = calendar_file(
        "X-WR-TIMEZONE:Korea Standard Time", "BEGIN:VEVENT", "UID:b",
        "DTSTART:20231108T120000", "DTEND:20231108T130000", "SUMMARY:B", "END:VEVENT",
    )  # fmt: skip

    first = upload(client, slug, data=two_tzids)
    second = upload(client, slug, data=windows)

    assert {first.status_code, second.status_code} <= {302, 303}
    assert count_sessions(app) == 2


def test_refusal_is_one_line_in_korean(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    response = client.post(
        f"/admin/events/{slug}/import",
        data={"file": (io.BytesIO(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"), "a.ics"), "submit": "1"},
        content_type="multipart/form-data",
        headers={"Accept-Language": "ko"},
    )

    assert response.status_code == 400
    assert (
        "이 파일은 가져올 수 없습니다: 올바른 캘린더 파일이 아닙니다(BEGIN 또는 END 줄이 없습니다)"
        in response.get_data(as_text=True)
    )


def test_preview_says_when_the_calendars_zone_is_unknown(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)
    data = ICS.replace(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nX-WR-TIMEZONE:Mars/Olympus\r\n")

    page = upload(client, slug, data=data, button="preview").get_data(as_text=True)

    assert (
        "The calendar's time zone “Mars/Olympus” is unknown; times without a zone are read "
        "in Asia/Seoul." in html.unescape(page)
    )


def test_the_preview_keeps_the_file_and_imports_it_from_there(app, client, login_as):
    slug = new_event(app)
    login_as(Role.ORGANIZER)

    preview = upload(client, slug, button="preview").get_data(as_text=True)
    key = re.search(r'name="previewed" value="([A-Za-z0-9_-]{32})"', preview).group(1)
    forged = client.post(
        f"/admin/events/{slug}/import", data={"previewed": "x" * 32, "submit": "1"}
    )
    imported = client.post(f"/admin/events/{slug}/import", data={"previewed": key, "submit": "1"})
    again = client.post(f"/admin/events/{slug}/import", data={"previewed": key, "submit": "1"})

    assert "Import these changes" in preview
    assert count_sessions(app) == 1  # once: the forged key and the used one import nothing
    assert forged.status_code == 400
    assert "Choose a calendar file." in forged.get_data(as_text=True)
    assert imported.status_code in {302, 303}
    assert again.status_code == 400


def test_an_entry_outside_the_event_hours_is_flagged_in_the_preview_and_after(
    app, client, login_as
):
    slug = new_event(app)  # 2023-11-08 09:00 to 18:00 in Seoul
    login_as(Role.ORGANIZER)
    late = ICS.replace(b"20231108T100000", b"20231108T200000").replace(
        b"20231108T110000", b"20231108T210000"
    )

    preview = upload(client, slug, data=late, button="preview").get_data(as_text=True)
    done = upload(client, slug, data=late)
    page = client.get(done.headers["Location"]).get_data(as_text=True)

    assert "outside the event&#39;s hours" in preview or "outside the event's hours" in preview
    assert "is outside the event" in page
    assert count_sessions(app) == 1
