"""Charts as SVG: well-formed, accessible, escaped, and formatted per locale."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kluis.dialogue.types import Chart, ChartKind
from kluis.insights.chart_images import chart_png
from kluis.insights.charts import (
    TITLE_SIZE,
    WIDTH,
    describe,
    month_label,
    monthly_line,
    render_svg,
    svg_data_uri,
    text_width,
    title_lines,
)
from kluis.money import Locale, Money

SVG = "{http://www.w3.org/2000/svg}"


def _chart(kind: ChartKind, pairs: list[tuple[str, str]], title: str = "Uitgaven") -> Chart:
    return Chart(
        kind=kind,
        title=title,
        labels=tuple(label for label, _ in pairs),
        values=tuple(Decimal(value) for _, value in pairs),
    )


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - we parse the SVG we just generated
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


SPENDING = [("Boodschappen", "412.30"), ("Wonen", "1250.00"), ("Uit eten", "86.75")]


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_every_chart_is_an_accessible_phone_sized_picture(kind: ChartKind) -> None:
    root = _parse(render_svg(_chart(kind, SPENDING), "nl"))
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Uitgaven"
    label = root.get("aria-label", "")
    assert "Boodschappen € 412,30" in label
    assert "Wonen € 1.250,00" in label


def test_bars_keep_their_order_and_show_amounts_in_dutch() -> None:
    root = _parse(render_svg(_chart("bar", SPENDING), "nl"))
    texts = _texts(root)
    assert texts[1:] == [
        "Boodschappen",
        "€ 412,30",
        "Wonen",
        "€ 1.250,00",
        "Uit eten",
        "€ 86,75",
    ]
    widths = [float(rect.get("width", "0")) for rect in root.iter(f"{SVG}rect")][1:]
    assert widths[1] == max(widths)
    assert widths[0] == pytest.approx(widths[1] * 412.30 / 1250.00, abs=0.1)


def test_amounts_follow_the_english_locale() -> None:
    root = _parse(render_svg(_chart("bar", SPENDING, title="Spending"), "en"))
    assert "€1,250.00" in _texts(root)
    assert "Wonen €1,250.00" in root.get("aria-label", "")


def test_a_line_has_a_point_and_a_label_per_month() -> None:
    months = [("jan", "310.00"), ("feb", "290.50"), ("mrt", "402.10"), ("apr", "0.00")]
    root = _parse(render_svg(_chart("line", months, title="Per maand"), "nl"))
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    texts = _texts(root)
    for month in ("jan", "feb", "mrt", "apr"):
        assert month in texts
    assert "€ 402,10" in texts  # the highest figure marks the top of the plot


def test_many_months_are_labelled_sparsely_but_all_plotted() -> None:
    months = [(f"m{index}", str(index * 10)) for index in range(1, 25)]
    root = _parse(render_svg(_chart("line", months), "en"))
    assert len(list(root.iter(f"{SVG}circle"))) == 24
    labels = [text for text in _texts(root) if text.startswith("m")]
    assert 2 <= len(labels) <= 8
    assert "m24" in labels


HOSTILE = "<script>alert(\"x\")</script> & 'quotes' \x00\x1b]]>"


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_hostile_labels_and_titles_are_escaped(kind: ChartKind) -> None:
    chart = Chart(kind=kind, title=HOSTILE, labels=(HOSTILE, "ok"), values=(Decimal(5), Decimal(7)))
    svg = render_svg(chart, "en")
    assert "<script" not in svg
    root = _parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert root.get("aria-label", "").startswith('<script>alert("x")</script>')
    title = root.find(f"{SVG}title")
    assert title is not None
    assert "\x00" not in (title.text or "")


@pytest.mark.parametrize("kind", ["bar", "line"])
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_an_empty_chart_says_there_is_no_data(kind: ChartKind, locale: Locale) -> None:
    root = _parse(render_svg(_chart(kind, []), locale))
    words = "Geen gegevens" if locale == "nl" else "No data"
    assert words in _texts(root)
    assert words.lower() in root.get("aria-label", "")


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_zeros_and_a_single_value_draw_without_dividing_by_zero(kind: ChartKind) -> None:
    zeros = _parse(render_svg(_chart(kind, [("a", "0"), ("b", "0.00")]), "nl"))
    assert "€ 0,00" in zeros.get("aria-label", "")
    single = _parse(render_svg(_chart(kind, [("okt", "12.5")]), "nl"))
    assert "€ 12,50" in _texts(single)


def test_negative_values_are_shown_and_do_not_break_the_picture() -> None:
    root = _parse(render_svg(_chart("line", [("jan", "-20"), ("feb", "30")]), "en"))
    for circle in root.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cy", "-1")) <= float(root.get("viewBox", "").split()[3])
    bars = _parse(render_svg(_chart("bar", [("refund", "-20"), ("food", "30")]), "en"))
    assert "-€20.00" in _texts(bars)


def test_a_chart_needs_one_value_per_label() -> None:
    chart = Chart(kind="bar", title="x", labels=("a", "b"), values=(Decimal(1),))
    with pytest.raises(ValueError, match="one value per label"):
        render_svg(chart, "nl")


def test_the_data_uri_holds_the_svg() -> None:
    svg = render_svg(_chart("bar", SPENDING), "nl")
    uri = svg_data_uri(svg)
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).decode("utf-8") == svg


def test_describe_reads_the_figures_in_order() -> None:
    text = describe(_chart("bar", SPENDING[:2]), "en")
    assert text == "Uitgaven: Boodschappen €412.30, Wonen €1,250.00."


def test_a_monthly_line_labels_months_and_marks_the_year_where_it_turns() -> None:
    months = [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    totals = [Money(Decimal(value), "EUR") for value in ("310.00", "455.10", "280.00", "300.25")]
    chart = monthly_line("Uitgaven per maand", months, totals, "nl")
    assert chart.kind == "line"
    assert chart.labels == ("nov '25", "dec", "jan '26", "feb")
    assert chart.values == (
        Decimal("310.00"),
        Decimal("455.10"),
        Decimal("280.00"),
        Decimal("300.25"),
    )
    texts = _texts(_parse(render_svg(chart, "nl")))
    assert "jan '26" in texts
    assert "€ 455,10" in texts
    assert chart_png(chart, "nl").startswith(b"\x89PNG")
    within_a_year = monthly_line("Spending", months[2:], totals[2:], "en")
    assert within_a_year.labels == ("Jan", "Feb")
    assert month_label(date(2026, 3, 1), "en", with_year=True) == "Mar '26"


def test_a_monthly_line_needs_one_total_per_month() -> None:
    with pytest.raises(ValueError, match="one value per label"):
        monthly_line("x", [date(2026, 1, 1)], [], "nl")


MUTED = "#4f5b69"
USUAL_MONTHS = [date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
USUAL_TOTALS = [
    Money(Decimal(value), "EUR") for value in ("3100.00", "3262.78", "4102.00", "2980.10")
]


def _reference_lines(root: ET.Element) -> list[ET.Element]:
    """The dashed lines in the muted colour: the reference level and its key's swatch."""
    return [
        line
        for line in root.iter(f"{SVG}line")
        if line.get("stroke") == MUTED and line.get("stroke-dasharray")
    ]


def test_a_usual_month_is_a_dashed_level_with_a_key_and_is_read_out() -> None:
    usual = Money(Decimal("3262.78"), "EUR")
    chart = monthly_line("Uitgaven per maand", USUAL_MONTHS, USUAL_TOTALS, "nl", usual=usual)
    assert (chart.reference, chart.reference_label) == (Decimal("3262.78"), "normaal")
    root = _parse(render_svg(chart, "nl"))
    level, swatch = _reference_lines(root)
    assert float(level.get("x1", "0")) < 20
    assert float(level.get("x2", "0")) > WIDTH - 20
    assert level.get("y1") == level.get("y2")
    october = [circle for circle in root.iter(f"{SVG}circle")][1]
    assert level.get("y1") == october.get("cy"), "the level is where a month of that amount is"
    assert float(swatch.get("y1", "0")) < float(level.get("y1", "0"))
    assert "normaal € 3.263" in _texts(root)
    assert root.get("aria-label", "").endswith(", dec € 2.980,10, normaal € 3.262,78.")
    english = monthly_line("Spending", USUAL_MONTHS, USUAL_TOTALS, "en", usual=usual)
    assert "usual €3,263" in _texts(_parse(render_svg(english, "en")))
    assert describe(english, "en").endswith("Dec €2,980.10, usual €3,262.78.")


def test_without_a_usual_month_there_is_no_level_and_the_json_is_as_before() -> None:
    chart = monthly_line("Uitgaven per maand", USUAL_MONTHS, USUAL_TOTALS, "nl")
    root = _parse(render_svg(chart, "nl"))
    assert not _reference_lines(root)
    assert not any("normaal" in text for text in _texts(root))
    assert set(chart.to_json()) == {"kind", "title", "labels", "values", "currency"}
    assert describe(chart, "nl").endswith("dec € 2.980,10.")


def test_the_json_carries_the_reference_only_when_there_is_one() -> None:
    usual = Money(Decimal("3262.785"), "EUR")
    data = monthly_line("x", USUAL_MONTHS, USUAL_TOTALS, "en", usual=usual).to_json()
    assert data["reference"] == "3262.78"
    assert data["reference_label"] == "usual"
    assert data["values"][1] == "3262.78"


def _level_and_points(chart: Chart) -> tuple[float, list[float]]:
    root = _parse(render_svg(chart, "nl"))
    level = _reference_lines(root)[0]
    return float(level.get("y1", "0")), [float(c.get("cy", "0")) for c in root.iter(f"{SVG}circle")]


@pytest.mark.parametrize("usual", ["9000", "-500"])
def test_the_plot_stretches_to_a_level_beyond_every_month(usual: str) -> None:
    reference = Money(Decimal(usual), "EUR")
    chart = monthly_line("x", USUAL_MONTHS, USUAL_TOTALS, "nl", usual=reference)
    level, points = _level_and_points(chart)
    plot_top, plot_bottom = 58, 164
    assert plot_top <= level <= plot_bottom
    assert all(plot_top <= y <= plot_bottom for y in points)
    if reference.amount > 0:
        assert level == plot_top
        assert "€ 9.000,00" in _texts(_parse(render_svg(chart, "nl"))), "the top of the plot"
        assert min(points) > level + 50, "the months are drawn lower than without the level"
    else:
        assert level == plot_bottom
        assert max(points) < level


def test_a_hostile_reference_label_is_escaped_and_cut() -> None:
    chart = Chart(
        kind="line",
        title="x",
        labels=("a", "b"),
        values=(Decimal(5), Decimal(7)),
        reference=Decimal(6),
        reference_label=HOSTILE,
    )
    svg = render_svg(chart, "en")
    assert "<script" not in svg
    root = _parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    key = next(text for text in _texts(root) if text.endswith("€6"))
    assert key.startswith("<script>")
    assert "…" in key
    label = root.get("aria-label", "")
    assert label.endswith(", <script>alert(\"x\")</script> & 'quotes' ]]> €6.00.")


def test_an_unnamed_or_unreadable_reference() -> None:
    unnamed = Chart("line", "x", ("a",), (Decimal(5),), reference=Decimal(6))
    assert describe(unnamed, "en") == "x: a €5.00, €6.00."
    assert "€6" in _texts(_parse(render_svg(unnamed, "en")))
    unreadable = Chart("line", "x", ("a",), (Decimal(5),), reference=Decimal("NaN"))
    assert describe(unreadable, "en") == "x: a €5.00."
    assert not _reference_lines(_parse(render_svg(unreadable, "en")))


def test_bars_name_their_reference_in_words() -> None:
    bars = Chart("bar", "x", ("a", "b"), (Decimal(5), Decimal(7)), reference=Decimal(6))
    assert describe(bars, "nl") == "x: a € 5,00, b € 7,00, € 6,00."


def test_the_usual_month_must_be_in_the_currency_of_the_months() -> None:
    with pytest.raises(ValueError, match="currency"):
        monthly_line("x", USUAL_MONTHS, USUAL_TOTALS, "nl", usual=Money(Decimal(1), "USD"))
    empty = monthly_line("x", [], [], "nl", usual=Money(Decimal(1), "USD"))
    assert empty.currency == "USD"


def test_a_single_month_at_the_top_shows_its_amount_under_the_point_clear_of_the_key() -> None:
    usual = USUAL_TOTALS[0]
    chart = monthly_line("x", USUAL_MONTHS[:1], USUAL_TOTALS[:1], "nl", usual=usual)
    root = _parse(render_svg(chart, "nl"))
    (point,) = root.iter(f"{SVG}circle")
    (amount,) = [text for text in root.iter(f"{SVG}text") if text.text == "€ 3.100,00"][1:]
    assert float(amount.get("y", "0")) > float(point.get("cy", "0"))
    plain = _parse(render_svg(monthly_line("x", USUAL_MONTHS[:1], USUAL_TOTALS[:1], "nl"), "nl"))
    (above,) = [text for text in plain.iter(f"{SVG}text") if text.text == "€ 3.100,00"][1:]
    assert float(above.get("y", "0")) < float(point.get("cy", "0"))


Row = tuple[float, float, str]  # left edge, right edge, text


def _rows(root: ET.Element) -> list[Row]:
    """Every line of text with how far it reaches, measured as the picture measures it."""
    rows: list[Row] = []
    for element in root.iter(f"{SVG}text"):
        size = float(element.get("font-size", root.get("font-size", "13")))
        bold = element.get("font-weight") == "600"
        anchor = element.get("text-anchor", "start")
        lines = list(element.iter(f"{SVG}tspan")) or [element]
        for line in lines:
            text = line.text or ""
            width = text_width(text, size, bold=bold)
            x = float(line.get("x", "0"))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            rows.append((left, left + width, text))
    return rows


def _title(root: ET.Element) -> list[str]:
    element = root.find(f"{SVG}text")
    assert element is not None
    return [line.text or "" for line in element.iter(f"{SVG}tspan")] or [element.text or ""]


def _height(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[3])


PHONE_TITLE = "Je uitgaven aan telefoon en internet per maand"


def test_text_is_measured_by_the_width_of_its_letters() -> None:
    assert text_width("WWW", 12) > text_width("iii", 12) * 2
    assert text_width("Café", 12) == text_width("Cafe", 12), "accents add no width"
    assert text_width("e\u0301", 12) == text_width("e", 12)
    assert text_width("Uitgaven", 15, bold=True) > text_width("Uitgaven", 15)
    assert text_width("中", 12) >= 12, "a wide character takes at least its size"
    assert text_width("Boodschappen", 24) == 2 * text_width("Boodschappen", 12)
    assert text_width("", 12) == 0


def test_a_long_title_takes_a_second_line_and_moves_the_plot_down() -> None:
    usual = Money(Decimal("3262.78"), "EUR")
    short = _parse(
        render_svg(monthly_line("x", USUAL_MONTHS, USUAL_TOTALS, "nl", usual=usual), "nl")
    )
    long = _parse(
        render_svg(monthly_line(PHONE_TITLE, USUAL_MONTHS, USUAL_TOTALS, "nl", usual=usual), "nl")
    )
    lines = _title(long)
    assert len(lines) == 2
    assert " ".join(lines) == PHONE_TITLE, "nothing is cut when two lines hold it"
    assert all(text_width(line, TITLE_SIZE, bold=True) <= WIDTH - 16 for line in lines)
    assert title_lines(PHONE_TITLE) == tuple(lines)
    assert _height(long) == _height(short) + 19
    for before, after in zip(short.iter(f"{SVG}circle"), long.iter(f"{SVG}circle"), strict=True):
        assert float(after.get("cy", "0")) == float(before.get("cy", "0")) + 19
    (level, swatch), (moved_level, moved_swatch) = _reference_lines(short), _reference_lines(long)
    assert float(moved_swatch.get("y1", "0")) == float(swatch.get("y1", "0")) + 19
    assert float(moved_level.get("y1", "0")) == float(level.get("y1", "0")) + 19
    assert _title(short) == ["x"]


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_a_title_too_long_for_two_lines_is_cut_and_still_read_out_whole(kind: ChartKind) -> None:
    title = " ".join([PHONE_TITLE] * 3)
    root = _parse(render_svg(_chart(kind, SPENDING, title=title), "nl"))
    first, second = _title(root)
    assert second.endswith("…")
    assert title.startswith(f"{first} {second[:-1]}")
    title_element = root.find(f"{SVG}title")
    assert title_element is not None
    assert title_element.text == title
    assert root.get("aria-label", "").startswith(f"{title}: ")
    bars = _parse(render_svg(_chart("bar", SPENDING, title=PHONE_TITLE), "nl"))
    plain = _parse(render_svg(_chart("bar", SPENDING), "nl"))
    assert _height(bars) == _height(plain) + 19, "the bars move down below the second line"


def test_a_word_wider_than_the_picture_is_broken_where_the_line_ends() -> None:
    root = _parse(render_svg(_chart("bar", SPENDING, title="W" * 60), "en"))
    first, second = _title(root)
    assert set(first) == {"W"}
    assert second.endswith("…")
    assert all(right <= WIDTH - 8 for _, right, _ in _rows(root))


def test_wide_labels_and_amounts_stay_inside_the_picture_and_off_the_bars() -> None:
    pairs = [
        ("W" * 14, "50"),
        ("Wonen en energie en water", "1234567.89"),
        ("Huur", "-99999999999.99"),
    ]
    root = _parse(render_svg(_chart("bar", pairs), "nl"))
    rows = _rows(root)
    assert min(left for left, _, _ in rows) >= 0
    assert max(right for _, right, _ in rows) <= WIDTH
    labels = [text for _, _, text in rows[1::2]]
    assert labels[0].endswith("…")
    assert labels[1].endswith("…")
    assert labels[2] == "Huur"
    amounts = [(left, text) for left, _, text in rows[2::2]]
    assert [text for _, text in amounts] == ["€ 50,00", "€ 1.234.567,89", "€ -99.999.999.999,99"]
    bars = list(root.iter(f"{SVG}rect"))[1:]
    for bar, (left, _) in zip(bars, amounts, strict=True):
        assert float(bar.get("x", "0")) + float(bar.get("width", "0")) < left, "clear of the bar"


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["bar", "line"]),
    pairs=st.lists(
        st.tuples(
            st.text(max_size=40),
            st.decimals(min_value=-(10**18), max_value=10**18, places=2, allow_nan=False),
        ),
        min_size=1,
        max_size=10,
    ),
    title=st.text(max_size=120),
    reference=st.none() | st.decimals(min_value=-(10**18), max_value=10**18, places=2),
    reference_label=st.text(max_size=40),
    locale=st.sampled_from(["nl", "en"]),
)
def test_no_text_runs_outside_the_picture(
    kind: ChartKind,
    pairs: list[tuple[str, Decimal]],
    title: str,
    reference: Decimal | None,
    reference_label: str,
    locale: Locale,
) -> None:
    chart = Chart(
        kind=kind,
        title=title,
        labels=tuple(label for label, _ in pairs),
        values=tuple(value for _, value in pairs),
        reference=reference,
        reference_label=reference_label,
    )
    root = _parse(render_svg(chart, locale))
    for left, right, text in _rows(root):
        assert left >= 0, text
        assert right <= WIDTH, text
    assert len(_title(root)) <= 2
