"""Charts as small, accessible SVG pictures, drawn in pure Python.

    chart = monthly_line(title, months, totals, "nl", usual=usual)  # a line per month
    svg = render_svg(chart, "nl")      # bars per category, or a line per month
    uri = svg_data_uri(svg)            # for <img src="..."> and messenger attachments
    text = describe(chart, "nl")       # the same figures in words: alt text, voice

Every picture is sized for a phone (a 320-unit wide `viewBox`, `width="100%"`), carries
`role="img"`, a `<title>` and an `aria-label` with every figure, and escapes all text it was
given: labels come from bank data and may hold anything. A chart's reference amount (the
usual month) is a dashed level across a line chart, named in a key above the plot.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kluis.dialogue.formatting import SHORT_MONTHS
from kluis.dialogue.types import Chart
from kluis.money import Locale, Money

WIDTH = 320
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_INK = "#1b2430"
_MUTED = "#4f5b69"
_BRAND = "#0b5d4b"
_GRID = "#d5dbe1"

# Bar charts: a row per label; label column, bar column, amount column.
_TITLE_HEIGHT = 34
_ROW_HEIGHT = 30
_BAR_HEIGHT = 16
_LABEL_RIGHT = 102
_BAR_LEFT = 108
_BAR_MAX = 116
_LABEL_CHARS = 14

# Line charts: the plot area inside the picture.
_LINE_HEIGHT = 200
_PLOT_LEFT = 14
_PLOT_RIGHT = WIDTH - 14
_PLOT_TOP = 58
_PLOT_BOTTOM = 164
_MAX_MONTH_LABELS = 7
_REFERENCE_LABEL_CHARS = 12
_KEY_SWATCH = 20  # the key's piece of dashed line, at the plot's right end

_NO_DATA: dict[Locale, str] = {"nl": "Geen gegevens", "en": "No data"}
_USUAL: dict[Locale, str] = {"nl": "normaal", "en": "usual"}

# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text safe to put in XML content or a quoted attribute."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _plain(text: str) -> str:
    """`text` on one line, without what XML cannot hold."""
    return " ".join(_NOT_XML.sub("", text).split())


def _shorten(text: str, limit: int) -> str:
    text = _plain(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _amount(value: Decimal, currency: str, locale: Locale) -> str:
    return Money(value, currency).format(locale)


def _whole_amount(value: Decimal, currency: str, locale: Locale) -> str:
    """The amount rounded to whole units, without `,00`: `€ 3.263`."""
    text = _amount(value.to_integral_value(rounding=ROUND_HALF_UP), currency, locale)
    return text[:-3] if text[-3:] in (",00", ".00") else text


def _number(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def reference_of(chart: Chart) -> Decimal | None:
    """The chart's reference amount, when it has one that can be drawn."""
    reference = chart.reference
    return reference if reference is not None and reference.is_finite() else None


def describe(chart: Chart, locale: Locale) -> str:
    """The chart's figures in words, for alt text and screen readers; its reference amount
    last: `Uitgaven per maand: okt € 3.100,00, ..., normaal € 3.262,78.`"""
    title = _plain(chart.title)
    if not chart.labels:
        return f"{title}: {_NO_DATA[locale].lower()}."
    figures = [
        f"{_plain(label)} {_amount(value, chart.currency, locale)}"
        for label, value in zip(chart.labels, chart.values, strict=False)
    ]
    reference = reference_of(chart)
    if reference is not None:
        amount = _amount(reference, chart.currency, locale)
        figures.append(" ".join(filter(None, (_plain(chart.reference_label), amount))))
    return f"{title}: {', '.join(figures)}."


def month_label(month: date, locale: Locale, *, with_year: bool = False) -> str:
    """`mrt` / `Mar`, or `jan '26` when the year matters."""
    name = SHORT_MONTHS[locale][month.month - 1]
    return f"{name} '{month.year % 100:02d}" if with_year else name


def monthly_line(
    title: str,
    months: Sequence[date],
    totals: Sequence[Money],
    locale: Locale,
    *,
    usual: Money | None = None,
) -> Chart:
    """A line chart of one amount per month, oldest first; `usual`, the customer's usual
    month, becomes a dashed reference level labelled "normaal" / "usual".

    Where the months cross a new year, the first month and every January carry the year,
    so that "jan" on the axis is never ambiguous."""
    if len(months) != len(totals):
        raise ValueError("a chart needs one value per label")
    if usual is not None and any(total.currency != usual.currency for total in totals):
        raise ValueError("the usual month must be in the currency of the months")
    crosses = len({month.year for month in months}) > 1
    labels = tuple(
        month_label(month, locale, with_year=crosses and (index == 0 or month.month == 1))
        for index, month in enumerate(months)
    )
    currency = totals[0].currency if totals else usual.currency if usual else "EUR"
    return Chart(
        kind="line",
        title=title,
        labels=labels,
        values=tuple(total.amount for total in totals),
        currency=currency,
        reference=usual.amount if usual else None,
        reference_label=_USUAL[locale] if usual else "",
    )


def render_svg(chart: Chart, locale: Locale) -> str:
    """The chart as a standalone SVG document; bars keep the order they were given in."""
    if len(chart.labels) != len(chart.values):
        raise ValueError("a chart needs one value per label")
    if chart.kind == "bar":
        return _bar_svg(chart, locale)
    return _line_svg(chart, locale)


def svg_data_uri(svg: str) -> str:
    """A `data:` URI holding the SVG, base64 encoded."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _document(chart: Chart, locale: Locale, height: int, body: Sequence[str]) -> str:
    title = _clean(" ".join(chart.title.split()))
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" role="img" aria-label="{_clean(describe(chart, locale))}" '
            f'font-family="{_FONT}" font-size="13" fill="{_INK}">',
            f"<title>{title}</title>",
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            f'<text x="8" y="22" font-size="15" font-weight="600">'
            f"{_clean(_shorten(chart.title, 38))}</text>",
            *body,
            "</svg>",
        ]
    )


def _no_data(chart: Chart, locale: Locale) -> str:
    height = _TITLE_HEIGHT + 40
    body = [
        f'<text x="{WIDTH // 2}" y="{_TITLE_HEIGHT + 22}" text-anchor="middle" '
        f'fill="{_MUTED}">{_NO_DATA[locale]}</text>'
    ]
    return _document(chart, locale, height, body)


def _bar_svg(chart: Chart, locale: Locale) -> str:
    if not chart.labels:
        return _no_data(chart, locale)
    largest = max(max(chart.values), Decimal(0))
    height = _TITLE_HEIGHT + _ROW_HEIGHT * len(chart.labels) + 8
    body: list[str] = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        top = _TITLE_HEIGHT + index * _ROW_HEIGHT
        middle = top + _ROW_HEIGHT / 2
        length = float(value / largest) * _BAR_MAX if largest > 0 and value > 0 else 0.0
        amount = _amount(value, chart.currency, locale)
        body.append(
            "<g>"
            f"<title>{_clean(label)}: {_clean(amount)}</title>"
            f'<text x="{_LABEL_RIGHT}" y="{_number(middle + 4)}" text-anchor="end" font-size="12">'
            f"{_clean(_shorten(label, _LABEL_CHARS))}</text>"
            f'<rect x="{_BAR_LEFT}" y="{_number(middle - _BAR_HEIGHT / 2)}" '
            f'width="{_number(max(length, 2.0))}" height="{_BAR_HEIGHT}" rx="3" '
            f'fill="{_BRAND if length > 0 else _GRID}"/>'
            f'<text x="{WIDTH - 8}" y="{_number(middle + 4.5)}" text-anchor="end" '
            f'font-variant-numeric="tabular-nums">{_clean(amount)}</text>'
            "</g>"
        )
    return _document(chart, locale, height, body)


def _line_svg(chart: Chart, locale: Locale) -> str:
    if not chart.labels:
        return _no_data(chart, locale)
    values = chart.values
    reference = reference_of(chart)
    levels = [*values, Decimal(0), *([] if reference is None else [reference])]
    top_value, bottom_value = max(levels), min(levels)
    span = top_value - bottom_value
    count = len(values)
    step = (_PLOT_RIGHT - _PLOT_LEFT) / (count - 1) if count > 1 else 0.0

    def x_of(index: int) -> float:
        if count == 1:
            return (_PLOT_LEFT + _PLOT_RIGHT) / 2
        return _PLOT_LEFT + index * step

    def y_of(value: Decimal) -> float:
        if span == 0:
            return float(_PLOT_BOTTOM)
        share = float((value - bottom_value) / span)
        return _PLOT_BOTTOM - share * (_PLOT_BOTTOM - _PLOT_TOP)

    body = [
        # The highest figure above the plot, the baseline below it.
        f'<text x="8" y="{_PLOT_TOP - 14}" fill="{_MUTED}" font-size="12">'
        f"{_clean(_amount(top_value, chart.currency, locale))}</text>",
        f'<line x1="{_PLOT_LEFT}" y1="{_PLOT_TOP}" x2="{_PLOT_RIGHT}" y2="{_PLOT_TOP}" '
        f'stroke="{_GRID}" stroke-dasharray="4 4"/>',
        f'<line x1="{_PLOT_LEFT}" y1="{_number(y_of(Decimal(0)))}" x2="{_PLOT_RIGHT}" '
        f'y2="{_number(y_of(Decimal(0)))}" stroke="{_GRID}"/>',
    ]
    points = [(x_of(index), y_of(value)) for index, value in enumerate(values)]
    if reference is not None:  # under the line, so that no figure is hidden
        body.extend(_reference_svg(chart, reference, y_of(reference), locale))
    if count > 1:
        path = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{_BRAND}" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    every = max(1, -(-count // _MAX_MONTH_LABELS))
    for index, ((x, y), label, value) in enumerate(zip(points, chart.labels, values, strict=True)):
        amount = _amount(value, chart.currency, locale)
        body.append(
            f"<g><title>{_clean(label)}: {_clean(amount)}</title>"
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="4" fill="#ffffff" '
            f'stroke="{_BRAND}" stroke-width="2.5"/></g>'
        )
        if index % every == 0 or index == count - 1:
            anchor = "middle"
            if count > 1 and index == 0:
                anchor = "start"
            elif count > 1 and index == count - 1:
                anchor = "end"
            body.append(
                f'<text x="{_number(x)}" y="{_PLOT_BOTTOM + 22}" text-anchor="{anchor}" '
                f'fill="{_MUTED}" font-size="12">{_clean(_shorten(label, 9))}</text>'
            )
    if count == 1:
        amount = _amount(values[0], chart.currency, locale)
        x, y = points[0]
        # High up, the amount goes under the point: the reference's key is above the plot.
        under = reference is not None and y < (_PLOT_TOP + _PLOT_BOTTOM) / 2
        body.append(
            f'<text x="{_number(x)}" y="{_number(y + 22 if under else y - 12)}" '
            'text-anchor="middle">'
            f"{_clean(amount)}</text>"
        )
    return _document(chart, locale, _LINE_HEIGHT, body)


def _reference_svg(chart: Chart, reference: Decimal, level: float, locale: Locale) -> list[str]:
    """The reference as a dashed level across the plot, and a key above the plot's right end
    (where the data never is): `normaal € 3.263 - -`."""
    label, amount = _plain(chart.reference_label), _amount(reference, chart.currency, locale)
    named = f"{label}: {amount}" if label else amount
    short, whole = (
        _shorten(label, _REFERENCE_LABEL_CHARS),
        _whole_amount(reference, chart.currency, locale),
    )
    key = f"{short} {whole}" if short else whole
    dashes = f'stroke="{_MUTED}" stroke-width="1.5" stroke-dasharray="6 4"'
    row = _PLOT_TOP - 14
    return [
        f"<g><title>{_clean(named)}</title>"
        f'<line x1="{_PLOT_LEFT}" y1="{_number(level)}" x2="{_PLOT_RIGHT}" y2="{_number(level)}" '
        f"{dashes}/></g>",
        f'<line x1="{_PLOT_RIGHT - _KEY_SWATCH}" y1="{row - 4}" x2="{_PLOT_RIGHT}" y2="{row - 4}" '
        f"{dashes}/>",
        f'<text x="{_PLOT_RIGHT - _KEY_SWATCH - 6}" y="{row}" text-anchor="end" fill="{_MUTED}" '
        f'font-size="12">{_clean(key)}</text>',
    ]
