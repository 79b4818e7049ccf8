"""Charts as small, accessible SVG pictures, drawn in pure Python.

    chart = monthly_line(title, months, totals, "nl", usual=usual)  # a line per month
    svg = render_svg(chart, "nl")      # bars per category, or a line per month
    uri = svg_data_uri(svg)            # for <img src="..."> and messenger attachments
    text = describe(chart, "nl")       # the same figures in words: alt text, voice

Every picture is sized for a phone (a 320-unit wide `viewBox`, `width="100%"`), carries
`role="img"`, a `<title>` and an `aria-label` with every figure, and escapes all text it was
given: labels come from bank data and may hold anything. A chart's reference amount (the
usual month) is a dashed level across a line chart, named in a key above the plot.

The viewer's font is not known, so text is measured with the widths of a wide sans-serif
face (`text_width`) and kept inside the picture: a long title takes a second line and
moves the chart down, and what is still too wide is cut with `…` (`fit_text`, `wrap_text`,
which the PNG charts use with their own measure).
"""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from kluis.dialogue.formatting import SHORT_MONTHS
from kluis.dialogue.types import Chart
from kluis.money import Locale, Money

WIDTH = 320
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_INK = "#1b2430"
_MUTED = "#4f5b69"
_BRAND = "#0b5d4b"
_GRID = "#d5dbe1"

_EDGE = 8  # text keeps this far from the picture's sides
TITLE_SIZE = 15
_TITLE_BASELINE = 22
_TITLE_LINE = 19  # from one title line's baseline to the next
_TEXT_SIZE = 13
_SMALL_SIZE = 12

# Bar charts: a row per label; label column, bar column, amount column.
_TITLE_HEIGHT = 34  # with a title of one line
_ROW_HEIGHT = 30
_BAR_HEIGHT = 16
_LABEL_MAX_WIDTH = 130  # every category's name in full, when the amounts leave room
_LABEL_MIN_WIDTH = 60
_GAP = 6  # between the columns
_MIN_BAR_SPACE = 40

# Line charts: the plot area inside the picture.
_LINE_HEIGHT = 200
_PLOT_LEFT = 14
_PLOT_RIGHT = WIDTH - 14
_PLOT_TOP = 58
_PLOT_BOTTOM = 164
_MAX_MONTH_LABELS = 7
_MONTH_LABEL_WIDTH = 60
_KEY_SWATCH = 20  # the key's piece of dashed line, at the plot's right end
_KEY_GAP = 6  # between the key's text and its dashes
_KEY_SHARE = 0.6  # of the plot's width, at most

_NO_DATA: dict[Locale, str] = {"nl": "Geen gegevens", "en": "No data"}
_USUAL: dict[Locale, str] = {"nl": "normaal", "en": "usual"}

# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _em_widths(classes: dict[float, str]) -> dict[str, float]:
    return {char: width for width, chars in classes.items() for char in chars}


# Advance widths in em of DejaVu Sans, rounded up to a twentieth: wider than the system faces
# the pictures ask for, and the face browsers fall back to where those are missing.
_REGULAR_EM = _em_widths(
    {
        0.30: "'IJijl",
        0.35: " ,./:;\\|‘’",
        0.40: "()-[]ft",
        0.45: "!r",
        0.50: '"*_`',
        0.55: "?csz“”",
        0.60: "FLkvxy",
        0.65: "$0123456789EPSTYabdeghnopqu{}€",
        0.70: "ABCKRVXZ",
        0.75: "NU",
        0.80: "&DGHOQ",
        0.85: "#+<=>^w~",
        0.90: "M",
        1.00: "%@Wm…",
    }
)
_BOLD_EM = _em_widths(
    {
        0.35: " 'ijl",
        0.40: ",./:;IJ\\|‘’",
        0.45: "-f",
        0.50: "!()[]_`rt",
        0.55: '"*',
        0.60: "?csz",
        0.65: "Lx",
        0.70: "$0123456789EFTaekovy€“”",
        0.75: "CPSYZbdghnpqu{}",
        0.80: "ABKRVX",
        0.85: "#+<=>DGHNU^~",
        0.90: "&OQ",
        0.95: "w",
        1.00: "@M…",
        1.05: "%m",
        1.15: "W",
    }
)
_WIDE_EM = 1.3  # Chinese, Japanese, Korean and emoji
# Whatever else is not in the tables, once accents are folded away.
_OTHER_EM = 1.1
_OTHER_BOLD_EM = 1.35


@lru_cache(maxsize=4096)
def _char_em(char: str, bold: bool) -> float:
    widths = _BOLD_EM if bold else _REGULAR_EM
    if char in widths:
        return widths[char]
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE_EM
    parts = [
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    ]
    if parts and all(part in widths for part in parts):  # `é` is as wide as `e`
        return sum(widths[part] for part in parts)
    return _OTHER_BOLD_EM if bold else _OTHER_EM


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """How wide `text` is at most, in the picture's units, written `size` units high in any of
    the fonts the pictures name; `bold` for the titles' weight."""
    return size * sum(_char_em(char, bold) for char in text)


def _longest_fit(text: str, width_of: Callable[[str], float], width: float, end: str) -> int:
    """The length of the longest start of `text` that, followed by `end`, fits `width`."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if width_of(text[:middle].rstrip() + end) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def fit_text(text: str, width_of: Callable[[str], float], width: float) -> str:
    """`text` cut with `…` so that `width_of` finds it at most `width` wide; empty when not
    even one character fits."""
    if width_of(text) <= width:
        return text
    length = _longest_fit(text, width_of, width, "…")
    return text[:length].rstrip() + "…" if length else ""


def wrap_text(text: str, width_of: Callable[[str], float], width: float) -> tuple[str, ...]:
    """One-line `text` on one line, or on two when it is wider than `width`.

    The break is between words, inside the first word only when that alone is too wide; the
    second line is cut with `…` when it is still too wide."""
    if width_of(text) <= width:
        return (text,)
    words = text.split(" ")
    count = 0
    while width_of(" ".join(words[: count + 1])) <= width:
        count += 1
    if count:
        first, rest = " ".join(words[:count]), " ".join(words[count:])
    else:
        length = max(_longest_fit(text, width_of, width, ""), 1)
        first, rest = text[:length], text[length:]
    return (first, fit_text(rest.strip(), width_of, width))


def title_lines(title: str) -> tuple[str, ...]:
    """The chart's title as the SVG picture writes it: on one line or two."""
    return wrap_text(_plain(title), _title_width, WIDTH - 2 * _EDGE)


def _title_width(text: str) -> float:
    return text_width(text, TITLE_SIZE, bold=True)


def _header_height(lines: Sequence[str]) -> int:
    return _TITLE_HEIGHT + (len(lines) - 1) * _TITLE_LINE


def _clean(text: str) -> str:
    """Text safe to put in XML content or a quoted attribute."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _plain(text: str) -> str:
    """`text` on one line, without what XML cannot hold."""
    return " ".join(_NOT_XML.sub("", text).split())


def _fit(text: str, width: float, size: float = _SMALL_SIZE) -> str:
    """`text` on one line, cut with `…` to be at most `width` wide at `size`."""
    return fit_text(_plain(text), lambda part: text_width(part, size), width)


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
    lines = title_lines(chart.title)
    if not chart.labels:
        return _no_data(chart, locale, lines)
    if chart.kind == "bar":
        return _bar_svg(chart, locale, lines)
    return _line_svg(chart, locale, lines)


def svg_data_uri(svg: str) -> str:
    """A `data:` URI holding the SVG, base64 encoded."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _document(
    chart: Chart, locale: Locale, lines: Sequence[str], height: float, body: Sequence[str]
) -> str:
    title = _clean(" ".join(chart.title.split()))
    written = "".join(
        f'<tspan x="{_EDGE}" y="{_TITLE_BASELINE + index * _TITLE_LINE}">{_clean(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_number(height)}" '
            f'width="100%" role="img" aria-label="{_clean(describe(chart, locale))}" '
            f'font-family="{_FONT}" font-size="{_TEXT_SIZE}" fill="{_INK}">',
            f"<title>{title}</title>",
            f'<rect width="{WIDTH}" height="{_number(height)}" fill="#ffffff"/>',
            f'<text font-size="{TITLE_SIZE}" font-weight="600">{written}</text>',
            *body,
            "</svg>",
        ]
    )


def _no_data(chart: Chart, locale: Locale, lines: Sequence[str]) -> str:
    top = _header_height(lines)
    body = [
        f'<text x="{WIDTH // 2}" y="{top + 22}" text-anchor="middle" '
        f'fill="{_MUTED}">{_NO_DATA[locale]}</text>'
    ]
    return _document(chart, locale, lines, top + 40, body)


def _bar_svg(chart: Chart, locale: Locale, lines: Sequence[str]) -> str:
    """A row per label: the label, in a column as wide as the widest; the bar; the amount at
    the right edge. The amounts get their room first, then the labels (within limits), and
    the bars what is left."""
    top = _header_height(lines)
    largest = max(max(chart.values), Decimal(0))
    amounts = [_amount(value, chart.currency, locale) for value in chart.values]
    widest = max(text_width(amount, _TEXT_SIZE) for amount in amounts)
    beside_amounts = WIDTH - 2 * _EDGE - 2 * _GAP - _MIN_BAR_SPACE - widest
    label_room = max(min(beside_amounts, _LABEL_MAX_WIDTH), _LABEL_MIN_WIDTH)
    labels = [_fit(label, label_room) for label in chart.labels]
    label_right = round(_EDGE + max(text_width(label, _SMALL_SIZE) for label in labels), 1)
    bar_left = label_right + _GAP
    beside_labels = WIDTH - _EDGE - _GAP - bar_left
    amount_room = min(widest, beside_labels - _MIN_BAR_SPACE)
    bar_space = beside_labels - amount_room
    body: list[str] = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        middle = top + index * _ROW_HEIGHT + _ROW_HEIGHT / 2
        length = float(value / largest) * bar_space if largest > 0 and value > 0 else 0.0
        amount = amounts[index]
        body.append(
            "<g>"
            f"<title>{_clean(label)}: {_clean(amount)}</title>"
            f'<text x="{_number(label_right)}" y="{_number(middle + 4)}" text-anchor="end" '
            f'font-size="{_SMALL_SIZE}">{_clean(labels[index])}</text>'
            f'<rect x="{_number(bar_left)}" y="{_number(middle - _BAR_HEIGHT / 2)}" '
            f'width="{_number(max(length, 2.0))}" height="{_BAR_HEIGHT}" rx="3" '
            f'fill="{_BRAND if length > 0 else _GRID}"/>'
            f'<text x="{WIDTH - _EDGE}" y="{_number(middle + 4.5)}" text-anchor="end" '
            'font-variant-numeric="tabular-nums">'
            f"{_clean(_fit(amount, amount_room, _TEXT_SIZE))}</text>"
            "</g>"
        )
    return _document(chart, locale, lines, top + _ROW_HEIGHT * len(chart.labels) + 8, body)


def _line_svg(chart: Chart, locale: Locale, lines: Sequence[str]) -> str:
    shift = _header_height(lines) - _TITLE_HEIGHT  # a second title line moves the plot down
    plot_top, plot_bottom = _PLOT_TOP + shift, _PLOT_BOTTOM + shift
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
            return float(plot_bottom)
        share = float((value - bottom_value) / span)
        return plot_bottom - share * (plot_bottom - plot_top)

    highest = _fit(_amount(top_value, chart.currency, locale), WIDTH / 2 - _EDGE)
    body = [
        # The highest figure above the plot, the baseline below it.
        f'<text x="{_EDGE}" y="{plot_top - 14}" fill="{_MUTED}" font-size="{_SMALL_SIZE}">'
        f"{_clean(highest)}</text>",
        f'<line x1="{_PLOT_LEFT}" y1="{plot_top}" x2="{_PLOT_RIGHT}" y2="{plot_top}" '
        f'stroke="{_GRID}" stroke-dasharray="4 4"/>',
        f'<line x1="{_PLOT_LEFT}" y1="{_number(y_of(Decimal(0)))}" x2="{_PLOT_RIGHT}" '
        f'y2="{_number(y_of(Decimal(0)))}" stroke="{_GRID}"/>',
    ]
    points = [(x_of(index), y_of(value)) for index, value in enumerate(values)]
    if reference is not None:  # under the line, so that no figure is hidden
        beside = _EDGE + text_width(highest, _SMALL_SIZE) + 12
        body.extend(
            _reference_svg(chart, reference, (y_of(reference), plot_top - 14), beside, locale)
        )
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
                f'<text x="{_number(x)}" y="{plot_bottom + 22}" text-anchor="{anchor}" '
                f'fill="{_MUTED}" font-size="{_SMALL_SIZE}">'
                f"{_clean(_fit(label, _MONTH_LABEL_WIDTH))}</text>"
            )
    if count == 1:
        amount = _fit(_amount(values[0], chart.currency, locale), WIDTH - 2 * _EDGE, _TEXT_SIZE)
        x, y = points[0]
        # High up, the amount goes under the point: the reference's key is above the plot.
        under = reference is not None and y < (plot_top + plot_bottom) / 2
        body.append(
            f'<text x="{_number(x)}" y="{_number(y + 22 if under else y - 12)}" '
            'text-anchor="middle">'
            f"{_clean(amount)}</text>"
        )
    return _document(chart, locale, lines, _LINE_HEIGHT + shift, body)


def _reference_svg(
    chart: Chart, reference: Decimal, where: tuple[float, float], beside: float, locale: Locale
) -> list[str]:
    """The reference as a dashed level across the plot, and a key above the plot's right end
    (where the data never is): `normaal € 3.263 - -`. `where` holds the level's height and the
    key's baseline; the key starts no further left than `beside`."""
    level, row = where
    label, amount = _plain(chart.reference_label), _amount(reference, chart.currency, locale)
    named = f"{label}: {amount}" if label else amount
    end = _PLOT_RIGHT - _KEY_SWATCH - _KEY_GAP
    room = min(end - beside, (_PLOT_RIGHT - _PLOT_LEFT) * _KEY_SHARE)
    whole = _fit(_whole_amount(reference, chart.currency, locale), room)
    short = _fit(label, room - text_width(f" {whole}", _SMALL_SIZE))
    key = f"{short} {whole}" if short else whole
    dashes = f'stroke="{_MUTED}" stroke-width="1.5" stroke-dasharray="6 4"'
    return [
        f"<g><title>{_clean(named)}</title>"
        f'<line x1="{_PLOT_LEFT}" y1="{_number(level)}" x2="{_PLOT_RIGHT}" y2="{_number(level)}" '
        f"{dashes}/></g>",
        f'<line x1="{_PLOT_RIGHT - _KEY_SWATCH}" y1="{row - 4}" x2="{_PLOT_RIGHT}" y2="{row - 4}" '
        f"{dashes}/>",
        f'<text x="{end}" y="{row}" text-anchor="end" fill="{_MUTED}" '
        f'font-size="{_SMALL_SIZE}">{_clean(key)}</text>',
    ]
