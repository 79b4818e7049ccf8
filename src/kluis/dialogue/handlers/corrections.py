"""'Zet Vattenfall onder energie', 'Tikkies from Sanne are rent': a category correction
becomes the customer's rule, for earlier payments and for those still to come.

The message is read as: a payee, optionally narrowed by "van X" / "from X" (words that must
also be in the payment's name or description), and the category it belongs under.
- The payee: the words between the verb ("zet", "put", "move", ... or the start) and the
  first linking word ("onder", "under", "is", "zijn", "are", "hoort", ...); the NLU's
  merchant stands for the words it was read from, so "de Appie" is "albert heijn".
- The category: the last category named that is not denied, so "Netflix is geen
  entertainment maar een abonnement" is subscriptions and "Shell is fuel, not transport"
  is fuel (the NLU's category entity is the first one named, which is the wrong one there).

The answer says in one sentence how many earlier payments changed category and their total,
worked out by asking the gate for the payee's payments before and after the rule is saved,
so it counts exactly what every later answer will count. An undo button puts the category
back, then or later in the conversation (`dialogue.handlers.undo`): Kluis keeps what to
undo in the conversation's state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Final

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang, money
from kluis.dialogue.handlers import money_flows
from kluis.dialogue.state import ConversationState
from kluis.dialogue.texts import CATEGORY_NAMES
from kluis.dialogue.types import Reply
from kluis.domain import Category, as_category
from kluis.insights.categories import normalise
from kluis.insights.flows import Categorised
from kluis.insights.rules import CategoryRule, words_in
from kluis.money import Money
from kluis.nlu.categories import find_category
from kluis.nlu.text import Span, normalize, word_set
from kluis.store.category_rules import CategoryRuleRepository

INTENT: Final = "spending.recategorise"

_LEADING: Final = word_set(
    """kun kan je jij u wil wilt graag aub please can could you would zet zetten plaats
    verplaats deel indelen put move file mark label treat count categorise categorize
    recategorise recategorize classify reclassify change verander wijzig de het een die dat
    alle alles the a an all my mijn mn category categorie betalingen betaling payments
    payment afschrijvingen aan naar to van voor of for vanaf nu voortaan from now on"""
)
_LINKING: Final = word_set(
    """onder under bij naar in into as als is zijn are hoort horen belongs belong valt vallen
    moet moeten should goes go counts klopt isnt"""
)
_SOURCE: Final = frozenset({"van", "from", "via"})
_FILLER: Final = frozenset({"de", "het", "the", "mijn", "my", "mn", "m"})
_DENIAL: Final = frozenset(
    {"geen", "niet", "nooit", "not", "no", "never", "isn", "isnt", "aren", "arent", "t"}
)

TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "done": {
        "nl": "Goed, vanaf nu zet ik {payee} onder {category}; dat verandert {count} eerdere "
        "{payments} van samen {total}.",
        "en": "Done: from now on I'll put {payee} under {category}, which changes {count} "
        "earlier {payments} totalling {total}.",
    },
    "done_none_changed": {
        "nl": "Goed, {payee} staat al onder {category} en blijft daar voortaan ook.",
        "en": "Done: {payee} is already under {category} and will stay there from now on.",
    },
    "done_nothing_yet": {
        "nl": "Goed, ik zie nog geen betalingen aan {payee}, maar komen ze, dan zet ik ze "
        "onder {category}.",
        "en": "Done: I don't see any payments to {payee} yet, but when they come I'll put "
        "them under {category}.",
    },
    "which_payee": {
        "nl": "Welke betalingen wil je in een andere categorie? Zeg bijvoorbeeld: "
        "'zet Vattenfall onder energie'.",
        "en": "Which payments should go in another category? Say for example: "
        "'put Vattenfall under utilities'.",
    },
    "which_category": {
        "nl": "Onder welke categorie wil je {payee} zetten? Zeg bijvoorbeeld: "
        "'zet {payee} onder boodschappen'.",
        "en": "Which category should {payee} go under? Say for example: "
        "'put {payee} under groceries'.",
    },
    "undone": {
        "nl": "Ongedaan gemaakt: {payee} staat weer onder {category}.",
        "en": "Undone: {payee} is back under {category}.",
    },
    "undone_own": {
        "nl": "Ongedaan gemaakt: {payee} staat weer in de categorie die ik er zelf aan gaf.",
        "en": "Undone: {payee} is back in the category I gave it myself.",
    },
    "nothing_to_undo": {
        "nl": "Die aanpassing was al ongedaan gemaakt; er is niets veranderd.",
        "en": "That change had already been undone; nothing has changed.",
    },
    "payment": {"nl": "betaling", "en": "payment"},
    "payments": {"nl": "betalingen", "en": "payments"},
    "undo": {"nl": "Maak ongedaan", "en": "Undo"},
    "from": {"nl": "van", "en": "from"},
}


def _say(ctx: TurnContext, key: str, **values: object) -> str:
    return TEXTS[key][ctx.lang].format(**values)


def _by_our_name(text: str) -> Category | None:
    """The category named as Kluis names it in its answers ("wonen", "eating out"), the
    last one in the text: customers echo the words they were shown."""
    words = normalise(text).split()
    found: tuple[int, Category] | None = None
    for names in CATEGORY_NAMES.values():
        for category, name in names.items():
            wanted = normalise(name).split()
            for start in range(len(words) - len(wanted) + 1):
                if words[start : start + len(wanted)] == wanted and (
                    found is None or start > found[0]
                ):
                    found = (start, as_category(category))
    return None if found is None else found[1]


def asked_category(text: str, lang: Lang) -> Category | None:
    """The category a correction asks for: the last one named that is not denied."""
    normalized = normalize(text)
    taken: list[Span] = []
    chosen: Category | None = None
    while (found := find_category(normalized, lang, taken)) is not None:
        taken.append(found.span)
        before = normalized.text[: found.span.start].split()[-2:]
        if not _DENIAL.intersection(re.sub(r"[^a-z ]", " ", " ".join(before)).split()):
            chosen = as_category(found.category)
    return chosen or _by_our_name(text)


def _subject(words: list[str]) -> list[str]:
    """The words naming the payments: after the verb, before the first linking word."""
    start = 0
    while start < len(words) and words[start] in _LEADING:
        start += 1
    end = start
    while end < len(words) and words[end] not in _LINKING:
        end += 1
    return words[start:end]


def _trimmed(words: list[str]) -> list[str]:
    return [word for word in words if word not in _FILLER]


def asked_rule(
    text: str, category: Category, merchant: str | None = None, merchant_text: str | None = None
) -> CategoryRule | None:
    """The rule a correction asks for; None when it names no payee.

    `merchant` is the NLU's canonical name for the words `merchant_text` ("de appie" is
    "albert heijn"): it stands for those words in the payee."""
    subject = _subject(normalise(text).split())
    said = normalise(merchant_text or merchant).split()
    known = normalise(merchant).split()
    if known and (words_in(said, subject) or not subject):
        payee, rest = known, subject
        for start in range(len(subject) - len(said) + 1):
            if words_in(said, subject[start : start + len(said)]):
                rest = subject[start + len(said) :]
                break
        about = rest[1:] if rest[:1] and rest[0] in _SOURCE else []
    else:
        cut = next((index for index, word in enumerate(subject) if word in _SOURCE), None)
        payee = subject if cut is None else subject[:cut]
        about = [] if cut is None else subject[cut + 1 :]
    payee, about = _trimmed(payee), _trimmed(about)
    if not payee:
        return None
    return CategoryRule.of(" ".join(payee), category, " ".join(about))


def _as_written(text: str, words: str) -> str:
    """`words` (normalised) as the customer wrote them ("kpn" -> "KPN"), else title case."""
    found: list[tuple[str, int, int]] = []
    for token in re.finditer(r"\S+", text):
        found += [(word, token.start(), token.end()) for word in normalise(token.group()).split()]
    wanted = words.split()
    for start in range(len(found) - len(wanted) + 1):
        if [word for word, _, _ in found[start : start + len(wanted)]] == wanted:
            written = text[found[start][1] : found[start + len(wanted) - 1][2]]
            return written.strip(",.;:!?'\"")
    return words.title()


def _shown(ctx: TurnContext, rule: CategoryRule) -> str:
    payee = _as_written(ctx.text, rule.payee)
    if not rule.about:
        return payee
    return f"{payee} {_say(ctx, 'from')} {_as_written(ctx.text, rule.about)}"


async def _payments(
    ctx: TurnContext, rule: CategoryRule
) -> tuple[dict[tuple[str, str], Categorised], bool]:
    """The payee's payments as the gate categorises them now, by account and id, and
    whether their amounts are rounded (a discreet voice)."""
    payee = rule.payee.split()
    disclosed = await ctx.gate.transactions(
        ctx.request, counterparty=lambda name: words_in(payee, normalise(name).split())
    )
    found = {
        (item.transaction.resource_id, item.transaction.transaction_id): item
        for item in disclosed.items
    }
    return found, disclosed.approximate


def _total(items: list[Categorised]) -> Money:
    currency = items[0].transaction.amount.currency if items else "EUR"
    amounts = [abs(item.transaction.amount.amount) for item in items]
    return Money(sum(amounts, Decimal(0)), currency)


# A correction says where something goes ("zet .. onder", "is geen .. maar", "are rent");
# without such a word it is a question about spending ("en aan boodschappen?").
_SAYS_WHERE: Final = frozenset(
    [
        "zet",
        "zetten",
        "plaats",
        "verplaats",
        "categoriseer",
        "hoort",
        "horen",
        "valt",
        "vallen",
        "telt",
        "tellen",
        "reken",
        "boek",
        "is",
        "zijn",
        "put",
        "move",
        "file",
        "categorise",
        "categorize",
        "belongs",
        "belong",
        "count",
        "counts",
        "goes",
        "go",
        "treat",
        "are",
    ]
)


def reads_as_correction(text: str) -> bool:
    """Whether the message says where payments belong, not only asks about a category."""
    return not _SAYS_WHERE.isdisjoint(normalise(text).split())


async def handle(ctx: TurnContext) -> Outcome:
    """Turn a category correction into the customer's rule and say what it changed."""
    if not reads_as_correction(ctx.text):
        return await money_flows.spending(ctx)  # a follow-up, read as a correction
    category = asked_category(ctx.text, ctx.lang) or ctx.entities.category
    if category is not None:
        category = as_category(category)
    merchant = ctx.entities.merchant
    if category is None:
        named = normalise(merchant) or " ".join(_subject(normalise(ctx.text).split()))
        payee = _as_written(ctx.text, named) if named else ""
        if not payee:
            return Outcome((Reply(_say(ctx, "which_payee")),), ctx.state)
        return Outcome((Reply(_say(ctx, "which_category", payee=payee)),), ctx.state)
    rule = asked_rule(ctx.text, category, merchant, ctx.entities.spans.get("merchant"))
    if rule is None:
        return Outcome((Reply(_say(ctx, "which_payee")),), ctx.state)
    before, _ = await _payments(ctx, rule)
    async with ctx.runtime.database.session() as session:
        saved = await CategoryRuleRepository(session).put(ctx.customer.id, rule, datetime.now(UTC))
    after, approximate = await _payments(ctx, rule)
    changed = [
        item
        for key, item in after.items()
        if key in before and before[key].category != item.category
    ]
    values = {
        "payee": _shown(ctx, saved.rule),
        "category": CATEGORY_NAMES[ctx.lang].get(category, category),
    }
    if changed:
        text = _say(
            ctx,
            "done",
            count=len(changed),
            payments=_say(ctx, "payment" if len(changed) == 1 else "payments"),
            total=money(_total(changed), ctx.lang, approximate=approximate),
            **values,
        )
    else:
        text = _say(ctx, "done_none_changed" if after else "done_nothing_yet", **values)
    undo = {
        "kind": "category",
        "rule": str(saved.rule.id),
        "replaced": saved.replaced or "",
        "name": values["payee"],
    }
    state = replace(ctx.state, pending=None, misunderstood=0, undo=undo)
    facts = {"changed": len(changed), "total": _total(changed).to_api()}
    return Outcome((Reply(text, (_say(ctx, "undo"),)),), state, facts=facts)


async def undo(ctx: TurnContext, change: Mapping[str, str], state: ConversationState) -> Outcome:
    """Put back the category a correction replaced (or drop the rule it made)."""
    rule_id, replaced = change.get("rule", ""), change.get("replaced", "")
    if not rule_id.isdigit():
        return Outcome((Reply(_say(ctx, "nothing_to_undo")),), state)
    async with ctx.runtime.database.session() as session:
        done = await CategoryRuleRepository(session).restore(
            ctx.customer.id, int(rule_id), as_category(replaced) if replaced else None
        )
    if not done:
        return Outcome((Reply(_say(ctx, "nothing_to_undo")),), state)
    payee = change.get("name", "")
    if replaced:
        category = CATEGORY_NAMES[ctx.lang].get(replaced, replaced)
        text = _say(ctx, "undone", payee=payee, category=category)
    else:
        text = _say(ctx, "undone_own", payee=payee)
    return Outcome((Reply(text),), state)
