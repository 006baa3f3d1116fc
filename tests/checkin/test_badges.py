import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventapp.builders.qr import qr_symbol
from eventapp.errors import BadgeUnavailable, InvalidBadgeToken
from eventapp.models import Category, RegistrationStatus, db
from eventapp.services.checkin.badges import (
    CODE_ALPHABET,
    BadgeClaim,
    BadgeKeys,
    badge_data,
    badge_registrations,
    badge_token,
    batch_pdf,
    read_token,
    reissue_badge,
    sign_claim,
)
from tests.builders.badge_samples import decode_all, pdf_pages, pdf_text
from tests.cldr import country
from tests.factories import make_event, make_registration

KEYS = BadgeKeys.from_secrets("test-secret-key")
QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_token_round_trips_the_claim():
    claim = BadgeClaim(event_id=7, registration_id=123456, serial=3)

    assert read_token(sign_claim(claim, KEYS), KEYS) == claim


def test_token_is_short_alphanumeric_and_fits_qr_version_2_at_ecc_q():
    token = sign_claim(BadgeClaim(event_id=300, registration_id=2_000_000, serial=12), KEYS)

    assert set(token) <= QR_ALPHANUMERIC
    assert len(token) <= 29
    assert qr_symbol(token).version == 2


def test_token_accepts_lower_case_and_spaces_as_typed():
    claim = BadgeClaim(1, 2, 1)
    token = sign_claim(claim, KEYS)

    typed = " ".join(token[i : i + 4] for i in range(0, len(token), 4)).lower()

    assert read_token(typed, KEYS) == claim


def _token_with(letters: str) -> tuple[BadgeClaim, str]:
    """A claim whose token has every one of `letters` (tokens are pseudo-random)."""
    for registration_id in range(1, 10_000):
        claim = BadgeClaim(3, registration_id, 1)
        token = sign_claim(claim, KEYS)
        if set(letters) <= set(token):
            return claim, token
    raise AssertionError(f"no token with {letters}")


def test_token_alphabet_has_no_zero_or_one():
    tokens = [sign_claim(BadgeClaim(1, n, 1), KEYS) for n in range(1, 500)]

    assert set("".join(tokens)) <= set(CODE_ALPHABET)
    assert set("0189") & set(CODE_ALPHABET) == set()


@pytest.mark.parametrize("letters", ["OI", "OL", "IL"])
def test_token_typed_as_printed_with_digits_for_look_alike_letters_reads(letters):
    claim, token = _token_with(letters)
    # As someone reading the badge might type it: 0 for O, 1 for I and for L, grouped.
    typed = "-".join(token[i : i + 4] for i in range(0, len(token), 4))
    typed = typed.replace("O", "0").replace("I", "1").replace("L", "1").lower()

    assert read_token(typed, KEYS) == claim
    assert read_token(f"  {typed.upper()} ", KEYS) == claim


def test_token_with_any_character_altered_is_refused():
    token = sign_claim(BadgeClaim(4, 56, 1), KEYS)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    for position, char in enumerate(token):
        for replacement in (alphabet[(alphabet.index(char) + 1) % 32], alphabet[0]):
            if replacement == char:
                continue
            altered = token[:position] + replacement + token[position + 1 :]
            with pytest.raises(InvalidBadgeToken):
                read_token(altered, KEYS)


def test_token_with_a_forged_claim_is_refused():
    token = sign_claim(BadgeClaim(4, 56, 1), KEYS)
    raw = base64.b32decode(token + "=" * (-len(token) % 8))
    forged = bytes([raw[0], raw[1] + 1]) + raw[2:]  # another registration, same MAC

    with pytest.raises(InvalidBadgeToken):
        read_token(base64.b32encode(forged).decode().rstrip("="), KEYS)


@pytest.mark.parametrize("text", ["", "hello", "A" * 200, "ZZZZZZZZZZZZZZZZZZZZZZ1", "🙂" * 20])
def test_token_malformed_is_refused(text):
    with pytest.raises(InvalidBadgeToken):
        read_token(text, KEYS)


def test_token_signed_with_another_secret_is_refused():
    token = sign_claim(BadgeClaim(1, 2, 1), BadgeKeys.from_secrets("someone-else"))

    with pytest.raises(InvalidBadgeToken):
        read_token(token, KEYS)


def test_token_signed_with_an_old_secret_verifies_after_rotation():
    old_token = sign_claim(BadgeClaim(1, 2, 1), BadgeKeys.from_secrets("old-secret"))
    rotated = BadgeKeys.from_secrets("new-secret", "old-secret, older-secret")

    assert read_token(old_token, rotated) == BadgeClaim(1, 2, 1)
    assert rotated.signing == BadgeKeys.from_secrets("new-secret").signing


def test_badge_data_for_confirmed_registration(ctx):
    event = make_event(title="Space Forum", title_ko="우주포럼")
    registration = make_registration(
        event,
        given_name="Minji",
        family_name="Kim",
        name_alt="김민지",
        organization_name="KASA",
        country="KR",
        category=Category.SPEAKER,
    )

    data = badge_data(registration, KEYS)

    assert (data.name, data.name_alt, data.organization) == ("Minji Kim", "김민지", "KASA")
    assert (data.event_title, data.event_title_alt) == ("Space Forum", "우주포럼")
    assert (data.category_label, data.category_label_alt) == ("Speaker", "연사")
    assert data.country == country("KR")
    assert read_token(data.token, KEYS) == BadgeClaim(event.id, registration.id, 1)


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
def test_badge_data_refused_unless_confirmed(ctx, status):
    registration = make_registration(make_event(), status=status)

    with pytest.raises(BadgeUnavailable) as caught:
        badge_data(registration, KEYS)

    assert caught.value.details == {"status": status.value}


def test_badge_registrations_are_confirmed_sorted_by_family_name_and_filtered(ctx):
    event = make_event()
    make_registration(event, given_name="Zed", family_name="Ábel")
    make_registration(event, given_name="Amy", family_name="Zhou", category=Category.PRESS)
    make_registration(event, given_name="Bo", family_name="Baker")
    make_registration(event, family_name="Aaron", status=RegistrationStatus.WAITLISTED)
    make_registration(make_event(), family_name="Aardvark")

    everyone = badge_registrations(event)
    press = badge_registrations(event, categories=[Category.PRESS])

    assert [r.family_name for r in everyone] == ["Ábel", "Baker", "Zhou"]
    assert [r.family_name for r in press] == ["Zhou"]


def test_batch_pdf_has_every_confirmed_badge_in_family_name_order(ctx):
    event = make_event()
    second = make_registration(event, given_name="Bo", family_name="Baker")
    first = make_registration(event, given_name="Ann", family_name="Adams", name_alt="애덤스 앤")
    make_registration(event, status=RegistrationStatus.CANCELLED)

    count, pdf = batch_pdf(event, KEYS)

    assert count == 2
    pages = pdf_pages(pdf)
    assert [decode_all(page) for page in pages] == [
        [badge_token(first, KEYS)],
        [badge_token(second, KEYS)],
    ]
    assert "애덤스 앤" in pdf_text(pdf)[0]


def test_reissue_badge_bumps_the_serial_and_changes_the_token(ctx):
    registration = make_registration(make_event())
    old_token = badge_token(registration, KEYS)

    serial = reissue_badge(registration)

    db.session.refresh(registration)
    assert serial == registration.badge_serial == 2
    assert badge_token(registration, KEYS) != old_token
    assert read_token(old_token, KEYS).serial == 1


@given(
    event_id=st.integers(1, 2**31 - 1),
    registration_id=st.integers(1, 2**31 - 1),
    serial=st.integers(1, 2**15),
)
def test_token_round_trips_any_ids(event_id, registration_id, serial):
    claim = BadgeClaim(event_id, registration_id, serial)

    token = sign_claim(claim, KEYS)

    assert read_token(token, KEYS) == claim
    assert qr_symbol(token).version <= 3


@given(st.text(max_size=60))
def test_token_reader_refuses_arbitrary_text_with_a_domain_error(text):
    with pytest.raises(InvalidBadgeToken):  # never a crash, never a forgery (2**-80)
        read_token(text, KEYS)


# A 2-beolsik input method, as a Korean keyboard in Hangul mode composes key presses.
_KEY_JAMO = dict(
    zip(
        "qwertyuiopasdfghjklzxcvbnm",
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ",
        strict=True,
    )
)
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_PAIRS = {
    ("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ", ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ", ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ", ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ",
}  # fmt: skip
_SPLIT = {v: k for k, v in _PAIRS.items()}


def _type_in_hangul_mode(keys: str) -> str:
    out, initial, vowel, final = [], "", "", ""

    def flush() -> None:
        nonlocal initial, vowel, final
        if initial and vowel:
            code = (_INITIALS.index(initial) * 21 + _VOWELS.index(vowel)) * 28
            out.append(chr(0xAC00 + code + _FINALS.index(final)))
        else:
            out.append(initial + vowel)
        initial = vowel = final = ""

    for key in keys.lower():
        jamo = _KEY_JAMO.get(key)
        if jamo is None:  # digits and the like pass through
            flush()
            out.append(key)
        elif jamo in _VOWELS:
            if initial and vowel and final:  # the final consonant moves to the new syllable
                keep, move = _SPLIT.get(final, ("", final))
                final = keep
                flush()
                initial, vowel = move, jamo
            elif vowel and (vowel, jamo) in _PAIRS:
                vowel = _PAIRS[vowel, jamo]
            elif initial and not vowel:
                vowel = jamo
            else:
                flush()
                vowel = jamo
        elif initial and vowel and not final and jamo in _FINALS:
            final = jamo
        elif initial and vowel and (final, jamo) in _PAIRS:
            final = _PAIRS[final, jamo]
        else:
            flush()
            initial = jamo
    flush()
    return "".join(out)


def test_typing_model_composes_like_a_korean_keyboard():
    assert _type_in_hangul_mode("rkrt hk dkssud") == "갃 ㅘ 안녕"


@given(registration_id=st.integers(1, 10**6), serial=st.integers(1, 50))
def test_token_scanned_in_hangul_keyboard_mode_still_reads(registration_id, serial):
    claim = BadgeClaim(3, registration_id, serial)
    token = sign_claim(claim, KEYS)

    assert read_token(_type_in_hangul_mode(token), KEYS) == claim
