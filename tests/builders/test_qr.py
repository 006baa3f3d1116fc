from concurrent.futures import ProcessPoolExecutor

from eventapp.builders import qr
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


def test_a_large_batch_is_made_in_worker_processes_with_the_same_symbols(monkeypatch):
    payloads = [f"BADGE{n:04d}ABCDEFGHJKLMNPQRSTUVWXYZ" for n in range(24)]
    monkeypatch.setattr(qr, "PARALLEL_FROM", 10)
    pools = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(qr, "ProcessPoolExecutor", CountedPool)

    symbols = list(qr.qr_symbols(payloads))

    assert len(pools) == 1
    assert symbols == [qr_symbol(p) for p in payloads]
    assert list(qr.qr_symbols(payloads[:5])) == symbols[:5]  # small: no pool
    assert len(pools) == 1


def test_qr_png_decodes_to_its_payload():
    import io

    from PIL import Image

    from tests.builders.badge_samples import decode_all

    payload = "otpauth://totp/events.example.org:door%40example.org?secret=ABCDEFGH"

    image = Image.open(io.BytesIO(qr.build_qr_png(payload)))

    assert decode_all(image) == [payload]
