"""Countries: one list, the same in every place that offers, accepts or prints a country."""

import pytest

from eventapp.countries import country_choices, country_codes, country_name
from eventapp.services.seeding.schema import Invalid, country


def test_the_list_holds_countries_only():
    codes = country_codes()

    assert {"KR", "US", "JP"} <= codes
    assert not codes & {"EU", "UN", "EZ", "QO", "ZZ", "XK", "AC", "IC"}
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in codes)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_choices_offer_every_country_once_sorted_by_name(language):
    choices = country_choices(language)

    assert {code for code, _ in choices} == country_codes()
    assert len(choices) == len(country_codes())
    names = [name for _, name in choices]
    assert names[0] != names[-1]
    assert dict(choices)["KR"] == ("대한민국" if language == "ko" else "South Korea")


def test_a_seed_file_accepts_exactly_the_codes_the_forms_offer():
    for code in country_codes():
        assert country(code) == code
    for code in ("EU", "UN", "ZZ"):
        with pytest.raises(Invalid):
            country(code)


def test_names_follow_the_language_and_keep_an_unknown_code():
    assert country_name("kr", "ko") == "대한민국"
    assert country_name("US", "en") == "United States"
    assert country_name("QQ", "en") == "QQ"
    assert country_name(None, "en") == ""


def test_the_public_form_and_the_back_office_offer_the_same_countries(app):
    from eventapp.web.forms import admin, registration

    with app.test_request_context("/?lang=ko"):
        back_office = {code for code, _ in admin.country_choices() if code}
        public = {c.value for c in registration._country_select_choices("ko") if c.value}

    assert back_office == public == country_codes()
