"""Offline scans are shown exactly as online ones (#19), in real Chromium: at the event
door and at session doors, for valid, forged, revoked and other-event badges (of an event
outside the scanner's team too), codes typed in Hangul mode, and one rule (`rules.STEPS`)
walked by both judges."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

from eventapp.models import (
    Category,
    RegistrationStatus,
    Role,
    Scan,
    ScanResult,
    SessionStatus,
    db,
)
from eventapp.models.checkin import Attendance
from eventapp.services.checkin.badges import BadgeClaim, badge_token, normalize_token
from eventapp.services.checkin.rules import STEPS, Attendee, Badge, BadgeEvent, facts, judge
from tests.checkin.conftest import needs_chromium
from tests.checkin.test_offline_browser import KEYS
from tests.conftest import PASSWORD
from tests.factories import (
    add_to_team,
    make_account,
    make_event,
    make_registration,
    make_session,
    make_signup,
)

pytestmark = needs_chromium

#: Letter keys in Hangul mode with Shift held (a scanner types capitals): 2-beolsik.
SHIFTED = dict(zip("QWERTOP", "ㅃㅉㄸㄲㅆㅒㅖ", strict=True))
PLAIN = dict(zip("ASDFGZXCVYUIHJKLBNM", "ㅁㄴㅇㄹㅎㅋㅌㅊㅍㅛㅕㅑㅗㅓㅏㅣㅠㅜㅡ", strict=True))
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"


def hangul_typed(code: str) -> str:
    """What a Korean IME in Hangul mode shows for `code` typed with Shift: jamo, with a
    consonant and the vowel after it composed into one syllable."""
    jamo = [SHIFTED.get(c) or PLAIN.get(c) or c for c in code]
    out: list[str] = []
    i = 0
    while i < len(jamo):
        first, second = jamo[i], jamo[i + 1] if i + 1 < len(jamo) else ""
        if first in INITIALS and second in MEDIALS:
            out.append(chr(0xAC00 + (INITIALS.index(first) * 21 + MEDIALS.index(second)) * 28))
            i += 2
        else:
            out.append(first)
            i += 1
    return "".join(out)


def _data(app):
    with app.app_context():
        forum = make_event(slug="forum", title="Forum")
        other = make_event(slug="other", title="Other Symposium")  # same day, not our team
        ada = make_registration(
            forum,
            given_name="Ada",
            family_name="Lovelace",
            organization_name="Analytical Engines",
            country="KR",
            category=Category.SPEAKER,
        )
        bob = make_registration(forum, given_name="Bob", family_name="Kim")
        revoked = make_registration(forum, given_name="Rev", family_name="Oked")
        wait = make_registration(forum, given_name="Wai", status=RegistrationStatus.WAITLISTED)
        pending = make_registration(forum, given_name="Pen", status=RegistrationStatus.PENDING)
        eve = make_registration(other, given_name="Eve", family_name="Park")
        eve_old = make_registration(other, given_name="Old", family_name="Park")
        workshop = make_session(forum, title="Workshop", capacity=5)
        gone = make_session(forum, title="Gone", status=SessionStatus.CANCELLED)
        make_signup(ada, workshop)
        codes = {
            "ada": badge_token(ada, KEYS),
            "bob": badge_token(bob, KEYS),
            "revoked": badge_token(revoked, KEYS),
            "waitlisted": badge_token(wait, KEYS),
            "pending": badge_token(pending, KEYS),
            "other": badge_token(eve, KEYS),
            "other_revoked": badge_token(eve_old, KEYS),
        }
        revoked.badge_serial += 1
        eve_old.badge_serial += 1
        account = make_account(role=Role.CHECKIN, email="door@example.org", password=PASSWORD)
        add_to_team(account, forum)
        db.session.commit()
        forged = codes["ada"][:-3] + ("AAA" if not codes["ada"].endswith("AAA") else "BBA")
        return codes | {"forged": forged}, {"workshop": workshop.id, "gone": gone.id}


def _door(browser, base, query):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#email", "door@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/checkin?event=forum&{query}")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => window.CheckinOffline && window.CheckinOffline.available()")
    page.reload()
    page.wait_for_function("() => window.CheckinOffline && window.CheckinOffline.available()")
    return context, page


def _shown(page, code):
    page.fill("#code", code)
    page.press("#code", "Enter")
    page.wait_for_function("() => !document.getElementById('result').className.includes('pending')")
    page.wait_for_timeout(100)
    word = page.inner_text("#result-word").removesuffix(" · offline")
    detail = re.sub(r"\d\d:\d\d", "HH:MM", page.inner_text("#result-detail"))
    return word, page.inner_text("#result-name"), detail, page.get_attribute("#result", "class")


def _both_ways(browser, served, query, names, codes):
    """The same scans offline at one door, then online at another (nothing uploaded)."""
    offline_context, offline_page = _door(browser, served, f"location=door 1&{query}")
    online_context, online_page = _door(browser, served, f"location=door 2&{query}")
    offline_context.set_offline(True)
    offline = [_shown(offline_page, codes[name]) for name in names]
    online = [_shown(online_page, codes[name]) for name in names]
    return offline, online, (offline_context, offline_page), online_context


EVENT_DOOR = (
    "ada",
    "forged",
    "revoked",
    "other",
    "other_revoked",
    "waitlisted",
    "pending",
    "ada",
    "ada_hangul",
)


def test_event_door_offline_shows_what_online_shows(app, served, browser):
    codes, _ = _data(app)
    codes["ada_hangul"] = hangul_typed(codes["ada"])
    assert normalize_token(codes["ada_hangul"]) == codes["ada"]
    assert any("\uac00" <= c <= "\ud7a3" for c in codes["ada_hangul"])

    offline, online, (context, page), online_context = _both_ways(
        browser, served, "", EVENT_DOOR, codes
    )

    assert offline == online
    shown = dict(reversed(list(zip(EVENT_DOOR, online, strict=True))))  # the first of each
    assert shown["ada"][:2] == ("Checked in", "Ada Lovelace")
    assert shown["ada"][2] == "Analytical Engines · Speaker · South Korea"
    assert shown["revoked"][2].startswith("This badge was replaced by a newer one.")
    assert shown["other"][:3] == (
        "Badge for another event",
        "",
        "This badge is for: Other Symposium",
    )
    assert shown["other_revoked"][:2] == ("Not a valid badge", "")  # no name: not our event
    assert shown["other_revoked"][2].startswith("This badge was replaced")
    assert shown["pending"][2].startswith("Awaiting approval")
    assert offline[-1][0] == offline[-2][0] == "Already checked in"

    context.set_offline(False)
    page.evaluate("() => window.CheckinOffline.tick()")
    page.wait_for_function(
        "() => document.getElementById('offline-status').textContent.includes('0 scans')"
    )
    with app.app_context():
        door_1 = db.session.scalars(
            db.select(Scan.result).where(Scan.location == "door 1").order_by(Scan.scanned_at)
        ).all()
    assert door_1 == [
        ScanResult.CHECKED_IN,
        ScanResult.INVALID,
        ScanResult.INVALID,
        ScanResult.WRONG_EVENT,
        ScanResult.INVALID,
        ScanResult.NOT_CONFIRMED,
        ScanResult.NOT_CONFIRMED,
        ScanResult.ALREADY_CHECKED_IN,
        ScanResult.ALREADY_CHECKED_IN,
    ]
    context.close()
    online_context.close()


def test_session_doors_judge_offline_as_online(app, served, browser):
    codes, sessions = _data(app)
    names = ("ada", "bob", "waitlisted", "ada")

    workshop = _both_ways(browser, served, f"session={sessions['workshop']}", names, codes)
    gone = _both_ways(browser, served, f"session={sessions['gone']}", ("ada",), codes)

    offline, online, (context, page), online_context = workshop
    assert offline == online
    assert [s[0] for s in offline] == [
        "Checked in",
        "Not admitted to this session",
        "Registration not confirmed",
        "Already checked in",
    ]
    assert offline[1][2].startswith("No seat in this session")
    assert gone[0] == gone[1]
    assert gone[0][0][2].startswith("This session is cancelled.")

    context.set_offline(False)
    page.evaluate("() => window.CheckinOffline.tick()")
    page.wait_for_function(
        "() => document.getElementById('offline-status').textContent.includes('0 scans')"
    )
    with app.app_context():
        places = db.session.execute(db.select(Attendance.session_id, Attendance.event_id)).all()
        door_1 = db.session.scalars(
            db.select(Scan.result).where(Scan.location == "door 1").order_by(Scan.scanned_at)
        ).all()
    assert {p[0] for p in places} == {sessions["workshop"]}  # none at the event door
    assert door_1 == [
        ScanResult.CHECKED_IN,  # door 1 scanned first: it is the check-in
        ScanResult.NOT_ADMITTED,
        ScanResult.NOT_CONFIRMED,
        ScanResult.ALREADY_CHECKED_IN,
    ]
    for opened in (context, online_context, gone[2][0], gone[3]):
        opened.close()


def _inputs():
    """Every shape of scan input `judge` distinguishes."""
    now = datetime(2023, 11, 8, 9, tzinfo=UTC)
    for claimed, known, same_serial, event, status, refusal, seen in itertools.product(
        (False, True),
        (False, True),
        (True, False),
        ("forum", "other"),
        list(RegistrationStatus),
        (None, "session_cancelled", "session_unpublished", "no_seat"),
        (None, now),
    ):
        claim = BadgeClaim(1, 1, 1) if claimed else None
        attendee = Attendee(1, 1, event, "Ada", None, None, None, Category.OTHER, status)
        badge = (
            Badge(attendee, 1 if same_serial else 2, BadgeEvent(event, event, None), seen)
            if known
            else None
        )
        yield claim, badge, refusal, now


def test_the_browser_walks_the_servers_rule(app, served, browser):
    _data(app)
    context, page = _door(browser, served, "")
    cases = []
    for claim, badge, refusal, now in _inputs():
        outcome = judge(claim, badge, "forum", now, refusal)
        known = facts(claim, badge, "forum", refusal)
        cases.append(
            (
                {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in known.items()},
                [outcome.result.value, outcome.reason],
            )
        )

    decided = page.evaluate(
        "cases => cases.map(c => {"
        " const d = CheckinOffline.decide(c[0]); return [d.result, d.reason]; })",
        cases,
    )
    names = page.evaluate("() => CheckinOffline.factNames()")

    assert sorted(names) == sorted(fact for fact, _, _ in STEPS)
    assert decided == [expected for _, expected in cases]
    assert len(cases) > 500
    context.close()


def test_hangul_typed_codes_read_as_the_server_reads_them(app, served, browser):
    codes, _ = _data(app)
    context, page = _door(browser, served, "")
    samples = [hangul_typed(code) for code in codes.values()] + [
        "ㄱㅏ-ㄴㅏ 24",
        "깎꿰뷁",
        "ㅘㅙㅚㅝㅞㅟㅢㄳㄵㄶㄺㄻㄼㄽㄾㄿㅀㅄ",
        "가나다라마바사아자차카타파하",
        "ab0 1-z",
        "힣",
    ]

    read = page.evaluate("texts => texts.map(t => CheckinOffline.normalize(t))", samples)

    assert read == [normalize_token(text) for text in samples]
    context.close()
