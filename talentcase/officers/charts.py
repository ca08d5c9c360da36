"""The console's charts as SVG made on the server: they need no script, print in black and white, and say their
numbers in words (every bar carries its value as text and a title; the page shows the same figures in a table).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from markupsafe import Markup, escape

WIDTH = 720
HEIGHT = 260
LEFT = 44
RIGHT = 16
TOP = 24
BOTTOM = 40
BAR = "#1d70b8"
OVER = "#b10e1e"
INK = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    """One bar: its axis label, its value (None: no data), the text printed on it and its tooltip."""

    label: str
    value: float | None
    text: str
    title: str
    is_over: bool = False


def _svg(chart_id: str, title: str, description: str, body: list[str], height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="console-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Arial, sans-serif">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
        # Bars over the target are hatched as well as red, so the difference survives greyscale printing.
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{OVER}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>'
        + "".join(body)
        + "</svg>"
    )


def column_chart(
    chart_id: str,
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    y_max: float,
    y_ticks: Sequence[float],
    y_format: str = "{:g}",
    reference: tuple[float, str] | None = None,
    label_every: int = 1,
) -> Markup:
    """Vertical bars on a value axis, with an optional labelled reference line (e.g. the 28-day target)."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    y_max = max(y_max, 1e-9)

    def y(value: float) -> float:
        return TOP + plot_h - min(value, y_max) / y_max * plot_h

    body: list[str] = []
    for tick in y_ticks:
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}" '
            f'stroke-width="0.5"/><text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{INK}">{escape(y_format.format(tick))}</text>'
        )
    body += _columns(chart_id, bars, y, plot_w, plot_h, label_every)
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="{INK}"/>'
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="{INK}"/>'
    )
    if reference is not None:
        value, label = reference
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{INK}" '
            f'stroke-width="2" stroke-dasharray="6,4"/><rect x="{LEFT + 4}" y="{y(value) - 19:.1f}" '
            f'width="{len(label) * 7 + 8}" height="16" fill="#fff" fill-opacity="0.85"/>'
            f'<text x="{LEFT + 8}" y="{y(value) - 6:.1f}" font-size="12" font-weight="bold" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    return _svg(chart_id, title, description, body)


def _columns(
    chart_id: str, bars: Sequence[Bar], y: Callable[[float], float], plot_w: float, plot_h: float, label_every: int
) -> list[str]:
    """Each bar with its value above it (when there is room) and, every label_every bars, its label below."""
    body: list[str] = []
    slot = plot_w / max(len(bars), 1)
    width = max(slot * 0.7, 1)
    for index, bar in enumerate(bars):
        x = LEFT + index * slot + (slot - width) / 2
        centre = x + width / 2
        if bar.value is not None:
            top = y(bar.value)
            fill = f"url(#{chart_id}-hatch)" if bar.is_over else BAR
            body.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{TOP + plot_h - top:.1f}" '
                f'fill="{fill}" stroke="{INK}" stroke-width="0.5"><title>{escape(bar.title)}</title></rect>'
            )
            if slot >= 18:
                body.append(
                    f'<text x="{centre:.1f}" y="{top - 3:.1f}" font-size="10" text-anchor="middle" '
                    f'fill="{INK}">{escape(bar.text)}</text>'
                )
        if index % label_every == 0:
            body.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="11" text-anchor="middle" '
                f'fill="{INK}">{escape(bar.label)}</text>'
            )
    return body


def bar_chart(chart_id: str, rows: Sequence[tuple[str, int]], *, title: str, description: str) -> Markup:
    """Horizontal bars, one per row, each with its label on the left and its count on the right (the funnel)."""
    row_h = 26
    label_w = 230
    height = TOP + row_h * len(rows) + 10
    biggest = max((value for _label, value in rows), default=0) or 1
    plot_w = WIDTH - label_w - 70
    body: list[str] = []
    for index, (label, value) in enumerate(rows):
        top = TOP + index * row_h
        width = value / biggest * plot_w
        body.append(
            f'<text x="{label_w - 8}" y="{top + 16}" font-size="12" text-anchor="end" fill="{INK}">{escape(label)}'
            f'</text><rect x="{label_w}" y="{top + 3}" width="{max(width, 0.5):.1f}" height="{row_h - 8}" '
            f'fill="{BAR}" stroke="{INK}" stroke-width="0.5"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{label_w + width + 6:.1f}" y="{top + 16}" font-size="12" fill="{INK}">{value:,}</text>'
        )
    return _svg(chart_id, title, description, body, height=height)


def days_to_visa_chart(series: Sequence[tuple[date, float | None, int]], *, target: int, labels: dict) -> Markup:
    """Weekly median days from submission to visa against the target line."""
    bars = [
        Bar(
            label=format_date(monday, "d MMM"),
            value=median,
            text="" if median is None else f"{median:g}",
            title=labels["week_title"].format(
                week=monday.isoformat(), median="—" if median is None else f"{median:g}", visas=visas
            ),
            is_over=median is not None and median > target,
        )
        for monday, median, visas in series
    ]
    highest = max([target] + [bar.value for bar in bars if bar.value is not None])
    top = ((int(highest) // 7) + 1) * 7
    return column_chart(
        "chart-days",
        bars,
        title=labels["days_title"],
        description=labels["days_desc"],
        y_max=top,
        y_ticks=list(range(0, top + 1, 7)),
        reference=(target, labels["target_line"]),
        label_every=4,
    )


def share_chart(series: Sequence[tuple[str, int, int]], *, labels: dict) -> Markup:
    """Share of visas issued within the target, per month."""
    bars = []
    for month, visas, met in series:
        share = met / visas * 100 if visas else None
        bars.append(
            Bar(
                label=month,
                value=share,
                text="" if share is None else f"{share:.0f}%",
                title=labels["month_title"].format(
                    month=month, share="—" if share is None else f"{share:.0f}%", met=met, visas=visas
                ),
            )
        )
    return column_chart(
        "chart-share",
        bars,
        title=labels["share_title"],
        description=labels["share_desc"],
        y_max=100,
        y_ticks=[0, 25, 50, 75, 100],
        y_format="{:g}%",
        label_every=2,
    )
