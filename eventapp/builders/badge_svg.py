"""A badge as SVG: millimetre units, text kept as text (selectable, searchable)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from eventapp.builders.badge_layout import FONT_CODE, FONT_FAMILY, PT_MM, BadgeData, badge_layout

#: The shipped font first; then fonts that phones and desktops have for Hangul.
FONT_STACK = (
    f"{FONT_FAMILY}, 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', "
    "NanumGothic, sans-serif"
)
#: The badge code: the shipped mono face, or any monospace (their O and 0 differ).
CODE_FONT_STACK = f"{FONT_CODE}, 'DejaVu Sans Mono', Menlo, Consolas, monospace"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def build_badge_svg(
    data: BadgeData,
    *,
    font_url: str | None = None,
    bold_font_url: str | None = None,
    code_font_url: str | None = None,
) -> bytes:
    """The A6 badge as an SVG document; `font_url`s point at the shipped TTFs when served."""
    layout = badge_layout(data)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(layout.width)}mm" '
        f'height="{_number(layout.height)}mm" viewBox="0 0 {_number(layout.width)} '
        f'{_number(layout.height)}" role="img" aria-label={quoteattr(data.name)}>',
        f"<title>{escape(data.name)}</title>",
    ]
    if font_url and bold_font_url:
        parts.append(
            "<style>"
            f"@font-face{{font-family:{FONT_FAMILY};font-weight:400;src:url({quoteattr(font_url)})}}"
            f"@font-face{{font-family:{FONT_FAMILY};font-weight:700;"
            f"src:url({quoteattr(bold_font_url)})}}"
            + (
                f"@font-face{{font-family:{FONT_CODE};src:url({quoteattr(code_font_url)})}}"
                if code_font_url
                else ""
            )
            + "</style>"
        )
    parts.append('<rect width="100%" height="100%" fill="#ffffff"/>')
    for box in layout.boxes:
        parts.append(
            f'<rect x="{_number(box.x)}" y="{_number(box.y)}" width="{_number(box.width)}" '
            f'height="{_number(box.height)}" fill="{box.color}"/>'
        )
    parts.append(f'<g font-family={quoteattr(FONT_STACK)} text-anchor="middle">')
    for line in layout.lines:
        weight = "700" if line.bold else "400"
        family = f" font-family={quoteattr(CODE_FONT_STACK)}" if line.is_code else ""
        parts.append(
            f'<text x="{_number(line.x)}" y="{_number(line.y)}"{family} '
            f'font-size="{_number(line.size_pt * PT_MM)}" font-weight="{weight}" '
            f'fill="{line.color}" xml:lang="{line.lang}">{escape(line.text)}</text>'
        )
    parts.append("</g>")
    qr = layout.qr
    path = "".join(
        f"M{_number(qr.x + column * qr.module_mm)} {_number(qr.y + row * qr.module_mm)}"
        f"h{_number(length * qr.module_mm)}v{_number(qr.module_mm)}"
        f"h-{_number(length * qr.module_mm)}z"
        for row, column, length in qr.symbol.dark_runs()
    )
    parts.append(f'<path d="{path}" fill="#000000" shape-rendering="crispEdges"/>')
    parts.append("</svg>")
    return "\n".join(parts).encode("utf-8")
