"""One rule for keys and slugs: what the back office accepts, a seed file accepts too."""

import pytest

from eventapp.models import Venue
from eventapp.services.seeding.schema import LOCAL_KEY, Invalid, key_of
from eventapp.services.setup.keys import is_key, make_key

GOOD = ["space-forum-2023", "rok_us", "a", "kari-2", "x" * 80]
BAD = ["", "Space", "a--b", "-a", "a-", "a_", "한국", "a b", "a/b", "x" * 81]


@pytest.mark.parametrize("text", GOOD)
def test_a_good_key_is_accepted_by_the_back_office_and_by_seed_files(text):
    assert is_key(text)
    assert key_of(Venue)(text) == text
    assert LOCAL_KEY(text) == text


@pytest.mark.parametrize("text", BAD)
def test_a_bad_key_is_refused_by_both(text):
    assert not is_key(text)
    with pytest.raises(Invalid):
        key_of(Venue)(text)


@pytest.mark.parametrize("name", ["Korea Aerospace Research Institute", "한국항공우주연구원", "!!"])
def test_keys_made_from_names_are_good_keys(name):
    assert is_key(make_key(name))
