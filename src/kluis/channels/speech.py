"""Kluis's written replies as speech: what a voice assistant should say out loud.

    to_speech("Op je betaalrekening staat € 1.234,56.", "nl")
        -> "Op je betaalrekening staat twaalfhonderd vierendertig euro en zesenvijftig cent."
    ssml("Your latest payments:\\n18 Mar · Tesco · -€12.00", "en")
        -> "<speak>Your latest payments: 18 March, Tesco, minus twelve euros.</speak>"

Amounts as Kluis writes them (`€ 1.234,56`, `-€12.00`, `ongeveer € 1.200`) become words,
because a speech engine reads `1.234` differently in Dutch and English. Short dates
(`17 mrt`) get their month's full name, `t/m` and day ranges (`1–28 feb`) become words,
masked account numbers (`•••• 1234`) are read digit by digit, and what only makes sense
on a screen (bullets, markdown, emoji, line breaks) turns into plain sentences.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal
from xml.sax.saxutils import escape

from kluis.dialogue.formatting import MONTHS, SHORT_MONTHS

Lang = Literal["nl", "en"]

# Alexa refuses output speech over 8000 characters (the SSML tags included).
SSML_LIMIT = 8000

# --- numbers in words ---------------------------------------------------------------------

# fmt: off
_NL_SMALL = (
    "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
    "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
    "negentien",
)
_NL_TENS = (
    "", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
    "negentig",
)
_EN_SMALL = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)
_EN_TENS = (
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)
# fmt: on
_SCALES = ((10**9, "miljard", "billion"), (10**6, "miljoen", "million"))


def _nl_below_100(number: int, *, alone: bool) -> str:
    """`vierendertig`, `tweeëntwintig`; a lone one is `één` so that it is not read as 'a'."""
    if number < 20:
        return "één" if number == 1 and alone else _NL_SMALL[number]
    tens, unit = divmod(number, 10)
    if not unit:
        return _NL_TENS[tens]
    first = _NL_SMALL[unit]
    joiner = "ën" if first.endswith("e") else "en"
    return f"{first}{joiner}{_NL_TENS[tens]}"


def _nl_below_1000(number: int, *, alone: bool) -> str:
    hundreds, rest = divmod(number, 100)
    if not hundreds:
        return _nl_below_100(rest, alone=alone)
    head = "honderd" if hundreds == 1 else f"{_NL_SMALL[hundreds]}honderd"
    return f"{head} {_nl_below_100(rest, alone=alone)}" if rest else head


def _nl_words(number: int) -> str:
    if number < 0:
        return f"min {_nl_words(-number)}"
    if number == 0:
        return "nul"
    if 1100 <= number < 2000 and number // 100 % 10:
        # As people say amounts: 1234 is "twaalfhonderd vierendertig".
        hundreds, rest = divmod(number, 100)
        head = f"{_NL_SMALL[hundreds]}honderd"
        return f"{head} {_nl_below_100(rest, alone=True)}" if rest else head
    parts: list[str] = []
    rest = number
    for scale, dutch, _ in _SCALES:
        count, rest = divmod(rest, scale)
        if count:
            parts.append(f"{_nl_below_1000(count, alone=True)} {dutch}")
    thousands, rest = divmod(rest, 1000)
    if thousands:
        parts.append(
            "duizend" if thousands == 1 else f"{_nl_below_1000(thousands, alone=False)}duizend"
        )
    if rest:
        parts.append(_nl_below_1000(rest, alone=True))
    return " ".join(parts)


def _en_below_100(number: int) -> str:
    if number < 20:
        return _EN_SMALL[number]
    tens, unit = divmod(number, 10)
    return f"{_EN_TENS[tens]}-{_EN_SMALL[unit]}" if unit else _EN_TENS[tens]


def _en_below_1000(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    if not hundreds:
        return _en_below_100(rest)
    head = f"{_EN_SMALL[hundreds]} hundred"
    return f"{head} and {_en_below_100(rest)}" if rest else head


def _en_words(number: int) -> str:
    if number < 0:
        return f"minus {_en_words(-number)}"
    if number == 0:
        return "zero"
    parts: list[str] = []
    rest = number
    for scale, _, english in (*_SCALES, (1000, "", "thousand")):
        count, rest = divmod(rest, scale)
        if count:
            parts.append(f"{_en_below_1000(count)} {english}")
    if rest:
        # British English: "one thousand and five", "two million and fifty".
        below = _en_below_1000(rest)
        parts.append(f"and {below}" if parts and rest < 100 else below)
    return " ".join(parts)


def number_words(number: int, lang: Lang) -> str:
    """A whole number in words: `twaalfhonderd vierendertig`, `one thousand two hundred and
    thirty-four`; negatives with `min` / `minus`. Up to the billions."""
    if abs(number) >= 10**12:
        raise ValueError("number too large to say in words")
    return _nl_words(number) if lang == "nl" else _en_words(number)


# --- amounts ---------------------------------------------------------------------------------

# currency symbol -> (nl whole unit, nl cents, en whole unit, en whole units, en cent, en cents)
_CURRENCIES: dict[str, tuple[str, str, str, str, str, str]] = {
    "€": ("euro", "cent", "euro", "euros", "cent", "cents"),
    "£": ("pond", "pence", "pound", "pounds", "penny", "pence"),
    "$": ("dollar", "cent", "dollar", "dollars", "cent", "cents"),
}
_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = re.compile(
    rf"(?P<before>[-−+]?)(?:US)?(?P<symbol>[€£$])\s?(?P<after>[-−+]?)(?P<number>{_NUMBER})"
    r"(?![\d.,]\d)"
)


def _whole_and_cents(number: str) -> tuple[int, int]:
    """`1.234,56` and `1,234.56` alike: a separator before exactly three digits groups
    thousands, one before one or two digits at the end starts the cents."""
    match = re.search(r"[.,](\d{1,2})$", number)
    cents = 0
    if match:
        cents = int(match.group(1).ljust(2, "0"))
        number = number[: match.start()]
    return int(re.sub(r"[.,]", "", number)), cents


def amount_words(whole: int, cents: int, lang: Lang, symbol: str = "€") -> str:
    """`twaalfhonderd vierendertig euro en zesenvijftig cent` / `one thousand two hundred
    and thirty-four euros and fifty-six cents` (positive parts; the sign is said apart)."""
    nl_unit, nl_cent, en_unit, en_units, en_cent, en_cents = _CURRENCIES[symbol]
    if lang == "nl":
        main = f"{number_words(whole, lang)} {nl_unit}"
        small = f"{number_words(cents, lang)} {nl_cent}"
        joiner = "en"
    else:
        main = f"{number_words(whole, lang)} {en_unit if whole == 1 else en_units}"
        small = f"{number_words(cents, lang)} {en_cent if cents == 1 else en_cents}"
        joiner = "and"
    if not cents:
        return main
    if not whole:
        return small
    return f"{main} {joiner} {small}"


def _say_amount(match: re.Match[str], lang: Lang) -> str:
    whole, cents = _whole_and_cents(match.group("number"))
    words = amount_words(whole, cents, lang, match.group("symbol"))
    sign = match.group("before") or match.group("after")
    if sign in ("-", "−") and (whole or cents):
        return f"{'min' if lang == 'nl' else 'minus'} {words}"
    if sign == "+":
        return f"plus {words}"
    return words


# --- dates, masks, abbreviations --------------------------------------------------------------


def _month_pattern(lang: Lang) -> re.Pattern[str]:
    names = "|".join(SHORT_MONTHS[lang])
    return re.compile(rf"\b(\d{{1,2}}) ({names})\b(?!\.\w)")


def _after_month_pattern(lang: Lang) -> re.Pattern[str]:
    """The dash after a date written out: `3 februari – 2 maart`, `3 Feb 2025 – 2 Mar`."""
    names = "|".join(MONTHS[lang])
    return re.compile(rf"\b((?:{names})(?: \d{{4}})?)\s?[–—]\s?(?=\d)")


_MONTH_PATTERNS = {lang: _month_pattern(lang) for lang in ("nl", "en")}
_AFTER_MONTH = {lang: _after_month_pattern(lang) for lang in ("nl", "en")}
_DAY_RANGE = re.compile(r"(?<=\d)\s?[–—]\s?(?=\d)")  # 1–28 feb
_MASKED = re.compile(r"(?:[•●∙*]{2,}|…|\.{3})\s?(\d{2,6})\b")
_LONE_MASK = re.compile(r"[•●]{2,}")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")
_URL = re.compile(r"\bhttps?://([^\s)]+?)/?(?=[\s).,;!?]*(?:\s|$))")
_ABBREVIATIONS: dict[Lang, tuple[tuple[str, str], ...]] = {
    "nl": (
        ("t/m", "tot en met"),
        ("bijv.", "bijvoorbeeld"),
        ("o.a.", "onder andere"),
        ("i.p.v.", "in plaats van"),
        ("incl.", "inclusief"),
        ("excl.", "exclusief"),
        ("nr.", "nummer"),
        ("&", "en"),
    ),
    "en": (
        ("e.g.", "for example"),
        ("i.e.", "that is"),
        ("incl.", "including"),
        ("approx.", "approximately"),
        ("&", "and"),
    ),
}
_ENDING = {"nl": "eindigend op", "en": "ending in"}
_PERCENT_WORD = {"nl": "procent", "en": "percent"}
_TO = {"nl": "tot en met", "en": "to"}


def _spell_digits(digits: str) -> str:
    return " ".join(digits)


def _expand_abbreviations(text: str, lang: Lang) -> str:
    for short, long in _ABBREVIATIONS[lang]:
        pattern = rf"(?<!\w){re.escape(short)}(?!\w)" if short[0].isalpha() else re.escape(short)
        text = re.sub(pattern, f" {long} " if short == "&" else long, text)
    return text


# --- what only works on a screen ---------------------------------------------------------------

_MARKDOWN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # **bold**
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),  # _italic_
    (re.compile(r"`([^`]*)`"), r"\1"),  # `code`
    (re.compile(r"~~(.+?)~~"), r"\1"),  # ~~struck~~
)
_LINE_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*•·▪►◦‣–—✓✔]\s+)")
_INVISIBLE = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}


def _is_pictograph(char: str) -> bool:
    if char in _INVISIBLE:
        return True
    category = unicodedata.category(char)
    # Emoji and other symbols (So), skin-tone modifiers (Sk outside ASCII), private use.
    return category in {"So", "Co", "Cs"} or (category == "Sk" and ord(char) > 0x7F)


def _strip_markup(text: str) -> str:
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return "".join(char for char in text if not _is_pictograph(char))


def _sentences(text: str) -> str:
    """Lines as sentences: each line ends in punctuation, bullets and headings are gone."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = _LINE_MARKERS.sub("", raw).strip()
        if not line:
            continue
        if line[-1] not in ".!?:;,":
            line += "."
        lines.append(line)
    return " ".join(lines)


def _punctuation(text: str) -> str:
    """Separators and asides as pauses; quotes left out."""
    text = text.replace("·", ",").replace("|", ",")
    text = re.sub(r"\s[–—]\s", ", ", text)
    text = re.sub(r"\(([^()]*)\)", r", \1,", text)
    text = re.sub(r"(?<=\w)’(?=\w)", "'", text)
    text = re.sub(r"[\"“”„«»`]|(?<!\w)['‘’]|['‘’](?!\w)", "", text)  # quotes, not what's
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([:;])\s*[,.]", r"\1", text)
    text = re.sub(r"^[\s,.;:]+", "", text)
    return text.strip()


def to_speech(text: str, lang: Lang) -> str:
    """A written reply as plain text that sounds natural when a voice assistant says it."""
    text = text.replace("\xa0", " ").replace("\u202f", " ").replace("\r\n", "\n")
    text = _URL.sub(r"\1", text)
    text = _MASKED.sub(lambda match: f"{_ENDING[lang]} {_spell_digits(match.group(1))}", text)
    text = _LONE_MASK.sub("", text)
    text = _strip_markup(text)
    text = _AMOUNT.sub(lambda match: _say_amount(match, lang), text)
    text = _PERCENT.sub(rf"\1 {_PERCENT_WORD[lang]}", text)
    text = _DAY_RANGE.sub(f" {_TO[lang]} ", text)
    months = dict(zip(SHORT_MONTHS[lang], MONTHS[lang], strict=True))
    text = _MONTH_PATTERNS[lang].sub(lambda m: f"{m.group(1)} {months[m.group(2)]}", text)
    text = _AFTER_MONTH[lang].sub(rf"\1 {_TO[lang]} ", text)
    text = _expand_abbreviations(text, lang)
    return _punctuation(_sentences(text))


def _fit(spoken: str, room: int) -> str:
    """The speech cut after the last whole sentence that fits in `room` escaped characters."""
    if len(escape(spoken)) <= room:
        return spoken
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", spoken):
        candidate = f"{kept} {sentence}".strip()
        if len(escape(candidate)) > room:
            break
        kept = candidate
    if kept:
        return kept
    size = 0
    for index, char in enumerate(spoken):  # one endless sentence: cut at a word
        size += len(escape(char))
        if size > room:
            cut = spoken[:index]
            return cut.rsplit(" ", 1)[0] if " " in cut else cut
    return spoken


def ssml(text: str, lang: Lang, *, limit: int = SSML_LIMIT, spoken: bool = False) -> str:
    """`<speak>…</speak>` around the reply as speech, escaped for XML, cut at a sentence
    so that the whole stays within `limit` characters. `spoken`: the text already is
    speech (from `to_speech`)."""
    words = text if spoken else to_speech(text, lang)
    room = limit - len("<speak></speak>")
    return f"<speak>{escape(_fit(words, room))}</speak>"
