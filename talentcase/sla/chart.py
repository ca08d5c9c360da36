"""The clock chart: one SVG bar per clock, rendered on the server so it prints and needs no script.

Each bar shows elapsed time split by who it waited on, paused time, the time remaining, the 75 % mark and the due
date; every segment also carries its meaning in words (a title and the legend), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from markupsafe import Markup, escape

from talentcase.sla.engine import CALENDAR, ClockResult

PARTY_COLOURS = {
    "officer": "#1d70b8",
    "company": "#8a4b00",
    "expert": "#4c2c92",
    "authority": "#005a30",
}
REMAINING = "#dedede"
OVERDUE = "#b10e1e"

WIDTH = 640
BAR_Y = 26
BAR_HEIGHT = 22


def clock_svg(
    result: ClockResult,
    *,
    today: date,
    title: str,
    labels: Mapping[str, str],
    day_text: Callable[[date], str] = date.isoformat,
    font_family: str = "",
) -> Markup:
    """An accessible SVG bar for one clock; `labels` names the parties and the words used in the chart, `day_text`
    writes the due date (the app passes its one date format; this module stays free of Flask). On a page the text
    takes the page's fonts; `font_family` names them where it cannot (WeasyPrint's SVG does not inherit CSS)."""
    waiting = {party: days for party, days in result.waiting.items() if days > 0}
    parts = _bars(result, waiting, labels)
    due_text = f"{labels['due']} {day_text(result.due_on)}"
    unit = labels.get(result.day_kind, result.day_kind)
    summary = f"{result.elapsed_days} / {result.target_days} {unit}"
    if result.paused_days:
        summary += f" · {labels['paused']} {result.paused_days}"
    description = ", ".join(f"{labels.get(party, party)} {days}" for party, days in waiting.items())
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    return Markup(
        f'<svg class="clock-chart" viewBox="0 0 {WIDTH} 78" width="100%" role="img"{font} '
        f'aria-labelledby="chart-{result.name}-t chart-{result.name}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{result.name}-t">{escape(title)}</title>'
        f'<desc id="chart-{result.name}-d">{escape(summary)}. {escape(description)}. {escape(due_text)}.</desc>'
        f'<text x="10" y="14" font-size="12" font-weight="bold">{escape(summary)}</text>'
        f'<text x="{WIDTH - 10}" y="14" font-size="12" text-anchor="end">{escape(due_text)}</text>'
        + "".join(parts)
        + "</svg>"
    )


def _bars(result: ClockResult, waiting: Mapping[str, int], labels: Mapping[str, str]) -> list[str]:
    """The bar's segments (the days on each party, the days left), the overdue mark and the at-risk mark."""
    used = sum(waiting.values())
    # The days the clock may run: its target, the days pauses added, and the days a calendar period ran on past a
    # Sunday, holiday or closure (17 days used of 14 is met when the due date rolled over three holidays).
    rolled = len(result.rolled_days) if result.day_kind == CALENDAR else 0
    allowed = result.target_days + result.due_extension_days + rolled
    remaining = max(allowed - used, 0)
    overdue = max(used - allowed, 0)
    total = max(used + remaining, 1)
    scale = (WIDTH - 20) / total
    parts: list[str] = []
    x = 10.0
    for party, days in waiting.items():
        width = days * scale
        label = f"{labels.get(party, party)}: {days}"
        parts.append(
            f'<rect x="{x:.1f}" y="{BAR_Y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{PARTY_COLOURS.get(party, "#505a5f")}"><title>{escape(label)}</title></rect>'
        )
        x += width
    if remaining:
        width = remaining * scale
        parts.append(
            f'<rect x="{x:.1f}" y="{BAR_Y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{REMAINING}" '
            f'stroke="#505a5f" stroke-width="0.5"><title>{escape(labels["remaining"])}: {remaining}</title></rect>'
        )
    if overdue:
        start = 10 + allowed * scale
        parts.append(
            f'<line x1="{start:.1f}" x2="{start:.1f}" y1="{BAR_Y - 6}" y2="{BAR_Y + BAR_HEIGHT + 6}" '
            f'stroke="{OVERDUE}" stroke-width="3"/>'
        )
    risk_x = 10 + (result.at_risk_ratio * result.target_days + result.due_extension_days) * scale
    parts.append(
        f'<line x1="{risk_x:.1f}" x2="{risk_x:.1f}" y1="{BAR_Y - 4}" y2="{BAR_Y + BAR_HEIGHT + 4}" '
        f'stroke="#0b0c0c" stroke-dasharray="3,2" stroke-width="1.5"/>'
        f'<text x="{risk_x:.1f}" y="{BAR_Y - 8}" font-size="11" text-anchor="middle">75%</text>'
    )
    return parts
