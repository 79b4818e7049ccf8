"""Kluis's written replies as speech: numbers and amounts in words, dates, masked numbers,
and what only works on a screen. The replies are real ones, as `kluis chat --channel alexa`
wrote them for Sanne (nl) and Emily (en)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kluis.channels.speech import SSML_LIMIT, amount_words, number_words, ssml, to_speech
from kluis.dialogue.formatting import money
from kluis.money import Money

# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nul"),
        (1, "één"),
        (7, "zeven"),
        (13, "dertien"),
        (20, "twintig"),
        (21, "eenentwintig"),
        (22, "tweeëntwintig"),
        (23, "drieëntwintig"),
        (34, "vierendertig"),
        (56, "zesenvijftig"),
        (99, "negenennegentig"),
        (100, "honderd"),
        (101, "honderd één"),
        (230, "tweehonderd dertig"),
        (999, "negenhonderd negenennegentig"),
        (1000, "duizend"),
        (1001, "duizend één"),
        (1069, "duizend negenenzestig"),
        (1200, "twaalfhonderd"),
        (1234, "twaalfhonderd vierendertig"),
        (1999, "negentienhonderd negenennegentig"),
        (2000, "tweeduizend"),
        (2488, "tweeduizend vierhonderd achtentachtig"),
        (10352, "tienduizend driehonderd tweeënvijftig"),
        (21000, "eenentwintigduizend"),
        (100000, "honderdduizend"),
        (250000, "tweehonderd vijftigduizend"),
        (1_000_000, "één miljoen"),
        (2_500_000, "twee miljoen vijfhonderdduizend"),
        (1_000_000_000, "één miljard"),
        (3_004_005_006, "drie miljard vier miljoen vijfduizend zes"),
        (-12, "min twaalf"),
    ],
)
def test_dutch_numbers_in_words(number: int, words: str) -> None:
    assert number_words(number, "nl") == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (1, "one"),
        (15, "fifteen"),
        (40, "forty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (105, "one hundred and five"),
        (342, "three hundred and forty-two"),
        (1000, "one thousand"),
        (1005, "one thousand and five"),
        (1234, "one thousand two hundred and thirty-four"),
        (2010, "two thousand and ten"),
        (6061, "six thousand and sixty-one"),
        (31574, "thirty-one thousand five hundred and seventy-four"),
        (2_000_050, "two million and fifty"),
        (1_000_000_000, "one billion"),
        (999_999_999_999, "nine hundred and ninety-nine billion nine hundred and ninety-nine "
         "million nine hundred and ninety-nine thousand nine hundred and ninety-nine"),
        (-7, "minus seven"),
    ],
)  # fmt: skip
def test_english_numbers_in_words(number: int, words: str) -> None:
    assert number_words(number, "en") == words


def test_numbers_beyond_the_billions_are_refused() -> None:
    with pytest.raises(ValueError, match="too large"):
        number_words(10**12, "nl")


def test_amount_words_leave_out_empty_parts_and_say_one_in_the_singular() -> None:
    assert amount_words(12, 0, "nl") == "twaalf euro"
    assert amount_words(0, 5, "nl") == "vijf cent"
    assert amount_words(1, 1, "en") == "one euro and one cent"
    assert amount_words(0, 0, "en") == "zero euros"
    assert amount_words(3, 50, "en", "£") == "three pounds and fifty pence"


# --- amounts as Kluis writes them --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "lang", "spoken"),
    [
        ("€ 1.234,56", "nl", "twaalfhonderd vierendertig euro en zesenvijftig cent"),
        ("€1,234.56", "en", "one thousand two hundred and thirty-four euros and fifty-six cents"),
        ("€ -12,00", "nl", "min twaalf euro"),
        ("-€12.00", "en", "minus twelve euros"),
        ("€ 0,05", "nl", "vijf cent"),
        ("€0.01", "en", "one cent"),
        ("€ 0,00", "nl", "nul euro"),
        ("ongeveer € 1.200", "nl", "ongeveer twaalfhonderd euro"),
        ("about €1,200", "en", "about one thousand two hundred euros"),
        ("ongeveer € -17", "nl", "ongeveer min zeventien euro"),
        ("about -€34", "en", "about minus thirty-four euros"),
        ("€ 1.234.567,89", "nl",
         "één miljoen tweehonderd vierendertigduizend vijfhonderd zevenenzestig euro en "
         "negenentachtig cent"),
        ("£1,234.56", "en",
         "one thousand two hundred and thirty-four pounds and fifty-six pence"),
        ("US$ 12,00", "nl", "twaalf dollar"),
        ("-$3.10", "en", "minus three dollars and ten cents"),
    ],
)  # fmt: skip
def test_amounts_are_said_in_words(written: str, lang: str, spoken: str) -> None:
    assert to_speech(f"Het is {written}.", "nl" if lang == "nl" else "en") == f"Het is {spoken}."


@pytest.mark.parametrize(
    "amount", ["0.00", "0.07", "1.00", "12.5", "-16.56", "999.99", "1234.56", "-98765.43", "2e3"]
)
def test_every_amount_kluis_writes_becomes_words(amount: str) -> None:
    value = Money(Decimal(amount), "EUR")
    for lang in ("nl", "en"):
        for approximate in (False, True):
            spoken = to_speech(money(value, lang, approximate=approximate), lang)
            assert not re.search(r"[€\d]", spoken), spoken
            assert ("euro" in spoken) or ("cent" in spoken), spoken


def test_words_that_only_look_like_amounts_are_left_alone() -> None:
    assert to_speech("Bel 020 123 45 67, 4 keer per dag.", "nl") == (
        "Bel 020 123 45 67, 4 keer per dag."
    )


# --- dates, periods, percentages -----------------------------------------------------------


def test_short_months_get_their_full_names() -> None:
    assert to_speech("Op 17 mrt en 3 mei.", "nl") == "Op 17 maart en 3 mei."
    assert to_speech("On 17 Mar and 3 May.", "en") == "On 17 March and 3 May."
    assert to_speech("Tot 14 sep 2026.", "nl") == "Tot 14 september 2026."


def test_a_short_month_without_a_day_stays_as_it_is() -> None:
    # 'mei' is also a month name; 'jan' is a first name in Dutch.
    assert to_speech("Jan en dec.", "nl") == "Jan en dec."


def test_periods_and_t_m_become_words() -> None:
    assert to_speech("deze maand (1–18 mrt)", "nl") == "deze maand, 1 tot en met 18 maart."
    assert to_speech("van 1 feb t/m 18 feb", "nl") == "van 1 februari tot en met 18 februari."
    assert to_speech("this month (1–18 Mar)", "en") == "this month, 1 to 18 March."
    assert to_speech("3 feb – 2 mrt", "nl") == "3 februari tot en met 2 maart."
    assert to_speech("28 Dec 2025 – 3 Jan", "en") == "28 December 2025 to 3 January."


def test_percentages_are_said() -> None:
    assert to_speech("Dat is 43 % meer.", "nl") == "Dat is 43 procent meer."
    assert to_speech("That is 4% more.", "en") == "That is 4 percent more."


# --- masked numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("masked", ["•••• 1234", "••••1234", "…1234", "**** 1234", "...1234"])
def test_masked_numbers_are_read_digit_by_digit(masked: str) -> None:
    assert to_speech(f"Je rekening {masked}.", "nl") == "Je rekening eindigend op 1 2 3 4."
    assert to_speech(f"Your account {masked}.", "en") == "Your account ending in 1 2 3 4."


def test_the_pin_placeholder_is_never_said() -> None:
    assert to_speech("Je zei ••••.", "nl") == "Je zei."


# --- what only works on a screen -----------------------------------------------------------


def test_bullets_and_lines_become_sentences() -> None:
    text = "Je rekeningen:\n• betaalrekening\n• spaarrekening\n\n- creditcard"
    assert to_speech(text, "nl") == "Je rekeningen: betaalrekening. spaarrekening. creditcard."


def test_markdown_emoji_and_quotes_are_removed() -> None:
    text = "**Let op** 🔒 je _saldo_ staat op `de pagina` 'Mijn toestemmingen' ✅ 👍🏽"
    assert to_speech(text, "nl") == "Let op je saldo staat op de pagina Mijn toestemmingen."


def test_apostrophes_inside_words_stay() -> None:
    assert to_speech("That’s what's left for auto's.", "en") == "That's what's left for auto's."


def test_links_are_said_without_their_scheme() -> None:
    assert to_speech(
        "Ga naar [de site](https://bank.example/x) of https://bank.example/.", "nl"
    ) == ("Ga naar de site of bank.example.")


def test_abbreviations_are_said_in_full() -> None:
    assert to_speech("bijv. Albert Heijn & Jumbo", "nl") == "bijvoorbeeld Albert Heijn en Jumbo."
    assert to_speech("e.g. Tesco & Asda", "en") == "for example Tesco and Asda."


# --- real replies ----------------------------------------------------------------------------

REAL: list[tuple[str, str, str]] = [
    (
        "nl",
        "Dank je, je spraakcode klopt. Op je betaalrekening staat € 2.488,13. Je andere "
        "rekeningen: spaarrekening € 10.352,29 en creditcard € 195,46 open.",
        "Dank je, je spraakcode klopt. Op je betaalrekening staat tweeduizend vierhonderd "
        "achtentachtig euro en dertien cent. Je andere rekeningen: spaarrekening tienduizend "
        "driehonderd tweeënvijftig euro en negenentwintig cent en creditcard honderd "
        "vijfennegentig euro en zesenveertig cent open.",
    ),
    (
        "nl",
        "Je laatste betalingen:\n18 mrt · HEMA Utrecht · € -16,56 (nog niet verwerkt)\n"
        "18 mrt · Kruidvat 1562 Utrecht · € -6,35\n"
        "Er zijn er nog 1083. Zeg 'meer' om verder te kijken.",
        "Je laatste betalingen: 18 maart, HEMA Utrecht, min zestien euro en zesenvijftig "
        "cent, nog niet verwerkt. 18 maart, Kruidvat 1562 Utrecht, min zes euro en "
        "vijfendertig cent. Er zijn er nog 1083. Zeg meer om verder te kijken.",
    ),
    (
        "nl",
        "Deze maand (1–18 mrt) gaf je € 2.460,85 uit. Dat is 27 % minder dan van 1 feb t/m "
        "18 feb (€ 3.370,55). Het meest aan wonen (€ 1.301,03), boodschappen (€ 430,79) en "
        "winkelen (€ 309,80).",
        "Deze maand, 1 tot en met 18 maart, gaf je tweeduizend vierhonderd zestig euro en "
        "vijfentachtig cent uit. Dat is 27 procent minder dan van 1 februari tot en met 18 "
        "februari, drieduizend driehonderd zeventig euro en vijfenvijftig cent. Het meest aan "
        "wonen, dertienhonderd één euro en drie cent, boodschappen, vierhonderd dertig euro en "
        "negenenzeventig cent, en winkelen, driehonderd negen euro en tachtig cent.",
    ),
    (
        "nl",
        "In februari (1–28 feb) gaf je ongeveer € 4.400 uit. Dat is 43 % meer dan in januari "
        "(ongeveer € 3.100).",
        "In februari, 1 tot en met 28 februari, gaf je ongeveer vierduizend vierhonderd euro "
        "uit. Dat is 43 procent meer dan in januari, ongeveer drieduizend honderd euro.",
    ),
    (
        "nl",
        "Die toestemming loopt tot 14 sep 2026; ik lees zonder jou hooguit 4 keer per dag.",
        "Die toestemming loopt tot 14 september 2026; ik lees zonder jou hooguit 4 keer per dag.",
    ),
    (
        "en",
        "Thanks, your voice code is right. Your current account has €6,061.54. Your other "
        "accounts: savings account €31,574.50 and credit card €2,707.31 outstanding.",
        "Thanks, your voice code is right. Your current account has six thousand and sixty-one "
        "euros and fifty-four cents. Your other accounts: savings account thirty-one thousand "
        "five hundred and seventy-four euros and fifty cents and credit card two thousand "
        "seven hundred and seven euros and thirty-one cents outstanding.",
    ),
    (
        "en",
        "Your latest payments:\n18 Mar · Domino's Pizza Amsterdam · -€34.38 (pending)\n"
        "17 Mar · NS OV-fiets · -€6.14\nThere are 1103 more. Say 'more' to see them.",
        "Your latest payments: 18 March, Domino's Pizza Amsterdam, minus thirty-four euros and "
        "thirty-eight cents, pending. 17 March, NS OV-fiets, minus six euros and fourteen "
        "cents. There are 1103 more. Say more to see them.",
    ),
    (
        "en",
        "This month (1–18 Mar) you spent about €5,300. That is 65% more than from 1 Feb to "
        "18 Feb (about €3,200). Most of it on travel (about €2,500), housing (about €2,000) "
        "and groceries (about €350).",
        "This month, 1 to 18 March, you spent about five thousand three hundred euros. That is "
        "65 percent more than from 1 February to 18 February, about three thousand two hundred "
        "euros. Most of it on travel, about two thousand five hundred euros, housing, about two "
        "thousand euros, and groceries, about three hundred and fifty euros.",
    ),
    (
        "en",
        "Your latest payments:\n18 Mar · eating out · about -€34 (pending)\n"
        "17 Mar · transport · about -€6",
        "Your latest payments: 18 March, eating out, about minus thirty-four euros, pending. "
        "17 March, transport, about minus six euros.",
    ),
    (
        "en",
        "I can show your balance, find transactions (for example 'payments at Albert Heijn "
        "this month'), tell you what you spent or received, and put you in touch with a person.",
        "I can show your balance, find transactions, for example payments at Albert Heijn this "
        "month, tell you what you spent or received, and put you in touch with a person.",
    ),
]


@pytest.mark.parametrize(("lang", "written", "spoken"), REAL)
def test_real_replies_sound_natural(lang: str, written: str, spoken: str) -> None:
    assert to_speech(written, "nl" if lang == "nl" else "en") == spoken


# --- SSML -------------------------------------------------------------------------------


def test_ssml_wraps_and_escapes() -> None:
    assert ssml("Albert Heijn & Jumbo <3 > 2", "en") == (
        "<speak>Albert Heijn and Jumbo &lt;3 &gt; 2.</speak>"
    )
    assert ssml("Tom & Jerry", "en", spoken=True) == "<speak>Tom &amp; Jerry</speak>"


def test_ssml_is_cut_at_a_sentence_to_stay_within_alexas_limit() -> None:
    sentence = "Op 18 mrt betaalde je € 1.234,56 bij Albert Heijn & Jumbo."
    long = " ".join([sentence] * 200)
    spoken = ssml(long, "nl")
    assert len(spoken) <= SSML_LIMIT
    assert spoken.startswith("<speak>Op 18 maart")
    assert spoken.endswith("Jumbo.</speak>")
    assert len(ssml(long, "nl", limit=300)) <= 300


def test_ssml_cuts_even_one_endless_sentence() -> None:
    spoken = ssml("a&b " * 3000, "en", spoken=True)
    assert len(spoken) <= SSML_LIMIT
    assert spoken.endswith("</speak>")
    assert "&amp" in spoken
    assert not re.search(r"&[a-z]*</speak>", spoken)
