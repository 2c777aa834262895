"""Charts drawn on the server as inline SVG: no script, readable by a screen reader (each
chart has a title and a description, and the page shows the same figures as a table)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 480, 200, 36, 36, 16
COLOURS = {
    "healthy": "#1d7a46",
    "needs_checkin": "#9a5b00",
    "at_risk": "#b3261e",
    "closed": "#8a90a0",
}
BAR = "#1f5fbf"


def _frame(title: str, desc: str, body: list[SafeString]) -> SafeString:
    uid = abs(hash((title, desc))) % 10**8
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="c{}t c{}d" '
            'xmlns="http://www.w3.org/2000/svg" width="100%" preserveAspectRatio="xMinYMin meet">'
            '<title id="c{}t">{}</title><desc id="c{}d">{}</desc>',
            WIDTH,
            HEIGHT,
            uid,
            uid,
            uid,
            title,
            uid,
            desc,
        ),
        *body,
        "</svg>",
    ]
    return mark_safe("".join(str(p) for p in parts))  # every value above is escaped


def _axis(top: float) -> list[SafeString]:
    base = HEIGHT - PAD_BOTTOM
    out: list[SafeString] = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#aab1bf"/>',
            PAD_LEFT,
            base,
            WIDTH,
            base,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#5a6172">{}</text>',
            PAD_LEFT - 4,
            PAD_TOP + 4,
            _fmt(top),
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#5a6172">0</text>',
            PAD_LEFT - 4,
            base,
        ),
    ]
    return out


def _n(value: float) -> str:
    """A coordinate, to one decimal."""
    return f"{value:.1f}"


def _fmt(value: float) -> str:
    return f"{value:g}" if value < 1000 else f"{value / 1000:.1f}k"


def bar_chart(title: str, items: Sequence[tuple[str, float]], *, colour: str = BAR) -> SafeString:
    """One bar per (label, value)."""
    top = max([v for _l, v in items] + [1])
    n = max(1, len(items))
    slot = (WIDTH - PAD_LEFT - 8) / n
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    body = _axis(top)
    for k, (label, value) in enumerate(items):
        h = plot * value / top
        x = PAD_LEFT + 4 + k * slot
        y = HEIGHT - PAD_BOTTOM - h
        body.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                _n(x + slot * 0.15),
                _n(y),
                _n(slot * 0.7),
                _n(h),
                colour,
                label,
                _fmt(value),
            )
        )
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1d2330">{}</text>',
                _n(x + slot / 2),
                _n(y - 3),
                _fmt(value),
            )
        )
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#5a6172">{}</text>',
                _n(x + slot / 2),
                HEIGHT - PAD_BOTTOM + 16,
                label,
            )
        )
    desc = "; ".join(f"{escape(label)}: {_fmt(v)}" for label, v in items)
    return _frame(title, desc, body)


def stacked_chart(
    title: str,
    columns: Sequence[tuple[str, dict[str, int]]],
    series: Sequence[tuple[str, str]],
) -> SafeString:
    """One stacked column per (label, {series key: value}); `series` is (key, label)."""
    totals = [sum(values.get(k, 0) for k, _l in series) for _label, values in columns]
    top = max([*totals, 1])
    n = max(1, len(columns))
    slot = (WIDTH - PAD_LEFT - 8) / n
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    body = _axis(top)
    for k, (label, values) in enumerate(columns):
        x = PAD_LEFT + 4 + k * slot
        y = float(HEIGHT - PAD_BOTTOM)
        for key, name in series:
            value = values.get(key, 0)
            if not value:
                continue
            h = plot * value / top
            y -= h
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{} {}: {}</title></rect>",
                    _n(x + slot * 0.15),
                    _n(y),
                    _n(slot * 0.7),
                    _n(h),
                    COLOURS.get(key, BAR),
                    label,
                    name,
                    value,
                )
            )
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#5a6172">{}</text>',
                _n(x + slot / 2),
                HEIGHT - PAD_BOTTOM + 16,
                label[5:] if len(label) == 10 else label,
            )
        )
    desc = "; ".join(
        f"{escape(label)}: "
        + ", ".join(f"{escape(name)} {values.get(key, 0)}" for key, name in series)
        for label, values in columns
    )
    return _frame(title, desc, body)
