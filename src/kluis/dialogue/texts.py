"""Every sentence Kluis says, in Dutch and English. Placeholders are filled by the handlers."""

from __future__ import annotations

from typing import Any

from kluis.dialogue.formatting import Lang

BANK_PHONE = "020 123 45 67"

TEXTS: dict[str, dict[Lang, str]] = {
    # balance
    "balance.one": {
        "nl": "Op je {name} staat {amount}.",
        "en": "Your {name} has {amount}.",
    },
    "balance.card": {
        "nl": "Op je {name} staat {amount} open.",
        "en": "Your {name} has {amount} outstanding.",
    },
    "balance.others": {"nl": "Je andere rekeningen: {list}.", "en": "Your other accounts: {list}."},
    "balance.owed": {"nl": "{name} {amount} open", "en": "{name} {amount} outstanding"},
    "balance.total": {
        "nl": "Samen is dat {amount}.",
        "en": "Together that is {amount}.",
    },
    "balance.none": {
        "nl": "Ik kan geen saldo laten zien: je toestemming omvat geen saldi.",
        "en": "I can't show a balance: your consent does not cover balances.",
    },
    # transactions
    "transactions.header": {
        "nl": "Je {what} {period}:",
        "en": "Your {what} {period}:",
    },
    "transactions.latest": {"nl": "Je laatste {what}:", "en": "Your latest {what}:"},
    "transactions.next": {"nl": "Verder met je {what}:", "en": "More of your {what}:"},
    "transactions.none": {
        "nl": "Ik vond geen {what} {period}.",
        "en": "I found no {what} {period}.",
    },
    "transactions.more": {
        "nl": "Er zijn er nog {count}. Zeg 'meer' om verder te kijken.",
        "en": "There are {count} more. Say 'more' to see them.",
    },
    "transactions.end": {"nl": "Dat waren ze allemaal.", "en": "That was all of them."},
    "transactions.nothing_more": {
        "nl": "Er zijn geen verdere transacties. Vraag me gerust iets anders.",
        "en": "There are no more transactions. Feel free to ask me something else.",
    },
    "word.transactions": {"nl": "transacties", "en": "transactions"},
    "word.payments": {"nl": "betalingen", "en": "payments"},
    "word.incoming": {"nl": "ontvangsten", "en": "incoming payments"},
    "word.pending": {"nl": "nog niet verwerkt", "en": "pending"},
    "word.at": {"nl": "bij {merchant}", "en": "at {merchant}"},
    "word.in_category": {"nl": "voor {category}", "en": "for {category}"},
    "word.above": {"nl": "boven {amount}", "en": "over {amount}"},
    "word.below": {"nl": "onder {amount}", "en": "under {amount}"},
    "word.about": {"nl": "van ongeveer {amount}", "en": "of about {amount}"},
    "word.exactly": {"nl": "van {amount}", "en": "of {amount}"},
    "word.on_account": {"nl": "op je {name}", "en": "on your {name}"},
    # spending and income
    "spending.total": {
        "nl": "{period} gaf je {amount} uit{what}.",
        "en": "{period} you spent {amount}{what}.",
    },
    "spending.on": {"nl": " aan {category}", "en": " on {category}"},
    # a period before the earliest payment the bank gave when the history was read
    "net.kept": {
        "nl": "{period} kwam er {income} binnen en gaf je {spent} uit: je hield {net} over.",
        "en": "{period} {income} came in and you spent {spent}: you kept {net}.",
    },
    "net.short": {
        "nl": "{period} kwam er {income} binnen en gaf je {spent} uit: {net} meer dan er "
        "binnenkwam.",
        "en": "{period} {income} came in and you spent {spent}: {net} more than came in.",
    },
    "history.no_spending": {
        "nl": "{period} zie ik geen uitgaven ({amount}), maar ik heb je betalingen ook pas "
        "vanaf {day}.",
        "en": "{period} I see no spending ({amount}), but then I only have your payments "
        "from {day}.",
    },
    "history.no_income": {
        "nl": "{period} zie ik niets binnenkomen ({amount}), maar ik heb je betalingen ook "
        "pas vanaf {day}.",
        "en": "{period} I see nothing coming in ({amount}), but then I only have your "
        "payments from {day}.",
    },
    "history.partial": {
        "nl": " Je betalingen heb ik pas vanaf {day}, dus dit is misschien niet alles.",
        "en": " I only have your payments from {day}, so this may not be all.",
    },
    "spending.at": {"nl": " bij {merchant}", "en": " at {merchant}"},
    "spending.compare_less": {
        "nl": " Dat is {percent} % minder dan {previous} ({amount}).",
        "en": " That is {percent}% less than {previous} ({amount}).",
    },
    "spending.compare_more": {
        "nl": " Dat is {percent} % meer dan {previous} ({amount}).",
        "en": " That is {percent}% more than {previous} ({amount}).",
    },
    "spending.compare_same": {
        "nl": " Ongeveer evenveel als {previous} ({amount}).",
        "en": " About the same as {previous} ({amount}).",
    },
    "spending.top": {"nl": "Het meest aan {list}.", "en": "Most of it on {list}."},
    "spending.top_merchants": {"nl": "Vooral bij {list}.", "en": "Mostly at {list}."},
    "spending.chart": {"nl": "Uitgaven {period}", "en": "Spending {period}"},
    "income.total": {
        "nl": "{period} kwam er {amount} binnen.",
        "en": "{period} {amount} came in.",
    },
    "income.salary_total": {
        "nl": "{period} kwam er {amount} aan salaris binnen.",
        "en": "{period} {amount} of salary came in.",
    },
    "income.salary_and_more": {
        "nl": "{period} kwam er {amount} aan salaris en ander inkomen binnen.",
        "en": "{period} {amount} of salary and other income came in.",
    },
    "income.from": {"nl": "Het grootste deel van {list}.", "en": "Most of it from {list}."},
    "income.salary_yes": {
        "nl": "Ja, op {day} kwam {amount} binnen van {payer}.",
        "en": "Yes, {amount} came in from {payer} on {day}.",
    },
    "income.salary_no": {
        "nl": "Ik zie {period} nog geen salaris binnenkomen.",
        "en": "I don't see a salary coming in {period} yet.",
    },
    "income.salary_last": {
        "nl": " De vorige keer was op {day}: {amount} van {payer}.",
        "en": " The last one was on {day}: {amount} from {payer}.",
    },
    "income.salary_next": {
        "nl": " Het volgende verwacht ik rond {day}.",
        "en": " I expect the next one around {day}.",
    },
    "income.salary_yes_unnamed": {
        "nl": "Ja, op {day} kwam {amount} binnen.",
        "en": "Yes, {amount} came in on {day}.",
    },
    "income.salary_last_unnamed": {
        "nl": " De vorige keer was op {day}: {amount}.",
        "en": " The last one was on {day}: {amount}.",
    },
    # conversation
    "greeting": {
        "nl": "Hoi {name}! Ik ben de digitale assistent van {bank}. Waarmee kan ik je helpen?",
        "en": "Hi {name}! I'm {bank}'s digital assistant. How can I help?",
    },
    "thanks": {"nl": "Graag gedaan! Nog iets anders?", "en": "You're welcome! Anything else?"},
    "goodbye": {
        "nl": "Fijne dag nog! Je kunt me altijd weer een bericht sturen.",
        "en": "Have a good day! Message me any time.",
    },
    "help": {
        "nl": (
            "Ik kan je saldo laten zien, je transacties zoeken (bijvoorbeeld 'betalingen bij "
            "Albert Heijn deze maand'), vertellen hoeveel je uitgaf of binnenkreeg, en je in "
            "contact brengen met een medewerker. Ik kan alleen meekijken: betalen of geld "
            "overmaken doe je in de app van {bank}."
        ),
        "en": (
            "I can show your balance, find transactions (for example 'payments at Albert "
            "Heijn this month'), tell you what you spent or received, and put you in touch "
            "with a person. I can only look: to pay or transfer money, use the {bank} app."
        ),
    },
    "affirm": {"nl": "Fijn! Kan ik nog iets voor je doen?", "en": "Great! Anything else I can do?"},
    "deny": {
        "nl": "Oké. Waarmee kan ik je dan helpen?",
        "en": "Okay. What can I help you with instead?",
    },
    "out_of_scope": {
        "nl": "Daar kan ik je helaas niet mee helpen: ik weet alleen iets van je bankzaken. Ik kan bijvoorbeeld je saldo of je uitgaven laten zien.",
        "en": "I'm afraid I can't help with that: I only know about your banking. I can show your balance or your spending, for example.",
    },
    "misunderstood": {
        "nl": "Sorry, dat begreep ik niet. Kun je het anders zeggen? Bijvoorbeeld: 'wat is mijn saldo' of 'uitgaven vorige maand'.",
        "en": "Sorry, I didn't understand that. Could you put it differently? For example: 'what is my balance' or 'spending last month'.",
    },
    "misunderstood.twice": {
        "nl": "Het lukt me niet goed je te begrijpen, sorry. Zal ik laten zien wat ik kan, of wil je met een medewerker praten?",
        "en": "I'm not managing to understand you, sorry. Shall I show what I can do, or would you like to talk to a person?",
    },
    # money movement and service
    "payment": {
        "nl": "Geld overmaken of betalen kan ik niet: ik kan alleen meekijken, zodat niemand via deze chat geld kan verplaatsen. Dat doe je veilig in de app of internetbankieren van {bank}. Zal ik je laten zien wat er op je rekening staat?",
        "en": "I can't transfer money or make payments: I can only look, so nobody can move money through this chat. You can do that safely in the {bank} app or online banking. Shall I show what's in your account?",
    },
    "handoff": {
        "nl": "Ik heb een medewerker gevraagd om je te helpen (referentie {reference}). Die leest dit gesprek mee en reageert hier, meestal binnen een paar minuten tijdens kantooruren. Haast? Bel {phone}.",
        "en": "I've asked a colleague to help you (reference {reference}). They will see this conversation and reply here, usually within a few minutes during office hours. In a hurry? Call {phone}.",
    },
    "handoff.support": {
        "nl": "Dat is een vraag voor een collega. Ik heb het doorgezet (referentie {reference}); een medewerker reageert hier, meestal binnen een paar minuten tijdens kantooruren. Je kunt ook bellen: {phone}.",
        "en": "That's one for a colleague. I've passed it on (reference {reference}); someone will reply here, usually within a few minutes during office hours. You can also call {phone}.",
    },
    "handoff.urgent_card": {
        "nl": "Je pas blokkeren kan ik vanuit deze chat nog niet, daarom heb ik een medewerker met spoed gevraagd je te helpen (referentie {reference}). Bel bij verlies of diefstal direct {phone} (dag en nacht bereikbaar): dan wordt je pas meteen geblokkeerd.",
        "en": "I can't block your card from this chat yet, so I've asked a colleague to help you urgently (reference {reference}). For a lost or stolen card, call {phone} right away (day and night): they block it at once.",
    },
    "handoff.urgent_unfreeze": {
        "nl": "Een pas deblokkeren doet een medewerker, voor je veiligheid. Ik heb het doorgezet (referentie {reference}); je kunt ook bellen: {phone}.",
        "en": "For your safety, a colleague unblocks cards. I've passed it on (reference {reference}); you can also call {phone}.",
    },
    "handoff.fraud": {
        "nl": "Vervelend! Ik heb een fraudespecialist met spoed gevraagd mee te kijken (referentie {reference}). Bel bij twijfel direct {phone} (dag en nacht). Deel nooit je pincode of inlogcodes, ook niet met ons.",
        "en": "I'm sorry! I've asked a fraud specialist to look at this urgently (reference {reference}). If in doubt, call {phone} right away (day and night). Never share your PIN or login codes, not even with us.",
    },
    "consent.scope": {
        "nl": "Je gaf {bank} toestemming om {what} te lezen van: {accounts}. Die toestemming loopt tot {until}; ik lees zonder jou hooguit {times} keer per dag. Ik kan nooit geld verplaatsen.",
        "en": "You allowed {bank} to read {what} of: {accounts}. That consent runs until {until}; without you, I read at most {times} times a day. I can never move money.",
    },
    "consent.what": {
        "nl": "rekeninggegevens, saldi en transacties",
        "en": "account details, balances and transactions",
    },
    "consent.manage": {
        "nl": "Toestemming intrekken of aanpassen kan op de pagina 'Mijn toestemmingen' of in de app van {bank}; een medewerker helpt je ook graag.",
        "en": "You can withdraw or change your consent on the 'My consents' page or in the {bank} app; a colleague is happy to help too.",
    },
    "no_consent": {
        "nl": "Je hebt je bank nog niet gekoppeld, of je toestemming is niet meer geldig. Koppel je bank opnieuw om je gegevens te zien.",
        "en": "Your bank isn't linked yet, or your consent is no longer valid. Please link your bank again to see your data.",
    },
    "consent_expired": {
        "nl": "Je toestemming om je gegevens te lezen is verlopen. Vernieuw hem om verder te gaan; dat duurt maar even.",
        "en": "Your consent to read your data has expired. Please renew it to continue; it only takes a moment.",
    },
    "stale": {
        "nl": "(De bank is even niet bereikbaar; dit is wat ik eerder ophaalde.)",
        "en": "(The bank can't be reached right now; this is what I fetched earlier.)",
    },
    "clarify.account": {
        "nl": "Welke rekening bedoel je?",
        "en": "Which account do you mean?",
    },
    "error": {
        "nl": "Er ging iets mis aan onze kant, sorry. Probeer het zo nog eens; lukt het niet, bel dan {phone} (referentie {reference}).",
        "en": "Something went wrong on our side, sorry. Please try again shortly; if it keeps failing, call {phone} (reference {reference}).",
    },
    # voice: the voice PIN (set on the web page; never the bank's PIN or a password)
    "voice_pin.ask": {
        "nl": "Zeg eerst je spraakcode van vier tot zes cijfers. Dat is de code die je zelf op de webpagina hebt ingesteld; om je pincode of wachtwoord vraag ik nooit.",
        "en": "First say your voice code of four to six digits. That's the code you set yourself on the web page; I will never ask for your bank PIN or password.",
    },
    "voice_pin.not_set": {
        "nl": "Bedragen zeg ik hardop pas na je spraakcode, en je hebt er nog geen. Stel er een in op de pagina 'Mijn toestemmingen' op de website van {bank}. Om je pincode of wachtwoord vraag ik nooit.",
        "en": "I only say amounts out loud after your voice code, and you haven't set one yet. You can set it on the 'My consents' page on the {bank} website. I will never ask for your bank PIN or password.",
    },
    "voice_pin.ok": {
        "nl": "Dank je, je spraakcode klopt.",
        "en": "Thanks, your voice code is right.",
    },
    "voice_pin.ok_ask": {
        "nl": "Dank je, je spraakcode klopt. Wat wil je weten?",
        "en": "Thanks, your voice code is right. What would you like to know?",
    },
    "voice_pin.wrong": {
        "nl": "Die spraakcode klopt niet. Probeer het nog eens, of vraag me iets anders.",
        "en": "That voice code isn't right. Please try again, or ask me something else.",
    },
    "voice_pin.locked": {
        "nl": "Je spraakcode is te vaak verkeerd gezegd, dus via spraak zeg ik voorlopig geen bedragen meer. Stel je spraakcode opnieuw in op de pagina 'Mijn toestemmingen' op de website van {bank}.",
        "en": "The voice code was wrong too many times, so for now I won't say amounts by voice. Please set your voice code again on the 'My consents' page on the {bank} website.",
    },
    # consent: the access log, revoking, narrowing, linking, genuine messages
    "log.header": {
        "nl": "Dit zijn de laatste keren dat je gegevens werden ingezien:",
        "en": "These are the latest times your data was looked at:",
    },
    "log.empty": {
        "nl": "Er zijn nog geen gegevens van je ingezien.",
        "en": "None of your data has been looked at yet.",
    },
    "log.more": {
        "nl": "Het hele overzicht staat op de pagina 'Mijn toestemmingen'.",
        "en": "The full overview is on the 'My consents' page.",
    },
    "log.reason.balance": {
        "nl": " · omdat je vroeg naar je saldo",
        "en": " · because you asked for your balance",
    },
    "log.reason.transactions": {
        "nl": " · omdat je transacties zocht",
        "en": " · because you looked for transactions",
    },
    "log.reason.spending": {
        "nl": " · omdat je vroeg wat je uitgaf",
        "en": " · because you asked what you spent",
    },
    "log.reason.income": {
        "nl": " · omdat je vroeg wat er binnenkwam",
        "en": " · because you asked what came in",
    },
    "log.reason.consent": {
        "nl": " · omdat je je toestemming bekeek",
        "en": " · because you looked at your consent",
    },
    "consent.revoke_confirm": {
        "nl": "Weet je het zeker? Dan lees ik niets meer van je rekeningen, vraag ik je bank de toestemming in te trekken en wis ik wat ik van je rekeningen bewaarde.",
        "en": "Are you sure? I will then stop reading your accounts, ask your bank to withdraw the consent, and erase what I kept of your accounts.",
    },
    "consent.revoked": {
        "nl": "Gedaan: je toestemming is ingetrokken, ook bij je bank. Ik laat niets meer van je rekeningen zien, en wat ik bewaarde wis ik binnen {days} dagen. Je kunt je bank altijd opnieuw koppelen.",
        "en": "Done: your consent is withdrawn, at your bank too. I won't show anything from your accounts any more, and I erase what I kept within {days} days. You can link your bank again any time.",
    },
    "consent.nothing_to_revoke": {
        "nl": "Er is geen toestemming die ik kan intrekken: ik lees op dit moment niets van je rekeningen.",
        "en": "There is no consent to withdraw: I'm not reading any of your accounts right now.",
    },
    "consent.revoke_kept": {
        "nl": "Oké, alles blijft zoals het was.",
        "en": "Okay, everything stays as it was.",
    },
    "consent.narrowed": {
        "nl": "Vanaf nu gebruik ik alleen je {accounts}. Gegevens van je andere rekeningen laat ik niet meer zien en wis ik binnen {days} dagen.",
        "en": "From now on I only use your {accounts}. I won't show data of your other accounts any more and erase it within {days} days.",
    },
    "consent.connect": {
        "nl": "Je bank koppelen, je toestemming verlengen of kiezen welke rekeningen ik mag zien doe je veilig op {url}. Je keurt het goed bij je eigen bank; ik vraag je nooit om wachtwoorden of codes.",
        "en": "You can link your bank, renew your consent or choose which accounts I may see safely at {url}. You approve it at your own bank; I never ask for passwords or codes.",
    },
    "genuine.ask_code": {
        "nl": "Elk bericht dat ik uit mezelf stuur heeft een controlecode, zoals 7Q3F-M2. Stuur me die code, dan zeg ik of het bericht echt van ons is.",
        "en": "Every message I send on my own carries a check code, like 7Q3F-M2. Send me that code and I'll tell you whether the message really came from us.",
    },
    "genuine.yes": {
        "nl": "Ja, dat bericht is echt: ik stuurde het op {when} via {channel}.",
        "en": "Yes, that message is genuine: I sent it on {when} via {channel}.",
    },
    "genuine.no": {
        "nl": "Die code ken ik niet. Vertrouw het bericht niet, klik op geen links en bel bij twijfel {phone}. Wij vragen nooit om je wachtwoord, pincode of codes.",
        "en": "I don't know that code. Don't trust the message, don't click any links, and if in doubt call {phone}. We never ask for your password, PIN or codes.",
    },
    "button.revoke_yes": {"nl": "Ja, stop met delen", "en": "Yes, stop sharing"},
    "button.revoke_no": {"nl": "Nee, laat maar", "en": "No, keep it"},
    # buttons
    "button.balance": {"nl": "Wat is mijn saldo?", "en": "What's my balance?"},
    "button.latest": {"nl": "Laatste betalingen", "en": "Latest payments"},
    "button.spending_month": {"nl": "Uitgaven deze maand", "en": "Spending this month"},
    "button.spending_last_month": {"nl": "Uitgaven vorige maand", "en": "Spending last month"},
    "button.income": {"nl": "Inkomsten deze maand", "en": "Income this month"},
    "button.more": {"nl": "Meer", "en": "More"},
    "button.help": {"nl": "Wat kun je?", "en": "What can you do?"},
    "button.human": {"nl": "Medewerker", "en": "Talk to a person"},
    "button.savings": {"nl": "En mijn spaarrekening?", "en": "And my savings?"},
}

CATEGORY_NAMES: dict[Lang, dict[str, str]] = {
    "nl": {
        "groceries": "boodschappen",
        "eating_out": "uit eten",
        "transport": "vervoer",
        "fuel": "brandstof",
        "housing": "wonen",
        "utilities": "energie en water",
        "telecom": "telefoon en internet",
        "insurance": "verzekeringen",
        "health": "zorgkosten",
        "shopping": "winkelen",
        "entertainment": "vrije tijd",
        "subscriptions": "abonnementen",
        "travel": "reizen",
        "cash": "contant geld",
        "income": "inkomen",
        "transfers": "overboekingen",
        "fees": "kosten",
        "education": "onderwijs",
        "charity": "goede doelen",
        "pets": "huisdieren",
        "kids": "kinderen",
        "taxes": "belastingen",
        "other": "overig",
    },
    "en": {
        "groceries": "groceries",
        "eating_out": "eating out",
        "transport": "transport",
        "fuel": "fuel",
        "housing": "housing",
        "utilities": "energy and water",
        "telecom": "phone and internet",
        "insurance": "insurance",
        "health": "health",
        "shopping": "shopping",
        "entertainment": "leisure",
        "subscriptions": "subscriptions",
        "travel": "travel",
        "cash": "cash",
        "income": "income",
        "transfers": "transfers",
        "fees": "fees",
        "education": "education",
        "charity": "charity",
        "pets": "pets",
        "kids": "children",
        "taxes": "taxes",
        "other": "other",
    },
}

ACCOUNT_NAMES: dict[Lang, dict[str, str]] = {
    "nl": {"checking": "betaalrekening", "savings": "spaarrekening", "credit_card": "creditcard"},
    "en": {
        "checking": "current account",
        "savings": "savings account",
        "credit_card": "credit card",
    },
}


def say(key: str, lang: Lang, **values: Any) -> str:
    """The sentence `key` in `lang`, with its placeholders filled."""
    return TEXTS[key][lang].format(**values)


def join_list(items: list[str], lang: Lang) -> str:
    """`a, b en c` / `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    word = " en " if lang == "nl" else " and "
    return ", ".join(items[:-1]) + word + items[-1]
