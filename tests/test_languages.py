"""Content in either language: the Korean twin where filled, Hangul names in Korean."""

from types import SimpleNamespace

import pytest

from eventapp.languages import in_language, name_in, normalize_language, pick


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ko", "ko"), ("ko-KR", "ko"), ("KO_kr", "ko"), ("en-US", "en"), ("ja", "en"), (None, "en")],
)
def test_language_codes_are_read_to_one_of_the_two(code, expected):
    assert normalize_language(code) == expected


def test_the_korean_twin_is_used_in_korean_only_when_filled():
    both = SimpleNamespace(title="Space Forum", title_ko="우주포럼")
    english_only = SimpleNamespace(title="Space Forum", title_ko="")
    empty = SimpleNamespace(title=None, title_ko=None)

    assert pick(both, "title", "ko") == ("우주포럼", "ko")
    assert pick(both, "title", "en") == ("Space Forum", "en")
    assert pick(english_only, "title", "ko") == ("Space Forum", "en")
    assert in_language(empty, "title", "ko") == ""


def test_a_hangul_name_is_used_in_korean_and_a_latin_one_never_replaces_the_name():
    assert name_in("Minji Kim", "김민지", "ko") == "김민지"
    assert name_in("Minji Kim", "김민지", "en") == "Minji Kim"
    assert name_in("김민지", "Minji Kim", "ko") == "김민지"
    assert name_in("Minji Kim", None, "ko") == "Minji Kim"
