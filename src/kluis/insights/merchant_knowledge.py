"""What a Dutch bank's engineers know about who is paid: merchants, creditors, payees.

Every entry is written normalised, the way `categories.normalise` turns a statement's text
into words: lower case, accents dropped, apostrophes removed, anything else that is not a
letter or a digit a space ("McDonald's" -> "mcdonalds", "H&M" -> "h m", "Bol.com" ->
"bol com"). Entries are separated by `|`. Names match as whole words ("ns" matches
"NS Utrecht", never "Vans"); fragments match inside a word, for Dutch compounds
("tandarts" in "Tandartspraktijk").

The tables, from strongest evidence to weakest:

- `NAMES`: brands and organisations whose name alone says what the money was for; trusted
  over the merchant category code (Netflix files as pay TV, Apple as a software store).
- `CARD_NAMES`: brands whose name is also a word or a person's name ("Plus", "Dirk",
  "Action"); they count only for card payments, where the counterparty is a shop.
- `INCOMING`: payees whose money coming in is something else than money going to them.
- `BANKS`: the banks, whose own payments carry their own transaction codes.

What words in a name or a description say (kinds of business, what a payment is for) is in
`statement_words`.

`PAYMENT_PROCESSORS` and the `PROCESSOR_` tables name the payment service providers that
stand in the payee's place on a statement (`processors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kluis.domain import Category

NAMES: Final[dict[Category, str]] = {
    "groceries": """
        albert heijn | ah to go | ah xl | jumbo | jumbo foodmarkt | lidl | aldi | aldi sud
        | plus supermarkt | dirk van den broek | dirk vd broek | ekoplaza | spar city | dekamarkt
        | hoogvliet | vomar | poiesz | jan linders | nettorama | boons markt | picnic | crisp
        | flink | getir | gorillas | marqt | estafette | hellofresh | marley spoon | ekomenu
        | gall gall | mitra | bakker bart | multivlaai | amazing oriental | tesco | tesco express
        | sainsburys | m s simply food | m s food | waitrose | asda | morrisons | co op food
        | carrefour | carrefour express | carrefour market | intermarche | auchan | leclerc
        | monoprix | franprix | super u | mercadona | conad | esselunga | eroski | edeka | rewe
        | kaufland | delhaize | colruyt | whole foods | whole foods market | trader joes | costco
        | safeway | kroger | wegmans | publix | sprouts farmers market | sprouts farmers
        | 7 eleven | instacart
        | trader joe s | wholefds | wholefds mkt | whole fds | albertsons | vons
        | food lion | giant eagle | giant food | stop shop | shoprite | h e b | winco
        | winco foods | save a lot | harris teeter | hy vee | fred meyer | king soopers
        | winn dixie | piggly wiggly | market basket | hannaford | food 4 less
        | grocery outlet | the fresh market | sams club | bjs wholesale | iceland foods
        | londis | budgens | farmfoods | ocado | sligro | makro | hanos | wah nam hong
        | ochama | lidl us | aldi stores | dunnes stores | lidl gb
    """,
    "eating_out": """
        thuisbezorgd | just eat | takeaway com | deliveroo | uber eats | bolt food | mcdonalds
        | burger king | kfc | febo | dominos | dominos pizza | new york pizza | pizza hut
        | starbucks | coffee company | smullers | bagels beans | la place | vapiano | wagamama
        | loetje | subway | five guys | dunkin | chipotle | shake shack | pret a manger
        | costa coffee | nandos | wetherspoon | itsu | wasabi | happy italy | bram ladage
        | kwalitaria | wok to walk | doner company | julias | anne max | tim hortons | taco bell
        | wendys | panera bread | in n out | ihop | dennys | sodexo | newrest | doordash
        | grubhub | postmates
        | chick fil a | chickfila | popeyes | arbys | sonic drive in | jack in the box
        | whataburger | carls jr | hardees | dairy queen | little caesars | papa johns
        | jimmy johns | jersey mikes | firehouse subs | qdoba | panda express | olive garden
        | applebees | chilis | red robin | outback steakhouse | texas roadhouse
        | buffalo wild wings | cracker barrel | cheesecake factory | noodles company
        | sweetgreen | wingstop | zaxbys | raising canes | culvers | krispy kreme
        | peets coffee | caribou coffee | dutch bros | greggs | pizza express | zizzi | prezzo
        | franco manca | honest burgers | caffe nero | cafe nero | yo sushi | wahaca
        | pizzahut | manhattan bagel | einstein bros
    """,
    "shopping": """
        bol com | coolblue | zalando | amazon | amazon nl | amazon de | amazon com | amzn
        | amzn mktp | wehkamp | hema | blokker | mediamarkt | media markt | ikea | gamma | karwei
        | hornbach | primark | h m | decathlon | bruna | flying tiger | bijenkorf | de bijenkorf
        | c a | we fashion | jack jones | uniqlo | wibra | zeeman | xenos | kwantum | leen bakker
        | jysk | sostrene grene | intratuin | rituals | ici paris xl | etsy | etsy com | ebay
        | walmart | macys | barnes noble | waterstones | apple store | apple com | bcc | alternate
        | shein | temu | aliexpress | vinted | marktplaats | big bazar | pipoos | best buy
        | home depot | lowes | tk maxx | tj maxx | marks spencer | john lewis | the read shop
        | game mania | steenkolenmijn | fonq | vidaxl | lampenlicht | hunkemoller | scapino
        | ziengs | perry sport | intersport | action sport | kruitbosch
        | target com | walmart com | wal mart | wm supercenter | walmart supercenter
        | nordstrom | jcpenney | old navy | banana republic | ross stores | homegoods
        | bed bath beyond | wayfair | staples | office depot | officemax | dollar tree
        | dollar general | family dollar | five below | hobby lobby
        | ace hardware | menards | tractor supply | dicks sporting goods | academy sports
        | gamestop | sephora | ulta | ulta beauty | bath body works | victorias secret
        | american eagle | forever 21 | burlington | big lots | currys | currys pc world
        | sports direct | jd sports | b q | wickes | screwfix | homebase | poundland
        | debenhams | selfridges | harrods | matalan | new look | river island | asos | ao com
        | foot locker | nike | adidas | the sting | sissy boy | america today | omoda
        | manfield | bershka | pull bear | massimo dutti | stradivarius | esprit
        | tommy hilfiger | s oliver | costes | ici paris | plutosport
    """,
    "health": """
        kruidvat | etos | benu | benu apotheek | holland barrett | da drogisterij | trekpleister
        | hans anders | pearle | specsavers | eyewish | cvs | cvs pharmacy | walgreens | rite aid
        | superdrug | lloyds pharmacy | mediq | service apotheek
        | buurtzorg | duane reade | quest diagnostics | labcorp | minuteclinic | optical express
        | vision express | boots pharmacy | boots uk
    """,
    "transport": """
        ns | ns reizigers | ov fiets | ov chipkaart | translink | gvb | ret | htm | u ov | qbuzz
        | arriva | connexxion | keolis | syntus | allgo | tfl | trainline | trenitalia | italo
        | renfe | sncf | deutsche bahn | db bahn | nmbs | sncb | uber | lyft | swapfiets
        | greenwheels | mywheels | felyx | go sharing | donkey republic | q park | yellowbrick
        | parkmobile | easypark | interparking | apcoa | anwb | kwik fit | euromaster
        | profile tyrecenter | aprr | sanef | vinci autoroutes | autostrade | asfinag | peage
        | ovpay | ov pay | rdw | amtrak | greyhound | megabus | flixbus | mta | nj transit | njt
        | septa | wmata
        | metro transit | caltrain | lirr | metra | e zpass | ezpass | ez pass | sunpass
        | fastrak | txtag | parkwhiz | spothero | jiffy lube | valvoline | midas | pep boys
        | autozone | oreilly auto | o reilly auto | advance auto parts | napa auto | firestone
        | discount tire | goodyear | national rail | lner | avanti west coast | scotrail
        | northern rail | great western railway | stagecoach | addison lee | ringgo
        | paybyphone | halfords | ns groep | 9292 | bovag | p1 parking | sms parking
        | parkeerservice
    """,
    "fuel": """
        shell | bp | esso | texaco | tinq | totalenergies | q8 | tamoil | firezone | fastned
        | allego | shell recharge | ionity | tesla supercharger | vattenfall incharge | incharge
        | newmotion | bp pulse | omv | aral | agip | repsol | cepsa | circle k
        | chevron | exxon | exxonmobil | mobil | sunoco | phillips 66 | conoco
        | citgo | marathon petro | speedway | murphy usa | racetrac | quiktrip
        | loves travel | pilot travel | flying j | caseys general | sheetz | wawa | kwik trip
        | sinclair oil | costco gas | sams fuel | kroger fuel | gulf oil
    """,
    "housing": """
        vereniging van eigenaren | ymere | eigen haard | de alliantie | stadgenoot
        | woonbron | havensteder | vestia | portaal | mitros | bo ex | woonin | lefier | de key
        | vesteda | woonstad rotterdam | wonen breburg | woonzorg nederland | staedion
        | haag wonen | parteon | patrimonium | florius | obvion | munt hypotheken
        | mr cooper | rocket mortgage | quicken loans | pennymac | freedom mortgage | loancare
        | newrez | shellpoint | home mtg | feenstra | remeha | nefit | woonbedrijf | woonstede
        | rochdale | de woonplaats
        | woonwaard | trivire | zayaz | area wonen | de woonschakel | elan wonen | casade
    """,
    "utilities": """
        vattenfall | nuon | eneco | essent | greenchoice | budget energie | energiedirect
        | vandebron | pure energie | oxxio | engie | delta energie | frank energie | tibber
        | innova energie | zonneplan | vitens | waternet | evides | dunea | brabant water | pwn
        | oasen | wml | waterbedrijf groningen | ennatuurlijk | hvc | stedin | liander | enexis
        | british gas | octopus energy | edf | con edison | thames water
        | pg e | con ed | pacific gas | southern california edison | duke energy | dominion energy
        | georgia power | florida power light | fpl | xcel energy | consumers energy
        | dte energy | ameren | national grid | eversource | pseg | coned | entergy
        | centerpoint energy | nicor gas | socalgas | e on | eon | ovo energy | scottish power
        | sse energy | severn trent | anglian water | united utilities | yorkshire water
        | southern water | affinity water | wessex water | vrijopnaam | coolblue energie
        | mega energie | energie vanons
    """,
    "telecom": """
        kpn | vodafone | vodafoneziggo | odido | t mobile | tele2 | ziggo | simyo | lebara
        | lycamobile | youfone | hollandsnieuwe | budget mobiel | delight mobile | caiway
        | delta fiber | deltafiber | online nl | xs4all | telfort | tweak | freedom internet
        | solcon | ben nederland | canal digitaal | verizon | at t | comcast | xfinity
        | sprint | spectrum | charter comm | cox comm | optimum online | frontier comm
        | centurylink | dish network | directv | cricket wireless | boost mobile | mint mobile
        | google fi | bt group | bt | sky | sky digital | virgin media | talktalk | plusnet
        | giffgaff | tesco mobile | ee | ee limited | o2 | simpel nl | budget thuis
        | kpn mobile
    """,
    "insurance": """
        zilveren kruis | cz | cz zorgverzekeringen | menzis | vgz | dsw | onvz | zorg en zekerheid
        | de friesland | fbto | interpolis | centraal beheer | unive | ohra | nationale nederlanden
        | aegon | allianz | asr | achmea | ditzo | inshared | anwb verzekeren | petsecur | proteq
        | klaverblad | de goudse | dela | loyalis | allsecur | independer | promovendum | zekur
        | geico | state farm | aviva | axa
        | progressive ins | progressive insurance | allstate | liberty mutual
        | farmers insurance | usaa | travelers ins | metlife | prudential | new york life
        | northwestern mutual | aflac | esurance | lemonade insurance | admiral insurance
        | direct line | churchill insurance | hastings direct | legal general | bupa
        | vitality | aetna | cigna | humana | unitedhealthcare | united healthcare
        | blue cross | blue shield | bcbs | a s r | reaal | monuta | yarden | nn schadeverzekering
        | ing verzekeren
    """,
    "subscriptions": """
        netflix | spotify | disney plus | disneyplus | videoland | hbo max | viaplay | npo plus
        | npo start | apple com bill | itunes | icloud | apple music | apple tv | google storage
        | google one | youtube premium | microsoft 365 | office 365 | xbox game pass
        | playstation plus | nintendo switch online | dropbox | adobe | canva | chatgpt | openai
        | nrc | nrc media | dpg media | volkskrant | telegraaf | mediahuis | het parool | trouw
        | algemeen dagblad | fd mediagroep | financieele dagblad | blendle | storytel | audible
        | kobo plus | kindle unlimited | new york times | nytimes | the economist
        | washington post | basic fit | sportcity | fit for free | trainmore | anytime fitness
        | david lloyd | snap fitness | peloton | strava | duolingo | nordvpn | 1password
        | patreon | substack | linkedin premium | tinder | bumble | amazon prime | prime video
        | youtube | hulu | paramount plus | peacock tv | sling tv | espn plus | youtube tv
        | sirius xm
        | siriusxm | google play | microsoft | xbox live | ps plus | crunchyroll | wsj
        | wall street journal | the athletic | evernote | notion so | slack technologies
        | zoom us | github | grammarly | lastpass | expressvpn | surfshark | equinox
        | la fitness | 24 hour fitness | golds gym | orangetheory | crunch fitness
        | life time fitness | puregym | the gym group | now tv | britbox | deezer | tidal
    """,
    "entertainment": """
        pathe | kinepolis | ticketmaster | eventim | ticketswap | paylogic | see tickets
        | ticketcounter | steam | steampowered | playstation network | playstation store
        | nintendo | nintendo eshop | epic games | rijksmuseum | van gogh museum
        | stedelijk museum | anne frank huis | efteling | walibi | duinrell | toverland
        | slagharen | artis | blijdorp | burgers zoo | ouwehands | beekse bergen
        | madame tussauds | holland casino | toto | lotto | staatsloterij | nederlandse loterij
        | postcode loterij | bingo loterij | ziggo dome | afas live | johan cruijff arena
        | concertgebouw | paradiso | melkweg | tivoli vredenburg | ahoy | disneyland | legoland
        | uffizi | louvre
        | amc | amc theatres | regal cinemas | cinemark | fandango | stubhub | seatgeek
        | live nation | eventbrite | six flags | cedar fair | universal studios
        | walt disney world | dave busters | topgolf | bowlero | odeon | cineworld
        | vue cinemas | picturehouse | national trust | english heritage | roblox
        | xbox
    """,
    "travel": """
        klm | transavia | easyjet | ryanair | vueling | lufthansa | british airways
        | delta air lines | air france | united airlines | american airlines | tui | tui fly
        | corendon | sunweb | booking com | airbnb | expedia | hotels com | marriott | hilton
        | ibis | novotel | nh hotels | van der valk | center parcs | landal | roompot | eurostar
        | thalys | ns international | avis | europcar | sixt | enterprise rent a car
        | budget rent a car | sunny cars | rentalcars | stena line | p o ferries | dfds | vrbo
        | trivago | agoda | hostelworld | emirates | qatar airways | turkish airlines | iberia
        | tap air portugal | wizz air | austrian airlines | brussels airlines | jet2 | skyscanner
        | holidaycheck | d reizen | vakantiediscounter | anwb reizen | mercure | pullman
        | sofitel | holiday inn | best western | radisson | hyatt | sheraton | westin
        | crowne plaza | premier inn | travelodge | motel one | b b hotels | campanile | kyriad
        | fletcher hotels | bilderberg | postillion | citizenm | meininger | stayokay
        | delta air | american air | southwes | southwest air | southwest airlines | jetblue
        | alaska air
        | alaska airlines | spirit airl | spirit airlines | frontier airlines
        | hawaiian airlines | allegiant air | united air | air canada | westjet | aer lingus
        | virgin atlantic | alamo | national car rental | thrifty car rental
        | dollar rent a car | turo | wyndham | choice hotels | la quinta | hampton inn
        | courtyard by marriott | residence inn | fairfield inn | doubletree | embassy suites
        | four seasons | ritz carlton | priceline | orbitz | kayak | carnival cruise
        | royal caribbean | norwegian cruise
    """,
    "cash": "geldmaat | geldautomaat | atm | euronet | cash withdrawal",
    "transfers": """
        tikkie | betaalverzoek | revolut | transferwise | wise europe | wise payments | n26
        | degiro | flatex | meesman | brand new day | bux | trading 212 | bitvavo | coinbase
        | binance | kraken | saxo bank | raisin | international card services | ics
        | american express | amex | venmo | zelle | cash app
        | robinhood | fidelity | vanguard | charles schwab | e trade | etrade
        | td ameritrade | betterment | wealthfront | acorns | chime | monzo | starling
        | capital one | discover card | citi card | chase credit crd | chase card
        | amex epayment | barclaycard | applecard | applecard gsbank | synchrony bank
        | citi autopay | discover e payment | bk of amer visa
    """,
    "charity": """
        kwf | kwf kankerbestrijding | rode kruis | het nederlandse rode kruis | unicef
        | artsen zonder grenzen | greenpeace | wnf | wwf | amnesty | amnesty international | kika
        | hartstichting | nierstichting | longfonds | maag lever darm stichting
        | alzheimer nederland | leger des heils | war child | plan nederland | plan international
        | oxfam novib | oxfam | natuurmonumenten | wakker dier | dierenbescherming | giro555
        | cordaid | sos kinderdorpen | terre des hommes | kinderpostzegels
        | ronald mcdonald kinderfonds | save the children | doctors without borders
        | salvation army | red cross | american red cross | british red cross
        | protestantse gemeente | hervormde gemeente | gereformeerde gemeente
        | evangelische gemeente | christelijke gemeente | baptisten gemeente
        | doopsgezinde gemeente | kerkelijke gemeente | parochie | voedselbank
        | united way | st jude | habitat for humanity | gofundme | world vision
        | compassion international | kiva | wikimedia | wikipedia | cancer research uk
        | macmillan cancer | british heart foundation | rnli | nspcc
    """,
    "education": """
        duo | dienst uitvoering onderwijs | studystore | coursera | udemy | studielink | ncoi
        | loi | nti | open universiteit | linkedin learning | skillshare | masterclass | edx
        | sallie mae | navient | nelnet | mohela | great lakes edu | aidvantage | fedloan
        | dept of education | dept education | edfinancial | chegg | khan academy
        | college board | student loans company
    """,
    "kids": """
        intertoys | bart smit | prenatal | ballorig | partou | smallsteps | kids first
        | toys r us | lego | lego store | babypark | baby dump | babydump | monkey town
        | top1toys
        | kindercare | bright horizons | goddard school | la petite academy
        | learning care group | tutor time | primrose school | childrens place
        | buy buy baby | smyths | smyths toys | the entertainer | chuck e cheese
        | kinderopvang 2samen | kinderrijk | doomijn
    """,
    "pets": """
        pets place | zooplus | tom co | petco | petsmart | pets at home | medpets | anicura
        | evidensia
        | chewy | chewy com | banfield | vca animal | bluepearl | pet supplies plus | petland
        | rover com | ranzijn | jumper dierenspeciaalzaak | dierspecialist | welkoop
    """,
    "taxes": """
        belastingdienst | bsgr | gbt | svhw | bghu | gblt | cocensus | bwb | irs | hmrc | dvla
        | gemeente
        | us treasury | usataxpymt | franchise tax bd | dept of revenue
        | department of revenue | county treasurer | tax collector | dmv | council tax
    """,
    "income": """
        uwv | svb | sociale verzekeringsbank | belastingdienst toeslagen | abp | pfzw
        | payroll | direct dep | dir dep | ssa treas | soc sec | adp payroll | gusto payroll
        | paychex
    """,
    "other": """
        cjib | postnl | dhl | royal mail | usps | ups
        | ups store | the ups store | fedex | great clips | supercuts | sport clips | h r block
    """,
}

# Brands that are also words or people's names: only a card payment is at a shop.
CARD_NAMES: Final[dict[Category, str]] = {
    "groceries": """
        ah | plus | dirk | spar | coop | deen | boni | penny | netto | odin | dia | bakker
        | meijer | ralphs
    """,
    "eating_out": "leon | sumo",
    "shopping": """
        bol | action | praxis | zara | only | mango | cos | otto | expert | target | van haren
        | kohls | michaels | joann | wilko | bever | marshalls | gap
    """,
    "health": "boots | douglas",
    "transport": "bolt | tier | lime | check | hermes | ebs | breng | db",
    "fuel": "total | tango | gulf | avia | argos | eni | jet | arco | valero | marathon",
    "entertainment": "vue | nemo | regal",
    "travel": "hertz | sas | swiss | norwegian | united | southwest",
    "kids": "carters",
}

# Money coming in from these is something else than money going to them.
INCOMING: Final[dict[str, Category]] = {
    "duo": "income",  # study grants paid out
    "dienst uitvoering onderwijs": "income",
    # A health insurer pays back care: the refund keeps the category of the care.
    "zilveren kruis": "health",
    "cz": "health",
    "cz zorgverzekeringen": "health",
    "menzis": "health",
    "vgz": "health",
    "dsw": "health",
    "onvz": "health",
    "zorg en zekerheid": "health",
    "de friesland": "health",
    "fbto": "health",
}

# The customer's own bank and other banks. Their charges and interest come with their own
# transaction codes; anything else they pay in is a reimbursement ("other").
BANKS: Final = """
    ing bank | ing nederland | rabobank | abn amro | abn amro bank | asn bank | bunq | knab
    | sns | sns bank | triodos | triodos bank | regiobank | volksbank | de volksbank
    | van lanschot
"""

# Payment service providers that collect for many payees, and "derdengelden", the
# third-party funds foundation through which providers, notaries and bailiffs hold money
# for someone else. The payee stands in the name after a descriptor ("SumUp *Bakker
# Jansen") or beside the provider ("Next to Pay via Mollie"), or in the description
# (`processors`). Each maps to what a payment through it is when the payee stays unknown:
# nothing can be said for most; buy-now-pay-later providers finance web-shop purchases.
PAYMENT_PROCESSORS: Final[dict[str, Category]] = {
    "paypal": "other",
    "braintree": "other",
    "mollie": "other",
    "adyen": "other",
    "stripe": "other",
    "buckaroo": "other",
    "sisow": "other",
    "multisafepay": "other",
    "pay nl": "other",
    "icepay": "other",
    "cm payments": "other",
    "ginger payments": "other",
    "mangopay": "other",
    "payconiq": "other",
    "ccv": "other",
    "sumup": "other",
    "zettle": "other",
    "izettle": "other",
    "mypos": "other",
    "viva wallet": "other",
    "worldline": "other",
    "ingenico": "other",
    "worldpay": "other",
    "derdengelden": "other",
    "klarna": "shopping",
    "afterpay": "shopping",
    "riverty": "shopping",
    "in3": "shopping",
    "billink": "shopping",
}

# Card descriptors' short prefixes, which name a provider only before a "*": Square
# ("SQ *Blue Bottle"), iZettle ("iZ *Cafe Noord"), Toast, which serves restaurants only
# ("TST* Joes Pizza"), Shopify's web shops ("SP * Allbirds").
PROCESSOR_PREFIXES: Final[dict[str, Category]] = {
    "sq": "other",
    "squ": "other",
    "iz": "other",
    "tst": "eating_out",
    "sp": "shopping",
}

# Money paid in through these is something else than money paid out: what PayPal pays in
# is the customer's own balance or money from a person.
PROCESSORS_PAYING_IN: Final[dict[str, Category]] = {"paypal": "transfers"}

# Words of a provider's own name around it ("Stichting Mollie Payments", "PayPal Europe
# S.a.r.l. et Cie S.C.A"); single letters next to it count too (legal forms).
PROCESSOR_NAME_WORDS: Final = """
    stichting | payments | payment | pay | services | technology | europe
    | nederland | netherlands | benelux | international | online | bank | holding | limited
    | ltd | inc | llc | gmbh | ab | publ | bv | nv | sarl | sca | cie | et | nl | uk
"""

# Words that join a provider to the payee it collects for ("Next to Pay via Mollie",
# "Spotify by Adyen", "Stichting Derdengelden inzake Notariskantoor Jansen").
PROCESSOR_JOINING_WORDS: Final = "via | by | inz | inzake | namens | tbv | obo"


def entries(block: str) -> tuple[str, ...]:
    """The entries of a `|`-separated block, in order, without surrounding space."""
    return tuple(" ".join(item.split()) for item in block.split("|") if item.strip())
