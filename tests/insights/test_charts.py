"""Charts as SVG: well-formed, accessible, escaped, and formatted per locale."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from kluis.dialogue.types import Chart, ChartKind
from kluis.insights.chart_images import chart_png
from kluis.insights.charts import (
    WIDTH,
    describe,
    month_label,
    monthly_line,
    render_svg,
    svg_data_uri,
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
