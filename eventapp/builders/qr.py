"""QR codes (ISO/IEC 18004) for badge tokens: the module matrix every badge renderer draws
(and a PNG of it for screens: two-factor enrolment).

Badge tokens are upper-case base32, which QR's alphanumeric mode packs at 5.5 bits a
character, so a token stays at version 2 with error correction Q (25 % of the code may
be scuffed or covered and it still reads).
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import qrcode
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_Q

#: ISO/IEC 18004 asks for a light margin of 4 modules around the symbol.
QUIET_ZONE = 4
ERROR_CORRECTION = ERROR_CORRECT_Q


@dataclass(frozen=True, slots=True)
class QrSymbol:
    """The dark/light modules of one QR symbol, without the quiet zone."""

    version: int
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        return len(self.modules)

    def dark_runs(self) -> list[tuple[int, int, int]]:
        """Horizontal runs of dark modules as (row, first column, length): fewer shapes to draw."""
        runs: list[tuple[int, int, int]] = []
        for y, row in enumerate(self.modules):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    runs.append((y, start, x - start))
                else:
                    x += 1
        return runs


def qr_symbol(payload: str) -> QrSymbol:
    """The smallest symbol at error correction Q that holds `payload`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return QrSymbol(
        version=code.version,
        modules=tuple(tuple(bool(m) for m in row) for row in code.get_matrix()),
    )


#: Batches at least this large make their symbols in several processes.
PARALLEL_FROM = 200


def qr_symbols(payloads: Sequence[str]) -> Iterator[QrSymbol]:
    """`qr_symbol` of each payload, in order; in one process per CPU for a large batch.

    Choosing the best of QR's eight masks (ISO/IEC 18004 §7.8.3) builds and scores nine
    matrices in pure Python: most of a printed badge's time. The worker processes come
    from a fork server (a fresh interpreter, not a copy of this one with its database
    connections and threads); what goes back and forth is strings and tuples of booleans.
    """
    workers = min(os.cpu_count() or 1, 4)
    if len(payloads) < PARALLEL_FROM or workers < 2:
        yield from map(qr_symbol, payloads)
        return
    if "forkserver" in multiprocessing.get_all_start_methods():
        context: multiprocessing.context.BaseContext = multiprocessing.get_context("forkserver")
        # Imported once in the fork server, shared by the workers forked from it.
        context.set_forkserver_preload([__name__])
    else:
        context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(qr_symbol, payloads, chunksize=50)


def build_qr_png(payload: str, *, module_px: int = 6) -> bytes:
    """A black-on-white PNG of `payload`'s symbol with its quiet zone, for a screen."""
    symbol = qr_symbol(payload)
    side = (symbol.size + 2 * QUIET_ZONE) * module_px
    image = Image.new("1", (side, side), 1)
    draw = ImageDraw.Draw(image)
    for row, column, length in symbol.dark_runs():
        x0, y0 = (column + QUIET_ZONE) * module_px, (row + QUIET_ZONE) * module_px
        draw.rectangle((x0, y0, x0 + length * module_px - 1, y0 + module_px - 1), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
