from eventapp.builders.qr import qr_symbol
from tests.builders.badge_samples import TOKEN


def test_qr_symbol_for_badge_token_is_version_2():
    symbol = qr_symbol(TOKEN)

    assert symbol.version == 2
    assert symbol.size == 25


def test_qr_symbol_grows_for_longer_payloads():
    assert qr_symbol("A" * 60).version > 2


def test_qr_dark_runs_cover_exactly_the_dark_modules():
    symbol = qr_symbol(TOKEN)

    from_runs = {
        (row, column + i) for row, column, length in symbol.dark_runs() for i in range(length)
    }

    expected = {
        (y, x) for y, row in enumerate(symbol.modules) for x, dark in enumerate(row) if dark
    }
    assert from_runs == expected
