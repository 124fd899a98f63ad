"""A fictitious ministry to try civicpost with. Every name and handle here is made up."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from civicpost.people import services
from civicpost.people.models import Account, Organisation, Person, Unit

DEMO_PASSWORD = "civicpost-demo"
ORGANISATION_NAME = "Ministerie van Dijken en Duinen"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    unit: str
    role: str
    job_title: str
    dossiers: tuple[str, ...]
    language: str = "nl"
    spokesperson: bool = False
    staff: bool = False


PEOPLE = (
    DemoPerson(
        "minister",
        "Mr. Wilhelmina Zandvoort",
        "Bestuursstaf",
        Person.Role.MINISTER,
        "Minister van Dijken en Duinen",
        ("waterveiligheid", "kustbeleid"),
    ),
    DemoPerson(
        "dirk",
        "Dirk Dijkgraaf",
        "Bestuursstaf",
        Person.Role.DIRECTOR,
        "Directeur-generaal",
        ("organisatie", "bedrijfsvoering"),
        spokesperson=False,
    ),
    DemoPerson(
        "anna",
        "Anna de Vries",
        "Waterveiligheid",
        Person.Role.POLICY_OFFICER,
        "Beleidsmedewerker dijkversterking",
        ("dijkversterking", "waterveiligheid"),
    ),
    DemoPerson(
        "bram",
        "Bram Bakker",
        "Communicatie",
        Person.Role.SPOKESPERSON,
        "Woordvoerder",
        ("waterveiligheid", "kustbeleid"),
        spokesperson=True,
    ),
    DemoPerson(
        "carla",
        "Carla Claassen",
        "Communicatie",
        Person.Role.COMMUNICATION_ADVISER,
        "Communicatieadviseur online",
        ("online communicatie",),
    ),
    DemoPerson(
        "daan",
        "Daan Duinmeijer",
        "Waterveiligheid",
        Person.Role.MANAGER,
        "Afdelingshoofd Waterveiligheid",
        ("waterveiligheid", "rivierbeheer"),
    ),
    DemoPerson(
        "eva",
        "Eva Eilander",
        "Informatiebeheer",
        Person.Role.ARCHIVIST,
        "Archivaris",
        ("archivering", "Woo-verzoeken"),
        language="en",
    ),
    DemoPerson(
        "femke",
        "Femke Fonteijn",
        "Energie en Warmte",
        Person.Role.POLICY_OFFICER,
        "Senior beleidsmedewerker",
        ("warmtenetten", "energietransitie"),
    ),
    DemoPerson(
        "gijs",
        "Gijs Getijde",
        "Energie en Warmte",
        Person.Role.MANAGER,
        "Afdelingshoofd Energie en Warmte",
        ("energietransitie",),
    ),
    DemoPerson(
        "hanna",
        "Hanna Havenga",
        "Kustbeheer",
        Person.Role.POLICY_OFFICER,
        "Policy officer coastal management",
        ("zandsuppletie", "kustbeleid"),
        language="en",
    ),
    DemoPerson(
        "ivo",
        "Ivo IJsselstein",
        "Informatiebeheer",
        Person.Role.ADMINISTRATOR,
        "Functioneel beheerder",
        ("informatiebeheer",),
        staff=True,
    ),
)

UNITS = {
    "Bestuursstaf": None,
    "Communicatie": "Bestuursstaf",
    "Waterveiligheid": None,
    "Kustbeheer": "Waterveiligheid",
    "Energie en Warmte": None,
    "Informatiebeheer": "Bestuursstaf",
}

# (channel, handle, display name, unit running it, usernames who may post)
ORGANISATIONAL_ACCOUNTS = (
    (
        "mastodon",
        "@dijkenduinen@social.example",
        "Ministerie van Dijken en Duinen",
        "Communicatie",
        ("bram", "carla"),
    ),
    (
        "bluesky",
        "@dijkenduinen.bsky.example",
        "Dijken en Duinen",
        "Communicatie",
        ("bram", "carla"),
    ),
    (
        "linkedin",
        "ministerie-van-dijken-en-duinen-example",
        "Ministerie van Dijken en Duinen",
        "Communicatie",
        ("carla",),
    ),
    (
        "rss",
        "nieuws.dijkenduinen.example",
        "Nieuws van Dijken en Duinen",
        "Communicatie",
        ("bram", "carla"),
    ),
    (
        "website",
        "www.dijkenduinen.example",
        "dijkenduinen.example",
        "Communicatie",
        ("bram", "carla", "anna"),
    ),
    (
        "mastodon",
        "@waterveiligheid@social.example",
        "Waterveiligheid",
        "Waterveiligheid",
        ("anna", "daan", "carla"),
    ),
    ("press-release", "pers.dijkenduinen.example", "Persberichten", "Communicatie", ("bram",)),
)

# (channel, handle, owner username)
PERSONAL_ACCOUNTS = (
    ("mastodon", "@anna.devries@mastodon.example", "anna"),
    ("bluesky", "@anna-dijkwerk.bsky.example", "anna"),
    ("linkedin", "anna-de-vries-dijken-example", "anna"),
    ("mastodon", "@femke@warmte.example", "femke"),
    ("bluesky", "@hanna-kust.bsky.example", "hanna"),
    ("linkedin", "bram-bakker-woordvoerder-example", "bram"),
    ("mastodon", "@carla@social.example", "carla"),
)

# (who allows, whom; None = everyone)
CONSENTS = (("daan", "anna"), ("femke", None), ("bram", "carla"), ("gijs", "femke"))
CONSENT_REQUESTS = (("anna", "hanna"), ("carla", "daan"))


def is_loaded() -> bool:
    return Organisation.objects.filter(name=ORGANISATION_NAME).exists()


@transaction.atomic
def load_demo() -> bool:
    """Create the demo ministry unless the database already holds an organisation.

    Returns whether anything was created, so ``civicpost demo`` can be run again safely.
    """
    if Organisation.objects.exists():
        return False
    organisation = Organisation.objects.create(
        name=ORGANISATION_NAME, short_name="DenD", website="https://www.dijkenduinen.example"
    )
    units: dict[str, Unit] = {}
    for name, parent in UNITS.items():
        units[name] = Unit.objects.create(
            organisation=organisation, name=name, parent=units[parent] if parent else None
        )

    user_model = get_user_model()
    people: dict[str, Person] = {}
    for entry in PEOPLE:
        user = user_model.objects.create_user(
            username=entry.username,
            password=DEMO_PASSWORD,
            email=f"{entry.username}@dijkenduinen.example",
            is_staff=entry.staff,
            is_superuser=entry.staff,
        )
        people[entry.username] = Person.objects.create(
            user=user,
            organisation=organisation,
            unit=units[entry.unit],
            display_name=entry.name,
            role=entry.role,
            job_title=entry.job_title,
            dossiers=list(entry.dossiers),
            is_spokesperson=entry.spokesperson,
            preferred_language=entry.language,
        )

    managers = {
        "anna": "daan",
        "hanna": "daan",
        "femke": "gijs",
        "daan": "dirk",
        "gijs": "dirk",
        "bram": "dirk",
        "carla": "bram",
        "eva": "dirk",
        "ivo": "eva",
    }
    for username, manager in managers.items():
        people[username].manager = people[manager]
        people[username].save(update_fields=["manager"])

    organisation.decider = people["minister"]
    organisation.save(update_fields=["decider"])
    units["Energie en Warmte"].decider = people["dirk"]
    units["Energie en Warmte"].save(update_fields=["decider"])

    for channel, handle, display, unit, posters in ORGANISATIONAL_ACCOUNTS:
        account = Account.objects.create(
            organisation=organisation,
            channel=channel,
            handle=handle,
            display_name=display,
            kind=Account.Kind.ORGANISATIONAL,
            unit=units[unit],
        )
        account.posters.set([people[name] for name in posters])
    for channel, handle, owner in PERSONAL_ACCOUNTS:
        Account.objects.create(
            organisation=organisation,
            channel=channel,
            handle=handle,
            display_name=people[owner].display_name,
            kind=Account.Kind.PERSONAL,
            owner=people[owner],
        )

    for subject, grantee in CONSENTS:
        services.grant_consent(people[subject], people[grantee] if grantee else None)
    for requester, subject in CONSENT_REQUESTS:
        services.ask_consent(people[requester], people[subject])
    return True
