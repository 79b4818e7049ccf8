"""Charts as PNG pictures: decoded again with Pillow and measured pixel by pixel."""

from __future__ import annotations

import dataclasses
import io
import itertools
from decimal import Decimal

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kluis.dialogue.types import Chart, ChartKind
from kluis.insights.chart_images import BRAND, GRID, MAX_BARS, MUTED, WIDTH, chart_png

Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)


def _rgb(hex_colour: str) -> Colour:
    value = int(hex_colour.lstrip("#"), 16)
    return (value >> 16 & 255, value >> 8 & 255, value & 255)


BRAND_RGB, GRID_RGB, MUTED_RGB = _rgb(BRAND), _rgb(GRID), _rgb(MUTED)


def _chart(kind: ChartKind, pairs: list[tuple[str, str]], title: str = "Uitgaven") -> Chart:
    return Chart(
        kind=kind,
        title=title,
        labels=tuple(label for label, _ in pairs),
        values=tuple(Decimal(value) for _, value in pairs),
    )


def _decode(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image


def _row(image: Image.Image, y: int) -> list[Colour]:
    data = image.crop((0, y, image.width, y + 1)).tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def _bands(image: Image.Image, colour: Colour) -> list[tuple[int, int]]:
    """The runs of rows (first, last) that hold pixels of `colour`."""
    bands: list[tuple[int, int]] = []
    for y in range(image.height):
        if colour not in _row(image, y):
            continue
        if bands and bands[-1][1] == y - 1:
            bands[-1] = (bands[-1][0], y)
        else:
            bands.append((y, y))
    return bands


def _bar_lengths(image: Image.Image) -> list[int]:
    """How many brand-coloured pixels each bar has on its middle row."""
    return [
        _row(image, (top + bottom) // 2).count(BRAND_RGB)
        for top, bottom in _bands(image, BRAND_RGB)
    ]


Run = tuple[int, int, int]  # row, first column, column after the last


def _white_runs(white: numpy.ndarray) -> list[Run]:
    runs: list[Run] = []
    for y, row in enumerate(white):
        edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], row.astype(int), [0]))))
        runs.extend(
            (y, int(first), int(after))
            for first, after in zip(edges[::2], edges[1::2], strict=True)
        )
    return runs


def _white_areas(white: numpy.ndarray) -> list[list[Run]]:
    """The white areas (4-connected), as runs of pixels on a row."""
    runs = _white_runs(white)
    parent = list(range(len(runs)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    by_row: dict[int, list[int]] = {}
    for index, (y, _, _) in enumerate(runs):
        by_row.setdefault(y, []).append(index)
    for index, (y, first, after) in enumerate(runs):
        for other in by_row.get(y - 1, []):
            _, other_first, other_after = runs[other]
            if first < other_after and other_first < after:
                parent[root(index)] = root(other)
    areas: dict[int, list[Run]] = {}
    for index, run in enumerate(runs):
        areas.setdefault(root(index), []).append(run)
    return list(areas.values())


def _enclosed_white(image: Image.Image) -> list[list[Run]]:
    """White areas away from the picture's border and ringed in the brand colour: the
    insides of the line chart's points (a letter's inside is ringed in grey)."""
    pixels = numpy.asarray(image)
    height, width = pixels.shape[:2]
    white = (pixels == 255).all(axis=2)
    brand = (pixels == numpy.array(BRAND_RGB)).all(axis=2)

    def ringed(area: list[Run]) -> bool:
        for y, first, after in area:
            if y in (0, height - 1) or first == 0 or after == width:
                return False
            if not (brand[y, first - 1] and brand[y, after]):
                return False
            for row in (y - 1, y + 1):
                if not (white[row, first:after] | brand[row, first:after]).all():
                    return False
        return True

    return [area for area in _white_areas(white) if ringed(area)]


def _centre(area: list[Run]) -> tuple[float, float]:
    pixels = [(x, y) for y, first, after in area for x in range(first, after)]
    return (sum(x for x, _ in pixels) / len(pixels), sum(y for _, y in pixels) / len(pixels))


SPENDING = [("Boodschappen", "400.00"), ("Wonen", "1000.00"), ("Uit eten", "100.00")]
MONTHS = [("okt", "1800"), ("nov", "2100"), ("dec", "2650"), ("jan", "1500"), ("feb", "1700")]


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_a_chart_is_an_rgb_png_sized_for_a_phone(kind: ChartKind) -> None:
    image = _decode(chart_png(_chart(kind, SPENDING), "nl"))
    assert image.mode == "RGB"
    assert image.width == WIDTH
    assert 150 < image.height < 1000
    assert _row(image, 0) == [WHITE] * WIDTH, "a white background"


def test_the_picture_grows_with_the_number_of_bars() -> None:
    heights = [
        _decode(chart_png(_chart("bar", SPENDING * count), "nl")).height for count in (1, 2, 3)
    ]
    per_three_bars = heights[1] - heights[0]
    assert per_three_bars > 100, "every bar has a readable row"
    assert heights[2] - heights[1] == per_three_bars


def test_bars_are_as_long_as_their_values_in_the_order_given() -> None:
    pairs = [("Boodschappen", "400"), ("Wonen", "1000"), ("Uit eten", "100"), ("Sport", "250")]
    lengths = _bar_lengths(_decode(chart_png(_chart("bar", pairs), "nl")))
    assert len(lengths) == 4
    longest = lengths[1]
    assert longest > 250, "the largest amount gets a long bar"
    for (_, value), length in zip(pairs, lengths, strict=True):
        assert abs(length - longest * int(value) / 1000) <= 2


def test_zero_and_negative_amounts_get_a_grey_sliver_instead_of_a_bar() -> None:
    pairs = [("Boodschappen", "500"), ("Niets", "0"), ("Terugbetaling", "-30")]
    image = _decode(chart_png(_chart("bar", pairs), "nl"))
    assert len(_bands(image, BRAND_RGB)) == 1
    slivers = _bands(image, GRID_RGB)
    assert len(slivers) == 2
    for top, bottom in slivers:
        assert 0 < _row(image, (top + bottom) // 2).count(GRID_RGB) <= 6


def test_only_negative_amounts_still_show_their_rows() -> None:
    image = _decode(chart_png(_chart("bar", [("Terug", "-10"), ("Retour", "-20")]), "en"))
    assert len(_bands(image, GRID_RGB)) == 2
    assert not _bands(image, BRAND_RGB)


def test_the_line_chart_has_a_point_per_month_at_its_height() -> None:
    image = _decode(chart_png(_chart("line", MONTHS), "nl"))
    points = sorted(_centre(area) for area in _enclosed_white(image))
    assert len(points) == len(MONTHS)
    xs = [x for x, _ in points]
    gaps = [later - earlier for earlier, later in itertools.pairwise(xs)]
    assert max(gaps) - min(gaps) <= 2, "months are evenly spaced"
    assert xs[-1] - xs[0] > WIDTH / 2, "the line uses the width"
    by_height = sorted(range(len(points)), key=lambda index: points[index][1])
    by_value = sorted(range(len(MONTHS)), key=lambda index: -int(MONTHS[index][1]))
    assert by_height == by_value, "a larger amount is higher up"
    (_, high), (_, low) = points[2], points[3]
    (_, ok), (_, nov) = points[0], points[1]
    assert abs((low - high) / (ok - nov) - (2650 - 1500) / (2100 - 1800)) < 0.1


def test_the_line_chart_has_a_few_gridlines() -> None:
    image = _decode(chart_png(_chart("line", MONTHS), "en"))
    gridlines = [
        band for band in _bands(image, GRID_RGB) if _row(image, band[0]).count(GRID_RGB) > WIDTH / 2
    ]
    assert 3 <= len(gridlines) <= 7


def test_negative_months_fall_below_the_zero_line() -> None:
    months = [("jan", "300"), ("feb", "-200"), ("mrt", "100")]
    image = _decode(chart_png(_chart("line", months), "nl"))
    points = sorted(_centre(area) for area in _enclosed_white(image))
    assert len(points) == 3
    assert points[1][1] > points[2][1] > points[0][1]


def test_one_month_is_one_point() -> None:
    image = _decode(chart_png(_chart("line", [("mrt", "980.40")]), "nl"))
    assert len(_enclosed_white(image)) == 1


def test_the_same_chart_gives_the_same_bytes() -> None:
    for kind in ("bar", "line"):
        chart = _chart(kind, SPENDING)
        assert chart_png(chart, "nl") == chart_png(chart, "nl")
        assert chart_png(chart, "nl") != chart_png(chart, "en"), "amounts in each language"


@pytest.mark.parametrize("kind", ["bar", "line"])
@pytest.mark.parametrize("pairs", [[], [("Wonen", "0"), ("Sport", "0.00")]])
def test_nothing_to_show_is_still_a_picture_that_says_so(
    kind: ChartKind, pairs: list[tuple[str, str]]
) -> None:
    png = chart_png(_chart(kind, pairs), "nl")
    image = _decode(png)
    assert image.width == WIDTH
    assert not _bands(image, BRAND_RGB)
    assert len(_bands(image, _rgb("#4f5b69"))) == 1, "one line of text in the muted colour"
    assert png != chart_png(_chart(kind, pairs), "en")


def _margins_are_empty(image: Image.Image) -> bool:
    left = image.crop((0, 0, 10, image.height)).tobytes()
    right = image.crop((image.width - 10, 0, image.width, image.height)).tobytes()
    return set(left) == {255} and set(right) == {255}


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_long_labels_and_titles_are_cut_to_fit(kind: ChartKind) -> None:
    long = "Albert Heijn XL Amsterdam Centraal Station Stationsplein " * 20
    pairs = [(long, "120"), ("Wonen", "900"), (long + "!", "40")]
    image = _decode(chart_png(_chart(kind, pairs, title=long), "nl"))
    assert _margins_are_empty(image), "no text runs off the picture"
    assert _margins_are_empty(_decode(chart_png(_chart(kind, SPENDING), "nl")))


def _bar_start(image: Image.Image) -> int:
    """The first column of the first bar, on its middle row."""
    top, bottom = _bands(image, BRAND_RGB)[0]
    return _row(image, (top + bottom) // 2).index(BRAND_RGB)


def test_the_label_column_is_as_wide_as_its_longest_label_within_bounds() -> None:
    def start(*labels: str) -> int:
        pairs = [(label, str(100 * (number + 1))) for number, label in enumerate(labels)]
        return _bar_start(_decode(chart_png(_chart("bar", pairs), "nl")))

    short, merchant = start("NS", "HEMA"), start("NS", "Albert Heijn 8876 Utrecht")
    assert short < merchant, "short labels leave the bars more room"
    assert merchant < start("NS", "Zilveren Kruis Zorgverzekeringen N.V. Arnhem"), "up to a bound"
    very_long = start("NS", "Albert Heijn XL Amsterdam Centraal " * 10)
    assert very_long == start("NS", "Albert Heijn XL Amsterdam Centraal " * 20), "then cut"
    assert very_long <= WIDTH // 2 + 20


def test_accents_are_written_without_them_rather_than_as_boxes() -> None:
    with_accents = _chart("bar", [("Café Zürich", "12"), ("Crêperie Noël", "30")])
    plain = _chart("bar", [("Cafe Zurich", "12"), ("Creperie Noel", "30")])
    assert chart_png(with_accents, "nl") == chart_png(plain, "nl")


def test_control_characters_and_line_breaks_do_not_break_the_picture() -> None:
    messy = _chart("bar", [("Huur\n\x00\x1b[31m", "900"), ("\u202e\u200b", "10")], title="A\tB")
    image = _decode(chart_png(messy, "en"))
    assert len(_bands(image, BRAND_RGB)) == 2


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_huge_negative_and_unreadable_amounts_still_draw(kind: ChartKind) -> None:
    values = ["1e30", "-1e30", "1e999999", "-0.004", "NaN", "Infinity", "0.01"]
    chart = _chart(kind, [(f"r{index}", value) for index, value in enumerate(values)])
    image = _decode(chart_png(chart, "nl"))
    assert image.width == WIDTH
    assert _margins_are_empty(image)


def test_many_bars_are_capped_with_a_note_of_how_many_more() -> None:
    many = _chart("bar", [(f"Winkel {index}", str(index + 1)) for index in range(100)])
    exactly = _chart("bar", [(f"Winkel {index}", str(index + 1)) for index in range(MAX_BARS)])
    capped, full = _decode(chart_png(many, "nl")), _decode(chart_png(exactly, "nl"))
    assert capped.height == full.height
    assert len(_bands(capped, BRAND_RGB)) == MAX_BARS - 1


def test_labels_and_values_must_pair_up() -> None:
    chart = Chart(kind="bar", title="x", labels=("a", "b"), values=(Decimal(1),))
    with pytest.raises(ValueError, match="one value per label"):
        chart_png(chart, "nl")


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["bar", "line"]),
    pairs=st.lists(
        st.tuples(
            st.text(max_size=60),
            st.decimals(min_value=-(10**24), max_value=10**24, places=2, allow_nan=False),
        ),
        max_size=14,
    ),
    title=st.text(max_size=80),
    lang=st.sampled_from(["nl", "en"]),
    reference=st.none() | st.decimals(min_value=-(10**24), max_value=10**24, places=2),
    reference_label=st.text(max_size=40),
)
def test_any_chart_becomes_a_picture(
    kind: ChartKind,
    pairs: list[tuple[str, Decimal]],
    title: str,
    lang: str,
    reference: Decimal | None,
    reference_label: str,
) -> None:
    chart = Chart(
        kind=kind,
        title=title,
        labels=tuple(label for label, _ in pairs),
        values=tuple(value for _, value in pairs),
        reference=reference,
        reference_label=reference_label,
    )
    image = _decode(chart_png(chart, "nl" if lang == "nl" else "en"))
    assert image.width == WIDTH
    assert image.mode == "RGB"


def _with_reference(pairs: list[tuple[str, str]], reference: str, label: str = "normaal") -> Chart:
    return dataclasses.replace(
        _chart("line", pairs), reference=Decimal(reference), reference_label=label
    )


def _dashed_levels(image: Image.Image) -> list[tuple[int, int]]:
    """Rows drawn across most of the plot in the muted colour: the reference level (text
    and the key's short piece of dashes hold far fewer muted pixels)."""
    return [
        band for band in _bands(image, MUTED_RGB) if _row(image, band[0]).count(MUTED_RGB) > 300
    ]


def test_the_usual_month_is_a_dashed_level_at_its_height() -> None:
    image = _decode(chart_png(_with_reference(MONTHS, "1800"), "nl"))
    (top, bottom) = _dashed_levels(image)[0]
    assert len(_dashed_levels(image)) == 1
    assert bottom - top <= 4, "a thin line"
    level = (top + bottom) / 2
    points = sorted(_centre(area) for area in _enclosed_white(image))
    assert len(points) == len(MONTHS), "the level hides no month"
    assert abs(points[0][1] - level) <= 2, "October was 1800, the usual amount"
    muted = _row(image, top + 1)
    assert WIDTH * 0.4 < muted.count(MUTED_RGB) < WIDTH * 0.7, "dashes, not a solid line"


def test_without_a_reference_there_is_no_level() -> None:
    image = _decode(chart_png(_chart("line", MONTHS), "nl"))
    assert not _dashed_levels(image)
    assert chart_png(_chart("line", MONTHS), "nl") != chart_png(
        _with_reference(MONTHS, "1800"), "nl"
    )


def test_a_level_above_every_month_stretches_the_plot() -> None:
    plain = _decode(chart_png(_chart("line", MONTHS), "nl"))
    image = _decode(chart_png(_with_reference(MONTHS, "9000"), "nl"))
    ((top, _),) = _dashed_levels(image)
    points = [y for _, y in (_centre(area) for area in _enclosed_white(image))]
    plain_points = [y for _, y in (_centre(area) for area in _enclosed_white(plain))]
    assert all(top < y for y in points), "the level is above every month"
    assert max(points) - min(points) < (max(plain_points) - min(plain_points)) / 2


def test_a_level_below_zero_is_under_the_zero_line() -> None:
    image = _decode(chart_png(_with_reference(MONTHS, "-400"), "en"))
    ((top, _),) = _dashed_levels(image)
    gridlines = [
        band for band in _bands(image, GRID_RGB) if _row(image, band[0]).count(GRID_RGB) > WIDTH / 2
    ]
    (zero,) = [first for first, last in gridlines if last - first >= 2]  # the thick one
    assert top > zero
    assert top <= gridlines[-1][1], "the plot reaches down to the level"
    assert top < image.height - 40, "inside the picture, above the month labels"


def test_the_reference_is_named_in_a_key_above_the_plot() -> None:
    key_area = (WIDTH // 2, 66, WIDTH, 110)  # between the title and the plot, on the right
    named = _decode(chart_png(_with_reference(MONTHS, "1800"), "nl"))
    unnamed = _decode(chart_png(_with_reference(MONTHS, "1800", label=""), "nl"))
    plain = _decode(chart_png(_chart("line", MONTHS), "nl"))
    assert set(plain.crop(key_area).tobytes()) == {255}, "nothing there without a reference"
    key = named.crop(key_area)
    assert MUTED_RGB in _row(key, 26), "a piece of the dashed line"
    assert key.tobytes() != unnamed.crop(key_area).tobytes(), "the label is written"
    assert named.crop((0, 0, WIDTH, 66)) == plain.crop((0, 0, WIDTH, 66)), "the title as ever"


def test_a_reference_draws_the_same_bytes_every_time_and_cuts_long_labels() -> None:
    chart = _with_reference(MONTHS, "1955.55")
    assert chart_png(chart, "nl") == chart_png(chart, "nl")
    assert chart_png(chart, "nl") != chart_png(chart, "en")
    long = _with_reference(MONTHS, "1955.55", label="Café <b>normaal</b>\x00 " * 30)
    assert _margins_are_empty(_decode(chart_png(long, "nl")))


def test_a_single_month_with_a_reference_has_its_amount_under_the_point() -> None:
    ink = _rgb("#1b2430")
    for reference, below in (("980.40", True), (None, False)):
        chart = dataclasses.replace(
            _chart("line", [("mrt", "980.40")]),
            reference=None if reference is None else Decimal(reference),
        )
        image = _decode(chart_png(chart, "nl"))
        ((_, point_y),) = [_centre(area) for area in _enclosed_white(image)]
        amount = [band for band in _bands(image, ink) if band[0] > 70]  # below the title
        assert len(amount) == 1
        assert (amount[0][0] > point_y) is below


INK_RGB = _rgb("#1b2430")
PHONE_TITLE = "Je uitgaven aan telefoon en internet per maand"


def _title_rows(image: Image.Image) -> list[tuple[int, int]]:
    """The lines of a line chart's title: in a chart of several months, the only text in ink."""
    return _bands(image, INK_RGB)


def test_a_long_title_takes_a_second_line_and_moves_the_chart_down() -> None:
    short = _decode(chart_png(_with_reference(MONTHS, "1800"), "nl"))
    chart = dataclasses.replace(_with_reference(MONTHS, "1800"), title=PHONE_TITLE)
    long = _decode(chart_png(chart, "nl"))
    assert len(_title_rows(short)) == 1
    first, second = _title_rows(long)
    assert second[0] - first[0] > 30, "two lines, one under the other"
    shift = long.height - short.height
    assert shift > 30
    points = [y for _, y in (_centre(area) for area in _enclosed_white(long))]
    before = [y for _, y in (_centre(area) for area in _enclosed_white(short))]
    assert points == [y + shift for y in before]
    assert _dashed_levels(long)[0][0] == _dashed_levels(short)[0][0] + shift
    assert _margins_are_empty(long)
    bars = _decode(chart_png(_chart("bar", SPENDING, title=PHONE_TITLE), "nl"))
    plain = _decode(chart_png(_chart("bar", SPENDING), "nl"))
    assert bars.height == plain.height + shift
    assert [top + shift for top, _ in _bands(plain, BRAND_RGB)] == [
        top for top, _ in _bands(bars, BRAND_RGB)
    ]


def test_a_title_too_long_for_two_lines_stays_on_two_inside_the_picture() -> None:
    line_of_two = _decode(chart_png(_chart("line", MONTHS, title=PHONE_TITLE), "en"))
    bars_of_two = _decode(chart_png(_chart("bar", SPENDING, title=PHONE_TITLE), "en"))
    for title in (" ".join([PHONE_TITLE] * 4), "W" * 200):
        line = _decode(chart_png(_chart("line", MONTHS, title=title), "en"))
        assert len(_title_rows(line)) == 2
        assert line.height == line_of_two.height
        assert _margins_are_empty(line)
        bars = _decode(chart_png(_chart("bar", SPENDING, title=title), "en"))
        assert bars.height == bars_of_two.height
        assert _margins_are_empty(bars)


def _first_ink_after(image: Image.Image, band: tuple[int, int], start: int) -> int:
    """The first column from `start` on where the row band holds text."""
    pixels = numpy.asarray(image)[band[0] : band[1] + 1, start:]
    dark = (pixels < 200).any(axis=2).any(axis=0)
    return start + int(numpy.flatnonzero(dark)[0])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_euro_sign_starts_where_any_other_letter_would(lang: str) -> None:
    def amount_start(currency: str) -> int:
        chart = dataclasses.replace(
            _chart("bar", [("Niets", "0"), ("Wonen", "900")]), currency=currency
        )
        image = _decode(chart_png(chart, "nl" if lang == "nl" else "en"))
        sliver = _bands(image, GRID_RGB)[0]
        end = max(
            index for index, colour in enumerate(_row(image, sliver[0])) if colour == GRID_RGB
        )
        return _first_ink_after(image, sliver, end + 1)

    # "€ 0,00" against "CHF 0,00": both written from the same place after the grey sliver.
    assert abs(amount_start("EUR") - amount_start("CHF")) <= 1
