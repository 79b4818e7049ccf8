"""Charts as PNG pictures for the messaging platforms, drawn with Pillow.

    png = chart_png(chart, "nl")       # bytes of an 800-pixel-wide PNG

The pictures follow the web's SVG charts (`kluis.insights.charts`): the same colours, bars
per category in the order given with the label on the left and the amount at the end of the
bar, or a line per month with its points, month labels and a few gridlines with amounts,
and the chart's reference amount (the usual month) as a dashed, labelled level. Text is
large enough to read on a phone. The same chart always gives the same bytes.

Pillow's built-in font draws ASCII and little else, so text is made drawable first: accents
are folded away (`Café` -> `Cafe`), the euro sign is drawn by hand, and what cannot be shown
at all becomes `?`. Labels come from bank data and may hold anything; they are cut with `…`
to fit. A title too wide for one line takes a second, moving the chart down.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    localcontext,
)
from functools import lru_cache, partial

from PIL import Image, ImageDraw, ImageFont

from kluis.dialogue.formatting import Lang, money
from kluis.dialogue.types import Chart
from kluis.errors import ConfigError
from kluis.insights.charts import fit_text, reference_of, wrap_text
from kluis.money import Money

WIDTH = 800
# The web charts' colours.
INK = "#1b2430"
MUTED = "#4f5b69"
BRAND = "#0b5d4b"
GRID = "#d5dbe1"
BACKGROUND = "#ffffff"

_MARGIN = 20
_TITLE_SIZE = 36
_TEXT_SIZE = 30
_SMALL_SIZE = 26
_TITLE_HEIGHT = 86  # with a title of one line
_TITLE_LINE = 44  # from the middle of one title line to the next

# Bar charts: a row per label; the label column, then the bar with its amount after it.
# The label column is as wide as its longest label, between these bounds; a label wider
# than the widest column is cut.
_ROW_HEIGHT = 72
_BAR_HEIGHT = 40
_LABEL_RIGHT_MIN = 150
_LABEL_RIGHT_MAX = 400
_LABEL_GAP = 15
_AMOUNT_GAP = 12
_STUB = 5  # a zero or negative amount still gets a sliver, in the grid colour
_MIN_BAR_SPACE = 150
MAX_BARS = 40

# Line charts: the plot area inside the picture; gridline amounts in a column on the left.
_LINE_HEIGHT = 520
_PLOT_TOP = 120
_PLOT_BOTTOM = 420
_MONTH_LABELS_Y = 462
_AXIS_MAX_WIDTH = 260
_GRIDLINES = 4
_POINT_RADIUS = 10
_LINE_WIDTH = 6
_MAX_MONTH_LABELS = 7
_MONTH_LABEL_WIDTH = 160
# The reference level: dashes across the plot, and a key between the title and the plot.
_DASH = 16
_DASH_GAP = 10
_REFERENCE_LINE_WIDTH = 3
_KEY_Y = 92
_KEY_GAP = 12  # between the key's text and its dashes
_KEY_SHARE = 0.6  # of the plot's width, at most

_NOTHING: dict[Lang, str] = {
    "nl": "Er zijn geen bedragen om te laten zien.",
    "en": "There are no amounts to show.",
}
_MORE: dict[Lang, str] = {"nl": "… en nog {count}", "en": "… and {count} more"}

# Characters the built-in font lacks, with what to write instead (accents fold by themselves).
_REPLACEMENTS = {
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "–": "-",
    "—": "-",
    "−": "-",
    "•": "·",
}
_EURO = "€"
# Room enough for the geometry of absurdly large amounts; precision stays the default.
_WIDE = Context(Emax=MAX_EMAX, Emin=MIN_EMIN)

Font = ImageFont.FreeTypeFont
_Scale = Callable[[Decimal], float]


def chart_png(chart: Chart, lang: Lang) -> bytes:
    """The chart as a PNG picture; bars keep the order they were given in.

    A chart without figures, or with only zeros, is a picture that says there is nothing
    to show. Raises `ValueError` when the labels and values do not pair up.
    """
    if len(chart.labels) != len(chart.values):
        raise ValueError("a chart needs one value per label")
    values = tuple(value if value.is_finite() else Decimal(0) for value in chart.values)
    if not any(values):
        image = _nothing(chart, lang)
    elif chart.kind == "bar":
        image = _bars(chart, values, lang)
    else:
        image = _line(chart, values, lang)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# -- text -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _font(size: int) -> Font:
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise ConfigError("chart images need Pillow with FreeType support")
    return font


@lru_cache(maxsize=2048)
def _has_glyph(char: str) -> bool:
    """Whether the built-in font draws `char` as itself rather than as an empty box."""
    return _glyph_pixels(char) != _glyph_pixels("\ue000")


@lru_cache(maxsize=2048)
def _glyph_pixels(char: str) -> bytes:
    image = Image.new("L", (48, 48))
    ImageDraw.Draw(image).text((8, 8), char, font=_font(24), fill=255)
    return image.tobytes()


@lru_cache(maxsize=2048)
def _drawable_char(char: str) -> str:
    if char == _EURO or char == " " or _has_glyph(char):
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    if unicodedata.category(char)[0] in "CZ":  # controls, formats, odd spaces
        return ""
    folded = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    )
    if folded and folded != char and all(_has_glyph(part) for part in folded):
        return folded
    return "?" if unicodedata.category(char)[0] in "LN" else ""


def _printable(text: str) -> str:
    """`text` on one line in characters the built-in font can draw."""
    drawable = "".join(_drawable_char(char) for char in " ".join(text.split()))
    return " ".join(drawable.split())


def _euro_shape(font: Font) -> tuple[int, int]:
    """Where the euro sign's bars start, and where its `C` is drawn, from the left of its
    place: the bars reach out of the `C` to the left, and keep a side bearing of their own."""
    _, top, _, bottom = font.getbbox("C", anchor="lm")
    height = bottom - top
    return round(height * 0.08), round(height * 0.2)


def _euro_advance(font: Font) -> float:
    return _euro_shape(font)[1] + font.getlength("C")


def _width(text: str, font: Font) -> float:
    parts = text.split(_EURO)
    return sum(font.getlength(part) for part in parts) + (len(parts) - 1) * _euro_advance(font)


def _fit(text: str, font: Font, width: float) -> str:
    """`text` cut with `…` so that it is at most `width` pixels wide."""
    return fit_text(_printable(text), partial(_width, font=font), width)


def _draw_euro(draw: ImageDraw.ImageDraw, x: float, y: float, font: Font, fill: str) -> None:
    """A euro sign from a `C` with two bars through it (the built-in font has none), in its
    place from `x` to `x + _euro_advance(font)`."""
    bars, letter = _euro_shape(font)
    draw.text((x + letter, y), "C", font=font, fill=fill, anchor="lm")
    left, top, right, bottom = font.getbbox("C", anchor="lm")
    height = bottom - top
    stroke = max(2, round(height / 14))
    start, end = x + bars, x + letter + left + (right - left) * 0.62
    for share in (0.38, 0.6):
        level = round(y + top + height * share)
        draw.line([(start, level), (end, level)], fill=fill, width=stroke)


def _write(
    draw: ImageDraw.ImageDraw,
    position: tuple[float, float],
    text: str,
    font: Font,
    fill: str,
    align: str = "left",
) -> None:
    """Draw printable `text` vertically centred on `position`, aligned left/right/centre."""
    x, y = position
    if align == "right":
        x -= _width(text, font)
    elif align == "centre":
        x -= _width(text, font) / 2
    for index, part in enumerate(text.split(_EURO)):
        if index:
            _draw_euro(draw, x, y, font, fill)
            x += _euro_advance(font)
        if part:
            draw.text((x, y), part, font=font, fill=fill, anchor="lm")
            x += font.getlength(part)


def _amount(value: Decimal, currency: str, lang: Lang) -> str:
    try:
        return money(Money(value, currency), lang)
    except (InvalidOperation, ValueError):  # beyond what a currency format can hold
        number = f"{value:.2E}"
        return f"{currency} {number.replace('.', ',') if lang == 'nl' else number}"


# -- pictures -----------------------------------------------------------------------------


def _title_lines(title: str) -> tuple[str, ...]:
    """The chart's title as the picture writes it: on one line or two."""
    font = _font(_TITLE_SIZE)
    return wrap_text(_printable(title), partial(_width, font=font), WIDTH - 2 * _MARGIN - 2)


def _canvas(chart: Chart, below: int) -> tuple[Image.Image, ImageDraw.ImageDraw, int]:
    """A picture with the chart's title on top and `below` pixels under it; also the height
    of the title's part, where the chart starts."""
    lines = _title_lines(chart.title)
    top = _TITLE_HEIGHT + (len(lines) - 1) * _TITLE_LINE
    image = Image.new("RGB", (WIDTH, top + below), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = _font(_TITLE_SIZE)
    for index, line in enumerate(lines):
        _write(draw, (_MARGIN, _TITLE_HEIGHT / 2 + index * _TITLE_LINE), line, font, INK)
    return image, draw, top


def _nothing(chart: Chart, lang: Lang) -> Image.Image:
    image, draw, top = _canvas(chart, 100)
    _write(draw, (WIDTH / 2, top + 40), _NOTHING[lang], _font(_TEXT_SIZE), MUTED, "centre")
    return image


def _bars(chart: Chart, values: Sequence[Decimal], lang: Lang) -> Image.Image:
    shown = len(values) if len(values) <= MAX_BARS else MAX_BARS - 1
    rows = shown + (1 if shown < len(values) else 0)
    image, draw, top = _canvas(chart, rows * _ROW_HEIGHT + 16)
    label_font, amount_font = _font(_TEXT_SIZE - 2), _font(_TEXT_SIZE)
    amounts = [_printable(_amount(value, chart.currency, lang)) for value in values[:shown]]
    widest = max(_width(amount, amount_font) for amount in amounts)
    more = _MORE[lang].format(count=len(values) - shown) if shown < len(values) else ""
    labels = [_printable(label) for label in chart.labels[:shown]]
    widest_label = max(_width(text, label_font) for text in [*labels, more])
    room_for_labels = WIDTH - _MARGIN - _AMOUNT_GAP - widest - _MIN_BAR_SPACE - _LABEL_GAP
    label_right = max(
        _LABEL_RIGHT_MIN, min(_MARGIN + widest_label, _LABEL_RIGHT_MAX, room_for_labels)
    )
    bar_left = label_right + _LABEL_GAP
    bar_space = max(WIDTH - _MARGIN - _AMOUNT_GAP - widest - bar_left, _MIN_BAR_SPACE)
    with localcontext(_WIDE):
        largest = max(max(values), Decimal(0))
        shares = [float(value / largest) if largest > 0 and value > 0 else 0.0 for value in values]
    for index in range(shown):
        middle = top + index * _ROW_HEIGHT + _ROW_HEIGHT / 2
        label = _fit(chart.labels[index], label_font, label_right - _MARGIN)
        _write(draw, (label_right, middle), label, label_font, INK, "right")
        length = round(shares[index] * bar_space)
        end = bar_left + max(length, _STUB)
        draw.rounded_rectangle(
            (bar_left, middle - _BAR_HEIGHT / 2, end - 1, middle + _BAR_HEIGHT / 2 - 1),
            radius=7 if length >= 14 else 0,
            fill=BRAND if length > 0 else GRID,
        )
        room = WIDTH - _MARGIN - end - _AMOUNT_GAP
        amount = _fit(amounts[index], amount_font, room)
        _write(draw, (end + _AMOUNT_GAP, middle), amount, amount_font, INK)
    if more:
        middle = top + shown * _ROW_HEIGHT + _ROW_HEIGHT / 2
        more = _fit(more, label_font, label_right - _MARGIN)
        _write(draw, (label_right, middle), more, label_font, MUTED, "right")
    return image


def _nice_step(span: Decimal) -> Decimal:
    """A round distance between gridlines: 1, 2, 2.5 or 5 times a power of ten."""
    raw = span / _GRIDLINES
    power = Decimal(1).scaleb(raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if factor * power >= raw:
            return max(factor * power, Decimal("0.01"))
    return max(10 * power, Decimal("0.01"))


def _gridlines(values: Sequence[Decimal]) -> list[Decimal]:
    """The amounts the gridlines stand at, from the lowest to the highest; zero among them."""
    top = max(max(values), Decimal(0))
    bottom = min(min(values), Decimal(0))
    step = _nice_step(top - bottom)
    first = (bottom / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (top / step).to_integral_value(rounding=ROUND_CEILING)
    count = int(last - first)
    return [(first + number) * step for number in range(count + 1)]


def _axis_label(value: Decimal, currency: str, lang: Lang, whole: bool) -> str:
    text = _printable(_amount(value, currency, lang))
    if whole and text[-3:] in (",00", ".00"):
        return text[:-3]
    return text


def _line(chart: Chart, values: Sequence[Decimal], lang: Lang) -> Image.Image:
    image, draw, top = _canvas(chart, _LINE_HEIGHT - _TITLE_HEIGHT)
    shift = top - _TITLE_HEIGHT  # a second title line moves the chart down
    plot_top, plot_bottom = _PLOT_TOP + shift, _PLOT_BOTTOM + shift
    small = _font(_SMALL_SIZE)
    reference = reference_of(chart)
    with localcontext(_WIDE):
        grid = _gridlines([*values, *([] if reference is None else [reference])])
        whole = all(value == value.to_integral_value() for value in grid)
        labels = [_axis_label(value, chart.currency, lang, whole) for value in grid]
        axis = min(max(_width(label, small) for label in labels), _AXIS_MAX_WIDTH)
        left = _MARGIN + axis + 16
        right = WIDTH - _MARGIN - _POINT_RADIUS

        def y_of(value: Decimal) -> float:
            share = float((value - grid[0]) / (grid[-1] - grid[0]))
            return plot_bottom - share * (plot_bottom - plot_top)

        for value, label in zip(grid, labels, strict=True):
            level = round(y_of(value))
            draw.line([(left, level), (right, level)], fill=GRID, width=3 if value == 0 else 1)
            _write(draw, (left - 12, level), _fit(label, small, axis), small, MUTED, "right")
        points = _points(values, left, right, y_of)
        if reference is not None:  # drawn first, under the line: no figure is hidden
            where = (left, right, round(y_of(reference)), _KEY_Y + shift)
            _reference_level(draw, chart, reference, where, lang)
    if len(points) > 1:
        draw.line(points, fill=BRAND, width=_LINE_WIDTH, joint="curve")
    for x, y in points:
        box = (x - _POINT_RADIUS, y - _POINT_RADIUS, x + _POINT_RADIUS, y + _POINT_RADIUS)
        draw.ellipse(box, fill=BACKGROUND, outline=BRAND, width=_LINE_WIDTH)
    _month_labels(draw, chart.labels, points, _MONTH_LABELS_Y + shift)
    if len(points) == 1:
        amount = _printable(_amount(values[0], chart.currency, lang))
        x, y = points[0]
        # High up, the amount goes under the point: the reference's key is above the plot.
        under = reference is not None and y < (plot_top + plot_bottom) / 2
        _write(draw, (x, y + 36 if under else y - 36), amount, _font(_TEXT_SIZE), INK, "centre")
    return image


def _reference_level(
    draw: ImageDraw.ImageDraw,
    chart: Chart,
    reference: Decimal,
    where: tuple[float, float, int, int],
    lang: Lang,
) -> None:
    """The reference as a dashed level from `left` to `right` at `level`, and a key centred
    on `key_y` above the plot's right end (where the data never is): `normaal € 3.263 - -`."""
    left, right, level, key_y = where
    _dashes(draw, left, right, level)
    swatch = right - 2 * _DASH - _DASH_GAP
    _dashes(draw, swatch, right, key_y)
    font = _font(_SMALL_SIZE)
    with localcontext(_WIDE):
        whole = reference.to_integral_value(rounding=ROUND_HALF_UP)
        amount = _axis_label(whole, chart.currency, lang, whole=True)
    amount = _fit(amount, font, (right - left) * _KEY_SHARE)
    end = swatch - _KEY_GAP
    _write(draw, (end, key_y), amount, font, MUTED, "right")
    end -= _width(f" {amount}", font)
    name = _fit(chart.reference_label, font, (right - left) * _KEY_SHARE - (swatch - end))
    _write(draw, (end, key_y), name, font, MUTED, "right")


def _dashes(draw: ImageDraw.ImageDraw, start: float, end: float, level: float) -> None:
    while start < end:
        dash_end = min(start + _DASH, end)
        draw.line([(start, level), (dash_end, level)], fill=MUTED, width=_REFERENCE_LINE_WIDTH)
        start += _DASH + _DASH_GAP


def _points(
    values: Sequence[Decimal], left: float, right: float, y_of: _Scale
) -> list[tuple[float, float]]:
    if len(values) == 1:
        return [((left + right) / 2, y_of(values[0]))]
    step = (right - left) / (len(values) - 1)
    return [(left + index * step, y_of(value)) for index, value in enumerate(values)]


def _month_labels(
    draw: ImageDraw.ImageDraw,
    labels: Sequence[str],
    points: Sequence[tuple[float, float]],
    row: int,
) -> None:
    """Every month's label when there is room, else every second or third, and the last;
    centred on `row`."""
    font = _font(_SMALL_SIZE)
    count = len(points)
    every = max(1, -(-count // _MAX_MONTH_LABELS))
    spacing = (points[-1][0] - points[0][0]) / (count - 1) if count > 1 else WIDTH
    room = min(_MONTH_LABEL_WIDTH, spacing * every - 12)
    for index, ((x, _), label) in enumerate(zip(points, labels, strict=True)):
        last = index == count - 1
        if not last and (index % every or count - 1 - index < every):
            continue  # keeps the last label clear of the one before it
        text = _fit(label, font, room)
        align = "centre"
        if count > 1 and index == 0:
            align, x = "left", x - _POINT_RADIUS
        elif count > 1 and index == count - 1:
            align, x = "right", x + _POINT_RADIUS
        _write(draw, (x, row), text, font, MUTED, align)
