"""What the words in a statement say, beside the names of payees (`merchant_knowledge`).

Written normalised like every entry there ("McDonald's" -> "mcdonalds"), `|`-separated;
words match whole, fragments inside a word, for Dutch compounds ("tandarts" in
"Tandartspraktijk").

- `NAME_WORDS` and `NAME_FRAGMENTS`: kinds of business in a payee's name ("restaurant",
  "apotheek"); weaker than the merchant category code.
- `REMITTANCE_WORDS` and `REMITTANCE_FRAGMENTS`: what a payment description says it is for.
- words that decide on their own: a credit-card repayment, care ("eigen risico"), pay and
  benefits on money coming in, a refund, and the legal forms that say a payee is no person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kluis.domain import Category

NAME_WORDS: Final[dict[Category, str]] = {
    "groceries": """
        supermarket | bakery | boulangerie | slager | butcher | groenteboer | groenteman
        | visboer | poelier | kaasboer | toko | delicatessen | deli | wijnhandel | grocery
        | grocer | market | epicerie | alimentari | panaderia | supermercado | supermercato
    """,
    "eating_out": """
        cafe | grand cafe | bar | pub | diner | eatery | grill | grillroom | bistro | ristorante
        | osteria | taqueria | cantina | burger | burgers | pizza | sushi | kebab | shoarma
        | shawarma | doner | falafel | wok | ramen | noodles | dumplings | poke | taverna
        | tapas | bbq | barbecue | bagels | donuts | espresso | coffee | koffie | tea room
        | steakhouse | pancakes | eethuis | frituur | foodhall | kantine | canteen | brewery
        | brouwerij
    """,
    "shopping": """
        boekhandel | bookstore | fashion | outlet | warenhuis | bouwmarkt | tuincentrum
        | electronics | bloemist | florist | department store | boutique | apparel | clothing
        | shoes | furniture | mattress | jewelry | jewelers | hardware | thrift store
        | gift shop
    """,
    "health": """
        pharmacy | pharmacie | farmacia | apotheke | kliniek | clinic | hospital | dentist
        | dental | fysio | opticien | optician | audicien | dokter | doctor | verloskundige
        | ggz | medical | urgent care | physical therapy | physiotherapy | chiropractor
        | optometrist | orthodontics | pediatrics | dermatology | dds | dmd | orthodontist
        | dermatologist | chiropractic | optometry | eye care | vision center
    """,
    "transport": """
        taxi | parking | apk | car wash | carwash | toll | maut | metro | tram | veerdienst
        | auto repair | car repair | tires | tyres | towing | auto parts | bike shop
        | bicycles
    """,
    "fuel": "petrol | gas station | tankstelle | gasolinera | laadpaal | laadstation",
    "housing": """
        verhuur | vve | rent payment | rent pmt | plumbing | plumber | roofing | roofer
        | handyman | contractor | contractors | landscaping | hvac | electrician | pest control
        | mortgage | mtg | home loans | hoa | homeowners association | property management
        | property mgmt | apartments | apts | landlord | lettings | letting agent
    """,
    "utilities": """
        energy | netbeheer | utilities | utility | electric company | power company
        | water company | water district
    """,
    "telecom": "wireless | broadband",
    "insurance": "assurance | assicurazioni | travel insurance",
    "subscriptions": "gym | yoga | pilates | crossfit | bibliotheek | library",
    "entertainment": """
        cinema | zoo | casino | escape room | karting | golf | minigolf | midgetgolf | festival
        | arcade | amusement park | theme park | water park | concert hall | ice rink
    """,
    "travel": """
        motel | resort | campsite | bed breakfast | guesthouse | guest house | airlines
        | airline | airways | air lines | car rental | rent a car | car hire | reisbureau
        | travel | tours | vakanties
    """,
    "kids": "bso | kdv | daycare | childcare | preschool | kindergarten | toys | scouting",
    "pets": """
        veterinary | veterinarian | animal hospital | pet shop | petshop | pet store
        | pet supplies
    """,
    "education": """
        university | college | academy | cursus | course | opleiding | opleidingen | tutoring
        | bijles
    """,
    "charity": "moskee | diaconie | kerk",
    "fees": """
        kwijtschelding
        | service fee | monthly service fee | maintenance fee | monthly maintenance fee
        | overdraft fee | nsf fee | returned check fee | returned item fee | atm fee
        | wire fee | foreign transaction fee | annual fee | finance charge | interest charge
        | late fee
    """,
    "other": """
        barber | barbershop | barbier | hairdresser | hair | hairstyles | hairstylist
        | hair salon | salon | nail salon | nails | beauty salon | dry cleaning | dry cleaners
        | laundromat | laundry | post office | postkantoor | tattoo
    """,
    "taxes": """
        tax payment | tax pymt | taxpymt | franchise tax | motor vehicles
    """,
}

NAME_FRAGMENTS: Final[dict[Category, str]] = {
    "groceries": """
        bakkerij | slagerij | supermarkt | kaashandel | vishandel | patisserie | slijterij
    """,
    "eating_out": """
        restaurant | pizzeria | snackbar | cafetaria | eetcafe | brasserie | lunchroom
        | pannenkoek | ijssalon | gelateria | creperie | koffiebar | koffiehuis | wijnbar
        | trattoria | friet | broodjes | strandpaviljoen | strandtent
    """,
    "shopping": """
        juwelier | meubel | kringloop | kleding | schoenen | woonwinkel | bloemenwinkel
        | bloemenzaak | witgoed | elektronica
    """,
    "health": """
        apotheek | tandarts | huisarts | fysiotherap | ziekenhuis | drogist | mondzorg | optiek
        | orthodont | psycholo | psychiat | praktijk | podotherap | podolog | logoped
        | ergotherap | dietist | oefentherap | mondhyg | osteopa | chiropract | acupunct
        | verloskund | kraamzorg | thuiszorg | huisartsenpost | audiolog | hoorzorg
    """,
    "transport": """
        parkeer | parkeren | autobedrijf | autoservice | bandencentrum | wasstraat | garage
        | taxi | fietsenmaker | fietsenwinkel | fietsenzaak | fietsspecialist | tweewieler
        | rijwiel | fietsverhuur
    """,
    "fuel": "tankstation",
    "housing": """
        hypothe | woning | wooncorporatie | woonstichting | vastgoed | makelaar | loodgieter
        | schildersbedrijf | schilderwerk | stukadoor | stucadoor | timmerbedrijf | timmerwerk
        | klusbedrijf | klussenbedrijf | installatiebedrijf | installatietechniek | glaszetter
        | tegelzetter | bouwbedrijf | aannemer | hovenier | dakdekker | ontstopping
        | ongediertebestrijding
    """,
    "utilities": "waterbedrijf | waterleiding | drinkwater | stadsverwarming | energie",
    "telecom": "telecom | glasvezel",
    "insurance": "verzeker | assurantie | versicherung | insurance",
    "subscriptions": """
        sportschool | fitness | sportclub | sportvereniging | tennisclub | tennisvereniging
        | voetbalclub | voetbalvereniging | hockeyclub | golfclub | zwemvereniging
    """,
    "entertainment": """
        museum | bioscoop | theater | theatre | schouwburg | bowling | dierentuin | pretpark
        | attractiepark | lasergame | trampoline | klimhal | zwembad | poppodium | filmhuis
        | speelhal
    """,
    "travel": """
        hotel | hostel | camping | vakantiepark | bungalowpark | vakantiehuis | vakantiewoning
        | reizen | autoverhuur
    """,
    "kids": """
        kinderopvang | kinderdagverblijf | speelgoed | gastouder | peuterspeel | kinderkleding
        | babywinkel | speeltuin | kinderboerderij
    """,
    "pets": """
        dierenarts | dierenkliniek | dierenziekenhuis | dierenspeciaal | dierenwinkel
        | dierenpension | dierenvoeding | kattenpension | hondenpension | trimsalon
        | hondenschool
    """,
    "education": "universiteit | hogeschool | rijschool | school",
    "taxes": "belasting | waterschap | wetterskip | hoogheemraadschap | heffing",
    "fees": "betaalpakket | oranjepakket | rekeningkosten | bankkosten",
    "other": """
        kapper | kapsalon | haarstudio | haarsalon | haarmode | schoonheids | nagelstudio
        | zonnestudio | stomerij | wasserette | notaris | advocat | uitvaart | drukkerij
    """,
}

REMITTANCE_WORDS: Final[dict[Category, str]] = {
    "housing": """
        huur | huurpenningen | kale huur | rent | hypotheek | hypotheken | mortgage | vve
        | vve bijdrage | servicekosten | erfpacht | ground rent | miete | kaltmiete | warmmiete
        | nebenkosten | hausgeld | loyer
    """,
    "utilities": """
        termijnbedrag energie | voorschot energie | energie | stroom | gas en licht
        | elektriciteit | electricity | voorschot water | termijnbedrag water | waterrekening
        | water bill | drinkwater | stadsverwarming | energierekening | electric bill
        | electricity bill | power bill | gas bill | utility bill
    """,
    "telecom": "telefoonabonnement | mobiel abonnement | internet en tv | phone bill",
    "insurance": """
        premie | jaarpremie | polis | polisnummer | polisnr | insurance premium
        | versicherungsbeitrag | beitrag versicherung
    """,
    "subscriptions": """
        contributie | membership | subscription | abonneenummer | abonneenr | lidnr | lidnummer
    """,
    "charity": """
        donatie | donation | maandelijkse gift | periodieke gift | eenmalige gift | schenking
        | collecte | donateur | donateurnr | donateursnummer | kerkbalans
    """,
    "taxes": """
        aanslag | aanslagnummer | aanslagnr | ozb | afvalstoffenheffing | rioolheffing
        | teruggaaf | tax refund | council tax | property tax | road tax
    """,
    "education": """
        collegegeld | tuition | schoolgeld | ouderbijdrage | lesgeld | cursusgeld | studieschuld
        | studielening | student loan | school fees
    """,
    "kids": "bso | kdv | gastouder | childcare | daycare",
    "fees": """
        kosten betaalrekening | kosten gebruik betaalrekening | pakketkosten | account fee
        | package fee | debetrente | rente debetstand | overdraft interest | kwijtschelding
        | kosten creditcard | jaarkosten | card fee | transactiekosten | bank charges
        | kosten betalingsverkeer | afrekening betalingsverkeer | basic package
        | returned check fee | returned item fee | nsf fee | insufficient funds fee
        | overdraft fee | monthly service fee | monthly maintenance fee | maintenance fee
        | kontofuhrungsgebuhr | kontofuehrungsgebuehr | kontofuhrung | kontofuehrung
        | auslandseinsatzentgelt | frais bancaires
        | atm fee | atm surcharge | wire fee | wire transfer fee | foreign transaction fee
        | cash advance fee | annual fee | stop payment fee
    """,
    "transfers": """
        spaarrekening | sparen | savings | eigen rekening | beleggen | beleggingsrekening
        | investment
    """,
}

REMITTANCE_FRAGMENTS: Final[dict[Category, str]] = {
    "housing": "hypothe",
    "insurance": "verzeker | premie",
    "subscriptions": "abonnement | lidmaatschap",
    "taxes": "belasting | heffing",
    "kids": "kinderopvang",
    "fees": "betaalpakket | oranjepakket | rekeningkosten | bankkosten",
}

# Paying off a credit card from checking: a transfer between the customer's own accounts.
CARD_REPAYMENT_WORDS: Final = """
    aflossing creditcard | creditcard aflossing | credit card repayment | card repayment
    | betaling creditcard | creditcard betaling | credit card payment | repayment credit card
"""

# In a payment description, these make a payment "health" whoever collects it: a health
# insurer collecting the deductible is paying for care, not a premium.
CARE_WORDS: Final = "eigen risico | eigen bijdrage | deductible"

# Money coming in with these words is pay, a benefit, a pension or a return on savings.
INCOME_WORDS: Final = """
    salaris | salary | loon | netto loon | vakantiegeld | vakantietoeslag | holiday allowance
    | holiday pay | dertiende maand | 13e maand | eindejaarsuitkering | bonus | wage | wages
    | payroll | pensioen | pension | aow | uitkering | kinderbijslag | zorgtoeslag
    | huurtoeslag | kindgebonden budget | kinderopvangtoeslag | toeslag | studiefinanciering
    | dividend | honorarium | factuur | invoice | interest | rente | creditrente | spaarrente
    | bijstand | bijstandsuitkering | participatiewet | gehalt | lohn | lohn gehalt | bezuge
    | bezuege | kindergeld | rechnung | salaire
"""

# Money coming back that is not earned.
REFUND_WORDS: Final = """
    terugbetaling | terugboeking | restitutie | retour | retourbetaling | refund
    | reimbursement | storno | creditering | creditnota | chargeback | onterechte
"""

# Legal forms and kinds of organisation: the counterparty is not a private person.
ORGANISATION_WORDS: Final = """
    b v | bv | n v | nv | v o f | vof | ltd | limited | gmbh | ag | inc | llc | corp
    | corporation | plc | s a | sas | sarl | s a r l | srl | s r l | spa | s p a | bvba
    | stichting | vereniging | cooperatie | u a | foundation | holding | groep | group
    | gemeente | provincie | ministerie | company
"""
