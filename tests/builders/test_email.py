from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventapp.builders.email import (
    CalendarPart,
    EmailContent,
    build_email_bytes,
    new_message_id,
    one_line,
)

ICS = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:한미 우주포럼\r\nEND:VCALENDAR\r\n".encode()


def _content(**overrides):
    values = {
        "sender": "심포지엄 <events@example.org>",
        "to": "김민지 <minji@example.org>",
        "subject": "등록 확인 — Registration confirmed 🚀",
        "text": "안녕하세요 김민지 님,\nYou are registered.",
        "html": "<p>안녕하세요 <b>김민지</b> 님</p>",
        "date": datetime(2023, 11, 1, 9, 0, tzinfo=UTC),
    }
    return EmailContent(**(values | overrides))


def test_build_email_is_seven_bit_with_crlf_and_decodes_back_to_unicode():
    raw = build_email_bytes(_content())

    assert raw.isascii()
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == "등록 확인 — Registration confirmed 🚀"
    assert parsed["To"].addresses[0].display_name == "김민지"
    plain = parsed.get_body(("plain",)).get_content()
    assert plain.splitlines() == ["안녕하세요 김민지 님,", "You are registered."]
    assert "<b>김민지</b>" in parsed.get_body(("html",)).get_content()


def test_build_email_with_calendar_has_imip_alternative_and_attachment():
    raw = build_email_bytes(_content(calendar=CalendarPart(ics=ICS, method="REQUEST")))

    parsed = message_from_bytes(raw, policy=default)
    assert parsed.get_content_type() == "multipart/mixed"
    calendar_parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar_parts) == 1
    assert calendar_parts[0].get_param("method") == "REQUEST"
    assert calendar_parts[0].get_content_charset() == "utf-8"
    assert calendar_parts[0].get_payload(decode=True) == ICS
    attachments = list(parsed.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["invite.ics"]
    assert attachments[0].get_payload(decode=True) == ICS


def test_build_email_has_one_mime_version_header_and_text_only_mail_is_plain():
    with_calendar = build_email_bytes(_content(calendar=CalendarPart(ics=ICS, method="CANCEL")))
    text_only = message_from_bytes(build_email_bytes(_content(html=None)), policy=default)

    assert with_calendar.count(b"MIME-Version: 1.0") == 1
    assert text_only.get_content_type() == "text/plain"
    assert text_only["MIME-Version"] == "1.0"
    assert text_only.get_content().splitlines() == ["안녕하세요 김민지 님,", "You are registered."]


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines(raw: bytes) -> list[bytes]:
    assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in raw.replace(b"\r\n", b""), "a bare CR"
    return raw.split(b"\r\n")


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=["Cs"]), max_size=400),
    html=st.text(st.characters(blacklist_categories=["Cs"]), max_size=400),
    subject=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=150),
)
def test_any_text_survives_the_trip_and_every_line_is_short(text, html, subject):
    raw = build_email_bytes(
        _content(
            text=text,
            html=html,
            subject=subject,
            calendar=CalendarPart(ics=ICS, method="REQUEST"),
        )
    )

    assert raw.isascii()
    assert max(len(line) for line in _lines(raw)) <= 78
    parsed = message_from_bytes(raw, policy=default)
    assert parsed.defects == []
    assert all(part.defects == [] for part in parsed.walk())

    # Line ends are the message's business (CRLF); the characters must come back exactly.
    assert _newlines(parsed.get_body(("plain",)).get_content()) == _newlines(text)
    assert _newlines(parsed.get_body(("html",)).get_content()) == _newlines(html)
    assert " ".join(parsed["Subject"].split()) == " ".join(subject.split())
    assert [a.get_payload(decode=True) for a in parsed.iter_attachments()] == [ICS]


def test_a_long_line_without_line_break_is_folded_with_crlf():
    raw = build_email_bytes(_content(text="a" * 300, html=None))

    assert max(len(line) for line in _lines(raw)) <= 78
    assert message_from_bytes(raw, policy=default).get_content() == "a" * 300


def test_boundaries_differ_and_occur_only_as_delimiters():
    raw = build_email_bytes(_content(calendar=CalendarPart(ics=ICS, method="CANCEL")))

    parsed = message_from_bytes(raw, policy=default)
    boundaries = [p.get_boundary() for p in parsed.walk() if p.is_multipart()]
    # Each: once in its Content-Type, once before each part, once closing. mixed holds
    # 2 parts (the alternative and the attachment), alternative 3 (plain, html, calendar).
    assert [raw.count(b.encode()) for b in boundaries] == [1 + 2 + 1, 1 + 3 + 1]


def test_message_ids_are_random_unless_the_caller_gives_their_left_part():
    first, second = (new_message_id("심포지엄 <events@example.org>") for _ in range(2))
    assert first != second
    assert first.endswith("@example.org>")
    key = "announcement.Ab_c-9.42"
    assert new_message_id("events@example.org", key) == f"<{key}@example.org>"


@pytest.mark.parametrize("part", ["", "a b", "a@b", "a..b", ".a", "a>", "한글"])
def test_a_left_part_that_would_break_the_header_is_refused(part):
    with pytest.raises(ValueError, match="not a Message-ID left part"):
        new_message_id("events@example.org", part)


@settings(max_examples=100, deadline=None)
@given(subject=st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=150))
def test_a_subject_with_line_breaks_or_controls_stays_one_header(subject):
    raw = build_email_bytes(_content(subject=subject + "\r\nX-Injected: 1\nBcc: x@example.org"))

    parsed = message_from_bytes(raw, policy=default)
    assert parsed.defects == []
    assert (parsed["X-Injected"], parsed["Bcc"]) == (None, None)
    assert parsed["Subject"] == one_line(subject + " X-Injected: 1 Bcc: x@example.org")
    assert "\n" not in parsed["Subject"]
    assert "\r" not in parsed["Subject"]


def test_one_line_folds_every_kind_of_line_break():
    assert one_line("Panel\r\nA\nB\rC\x85D\u2028E\u2029F\x00G\tH") == "Panel A B C D E F G H"
