"""The demo programme "Toptechniek in bedrijf Flevoland", anchored on a given day.

``seed_demo(session, today)`` adds a realistic Dutch programme: six municipalities and their six
subprojects, organisations and their roles, the steering group's meetings and decisions, actions,
milestones (with their date changes), indicators with six quarters of measurements, the leads'
quarterly updates and one demo user per role. Every date is derived from ``today`` so the demo
always looks current: the measurements cover the six complete quarters before today's quarter (the
leads still have today's quarter to enter), and the start meeting of 6 February comes before all
of it. No randomness beyond a fixed-seed generator: the same ``today`` gives the same data.

Dates in the tables below are written as ``"<anchor><months>/<day>"``: anchor ``K`` is the start
meeting (6 February), ``T`` is today and ``E`` the programme's end; ``"T-3/15"`` is the 15th of the
month three months before today's month. ``T`` dates always fall between start and end.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tracker.auth.models import User
from tracker.demo.events import seed_events
from tracker.indicators.models import Indicator, Measurement
from tracker.indicators.status import IndicatorFacts, expected_progress
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import (
    Action,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
)
from tracker.quarters import Quarter, quarter_range
from tracker.stakeholders.models import CircleMembership, Contact
from tracker.steering.models import Decision, DecisionSubproject, Meeting

MEASURED_QUARTERS = 6
RANDOM_SEED = 20250206


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    password: str


# --- Table row types --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Action:
    title: str
    owner: str
    start: str
    due: str
    state: str
    progress: int
    decision: str | None = None  # "<meeting>.<number>", e.g. "1.1"
    description: str = ""


@dataclass(frozen=True)
class _Move:
    to: str
    changed: str
    reason: str


@dataclass(frozen=True)
class _Milestone:
    title: str
    baseline: str
    achieved: str | None = None
    forecast: str | None = None
    at_risk: bool = False
    evidence: str = ""
    action: int | None = None  # index into the subproject's actions
    moves: tuple[_Move, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class _Indicator:
    name: str
    unit: str
    definition: str
    source: str
    direction: str
    baseline: float
    baseline_date: str
    target: float
    target_date: str
    rollup: str
    decimals: int
    lag: float  # share of the way behind the expected progress in the last measured quarter
    note: str = ""  # the lead's note on the newest measurement
    frequency: str = "quarterly"
    publication_month: int | None = None  # of a yearly source: DUO publishes in April
    unentered: int = 0  # the newest quarters whose value the lead has not entered (yet)


@dataclass(frozen=True)
class _Update:
    rag: str
    achieved: str
    next_steps: str
    risks: str
    decisions_requested: str = ""


@dataclass(frozen=True)
class _Subproject:
    code: str
    municipality: str
    slug: str
    name: str
    aim: str
    organisations: tuple[tuple[str, str], ...]
    actions: tuple[_Action, ...]
    milestones: tuple[_Milestone, ...]
    indicators: tuple[_Indicator, ...]
    updates: tuple[_Update, _Update]  # the quarter before last, then the last quarter


# --- Programme, municipalities, organisations ------------------------------------------------
# The tables are laid out by hand, one row per record.
# fmt: off

PROGRAMME_NAME = "Toptechniek in bedrijf Flevoland"
PROGRAMME_AIM = (
    "Meer technisch goedgeschoolde jongeren in Flevoland, die na hun opleiding behouden blijven "
    "voor de regio. Alleen met voldoende en goede technici kan Flevoland zich als aantrekkelijke "
    "vestigingsplaats voor (innovatieve) bedrijvigheid blijven ontwikkelen. Het programma bouwt "
    "voort op de bestaande samenwerking, voert regie op de uitvoering van de regionale agenda en "
    "verbindt scholen, bedrijven en activiteiten in zes deelprojecten die van elkaar leren."
)

MUNICIPALITIES = (
    ("Almere", "GM0034"),
    ("Lelystad", "GM0995"),
    ("Dronten", "GM0303"),
    ("Zeewolde", "GM0050"),
    ("Urk", "GM0184"),
    ("Noordoostpolder", "GM0171"),
)

TASKFORCE = "Taskforce Technologie Onderwijs Arbeidsmarkt Flevoland"
TECHNOCENTRUM = "Technocentrum Flevoland"
PLATFORM = "Provinciaal Platform Arbeidsmarkt"
PROVINCE = "Provincie Flevoland"
RESEARCH = "Onderzoeksbureau Arbeidsmarkt Flevoland"

ORGANISATIONS = (
    # name, kind, municipality
    (TASKFORCE, "intermediary", None),
    (TECHNOCENTRUM, "intermediary", "Lelystad"),
    ("TechNet kring Almere", "technet_circle", "Almere"),
    ("TechNet kring Lelystad", "technet_circle", "Lelystad"),
    ("TechNet kring Dronten", "technet_circle", "Dronten"),
    ("TechNet kring Noordoostpolder-Urk", "technet_circle", "Noordoostpolder"),
    ("TechNet kring Zeewolde", "technet_circle", "Zeewolde"),
    (PLATFORM, "government", None),
    (PROVINCE, "government", "Lelystad"),
    *((f"Gemeente {name}", "government", name) for name, _ in MUNICIPALITIES),
    (RESEARCH, "knowledge_institute", "Lelystad"),
    ("Vmbo-school Almere Poort", "school_vmbo", "Almere"),
    ("Mbo Techniekcollege Almere", "school_mbo", "Almere"),
    ("Hogeschool Techniek Almere", "school_hbo", "Almere"),
    ("Vmbo-school Lelystad Centrum", "school_vmbo", "Lelystad"),
    ("Mbo Luchtvaarttechniek Lelystad", "school_mbo", "Lelystad"),
    ("Groen vmbo Dronten", "school_vmbo", "Dronten"),
    ("Agrarisch mbo Dronten", "school_mbo", "Dronten"),
    ("Hogeschool Agro en Techniek Dronten", "school_hbo", "Dronten"),
    ("Vmbo-school Zeewolde", "school_vmbo", "Zeewolde"),
    ("Vmbo-school Urk", "school_vmbo", "Urk"),
    ("Maritiem mbo Urk", "school_mbo", "Urk"),
    ("Vmbo-school Emmeloord", "school_vmbo", "Noordoostpolder"),
    ("Mbo-college Emmeloord", "school_mbo", "Noordoostpolder"),
    ("Elektrotechnisch installateur Almere", "company", "Almere"),
    ("Hightech assemblagebedrijf Almere", "company", "Almere"),
    ("Vliegtuigonderhoudsbedrijf Lelystad", "company", "Lelystad"),
    ("Metaalbewerkingsbedrijf Lelystad", "company", "Lelystad"),
    ("Agrotechnisch loonbedrijf Dronten", "company", "Dronten"),
    ("Machinebouwer precisielandbouw Dronten", "company", "Dronten"),
    ("Installatiebedrijf Zeewolde", "company", "Zeewolde"),
    ("Warmtepompspecialist Zeewolde", "company", "Zeewolde"),
    ("Scheepswerf Urk", "company", "Urk"),
    ("Scheepsinstallateur Urk", "company", "Urk"),
    ("Machinefabriek Emmeloord", "company", "Noordoostpolder"),
    ("Akkerbouwmechanisatie Noordoostpolder", "company", "Noordoostpolder"),
    # In the register, not (yet) in a subproject: "Doet nog niet mee" on Deelname per gemeente.
    ("ROC Flevoland", "school_mbo", "Almere"),
    ("Vmbo Techniek Lelystad-Zuid", "school_vmbo", "Lelystad"),
    ("Softwarebedrijf Almere Haven", "company", "Almere"),
    ("Zorgtechnologie Lelystad", "company", "Lelystad"),
    ("Transportbedrijf Flevopolder", "company", "Dronten"),
    ("Bouwbedrijf Zeewolde-Noord", "company", "Zeewolde"),
    ("Visverwerker Urk", "company", "Urk"),
)

SECTORS = {
    "Elektrotechnisch installateur Almere": "construction",
    "Hightech assemblagebedrijf Almere": "industry",
    "Vliegtuigonderhoudsbedrijf Lelystad": "industry",
    "Metaalbewerkingsbedrijf Lelystad": "industry",
    "Agrotechnisch loonbedrijf Dronten": "agrifood",
    "Machinebouwer precisielandbouw Dronten": "agrifood",
    "Installatiebedrijf Zeewolde": "construction",
    "Warmtepompspecialist Zeewolde": "energy",
    "Scheepswerf Urk": "maritime",
    "Scheepsinstallateur Urk": "maritime",
    "Machinefabriek Emmeloord": "industry",
    "Akkerbouwmechanisatie Noordoostpolder": "agrifood",
    "Softwarebedrijf Almere Haven": "ict",
    "Zorgtechnologie Lelystad": "care_technology",
    "Transportbedrijf Flevopolder": "logistics",
    "Bouwbedrijf Zeewolde-Noord": "construction",
    "Visverwerker Urk": "agrifood",
}

# Each TechNet circle and the companies and schools of its region that are members.
CIRCLE_MEMBERS = {
    "TechNet kring Almere": (
        "Elektrotechnisch installateur Almere", "Hightech assemblagebedrijf Almere",
        "Mbo Techniekcollege Almere", "Softwarebedrijf Almere Haven",
    ),
    "TechNet kring Lelystad": (
        "Vliegtuigonderhoudsbedrijf Lelystad", "Metaalbewerkingsbedrijf Lelystad",
        "Vmbo-school Lelystad Centrum",
    ),
    "TechNet kring Dronten": (
        "Agrotechnisch loonbedrijf Dronten", "Machinebouwer precisielandbouw Dronten",
        "Agrarisch mbo Dronten", "Transportbedrijf Flevopolder",
    ),
    "TechNet kring Zeewolde": ("Installatiebedrijf Zeewolde", "Warmtepompspecialist Zeewolde"),
    "TechNet kring Noordoostpolder-Urk": (
        "Scheepswerf Urk", "Scheepsinstallateur Urk", "Machinefabriek Emmeloord",
        "Akkerbouwmechanisatie Noordoostpolder",
    ),
}

# Contact persons: fictitious people, example.org addresses, numbers that reach nobody. One was
# last confirmed over two years ago, so `flask purge-contacts --older-than 24m --dry-run` lists it.
CONTACTS = (
    # organisation, name, function, email, phone, purpose, months since last confirmed
    ("Vmbo-school Lelystad Centrum", "Sanne Visser", "Teamleider techniek",
     "s.visser@vmbo-lelystad.example.org", "0320 000 101",
     "Contactpersoon voor gastlessen en bedrijfsbezoeken in deelproject Lelystad.", 2),
    ("Mbo Techniekcollege Almere", "Ruud Hoekstra", "Coördinator beroepspraktijkvorming",
     "r.hoekstra@techniekcollege.example.org", "036 000 0202",
     "Afstemming van stageplaatsen tussen school en bedrijven in deelproject Almere.", 5),
    ("ROC Flevoland", "Yasmina El Idrissi", "Opleidingsmanager techniek",
     "y.elidrissi@roc.example.org", "",
     "Verkennen van deelname aan het programma (nog geen deelproject).", 1),
    ("Scheepswerf Urk", "Klaas Romkes", "Bedrijfsleider",
     "k.romkes@scheepswerf-urk.example.org", "0527 000 303",
     "Contact over leerwerkplekken maritieme techniek in deelproject Urk.", 8),
    ("TechNet kring Dronten", "Marleen de Wit", "Kringcoördinator",
     "m.dewit@technet-dronten.example.org", "0321 000 404",
     "Uitnodigen van de kring voor demonstratiedagen agrotechniek.", 3),
    ("Installatiebedrijf Zeewolde", "Peter Bakker", "Directeur",
     "p.bakker@installatie-zeewolde.example.org", "",
     "Deelname aan het regionaal opleidingsplan installatietechniek.", 26),
)

# Every subproject: the province finances, Technocentrum Flevoland facilitates the process.
SHARED_ORGANISATIONS = ((PROVINCE, "financier"), (TECHNOCENTRUM, "procesbegeleider"))

# --- Users -------------------------------------------------------------------------------------

STAFF_USERS = (
    # role, name, email, demo password
    ("admin", "Beheerder", "beheer@toptechniek.example", "demo-beheer-2026"),
    ("manager", "Programmaregisseur", "regisseur@toptechniek.example", "demo-regisseur-2026"),
    ("steering", "Stuurgroeplid", "stuurgroep@toptechniek.example", "demo-stuurgroep-2026"),
)
LEAD_EMAIL = "lead.{slug}@toptechniek.example"
# A published demo password pattern, printed by seed-demo; never used outside the demo.
LEAD_PASSWORD = "demo-lead-{slug}-2026"  # noqa: S105  # nosec B105

# --- Steering group ----------------------------------------------------------------------------

KICKOFF_TITLE = "Startbijeenkomst stuurgroep Toptechniek in bedrijf Flevoland"
KICKOFF_NOTES = (
    "Eerste bijeenkomst van de stuurgroep, met de experts van Toptechniek in bedrijf. Vraag: hoe "
    "zorgen we voor meer technisch goedgeschoolde jongeren, en hoe behouden we ze voor de regio? "
    "Alleen met voldoende en goede technici blijft Flevoland een aantrekkelijke vestigingsplaats "
    "voor (innovatieve) bedrijvigheid.\n\n"
    "Het vraagstuk is niet nieuw. De Taskforce Technologie Onderwijs Arbeidsmarkt Flevoland "
    "(georganiseerd bedrijfsleven, onderwijs, provincie en gemeenten), aangespoord door het "
    "Provinciaal Platform Arbeidsmarkt en gefaciliteerd door Technocentrum Flevoland, werkt sinds "
    "2008 aan de aansluiting tussen onderwijs en arbeidsmarkt. In vijf lokale TechNet kringen "
    "werken onderwijs en bedrijfsleven samen aan vernieuwend, aansprekend en relevant "
    "onderwijs.\n\n"
    "De kracht van het programma: voortbouwen op deze structuur en activiteiten en van daaruit "
    "zoeken naar samenhang, gerichte vernieuwing en opschaling. De focus ligt op regie over de "
    "uitvoering van de regionale agenda en het sterker verbinden van scholen, bedrijven en "
    "activiteiten. Zes deelprojecten in zes gemeenten vragen om samenhang, maar bieden ook kansen "
    "voor wederzijdse versterking en leereffecten.\n\n"
    "Advies van de experts: maak het plan van aanpak snel concreet met acties, te bereiken "
    "mijlpalen en een meet- en evaluatiesystematiek, zodat snel en zichtbaar stappen vooruit "
    "worden gezet."
)

MEETINGS = (
    # 1: the start meeting; 2: plan of action adopted; 3: the last quarterly report discussed
    (
        KICKOFF_TITLE,
        KICKOFF_NOTES,
        (
            (
                "Het plan van aanpak wordt per deelproject binnen drie maanden concreet gemaakt "
                "met acties, te bereiken mijlpalen en een meet- en evaluatiesystematiek.",
                None,
            ),
            (
                "De stuurgroep voert nadrukkelijk regie op de uitvoering van de regionale "
                "agenda; de programmaregisseur rapporteert ieder kwartaal over de voortgang per "
                "deelproject.",
                None,
            ),
            (
                "De deelprojecten organiseren leereffecten: twee keer per jaar een leerbijeenkomst "
                "van alle deelprojectleiders, en goede praktijken worden gedeeld via de TechNet "
                "kringen.",
                None,
            ),
            (
                "Het programma bouwt voort op de bestaande structuur (Taskforce, Technocentrum "
                "Flevoland, TechNet kringen); nieuwe activiteiten sluiten daarop aan in plaats van "
                "ernaast te komen.",
                None,
            ),
        ),
    ),
    (
        "Stuurgroep: vaststelling plan van aanpak",
        "Het plan van aanpak met de zes deelprojecten is besproken. Per deelproject liggen er "
        "acties, mijlpalen met een basisplanning en indicatoren met een nulmeting.",
        (
            (
                "Het plan van aanpak wordt vastgesteld; de mijlpalen in de basisplanning gelden "
                "als afspraak met de stuurgroep.",
                None,
            ),
            (
                "De indicatoren en nulmetingen worden vastgesteld; deelprojectleiders leveren "
                "ieder kwartaal metingen en een kwartaalupdate aan.",
                None,
            ),
            (
                "De leerroute luchtvaarttechniek in Lelystad krijgt voorrang bij de provinciale "
                "cofinanciering.",
                "DP2",
            ),
        ),
    ),
    (
        "Stuurgroep: bespreking kwartaalrapportage",
        "De kwartaalrapportage is besproken. Lelystad en Urk lopen achter op hun planning; de "
        "stuurgroep vraagt om bijsturing en deelt de ervaringen van Dronten en Almere.",
        (
            (
                "Urk werkt met de werkgevers een aanpak van voortijdig schoolverlaten uit; de "
                "deelprojectleider rapporteert daarover in de volgende vergadering.",
                "DP5",
            ),
            (
                "De verschuiving van de certificering van de opleidingshangar wordt geaccepteerd; "
                "de programmaregisseur bewaakt de nieuwe planning.",
                "DP2",
            ),
            (
                "Er komt een leerbijeenkomst over het werven van meisjes voor techniek, waarin "
                "Dronten en Almere hun ervaringen delen.",
                None,
            ),
        ),
    ),
)

# --- Programme-level indicators ----------------------------------------------------------------

PROGRAMME_INDICATORS = (
    _Indicator(
        "Instroom technische opleidingen in Flevoland (vmbo, mbo, hbo)", "leerlingen",
        "Leerlingen en studenten die instromen in een technisch profiel of een technische "
        "opleiding in Flevoland, op de teldatum 1 oktober (DUO publiceert de cijfers in april).",
        "DUO, bewerking Technocentrum Flevoland", "up", 4200, "K-4/1", 4800, "E+0/5", "last", 0,
        0.03, frequency="yearly", publication_month=4,
    ),
    _Indicator(
        "Gediplomeerde technici die na een jaar in Flevoland werken", "%",
        "Aandeel van de gediplomeerden van technische mbo- en hbo-opleidingen in Flevoland dat "
        "een jaar na het diploma bij een bedrijf in Flevoland werkt.",
        RESEARCH, "up", 54.0, "K+0/6", 65.0, "E+0/5", "last", 1, 0.15,
        "Behoud blijft achter: vooral hbo-gediplomeerden vinden werk buiten de provincie.",
        frequency="yearly", publication_month=9,
    ),
)

# A programme indicator computed each quarter from subproject indicators: name, unit,
# definition, aggregation across the sources, roll-up over time, and the sources' names.
PROGRAMME_ROLLUP = (
    "Leerlingen en studenten in de technieklijnen van de deelprojecten",
    "leerlingen",
    "De leerlingen en studenten in de technische leerlijnen die de deelprojecten volgen, "
    "opgeteld over de deelprojecten: berekend uit hun eigen indicatoren.",
    "sum",
    "last",
    (
        "Leerlingen vmbo-techniek (bovenbouw)",
        "Studenten mbo agrotechniek en mechanisatie",
        "Leerlingen en studenten installatietechniek",
        "Leerlingen maritieme techniek (vmbo en mbo)",
        "Jongeren in werkend-lerentrajecten techniek (BBL)",
    ),
)

# --- The six subprojects -----------------------------------------------------------------------

SUBPROJECTS = (
    _Subproject(
        code="DP1",
        municipality="Almere",
        slug="almere",
        name="Doorlopende leerlijn techniek vmbo-mbo",
        aim=(
            "Vmbo en mbo in Almere bieden samen met bedrijven één doorlopende leerlijn techniek "
            "aan, zodat meer leerlingen kiezen voor een technische vervolgopleiding en minder "
            "leerlingen uitvallen bij de overstap van vmbo naar mbo."
        ),
        organisations=(
            ("Mbo Techniekcollege Almere", "trekker"),
            ("Vmbo-school Almere Poort", "partner"),
            ("Hogeschool Techniek Almere", "kennispartner"),
            ("TechNet kring Almere", "netwerkpartner"),
            ("Elektrotechnisch installateur Almere", "stagebieder"),
            ("Hightech assemblagebedrijf Almere", "stagebieder"),
            ("Gemeente Almere", "cofinancier"),
        ),
        actions=(
            _Action(
                "Leerlijn techniek vmbo-mbo uitschrijven", "Mbo Techniekcollege Almere",
                "T-16/1", "T-11/28", "done", 100, "1.1",
                "Gezamenlijk leerplan van leerjaar 3 vmbo tot en met niveau 2 mbo.",
            ),
            _Action(
                "Docentenuitwisseling vmbo-mbo organiseren", "Vmbo-school Almere Poort",
                "T-10/1", "T-2/28", "done", 100, "1.3",
            ),
            _Action(
                "Gastlessenprogramma met technische bedrijven opzetten", "TechNet kring Almere",
                "T-12/1", "T+4/28", "running", 65,
            ),
            _Action(
                "Gezamenlijk praktijklokaal vmbo-mbo inrichten", "Mbo Techniekcollege Almere",
                "T-5/1", "T+2/28", "running", 40,
            ),
            _Action(
                "Doorstroomcijfers per cohort monitoren", TECHNOCENTRUM,
                "T-13/15", "T+6/28", "running", 55, "2.2",
            ),
            _Action(
                "Voorlichting aan ouders over loopbanen in de techniek", "Vmbo-school Almere Poort",
                "T+2/1", "T+5/28", "planned", 0, "3.3",
            ),
        ),
        milestones=(
            _Milestone(
                "Leerlijn vastgesteld door beide schoolbesturen", "T-11/28", achieved="T-11/20",
                evidence="Besluitenlijst gezamenlijk bestuursoverleg; leerlijndocument versie 1.0.",
                action=0,
            ),
            _Milestone(
                "Convenant gastlessen met TechNet kring Almere getekend", "T-9/15",
                achieved="T-9/10", evidence="Getekend convenant met twaalf deelnemende bedrijven.",
                action=2,
            ),
            _Milestone(
                "Eerste cohort gestart in de doorlopende leerlijn", "T-3/1", achieved="T-2/15",
                evidence="Inschrijvingsoverzicht eerste cohort: 48 leerlingen.",
            ),
            _Milestone(
                "Praktijklokaal vmbo-mbo in gebruik", "T+1/15", forecast="T+3/15", action=3,
                moves=(
                    _Move(
                        "T+2/28", "T-1/10",
                        "Levering van de machines is vertraagd; de leverancier heeft een nieuwe "
                        "leverdatum toegezegd.",
                    ),
                ),
            ),
            _Milestone("Evaluatie eerste jaar doorlopende leerlijn", "T+5/28"),
        ),
        indicators=(
            _Indicator(
                "Leerlingen vmbo-techniek (bovenbouw)", "leerlingen",
                "Leerlingen in de bovenbouw van de technische profielen van het vmbo in Almere.",
                "Leerlingadministratie scholen", "up", 610, "K-4/1", 700, "E+0/5", "last", 0,
                0.02,
            ),
            _Indicator(
                "Doorstroom vmbo-techniek naar mbo-techniek", "%",
                "Aandeel gediplomeerden vmbo-techniek dat doorstroomt naar een technische "
                "mbo-opleiding.",
                "Leerlingadministratie scholen", "up", 58.0, "K+0/6", 70.0, "E+0/5", "mean", 1,
                0.17,
                "Doorstroom blijft achter: een deel van de leerlingen kiest alsnog voor een "
                "niet-technische mbo-opleiding.",
            ),
            _Indicator(
                "Gastlessen door technische bedrijven", "gastlessen",
                "Gastlessen die medewerkers van technische bedrijven in het vmbo en mbo geven.",
                "Registratie TechNet kring Almere", "up", 0, "K+0/6", 120, "E+0/5", "sum", 0,
                -0.04,
            ),
        ),
        updates=(
            _Update(
                "green",
                "Docentenuitwisseling afgerond; gastlessen lopen volgens planning.",
                "Eerste cohort van de doorlopende leerlijn voorbereiden.",
                "Levertijd van de machines voor het praktijklokaal.",
            ),
            _Update(
                "amber",
                "Eerste cohort gestart met 48 leerlingen; convenant gastlessen uitgevoerd.",
                "Praktijklokaal inrichten; ouderavonden over techniekloopbanen plannen.",
                "Praktijklokaal later klaar door vertraagde levering. Doorstroom naar "
                "mbo-techniek blijft achter bij de verwachting.",
                "Instemming met de verschuiving van de mijlpaal praktijklokaal.",
            ),
        ),
    ),
    _Subproject(
        code="DP2",
        municipality="Lelystad",
        slug="lelystad",
        name="Praktijkleren in bedrijf en luchtvaarttechniek",
        aim=(
            "Meer en betere praktijkleerplaatsen bij technische bedrijven in Lelystad, met een "
            "eigen leerroute luchtvaarttechniek (Aviation) voor mbo-studenten samen met "
            "onderhoudsbedrijven rond de luchthaven."
        ),
        organisations=(
            ("Mbo Luchtvaarttechniek Lelystad", "trekker"),
            ("TechNet kring Lelystad", "partner"),
            ("Vmbo-school Lelystad Centrum", "partner"),
            ("Vliegtuigonderhoudsbedrijf Lelystad", "leerbedrijf"),
            ("Metaalbewerkingsbedrijf Lelystad", "stagebieder"),
            ("Gemeente Lelystad", "cofinancier"),
        ),
        actions=(
            _Action(
                "Stageplaatsen bij technische bedrijven inventariseren", "TechNet kring Lelystad",
                "T-17/1", "T-14/28", "done", 100, "1.1",
            ),
            _Action(
                "Samenwerkingsovereenkomst leerroute luchtvaarttechniek opstellen",
                "Mbo Luchtvaarttechniek Lelystad", "T-12/1", "T-6/15", "done", 100, "2.3",
            ),
            _Action(
                "Opleidingshangar inrichten en laten certificeren",
                "Vliegtuigonderhoudsbedrijf Lelystad", "T-9/1", "T+1/28", "running", 70, "3.2",
            ),
            _Action(
                "Training voor praktijkopleiders in bedrijven", TECHNOCENTRUM,
                "T-3/1", "T+4/15", "running", 30,
            ),
            _Action(
                "Uitwisseling met luchtvaartopleidingen buiten de regio",
                "Mbo Luchtvaarttechniek Lelystad", "T-8/1", "T-4/28", "cancelled", 20,
                description="Vervallen: budget ingezet voor de certificering van de hangar.",
            ),
            _Action(
                "Werving eerste BBL-studenten luchtvaarttechniek",
                "Mbo Luchtvaarttechniek Lelystad", "T+1/1", "T+3/28", "planned", 0,
            ),
        ),
        milestones=(
            _Milestone(
                "Inventarisatie stageplaatsen bij technische bedrijven afgerond", "T-14/28",
                achieved="T-15/20",
                evidence="Rapportage inventarisatie: 146 erkende stageplaatsen bij 52 bedrijven.",
                action=0,
            ),
            _Milestone(
                "Samenwerkingsovereenkomst leerroute luchtvaarttechniek getekend", "T-8/15",
                achieved="T-6/10", evidence="Getekende samenwerkingsovereenkomst.", action=1,
                moves=(
                    _Move(
                        "T-6/15", "T-9/20",
                        "De juridische toets van de overeenkomst door het onderhoudsbedrijf duurde "
                        "langer dan voorzien.",
                    ),
                ),
            ),
            _Milestone(
                "Opleidingshangar gecertificeerd voor praktijkopleiding", "T-6/1", action=2,
                moves=(
                    _Move(
                        "T-4/28", "T-7/12",
                        "Verbouwing van de hangar liep uit door de levering van de installaties.",
                    ),
                    _Move(
                        "T-2/28", "T-5/3",
                        "Certificeringsaudit verschoven op verzoek van de certificerende "
                        "instantie.",
                    ),
                ),
            ),
            _Milestone(
                "Eerste twintig BBL-studenten luchtvaarttechniek gestart", "T+2/1", at_risk=True,
                description="Afhankelijk van de certificering van de opleidingshangar.",
            ),
            _Milestone("Praktijkopleiders getraind in studentbegeleiding", "T+4/15", action=3),
        ),
        indicators=(
            _Indicator(
                "Erkende stageplaatsen techniek", "stageplaatsen",
                "Door het kenniscentrum erkende stageplaatsen techniek bij bedrijven in "
                "Lelystad.",
                "Register erkende leerbedrijven", "up", 140, "K+0/6", 200, "E+0/5", "last", 0,
                0.05,
            ),
            _Indicator(
                "Leerbanen (BBL) luchtvaarttechniek", "leerbanen",
                "Nieuw gestarte BBL-leerbanen in de leerroute luchtvaarttechniek.",
                "Studentadministratie mbo", "up", 0, "K+0/6", 60, "E+0/5", "sum", 0, 0.30,
                "Twee onderhoudsbedrijven stellen leerbanen uit tot de hangar gecertificeerd is.",
            ),
            _Indicator(
                "Tevredenheid stagebedrijven over begeleiding", "cijfer (1-10)",
                "Gemiddeld rapportcijfer van stagebedrijven voor de begeleiding door school.",
                "Kwartaalenquête stagebedrijven", "up", 6.6, "K+0/6", 7.5, "E+0/5", "mean", 1,
                0.0, unentered=2,
            ),
        ),
        updates=(
            _Update(
                "amber",
                "Samenwerkingsovereenkomst leerroute luchtvaarttechniek getekend.",
                "Hangar gereedmaken voor de certificeringsaudit.",
                "Certificering van de hangar loopt uit; zonder certificaat geen BBL-plaatsen.",
            ),
            _Update(
                "red",
                "Training praktijkopleiders gestart; tevredenheid stagebedrijven stijgt.",
                "Nieuwe auditdatum vastleggen; werving van BBL-studenten voorbereiden.",
                "Certificering opnieuw verschoven; de start van de eerste BBL-groep komt in "
                "gevaar en leerbanen blijven ver achter.",
                "Akkoord op de nieuwe planning en bestuurlijke steun richting de certificerende "
                "instantie.",
            ),
        ),
    ),
    _Subproject(
        code="DP3",
        municipality="Dronten",
        slug="dronten",
        name="Agrotechniek en precisielandbouw",
        aim=(
            "Jongeren in Dronten kiezen vaker voor agrotechniek doordat scholen en agrotechnische "
            "bedrijven samen praktijkgericht onderwijs verzorgen in precisielandbouw en "
            "mechanisatie."
        ),
        organisations=(
            ("Agrarisch mbo Dronten", "trekker"),
            ("Groen vmbo Dronten", "partner"),
            ("Hogeschool Agro en Techniek Dronten", "kennispartner"),
            ("TechNet kring Dronten", "partner"),
            ("Agrotechnisch loonbedrijf Dronten", "stagebieder"),
            ("Machinebouwer precisielandbouw Dronten", "stagebieder"),
            ("Gemeente Dronten", "cofinancier"),
        ),
        actions=(
            _Action(
                "Praktijkprogramma precisielandbouw ontwikkelen", "Agrarisch mbo Dronten",
                "T-16/15", "T-13/15", "done", 100, "1.1",
            ),
            _Action(
                "Demonstratiedagen agrotechniek organiseren", "TechNet kring Dronten",
                "T-10/1", "T+6/28", "running", 60,
            ),
            _Action(
                "GPS- en dronepracticumset aanschaffen", "Agrarisch mbo Dronten",
                "T-8/1", "T-4/20", "done", 100,
            ),
            _Action(
                "Doorstroomafspraken mbo-hbo agrotechniek maken",
                "Hogeschool Agro en Techniek Dronten", "T-4/1", "T+1/28", "running", 75,
            ),
            _Action(
                "Wervingscampagne agrotechniek voor meisjes", "Groen vmbo Dronten",
                "T+1/1", "T+5/28", "planned", 0, "3.3",
            ),
        ),
        milestones=(
            _Milestone(
                "Praktijkprogramma precisielandbouw ontwikkeld", "T-12/28", achieved="T-13/15",
                evidence="Vastgesteld praktijkprogramma met zes modules.", action=0,
            ),
            _Milestone(
                "Eerste demonstratiedag agrotechniek voor vmbo-leerlingen", "T-7/15",
                achieved="T-7/15", evidence="Verslag demonstratiedag: 180 leerlingen.", action=1,
            ),
            _Milestone(
                "GPS- en dronepracticumset in gebruik", "T-5/1", achieved="T-4/20",
                evidence="Afleverbon en lesrooster practicum.", action=2,
            ),
            _Milestone(
                "Doorstroomafspraken mbo-hbo agrotechniek vastgelegd", "T+1/28", action=3,
            ),
            _Milestone("Tweede demonstratiedag met hbo-studenten", "T+6/15"),
        ),
        indicators=(
            _Indicator(
                "Studenten mbo agrotechniek en mechanisatie", "studenten",
                "Ingeschreven studenten in de mbo-opleidingen agrotechniek en mechanisatie.",
                "Studentadministratie mbo", "up", 185, "K-4/1", 230, "E+0/5", "last", 0, 0.03,
            ),
            _Indicator(
                "Bedrijfsbezoeken van vmbo-klassen", "bezoeken",
                "Bezoeken van vmbo-klassen aan agrotechnische bedrijven.",
                "Registratie TechNet kring Dronten", "up", 0, "K+0/6", 40, "E+0/5", "sum", 0,
                -0.05,
            ),
            _Indicator(
                "Aandeel meisjes in agrotechnische opleidingen", "%",
                "Aandeel meisjes onder de studenten agrotechniek en mechanisatie.",
                "Studentadministratie mbo", "up", 9.0, "K+0/6", 15.0, "E+0/5", "last", 1, 0.20,
                "De wervingscampagne voor meisjes is nog niet gestart.",
            ),
        ),
        updates=(
            _Update(
                "green",
                "Demonstratiedag met 180 leerlingen; practicumset besteld.",
                "Practicumset in gebruik nemen; doorstroomafspraken met de hogeschool.",
                "Geen bijzondere risico's.",
            ),
            _Update(
                "green",
                "Practicumset in gebruik; bedrijfsbezoeken boven planning.",
                "Doorstroomafspraken afronden; wervingscampagne voor meisjes voorbereiden.",
                "Instroom van meisjes stijgt langzaam.",
            ),
        ),
    ),
    _Subproject(
        code="DP4",
        municipality="Zeewolde",
        slug="zeewolde",
        name="Installatietechniek en energietransitie",
        aim=(
            "Voldoende installatietechnici voor de energietransitie in Zeewolde en omgeving, door "
            "jongeren en zij-instromers op te leiden in installatietechniek, warmtepompen en "
            "zonne-energie, samen met lokale installateurs."
        ),
        organisations=(
            ("TechNet kring Zeewolde", "trekker"),
            ("Installatiebedrijf Zeewolde", "leerbedrijf"),
            ("Warmtepompspecialist Zeewolde", "stagebieder"),
            ("Vmbo-school Zeewolde", "partner"),
            ("Mbo Techniekcollege Almere", "opleider"),
            ("Gemeente Zeewolde", "cofinancier"),
        ),
        actions=(
            _Action(
                "Praktijkruimte warmtepompen en zonnepanelen inrichten",
                "Installatiebedrijf Zeewolde", "T-14/1", "T-8/20", "done", 100, "1.4",
            ),
            _Action(
                "Omscholingstraject voor zij-instromers", "Mbo Techniekcollege Almere",
                "T-7/1", "T+3/28", "running", 60,
            ),
            _Action(
                "Gastlessenreeks energietransitie op het vmbo", "Warmtepompspecialist Zeewolde",
                "T-2/1", "T+3/1", "running", 25,
            ),
            _Action(
                "Regionaal opleidingsplan installatietechniek opstellen", "TechNet kring Zeewolde",
                "T+1/1", "T+5/28", "planned", 0,
            ),
            _Action(
                "Vacaturemonitor installatietechniek opzetten", RESEARCH,
                "T-15/1", "T-11/28", "done", 100, "2.2",
            ),
        ),
        milestones=(
            _Milestone(
                "Praktijkruimte warmtepompen en zonnepanelen ingericht", "T-10/1",
                achieved="T-8/20", evidence="Opleveringsrapport praktijkruimte.", action=0,
                moves=(
                    _Move(
                        "T-8/1", "T-11/5",
                        "De subsidiebeschikking kwam later binnen dan verwacht.",
                    ),
                ),
            ),
            _Milestone(
                "Omscholingstraject zij-instromers gestart", "T-6/1", achieved="T-6/1",
                evidence="Startlijst eerste groep: 14 zij-instromers.", action=1,
            ),
            _Milestone("Eerste zij-instromers gediplomeerd", "T-1/15", action=1),
            _Milestone("Gastlessenreeks energietransitie afgerond", "T+3/1", action=2),
            _Milestone("Regionaal opleidingsplan vastgesteld", "T+5/28", action=3),
        ),
        indicators=(
            _Indicator(
                "Leerlingen en studenten installatietechniek", "leerlingen",
                "Vmbo-leerlingen en mbo-studenten uit Zeewolde in installatietechniek.",
                "Leerlingadministratie scholen", "up", 64, "K-4/1", 100, "E+0/5", "last", 0, 0.02,
            ),
            _Indicator(
                "Zij-instromers omgeschoold tot installatiemonteur", "zij-instromers",
                "Volwassenen die een omscholingstraject installatietechniek hebben afgerond.",
                "Registratie omscholingstraject", "up", 0, "K+0/6", 45, "E+0/5", "sum", 0, 0.15,
                "Vier deelnemers zijn uitgevallen; de examens van de eerste groep zijn later.",
            ),
            _Indicator(
                "Moeilijk vervulbare vacatures installatietechniek", "vacatures",
                "Vacatures voor installatiemonteurs in Zeewolde die langer dan drie maanden "
                "openstaan.",
                RESEARCH, "down", 38, "K+0/6", 15, "E+0/5", "last", 0, 0.0,
            ),
        ),
        updates=(
            _Update(
                "green",
                "Omscholingstraject gestart met 14 zij-instromers.",
                "Examens eerste groep voorbereiden; gastlessen op het vmbo plannen.",
                "Uitval onder zij-instromers die het traject naast hun werk volgen.",
            ),
            _Update(
                "amber",
                "Gastlessenreeks energietransitie gestart.",
                "Examens eerste groep zij-instromers afnemen.",
                "Vier zij-instromers uitgevallen; de examens van de eerste groep schuiven op.",
            ),
        ),
    ),
    _Subproject(
        code="DP5",
        municipality="Urk",
        slug="urk",
        name="Maritieme techniek",
        aim=(
            "Versterking van de maritieme maakindustrie op Urk door meer jongeren op te leiden in "
            "scheepsbouw, maritieme elektrotechniek en werktuigbouw, met leerbanen bij "
            "scheepswerven en toeleveranciers."
        ),
        organisations=(
            ("Maritiem mbo Urk", "trekker"),
            ("Vmbo-school Urk", "partner"),
            ("Scheepswerf Urk", "leerbedrijf"),
            ("Scheepsinstallateur Urk", "leerbedrijf"),
            ("TechNet kring Noordoostpolder-Urk", "partner"),
            ("Gemeente Urk", "cofinancier"),
        ),
        actions=(
            _Action(
                "Maritiem techniekpracticum op het vmbo inrichten", "Vmbo-school Urk",
                "T-16/1", "T-13/10", "done", 100, "1.1",
            ),
            _Action(
                "Leerbanenpool van scheepswerven en toeleveranciers opzetten", "Scheepswerf Urk",
                "T-14/1", "T-10/15", "done", 100,
            ),
            _Action(
                "Aanpak voortijdig schoolverlaten uitwerken met werkgevers", "Maritiem mbo Urk",
                "T-2/1", "T+1/28", "running", 35, "3.1",
                "Afspraken met werkgevers over werken en leren combineren, zodat jongeren niet "
                "zonder diploma uitstromen naar werk.",
            ),
            _Action(
                "Mentorprogramma voor eerstejaars mbo", "Maritiem mbo Urk",
                "T-1/1", "T+1/1", "running", 15,
            ),
            _Action(
                "Open dag maritieme techniek", "TechNet kring Noordoostpolder-Urk",
                "T+1/1", "T+2/15", "planned", 0,
            ),
        ),
        milestones=(
            _Milestone(
                "Maritiem techniekpracticum op het vmbo ingericht", "T-13/1", achieved="T-13/10",
                evidence="Opleveringsrapport en foto's van het practicum.", action=0,
            ),
            _Milestone(
                "Leerbanenpool scheepswerven opgericht", "T-9/28", achieved="T-10/15",
                evidence="Samenwerkingsafspraak met acht werven en toeleveranciers.", action=1,
            ),
            _Milestone(
                "Aanpak voortijdig schoolverlaten met werkgevers vastgesteld", "T-6/1", action=2,
                moves=(
                    _Move(
                        "T-4/15", "T-6/20",
                        "Werkgevers vroegen extra overleg over het combineren van werk en "
                        "opleiding.",
                    ),
                ),
            ),
            _Milestone("Mentorprogramma eerstejaars gestart", "T+1/1", at_risk=True, action=3),
            _Milestone("Open dag maritieme techniek gehouden", "T+2/15", action=4),
        ),
        indicators=(
            _Indicator(
                "Leerlingen maritieme techniek (vmbo en mbo)", "leerlingen",
                "Leerlingen en studenten in maritieme techniekopleidingen op Urk.",
                "Leerlingadministratie scholen", "up", 120, "K-4/1", 160, "E+0/5", "last", 0, 0.04,
            ),
            _Indicator(
                "Leerbanen bij scheepswerven en toeleveranciers", "leerbanen",
                "Nieuw gestarte leerbanen in de leerbanenpool.",
                "Registratie leerbanenpool", "up", 0, "K+0/6", 50, "E+0/5", "sum", 0, 0.0,
            ),
            _Indicator(
                "Voortijdig schoolverlaters techniek", "%",
                "Aandeel studenten in technische mbo-opleidingen op Urk dat zonder "
                "startkwalificatie de opleiding verlaat.",
                "DUO, bewerking Technocentrum Flevoland", "down", 7.5, "K+0/6", 4.0, "E+0/5",
                "last", 1, 0.35,
                "Uitval vooral in het eerste leerjaar; jongeren kiezen voor direct werk in de "
                "visserij en de bouw.",
                frequency="yearly", publication_month=4,
            ),
        ),
        updates=(
            _Update(
                "amber",
                "Leerbanenpool draait; leerbanen volgens planning.",
                "Aanpak voortijdig schoolverlaten afronden met de werkgevers.",
                "Voortijdig schoolverlaten daalt nauwelijks.",
                "Steun van de stuurgroep bij het gesprek met de werkgeversvereniging.",
            ),
            _Update(
                "amber",
                "Eerste gesprekken met werkgevers over werken en leren gevoerd.",
                "Mentorprogramma eerstejaars starten; open dag organiseren.",
                "Aanpak voortijdig schoolverlaten nog niet vastgesteld; mentoren nog niet "
                "allemaal geworven.",
            ),
        ),
    ),
    _Subproject(
        code="DP6",
        municipality="Noordoostpolder",
        slug="noordoostpolder",
        name="Werkend leren en behoud van jongeren",
        aim=(
            "Meer jongeren in de Noordoostpolder volgen een werkend-lerentraject (BBL) bij een "
            "technisch bedrijf en blijven na hun diploma in de regio werken."
        ),
        organisations=(
            ("Mbo-college Emmeloord", "trekker"),
            ("Vmbo-school Emmeloord", "partner"),
            ("Machinefabriek Emmeloord", "leerbedrijf"),
            ("Akkerbouwmechanisatie Noordoostpolder", "leerbedrijf"),
            ("TechNet kring Noordoostpolder-Urk", "partner"),
            ("Gemeente Noordoostpolder", "cofinancier"),
            (TASKFORCE, "adviseur"),
        ),
        actions=(
            _Action(
                "Matchingsloket werkend leren openen", "Mbo-college Emmeloord",
                "T-17/15", "T-15/1", "done", 100, "1.4",
            ),
            _Action(
                "Nieuwe leerbedrijven werven en laten erkennen",
                "TechNet kring Noordoostpolder-Urk", "T-12/1", "T-7/25", "done", 100,
            ),
            _Action(
                "Nazorg en loopbaanbegeleiding na het diploma inrichten", "Mbo-college Emmeloord",
                "T-6/1", "T-3/1", "done", 100,
            ),
            _Action(
                "Campagne 'Blijf in de polder' ontwikkelen", "Gemeente Noordoostpolder",
                "T-4/1", "T+3/1", "running", 45,
            ),
            _Action(
                "Gediplomeerden een jaar na diploma volgen", RESEARCH,
                "T-9/1", "T+6/1", "running", 50, "2.2",
            ),
        ),
        milestones=(
            _Milestone(
                "Matchingsloket werkend leren geopend", "T-15/1", achieved="T-15/1",
                evidence="Persbericht opening en eerste aanmeldingen.", action=0,
            ),
            _Milestone(
                "Twintig nieuwe leerbedrijven erkend", "T-9/1", achieved="T-7/25",
                evidence="Uittreksel register erkende leerbedrijven.", action=1,
                moves=(
                    _Move(
                        "T-7/1", "T-10/1",
                        "De erkenningsprocedure bij het kenniscentrum duurde langer dan gepland.",
                    ),
                ),
            ),
            _Milestone(
                "Nazorg na het diploma ingericht", "T-3/1", achieved="T-3/1",
                evidence="Werkwijze nazorg vastgesteld in het MT van het mbo-college.", action=2,
            ),
            _Milestone(
                "Campagne 'Blijf in de polder' gelanceerd", "T+1/15", forecast="T+3/1", action=3,
            ),
            _Milestone("Eerste meting behoud gediplomeerden gepubliceerd", "T+6/1", action=4),
        ),
        indicators=(
            _Indicator(
                "Jongeren in werkend-lerentrajecten techniek (BBL)", "jongeren",
                "Jongeren met een BBL-leerbaan bij een technisch bedrijf in de Noordoostpolder.",
                "Studentadministratie mbo", "up", 85, "K-4/1", 130, "E+0/5", "last", 0, -0.02,
            ),
            _Indicator(
                "Gediplomeerden techniek die in de regio gaan werken", "%",
                "Aandeel gediplomeerden techniek dat binnen een half jaar in de regio werkt.",
                "Nazorgregistratie mbo-college", "up", 62.0, "K+0/6", 75.0, "E+0/5", "mean", 1,
                0.05, frequency="half_yearly",
            ),
            _Indicator(
                "Voortijdig schoolverlaters techniek (BBL)", "%",
                "Aandeel BBL-studenten techniek dat zonder startkwalificatie uitstroomt.",
                "DUO, bewerking Technocentrum Flevoland", "down", 6.8, "K+0/6", 4.5, "E+0/5",
                "last", 1, 0.02, frequency="yearly", publication_month=4,
            ),
        ),
        updates=(
            _Update(
                "green",
                "Twintig nieuwe leerbedrijven erkend; nazorg na het diploma voorbereid.",
                "Nazorg starten; campagne 'Blijf in de polder' ontwikkelen.",
                "Beschikbaarheid van praktijkopleiders bij kleine bedrijven.",
            ),
            _Update(
                "amber",
                "Nazorg na het diploma ingericht; BBL-instroom boven planning.",
                "Campagne lanceren; eerste meting behoud gediplomeerden.",
                "Campagne vertraagd doordat de gemeentelijke communicatieafdeling pas later "
                "capaciteit heeft.",
            ),
        ),
    ),
)

# fmt: on


# --- Building ----------------------------------------------------------------------------------

_DATE_SPEC = re.compile(r"^([KTE])([+-]\d{1,2})/(\d{1,2})$")


@dataclass(frozen=True)
class _Calendar:
    today: date
    kickoff: date
    end: date

    def on(self, spec: str) -> date:
        match = _DATE_SPEC.match(spec)
        if match is None or not 1 <= int(match[3]) <= 28:
            raise ValueError(f"not a demo date: {spec!r}")
        anchor = {"K": self.kickoff, "T": self.today, "E": self.end}[match[1]]
        months = anchor.year * 12 + anchor.month - 1 + int(match[2])
        day = date(months // 12, months % 12 + 1, int(match[3]))
        if match[1] == "T":
            day = min(max(day, self.kickoff + timedelta(days=1)), self.end)
        return day

    def optional(self, spec: str | None) -> date | None:
        return None if spec is None else self.on(spec)

    def stamp(self, day: date, hour: int) -> datetime:
        """A timestamp on ``day`` (never after today) at ``hour``."""
        return datetime.combine(min(day, self.today), time(hour))


def measured_quarters(today: date) -> list[Quarter]:
    """The six complete quarters before today's quarter, oldest first."""
    last = Quarter.of(today).previous()
    first = last
    for _ in range(MEASURED_QUARTERS - 1):
        first = first.previous()
    return quarter_range(first, last)


def kickoff_date(today: date) -> date:
    """The start meeting: the latest 6 February on or before the first measured quarter."""
    first = measured_quarters(today)[0].start
    candidate = date(first.year, 2, 6)
    return candidate if candidate <= first else date(first.year - 1, 2, 6)


def _trajectory(
    spec: _Indicator, facts: IndicatorFacts, quarters: list[Quarter], rnd: random.Random
) -> list[float]:
    """Measured values for the quarters: progress follows the expected line, falling ``lag``
    behind it by the last quarter, with a little noise."""
    expected = [expected_progress(facts, quarter.end) for quarter in quarters]
    scale = max(0.0, expected[-1] - spec.lag) / expected[-1]
    progress = [e * scale + rnd.uniform(-0.012, 0.012) for e in expected[:-1]]
    progress.append(expected[-1] - spec.lag + rnd.uniform(-0.005, 0.005))
    span = spec.target - spec.baseline
    if spec.rollup == "sum":
        totals, previous = [], 0.0
        for share in progress:
            previous = max(previous, round(spec.baseline + span * share, spec.decimals))
            totals.append(previous)
        starts = [0.0, *totals[:-1]]
        return [round(b - a, spec.decimals) for a, b in zip(starts, totals, strict=True)]
    if spec.rollup == "mean":
        level = spec.baseline + span * progress[-1]
        middle = (len(quarters) - 1) / 2
        noise = [rnd.uniform(-0.03, 0.03) * abs(span) for _ in quarters]
        shift = sum(noise) / len(noise)
        return [
            round(level + 0.04 * span * (i - middle) + n - shift, spec.decimals)
            for i, n in enumerate(noise)
        ]
    return [round(spec.baseline + span * share, spec.decimals) for share in progress]


def demo_logins() -> list[DemoLogin]:
    """The demo log-ins, one per role and one per subproject lead, as seed_demo creates them."""
    staff = [DemoLogin(role, name, email, password) for role, name, email, password in STAFF_USERS]
    leads = [
        DemoLogin(
            "lead",
            f"Deelprojectleider {spec.municipality}",
            LEAD_EMAIL.format(slug=spec.slug),
            LEAD_PASSWORD.format(slug=spec.slug),
        )
        for spec in SUBPROJECTS
    ]
    return staff + leads


def seed_demo(session: Session, today: date) -> list[DemoLogin]:
    """Add the demo programme and demo users to ``session`` (flushed, not committed).

    Returns the demo log-ins, one per role and one per subproject lead.
    """
    quarters = measured_quarters(today)
    kickoff = kickoff_date(today)
    cal = _Calendar(today=today, kickoff=kickoff, end=date(kickoff.year + 3, 2, 5))
    # Seeded for reproducible demo figures; nothing secret is drawn from it.
    rnd = random.Random(RANDOM_SEED)  # nosec B311
    created_at = cal.stamp(kickoff - timedelta(days=14), 9)

    municipalities = {name: Municipality(name=name, cbs_code=code) for name, code in MUNICIPALITIES}
    organisations = {
        name: Organisation(
            name=name,
            kind=kind,
            municipality=municipalities[place] if place else None,
            sector=SECTORS.get(name),
        )
        for name, kind, place in ORGANISATIONS
    }
    programme = Programme(
        name=PROGRAMME_NAME, aim=PROGRAMME_AIM, start_date=kickoff, end_date=cal.end
    )
    session.add_all([*municipalities.values(), *organisations.values(), programme])

    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for role, name, email, password in STAFF_USERS:
        users[role] = _user(session, logins, role, name, email, password, created_at)

    subprojects: dict[str, Subproject] = {}
    leads: dict[str, User] = {}
    for spec in SUBPROJECTS:
        subproject = Subproject(
            programme=programme,
            municipality=municipalities[spec.municipality],
            code=spec.code,
            name=spec.name,
            aim=spec.aim,
        )
        subprojects[spec.code] = subproject
        for org_name, role in (*spec.organisations, *SHARED_ORGANISATIONS):
            session.add(
                SubprojectOrganisation(
                    subproject=subproject, organisation=organisations[org_name], role=role
                )
            )
        lead = _user(
            session,
            logins,
            "lead",
            f"Deelprojectleider {spec.municipality}",
            LEAD_EMAIL.format(slug=spec.slug),
            LEAD_PASSWORD.format(slug=spec.slug),
            created_at,
        )
        subproject.leads.append(lead)
        leads[spec.code] = lead
    session.add_all(subprojects.values())
    session.flush()
    _register(session, organisations, users["manager"], cal)

    decisions = _meetings(session, programme, subprojects, cal, quarters)
    created: dict[str, Indicator] = {}
    for spec in SUBPROJECTS:
        subproject, lead = subprojects[spec.code], leads[spec.code]
        actions = [
            Action(
                subproject=subproject,
                title=a.title,
                description=a.description,
                owner=organisations[a.owner],
                decision=decisions[a.decision] if a.decision else None,
                start_date=cal.on(a.start),
                due_date=cal.on(a.due),
                state=a.state,
                progress=a.progress,
            )
            for a in spec.actions
        ]
        session.add_all(actions)
        for m in spec.milestones:
            _milestone(session, cal, subproject, actions, lead, m)
        for i in spec.indicators:
            created[i.name] = _indicator(
                session, cal, quarters, rnd, programme, subproject, lead, i
            )
        for quarter, update in zip(quarters[-2:], spec.updates, strict=True):
            session.add(
                QuarterlyUpdate(
                    subproject=subproject,
                    quarter=str(quarter),
                    rag=update.rag,
                    achieved=update.achieved,
                    next_steps=update.next_steps,
                    risks=update.risks,
                    decisions_requested=update.decisions_requested,
                    updated_by=lead,
                    updated_at=cal.stamp(quarter.end + timedelta(days=9), 16),
                )
            )
    for i in PROGRAMME_INDICATORS:
        _indicator(session, cal, quarters, rnd, programme, None, users["manager"], i)
    session.add(_rolled_up(programme, [created[name] for name in PROGRAMME_ROLLUP[5]], cal))
    session.flush()
    seed_events(session, programme, subprojects, organisations, quarters, today, users["manager"])
    return logins


def _register(
    session: Session, organisations: dict[str, Organisation], manager: User, cal: _Calendar
) -> None:
    """The stakeholder register beyond the subprojects' links: circle members and contacts."""
    for circle, members in CIRCLE_MEMBERS.items():
        session.add_all(
            CircleMembership(circle=organisations[circle], member=organisations[name])
            for name in members
        )
    for organisation, name, function, email, phone, purpose, months in CONTACTS:
        confirmed = cal.stamp(cal.today - timedelta(days=months * 30 + 3), 10)
        session.add(
            Contact(
                organisation=organisations[organisation],
                name=name,
                function=function,
                email=email,
                phone=phone,
                purpose=purpose,
                recorded_by=manager,
                recorded_at=confirmed,
                confirmed_at=confirmed,
            )
        )


def _rolled_up(programme: Programme, sources: list[Indicator], cal: _Calendar) -> Indicator:
    """The programme indicator computed from ``sources``: its baseline and target are theirs
    added up, so its progress is the subprojects' together."""
    name, unit, definition, aggregation, rollup, _names = PROGRAMME_ROLLUP
    return Indicator(
        programme_id=programme.id,
        name=name,
        unit=unit,
        definition=definition,
        source="Berekend uit de indicatoren van de deelprojecten",
        direction="up",
        baseline_value=sum(i.baseline_value for i in sources),
        baseline_date=min(i.baseline_date for i in sources),
        target_value=sum(i.target_value for i in sources),
        target_date=max(i.target_date for i in sources),
        frequency="quarterly",
        rollup=rollup,
        aggregation=aggregation,
        sources=sources,
    )


def _user(
    session: Session,
    logins: list[DemoLogin],
    role: str,
    name: str,
    email: str,
    password: str,
    created_at: datetime,
) -> User:
    user = User(email=email, name=name, role=role, created_at=created_at)
    user.set_password(password)
    session.add(user)
    logins.append(DemoLogin(role, name, email, password))
    return user


def _meetings(
    session: Session,
    programme: Programme,
    subprojects: dict[str, Subproject],
    cal: _Calendar,
    quarters: list[Quarter],
) -> dict[str, Decision]:
    """The start meeting, the meeting that adopted the plan, and the one that discussed the
    report of the quarter before last. Returns the decisions by ``"<meeting>.<number>"``."""
    held_on = (
        cal.kickoff,
        cal.on("K+3/12"),
        quarters[-2].end + timedelta(days=25),
    )
    decisions: dict[str, Decision] = {}
    for m, ((title, notes, texts), day) in enumerate(zip(MEETINGS, held_on, strict=True), 1):
        meeting = Meeting(programme_id=programme.id, held_on=day, title=title, notes=notes)
        session.add(meeting)
        for n, (text, code) in enumerate(texts, 1):
            decision = Decision(meeting=meeting, number=n, text=text)
            if code:
                decision.subproject_links.append(
                    DecisionSubproject(subproject_id=subprojects[code].id)
                )
            session.add(decision)
            decisions[f"{m}.{n}"] = decision
    return decisions


def _milestone(
    session: Session,
    cal: _Calendar,
    subproject: Subproject,
    actions: list[Action],
    lead: User,
    spec: _Milestone,
) -> None:
    baseline = cal.on(spec.baseline)
    milestone = Milestone(
        subproject=subproject,
        action=actions[spec.action] if spec.action is not None else None,
        title=spec.title,
        description=spec.description,
        baseline_date=baseline,
        planned_date=cal.on(spec.moves[-1].to) if spec.moves else baseline,
        forecast_date=cal.optional(spec.forecast),
        achieved_on=cal.optional(spec.achieved),
        at_risk=spec.at_risk,
        evidence=spec.evidence,
    )
    session.add(milestone)
    from_date = baseline
    for move in spec.moves:
        to_date = cal.on(move.to)
        session.add(
            MilestoneDateChange(
                milestone=milestone,
                from_date=from_date,
                to_date=to_date,
                reason=move.reason,
                changed_by=lead,
                changed_at=cal.stamp(cal.on(move.changed), 11),
            )
        )
        from_date = to_date


def _indicator(
    session: Session,
    cal: _Calendar,
    quarters: list[Quarter],
    rnd: random.Random,
    programme: Programme,
    subproject: Subproject | None,
    entered_by: User,
    spec: _Indicator,
) -> Indicator:
    indicator = Indicator(
        programme_id=programme.id,
        subproject=subproject,
        name=spec.name,
        unit=spec.unit,
        definition=spec.definition,
        source=spec.source,
        direction=spec.direction,
        baseline_value=spec.baseline,
        baseline_date=cal.on(spec.baseline_date),
        target_value=spec.target,
        target_date=cal.on(spec.target_date),
        frequency=spec.frequency,
        publication_month=spec.publication_month,
        rollup=spec.rollup,
    )
    session.add(indicator)
    facts = IndicatorFacts(
        direction=spec.direction,
        baseline_value=spec.baseline,
        baseline_date=indicator.baseline_date,
        target_value=spec.target,
        target_date=indicator.target_date,
        rollup=spec.rollup,
    )
    values = _trajectory(spec, facts, quarters, rnd)
    entered = list(zip(quarters, values, strict=True))[: len(quarters) - spec.unentered]
    for position, (quarter, value) in enumerate(entered):
        session.add(
            Measurement(
                indicator=indicator,
                period=str(quarter),
                value=value,
                note=spec.note if position == len(entered) - 1 else "",
                source=spec.source,
                entered_by=entered_by,
                entered_at=cal.stamp(quarter.end + timedelta(days=6 + position % 3 * 4), 10),
            )
        )
    return indicator
