"""One badge layout, computed once in millimetres and drawn by the PDF, PNG and SVG renderers.

The layout is plain data (rectangles, lines of text, the QR symbol), so the three outputs
agree and each renderer stays a short loop. Text is measured with the shipped font
(NanumSquare: Latin and all 11,172 Hangul syllables, so no tofu boxes). The badge code is
set in DejaVu Sans Mono, whose letter O cannot be read as a zero nor I as a one (its zero
is dotted, its I has serifs): NanumSquare's O and 0 are the same shape.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from eventapp.builders.qr import QUIET_ZONE, QrSymbol, qr_symbol

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_REGULAR = "NanumSquareR"
FONT_BOLD = "NanumSquareB"
FONT_FAMILY = "NanumSquare"
#: The face of the printed badge code (also its font-family name in SVG).
FONT_CODE = "DejaVuSansMono"

#: A6 portrait, the standard badge-holder size (four of them make an A4 sheet).
A6_MM = (105.0, 148.0)
MARGIN_MM = 7.0
#: The printed symbol without its quiet zone; the brief asks for at least 25 mm.
QR_SYMBOL_MM = 30.0
PT_MM = 25.4 / 72


@dataclass(frozen=True, slots=True)
class BadgeData:
    """Everything printed on one badge (the service maps a registration to this)."""

    token: str
    event_title: str
    event_title_alt: str | None
    name: str
    name_alt: str | None
    organization: str | None
    country: str | None
    category_label: str
    category_label_alt: str | None
    #: Band colour "#rrggbb" and the text colour on it (contrast ≥ 4.5:1).
    color: str
    ink: str = "#ffffff"
    #: The token's QR symbol when already made (a batch makes them in parallel).
    qr: QrSymbol | None = None


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text, centred on `x`, baseline at `y` (mm from the top left)."""

    text: str
    x: float
    y: float
    size_pt: float
    bold: bool
    color: str
    #: BCP 47 language of the text (for SVG `xml:lang`).
    lang: str
    #: Set in the code face (`FONT_CODE`) rather than the text face.
    is_code: bool = False

    @property
    def font(self) -> str:
        """The registered name of the font this line is set in."""
        if self.is_code:
            return FONT_CODE
        return FONT_BOLD if self.bold else FONT_REGULAR


@dataclass(frozen=True, slots=True)
class QrPlacement:
    symbol: QrSymbol
    #: Top-left corner of the symbol itself; the quiet zone lies around it.
    x: float
    y: float
    module_mm: float


@dataclass(frozen=True, slots=True)
class BadgeLayout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]
    qr: QrPlacement


@cache
def register_fonts() -> None:
    """Register the shipped TTFs with reportlab once per process (they embed as subsets)."""
    # Binary (Flate only) streams instead of ASCII85 text: a third smaller and faster to
    # write; ASCII85 only matters for 7-bit channels, and PDFs travel as binary files.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT_REGULAR, str(FONT_DIR / f"{FONT_REGULAR}.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / f"{FONT_BOLD}.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_CODE, str(FONT_DIR / f"{FONT_CODE}.ttf")))


@cache
def _covered() -> frozenset[int]:
    """The code points both text faces can set."""
    register_fonts()
    regular = pdfmetrics.getFont(FONT_REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(FONT_BOLD).face.charToGlyph
    return frozenset(regular) & frozenset(bold)


def unprintable(*texts: str | None) -> str:
    """The visible characters of `texts` the badge cannot print (emoji, scripts the font
    lacks), each once, in order: the badge leaves them out, and people are told so.
    Invisible joiners and variation selectors are left out without a mention."""
    covered = _covered()
    found = (
        ch
        for text in texts
        if text
        for ch in text
        if ord(ch) not in covered
        and not ch.isspace()
        and unicodedata.category(ch)[0] != "C"
        and unicodedata.category(ch) != "Mn"
    )
    return "".join(dict.fromkeys(found))


def printable(text: str) -> str:
    """`text` without the characters the badge fonts cannot set, spaces squeezed."""
    covered = _covered()
    kept = "".join(ch for ch in text if ord(ch) in covered or ch.isspace())
    return " ".join(kept.split())


def text_width_mm(text: str, size_pt: float, *, bold: bool) -> float:
    """The width of `text` set in the shipped font."""
    register_fonts()
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT_REGULAR, size_pt) * PT_MM


def _lang(text: str) -> str:
    return (
        "ko"
        if any(0xAC00 <= ord(c) <= 0xD7A3 or 0x3130 <= ord(c) <= 0x318F for c in text)
        else "en"
    )


def _wrap(text: str, size: float, bold: bool, width: float) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and text_width_mm(candidate, size, bold=bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _wrapped_size(text: str, size: float, bold: bool, width: float, max_lines: int) -> float:
    """The largest size (in 1 pt steps, at least 5 pt) at which `text` wraps into `max_lines`."""
    current = size
    while current > 5:
        lines = _wrap(text, current, bold, width)
        if len(lines) <= max_lines and all(
            text_width_mm(line, current, bold=bold) <= width for line in lines
        ):
            break
        current -= 1
    return current


def fit_text(
    text: str, *, width: float, size: float, min_size: float, bold: bool, max_lines: int = 2
) -> tuple[float, list[str]]:
    """One line at the largest size that fits `width`, unless wrapping allows a much larger one.

    Never below `min_size` on one line; wrapped text may go smaller rather than be cut.
    """
    # Widths scale with the size, so one measurement gives the size that fits.
    measured = text_width_mm(text, size, bold=bold)
    if measured <= width:
        return size, [text]
    single = int(size * width / measured * 2) / 2
    wrapped = _wrapped_size(text, size, bold, width, max_lines) if max_lines > 1 else 0
    if single >= min_size and single >= 0.8 * wrapped:
        return single, [text]
    if wrapped:
        return wrapped, _wrap(text, wrapped, bold, width)[:max_lines]
    return max(single, 5), [text]


class _Column:
    """Stacks centred lines down the badge."""

    def __init__(self, centre: float, width: float, top: float) -> None:
        self.centre, self.width, self.y = centre, width, top
        self.lines: list[Line] = []

    def add(
        self,
        text: str | None,
        size: float,
        *,
        bold: bool = False,
        min_size: float = 7.0,
        color: str = "#1b1f24",
        gap: float = 1.5,
        max_lines: int = 2,
    ) -> None:
        text = printable(text) if text else text
        if not text:
            return
        fitted, parts = fit_text(
            text, width=self.width, size=size, min_size=min_size, bold=bold, max_lines=max_lines
        )
        for part in parts:
            self.y += fitted * PT_MM
            self.lines.append(Line(part, self.centre, self.y, fitted, bold, color, _lang(part)))
            self.y += fitted * PT_MM * 0.25
        self.y += gap


def badge_layout(
    data: BadgeData, *, width: float = A6_MM[0], height: float = A6_MM[1]
) -> BadgeLayout:
    """Place everything on a badge of `width` by `height` mm (A6 portrait by default)."""
    inner = width - 2 * MARGIN_MM
    centre = width / 2
    band_height = 26.0
    boxes = (
        Box(0, 0, width, 4.0, data.color),
        Box(0, height - band_height, width, band_height, data.color),
    )
    column = _Column(centre, inner, 4.0 + MARGIN_MM - 2)
    column.add(data.event_title, 11, bold=True, min_size=7, gap=0.5)
    column.add(data.event_title_alt, 9.5, min_size=7, gap=5)
    column.add(data.name, 30, bold=True, min_size=14, gap=1)
    column.add(data.name_alt, 24, bold=True, min_size=12, gap=3)
    column.add(data.organization, 13, min_size=8, gap=0.5)
    column.add(data.country, 11, min_size=8, color="#4a5562")

    symbol = data.qr or qr_symbol(data.token)
    module = QR_SYMBOL_MM / symbol.size
    token_y = height - band_height - 3.0
    qr_y = token_y - 3.5 - QUIET_ZONE * module - QR_SYMBOL_MM
    qr = QrPlacement(
        symbol, centre - QR_SYMBOL_MM / 2, max(qr_y, column.y + QUIET_ZONE * module), module
    )
    # The token in print, for typing when a camera cannot read the code.
    code = Line(grouped(data.token), centre, token_y, 8.5, False, "#1b1f24", "en", is_code=True)
    lines = [*column.lines, code]
    band = _Column(centre, inner, height - band_height + 3.0)
    band.add(data.category_label.upper(), 22, bold=True, min_size=12, color=data.ink, gap=1)
    band.add(data.category_label_alt, 13, bold=True, min_size=8, color=data.ink, max_lines=1)
    return BadgeLayout(width, height, boxes, (*lines, *band.lines), qr)


def grouped(token: str) -> str:
    """The token in groups of four characters, easier to read aloud and type (the reader
    ignores the hyphens)."""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))
