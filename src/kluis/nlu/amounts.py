"""Amounts: "€ 12,50", "meer dan 50 euro", "twee tientjes", "under $20", "boven de 100".

A number is money when a currency stands next to it ("50 euro", "$20", "12,-"), when it is
slang for money ("een tientje"), or, without a currency, when the customer compares it
("boven de 100", "over 50"), writes cents ("49,99") or names a payment ("een afschrijving van
80"). Counts, dates, times and card digits are not money: "laatste 5 betalingen", "3 maart",
"14:02", "kaart eindigend op 1234". "Een paar honderd" is too vague to be an amount.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from kluis.nlu.numbers import LONE_ONE, find_number_words, small_number
from kluis.nlu.text import Normalized, Span, normalize
from kluis.nlu.types import Amount, AmountOp

_CENT = Decimal("0.01")
_CENTS_WRITTEN = re.compile(r"[.,]\d{2}$")
_MAX_CANDIDATES = 24  # hostile input ("1 1 1 1 ...") must not cost much
_LIMIT = Decimal("1e12")

_NUMERIC = re.compile(
    r"(?:(?<![\w.,/:])|(?<=usd)|(?<=eur)|(?<=gbp))"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"  # 1.234,56
    r"|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"  # 1,234.56
    r"|\d{1,13}(?:[.,]\d{1,2})?)"  # 12,50 or 12.50
    r"(?P<dash>,-{1,2}|\.-)?(?![\d/:]|[.,]\d)"
)
_MULTIPLIER = re.compile(r"\s?(?P<mult>k|duizend|thousand|grand|mille|miljoen|million|mln)\b")
_PREFIX_CURRENCY = re.compile(r"(?:(?P<sym>us\$|€|\$|£)|\b(?P<code>eur|usd|gbp))\s*$")
_SUFFIX_CURRENCY = re.compile(
    r"\s*(?:(?P<sym>€|\$|£)|(?P<word>euro'?s|euros|euro|eur|dollars|dollar|usd|bucks|pounds"
    r"|pound|ponden|pond|gbp|quid|ballen|piek|cents|cent|ct)\b)"
)
_CURRENCIES: dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "euro's": "EUR", "euro s": "EUR",
    "ballen": "EUR", "piek": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD",
    "dollars": "USD", "bucks": "USD", "£": "GBP", "gbp": "GBP", "pound": "GBP",
    "pounds": "GBP", "pond": "GBP", "ponden": "GBP", "quid": "GBP",
}  # fmt: skip
_CENTS_WORDS = frozenset({"cent", "cents", "ct"})
_CENTS_AFTER = re.compile(
    r"\s+(?:en\s+|and\s+)?(?:(?P<cents>\d{2})\b|(?P<word>[a-z]+(?:-[a-z]+)?)\b)"
    r"(?:\s*(?:cent|cents|ct)\b)?"
)
_MULTIPLIERS: dict[str, int] = {
    "k": 1000, "duizend": 1000, "thousand": 1000, "grand": 1000, "mille": 1000,
    "miljoen": 1_000_000, "million": 1_000_000, "mln": 1_000_000,
}  # fmt: skip

_OP_BEFORE = re.compile(
    r"(?<!\w)(?:(?P<lt>niet\s+meer\s+(?:dan|als)|no\s+more\s+than|not\s+more\s+than"
    r"|minder\s+(?:dan|als)|less\s+than|fewer\s+than|lower\s+than|smaller\s+than"
    r"|kleiner\s+(?:dan|als)"
    r"|lager\s+(?:dan|als)|onder(?:\s+de)?|beneden(?:\s+de)?|under|below|beneath|maximaal|max\.?"
    r"|hooguit|hoogstens|at\s+most|up\s+to|tot(?:\s+de)?|<=?)"
    r"|(?P<gt>meer\s+(?:dan|als)|more\s+than|greater\s+than|bigger\s+than|larger\s+than"
    r"|higher\s+than|groter\s+(?:dan|als)|hoger\s+(?:dan|als)|boven(?:\s+de)?|over(?:\s+de)?"
    r"|above|exceeding|in\s+excess\s+of|upwards\s+of|minimaal|minstens|ten\s+minste|at\s+least"
    r"|vanaf|ruim|>=?)"
    r"|(?P<approx>ongeveer|about|rond(?:\s+de)?|rondom|around|zo'?n|circa|ca\.?|approximately"
    r"|approx\.?|roughly|~|plusminus|\+/-|±|om\s+en\s+nabij|zowat|pakweg|iets\s+van"
    r"|something\s+like|bijna|nearly|almost))"
    r"\s*(?:de\s+|het\s+|the\s+|een\s+bedrag\s+van\s+|an?\s+amount\s+of\s+)?$"
)
_OP_AFTER = re.compile(
    r"^\s*(?:(?P<gt>of\s+meer|or\s+more|en\s+meer|of\s+hoger|or\s+higher|en\s+hoger|and\s+up"
    r"|and\s+above|or\s+above|\+)|(?P<lt>of\s+minder|or\s+less|en\s+minder|of\s+lager"
    r"|or\s+lower|en\s+lager|or\s+below|and\s+below|of\s+onder)"
    r"|(?P<approx>ongeveer|or\s+so|give\s+or\s+take|of\s+zo))\b"
)
_MONEY_BEFORE = re.compile(
    r"\b(?:betaling|betalingen|afschrijving|afschrijvingen|bedrag|bedragen|transactie|transacties"
    r"|overboeking|payment|payments|charge|charges|transaction|transactions|amount|bill|factuur"
    r"|invoice|incasso|purchase|aankoop|bestelling|order|refund|terugbetaling|storting|deposit"
    r"|withdrawal|opname|uitgave|betaald|paid|spent|uitgegeven|gepind|overgemaakt|kost|kostte"
    r"|costs?|cost|charged|afgeschreven|limiet|limit|budget)\s+(?:van|of|for|voor|worth"
    r"|ter\s+waarde\s+van)?\s*(?:de\s+|een\s+|a\s+)?$"
)
_UNIT_AFTER = re.compile(
    r"\s*(?:%|(?:dagen|dag|days?|weken|weeks?|maanden|maand|months?|jaar|jaren|years?|uur|uren"
    r"|hours?|minuten|minutes?|min|seconden|seconds?|keer|keren|times|x|transacties|transactie"
    r"|transactions?|betalingen|betaling|payments?|afschrijvingen|boekingen|bookings?|items?"
    r"|stuks|pieces|procent|percent|pct|km|kilometer|miles?|kg|liter|liters|litres?|mensen"
    r"|people|personen|persons?|kaarten|cards?|rekeningen|accounts?|abonnementen|subscriptions?"
    r"|nachten|nights?|kwartalen|quarters?|pagina'?s|pages?|regels|lines|meldingen|alerts?"
    r"|berichten|messages?|jaar\s+oud|years?\s+old|time)\b)"
)
_VAGUE_BEFORE = frozenset(
    {"paar", "couple", "few", "enkele", "several", "some", "aantal", "tientallen", "honderden",
     "duizenden", "many", "veel", "ettelijke"}
)  # fmt: skip
_CARD_BEFORE = re.compile(
    r"(?:\b(?:kaart|card|pas|ending|eindigend|eindigt|nummer|number|nr|pin|code|iban)|\*+|x{2,})"
    r"\s*(?:in|op|on|with|met)?\s*$"
)
_SLANG = re.compile(
    r"\b(?:(?P<count>een|one|a|an|\d{1,2}|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|two"
    r"|three|four|five|six|seven|eight|nine|ten)\s+)?(?P<unit>tientjes?|vijfjes?|honderdjes?"
    r"|briefjes?\s+van|biljetten\s+van|biljet\s+van|mille|grand)\b(?:\s+(?P<face>\d{1,3}"
    r"|vijf|tien|twintig|vijftig|honderd|twee\s*honderd|vijfhonderd|five|ten|twenty|fifty"
    r"|hundred)\b)?"
)
_SLANG_VALUES: dict[str, int] = {"tientje": 10, "vijfje": 5, "honderdje": 100, "mille": 1000,
                                 "grand": 1000}  # fmt: skip
_RANGE_BETWEEN = re.compile(r"\b(?:tussen|between|van|from)\s+(?:de\s+|the\s+)?$")
_RANGE_JOIN = re.compile(r"^\s*(?:en|and|tot\s+en\s+met|t/m|tot|to|-)\s*$")


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """An amount found in a normalised text, with the span it was read from."""

    amount: Amount
    span: Span


@dataclass(frozen=True, slots=True)
class _Number:
    value: Decimal
    start: int
    end: int
    currency: str | None
    decimals: bool = False
    lone_one: bool = False


def _decimal(text: str) -> Decimal | None:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _currency_after(text: str, end: int) -> tuple[str | None, int, bool]:
    """(currency, end of the currency word, is it cents) right after position `end`."""
    match = _SUFFIX_CURRENCY.match(text, end)
    if match is None:
        return None, end, False
    word = match.group("sym") or match.group("word")
    if word in _CENTS_WORDS:
        return "EUR", match.end(), True
    return _CURRENCIES.get(word.replace("'", ""), _CURRENCIES.get(word)), match.end(), False


def _cents(match: re.Match[str] | None) -> int | None:
    """The cents in "12 euro 50" or "twaalf euro vijftig" (not "een", which is an article)."""
    if match is None:
        return None
    if match.group("cents"):
        return int(match.group("cents"))
    word = match.group("word")
    if word in LONE_ONE:
        return None
    value = small_number(word)
    return value if value is not None and 0 < value < 100 else None


def _with_context(
    text: str,
    value: Decimal,
    start: int,
    end: int,
    *,
    decimals: bool = False,
    lone_one: bool = False,
) -> _Number:
    """Read the currency around a number at text[start:end] and widen the span over it."""
    currency: str | None = None
    before = _PREFIX_CURRENCY.search(text, max(0, start - 6), start)
    if before is not None:
        symbol = before.group("sym") or before.group("code")
        currency = _CURRENCIES[symbol]
        start = before.start()
    multiplier = _MULTIPLIER.match(text, end)
    if multiplier is not None:
        value *= _MULTIPLIERS[multiplier.group("mult")]
        end = multiplier.end()
    after, after_end, cents = _currency_after(text, end)
    if after is not None:
        if cents:
            value = value / 100
        elif currency is None or currency == after:
            extra = _CENTS_AFTER.match(text, after_end)
            cents_value = _cents(extra)
            if extra is not None and cents_value and not _UNIT_AFTER.match(text, extra.end()):
                value += Decimal(cents_value) / 100
                after_end = extra.end()
        currency = currency or after
        end = after_end
    return _Number(value, start, end, currency, decimals, lone_one)


def _numeric_numbers(text: str) -> list[_Number]:
    found: list[_Number] = []
    for match in _NUMERIC.finditer(text):
        if len(found) >= _MAX_CANDIDATES:
            break
        value = _decimal(match.group("num"))
        if value is None:
            continue
        end = match.end()
        dash = bool(match.group("dash"))  # "12,-" is Dutch for twelve euros
        number = _with_context(
            text,
            value,
            match.start(),
            end,
            decimals=dash or bool(_CENTS_WRITTEN.search(match.group("num"))),
        )
        if text[end : end + 1].isalpha() and number.end == end:
            continue  # "3e", "2x", "10am": not an amount
        if dash and number.currency is None:
            number = replace(number, currency="EUR")
        found.append(number)
    return found


def _word_numbers(text: Normalized) -> list[_Number]:
    found: list[_Number] = []
    for words in find_number_words(text.text, text.tokens, limit=_MAX_CANDIDATES):
        before = [token.text for token in text.tokens[max(0, words.first - 2) : words.first]]
        if any(word in _VAGUE_BEFORE for word in before):
            continue
        found.append(
            _with_context(
                text.text, Decimal(words.value), words.start, words.end, lone_one=words.lone_one
            )
        )
    return found


def _slang_numbers(text: str) -> list[_Number]:
    found: list[_Number] = []
    for match in _SLANG.finditer(text):
        if len(found) >= _MAX_CANDIDATES:
            break
        unit = match.group("unit")
        count_text = match.group("count")
        count = 1 if count_text in (None, "een", "one", "a", "an") else small_number(count_text)
        if count is None:
            continue
        face: int | None
        if unit.startswith(("briefje", "biljet")):
            face_text = match.group("face")
            face = None if face_text is None else small_number(face_text.replace(" ", ""))
        else:
            face = _SLANG_VALUES.get(unit.rstrip("s"), _SLANG_VALUES.get(unit))
        if face is None or (unit == "grand" and count_text is None):
            continue
        end = match.end() if unit.startswith(("briefje", "biljet")) else match.end("unit")
        found.append(_Number(Decimal(count * face), match.start(), end, "EUR"))
    return found


def _operator(text: str, number: _Number) -> AmountOp | None:
    before = _OP_BEFORE.search(text, max(0, number.start - 40), number.start)
    match = before or _OP_AFTER.match(text[number.end : number.end + 30])
    if match is None:
        return None
    for op in ("gt", "lt", "approx"):
        if match.group(op):
            return op
    return None


def _is_money(text: str, number: _Number, op: AmountOp | None) -> bool:
    if number.lone_one:
        return number.currency is not None
    if number.currency is not None:
        return True
    if _CARD_BEFORE.search(text, max(0, number.start - 25), number.start):
        return False
    if number.decimals:  # "de 64,99 betaling": cents make it money
        return True
    if _UNIT_AFTER.match(text, number.end):
        return False
    if op is not None:
        return True
    return _MONEY_BEFORE.search(text, max(0, number.start - 40), number.start) is not None


def _candidates(text: Normalized) -> list[_Number]:
    # slang first: on a tie ("2 grand") the slang reading, which knows it is money, is kept
    numbers = [*_slang_numbers(text.text), *_numeric_numbers(text.text), *_word_numbers(text)]
    numbers.sort(key=lambda number: (number.start, number.start - number.end))
    kept: list[_Number] = []
    for number in numbers:
        if kept and number.start < kept[-1].end:
            continue
        kept.append(number)
    return kept[:_MAX_CANDIDATES]


def find_amount(text: Normalized, taken: Sequence[Span] = ()) -> AmountMatch | None:
    """The amount in `text` (one with a currency first), ignoring numbers inside `taken`.

    A range ("tussen 50 en 100 euro") gives its lower bound with op "gt".
    """
    source = text.text
    numbers = [
        number
        for number in _candidates(text)
        if number.value < _LIMIT
        and not any(Span(number.start, number.end).overlaps(other) for other in taken)
    ]
    accepted: list[tuple[int, AmountOp]] = []
    for index, number in enumerate(numbers):
        op = _operator(source, number)
        if _is_money(source, number, op):
            accepted.append((index, op or "eq"))
    if not accepted:
        return None
    with_currency = [item for item in accepted if numbers[item[0]].currency is not None]
    index, op = (with_currency or accepted)[0]
    number = numbers[index]
    start, end, currency = number.start, number.end, number.currency
    lower = numbers[index - 1] if index > 0 else None
    upper = numbers[index + 1] if index + 1 < len(numbers) else None
    if lower is not None and _is_range(source, lower, number):
        number, op, start = lower, "gt", lower.start
        currency = currency or lower.currency
    elif upper is not None and _is_range(source, number, upper):
        op, end = "gt", upper.end
        currency = currency or upper.currency
    value = number.value.quantize(_CENT)
    return AmountMatch(Amount(value, currency or "EUR", op), Span(start, end))


def _is_range(text: str, lower: _Number, upper: _Number) -> bool:
    return bool(
        _RANGE_JOIN.match(text[lower.end : upper.start])
        and _RANGE_BETWEEN.search(text, max(0, lower.start - 20), lower.start)
        and lower.value < upper.value
    )


def extract_amount(text: str) -> Amount | None:
    """The amount a customer means in `text` ("meer dan 50 euro", "$20"), or None."""
    found = find_amount(normalize(text))
    return None if found is None else found.amount
