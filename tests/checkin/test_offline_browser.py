"""The door scanner offline in real Chromium (#19): scan with the network gone, reload,
come back, and the server records what happened; two doors admitting one badge apart."""

from eventapp.models import RegistrationStatus, Role, Scan, ScanResult, db
from eventapp.models.checkin import Attendance
from eventapp.services.checkin.badges import BadgeKeys, badge_token
from tests.checkin.conftest import needs_chromium
from tests.conftest import PASSWORD
from tests.factories import add_to_team, make_account, make_event, make_registration

pytestmark = needs_chromium
KEYS = BadgeKeys.from_secrets("test-secret-key")


def _data(app):
    with app.app_context():
        forum = make_event(slug="forum", title="Forum")
        other = make_event(slug="other", title="Other")
        ada = make_registration(forum, given_name="Ada", family_name="Lovelace")
        bob = make_registration(forum, given_name="Bob", family_name="Kim")
        revoked = make_registration(forum, given_name="Rev", family_name="Oked")
        wait = make_registration(forum, given_name="Wai", status=RegistrationStatus.WAITLISTED)
        elsewhere = make_registration(other, given_name="Eve")
        codes = {
            "ada": badge_token(ada, KEYS),
            "bob": badge_token(bob, KEYS),
            "revoked": badge_token(revoked, KEYS),
            "waitlisted": badge_token(wait, KEYS),
            "other": badge_token(elsewhere, KEYS),
        }
        revoked.badge_serial += 1
        account = make_account(role=Role.CHECKIN, email="door@example.org", password=PASSWORD)
        add_to_team(account, forum, other)
        db.session.commit()
        forged = codes["ada"][:-3] + ("AAA" if not codes["ada"].endswith("AAA") else "BBA")
        return codes | {"forged": forged}


def _door(browser, base, location):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#email", "door@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/checkin?event=forum&location={location}")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => window.CheckinOffline && window.CheckinOffline.available()")
    # The page is kept once the worker controls it: load it again under its control.
    page.reload()
    page.wait_for_function("() => window.CheckinOffline && window.CheckinOffline.available()")
    return context, page


def _scan(page, code):
    page.fill("#code", code)
    page.press("#code", "Enter")
    page.wait_for_function("() => !document.getElementById('result').className.includes('pending')")
    page.wait_for_timeout(150)
    return page.inner_text("#result-word"), page.get_attribute("#result", "class")


def _queued(page, count):
    page.wait_for_function(
        f"() => document.getElementById('offline-status').textContent.includes('{count} scans')"
    )


def test_scanning_offline_then_uploading(app, served, browser):
    codes = _data(app)
    context, page = _door(browser, served, "door 1")

    context.set_offline(True)
    seen = {
        name: _scan(page, codes[name])
        for name in ("ada", "forged", "revoked", "other", "waitlisted")
    }
    again = _scan(page, codes["ada"])

    assert seen["ada"] == ("Checked in · offline", "result result--ok")
    assert seen["forged"][1] == "result result--bad"
    assert seen["forged"][0] == "Not a valid badge · offline"
    assert seen["revoked"][0] == "Not a valid badge · offline"
    assert seen["other"] == ("Badge for another event · offline", "result result--bad")
    assert seen["waitlisted"][0] == "Registration not confirmed · offline"
    assert again == ("Already checked in · offline", "result result--warn")
    _queued(page, 6)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Scan.id))) == 0

    page.reload()  # offline: the worker serves the page, IndexedDB keeps the queue
    page.wait_for_function("() => window.CheckinOffline && window.CheckinOffline.available()")
    _queued(page, 6)
    assert "Offline" in page.inner_text("#offline-status")

    context.set_offline(False)
    page.evaluate("() => window.CheckinOffline.tick()")
    _queued(page, 0)
    with app.app_context():
        results = db.session.scalars(db.select(Scan.result).order_by(Scan.scanned_at)).all()
        attendances = db.session.scalars(db.select(Attendance.registration_id)).all()
    assert results == [
        ScanResult.CHECKED_IN,
        ScanResult.INVALID,
        ScanResult.INVALID,
        ScanResult.WRONG_EVENT,
        ScanResult.NOT_CONFIRMED,
        ScanResult.ALREADY_CHECKED_IN,
    ]
    assert len(attendances) == 1
    context.close()


def test_two_doors_admit_one_badge_apart(app, served, browser):
    codes = _data(app)
    first, page1 = _door(browser, served, "door 1")
    second, page2 = _door(browser, served, "door 2")
    first.set_offline(True)
    second.set_offline(True)

    assert _scan(page1, codes["bob"])[0] == "Checked in · offline"
    assert _scan(page2, codes["bob"])[0] == "Checked in · offline"

    second.set_offline(False)
    page2.evaluate("() => window.CheckinOffline.tick()")
    _queued(page2, 0)
    first.set_offline(False)
    page1.evaluate("() => window.CheckinOffline.tick()")
    _queued(page1, 0)

    page1.wait_for_function(
        "() => document.getElementById('sync-notes').textContent.includes('door 2')"
    )
    assert "also admitted at door 2" in page1.inner_text("#sync-notes")
    with app.app_context():
        scans = db.session.execute(
            db.select(Scan.location, Scan.result).order_by(Scan.scanned_at)
        ).all()
        assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 1
    assert [tuple(s) for s in scans] == [
        ("door 1", ScanResult.CHECKED_IN),
        ("door 2", ScanResult.ALREADY_CHECKED_IN),
    ]
    first.close()
    second.close()
