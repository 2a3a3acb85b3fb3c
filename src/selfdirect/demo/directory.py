"""The demo council's directory (docs/demo-data.md, "The directory"): a needs taxonomy with
plain-English synonyms, made-up centroids for every made-up postcode the demo uses
(SD1 to SD9), and a few hundred services of the demo providers and of community
organisations across the area; one change by the demo provider waits for the council.
Deterministic from the seed; written in bulk (well under a second)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from selfdirect.directory.models import (
    Contact,
    CostOption,
    Language,
    ListingChange,
    Location,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from selfdirect.providers.models import Provider

POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the demo people's (demo.generator)
DISTRICTS = 9  # SD1 .. SD9
# Made-up centroids: the districts on a 3 x 3 grid about 6 km apart, in open sea west of
# any real place, so no one mistakes a demo distance for a real one.
ORIGIN = (Decimal("52.000000"), Decimal("-6.000000"))
DISTRICT_STEP = (Decimal("0.054"), Decimal("0.088"))  # about 6 km each way
SERVICES = 300

# (term, description, synonyms, ESD-like code, service name patterns, price range in pence
# per hour or session, None: free)
NEEDS: list[tuple[str, str, str, str, list[str], tuple[int, int] | None]] = [
    (
        "Personal care",
        "Help with washing, dressing, getting up and going to bed",
        "help getting up, getting up, getting dressed, washing, bathing, going to bed, toilet",
        "personal-care",
        ["{area} Home Care", "{org} Morning Calls", "{area} Care at Home"],
        (2000, 2800),
    ),
    (
        "Getting out and about",
        "Going out, shopping, clubs, seeing friends",
        "going out, getting out, out and about, shopping, seeing friends, social, lonely",
        "community-access",
        ["{area} Befriending", "{org} Out and About", "{area} Social Club"],
        (1200, 2200),
    ),
    (
        "Meals and food",
        "Meals at home or with others, help with cooking",
        "meals, food, cooking, lunch club, eating",
        "meals",
        ["{area} Lunch Club", "{org} Meals at Home"],
        (400, 900),
    ),
    (
        "Help around the home",
        "Cleaning, laundry, small jobs",
        "housework, cleaning, laundry, ironing, gardening, jobs around the house",
        "domestic",
        ["{org} Home Help", "{area} Handy Help"],
        (1500, 2200),
    ),
    (
        "Day services",
        "Day centres and activities in the daytime",
        "day centre, day service, activities, daytime",
        "day-services",
        ["{area} Day Centre", "{org} Day Opportunities"],
        (3500, 6500),
    ),
    (
        "Short breaks",
        "A break for you and the people who care for you",
        "short break, respite, a break, carer break, holiday",
        "short-breaks",
        ["{area} Short Breaks", "{org} Sitting Service"],
        (2000, 3200),
    ),
    (
        "Personal assistants",
        "Finding and employing a personal assistant",
        "personal assistant, pa, employ someone, my own carer",
        "personal-assistants",
        ["{area} PA Finder", "{org} Personal Assistants"],
        None,
    ),
    (
        "Support planning and brokerage",
        "Help to plan and arrange your support",
        "support planning, brokerage, plan my support, arrange support",
        "brokerage",
        ["{area} Support Planning", "{org} Brokerage"],
        (2500, 4000),
    ),
    (
        "Payroll and managed accounts",
        "Paying personal assistants and managing the money",
        "payroll, managed account, pay my pa, manage my money, wages",
        "payroll",
        ["{org} Payroll Service", "{area} Managed Accounts"],
        (1000, 2000),
    ),
    (
        "Memory and dementia",
        "Support for people living with dementia and their carers",
        "dementia, memory, forgetful, alzheimer's",
        "dementia",
        ["{area} Memory Cafe", "{org} Dementia Support"],
        None,
    ),
    (
        "Work, learning and volunteering",
        "Finding work, courses and volunteering",
        "work, job, learning, course, college, volunteering",
        "employment",
        ["{org} Pathways to Work", "{area} Learning Hub"],
        None,
    ),
    (
        "Getting around",
        "Transport and travel training",
        "transport, travel, bus, lift, getting around, driving",
        "transport",
        ["{area} Community Transport", "{org} Travel Buddies"],
        (300, 1200),
    ),
]
LANGUAGES = [
    ("Polish", "pl"),
    ("Urdu", "ur"),
    ("Punjabi", "pa"),
    ("Welsh", "cy"),
    ("British Sign Language", "bfi"),
    ("Romanian", "ro"),
]
COMMUNITY = [
    "Community Trust",
    "Neighbours Network",
    "Carers Centre",
    "User-Led Forum",
    "Age Well",
    "Independent Living Centre",
]
DAY_SETS = ["MO,TU,WE,TH,FR", "MO,TU,WE,TH,FR,SA,SU", "TU,TH", "MO,WE,FR", "SA,SU", "WE"]
RATINGS = ["Good", "Good", "Good", "Outstanding", "Requires improvement", ""]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def district_centre(district: int) -> tuple[Decimal, Decimal]:
    row, col = divmod(district - 1, 3)
    return (
        ORIGIN[0] + DISTRICT_STEP[0] * row,
        ORIGIN[1] + DISTRICT_STEP[1] * col,
    )


def demo_postcodes() -> list[Postcode]:
    """Every demo postcode (SD1 1AA-style, the letters the demo people's use), each a few
    hundred metres from its district's centre, the same every time."""
    rows = []
    letters = POSTCODE_LETTERS
    for district in range(1, DISTRICTS + 1):
        lat0, lon0 = district_centre(district)
        for sector, a, b in itertools.product(range(1, 10), letters, letters):
            i, j = letters.index(a), letters.index(b)
            lat = (
                lat0 + Decimal(sector - 5) * Decimal("0.004") + Decimal(i - 10) * Decimal("0.0002")
            )
            lon = lon0 + Decimal(j - 10) * Decimal("0.0006")
            rows.append(
                Postcode(postcode=f"SD{district}{sector}{a}{b}", latitude=lat, longitude=lon)
            )
    return rows


def demo_directory_build(
    *, seed: int, providers: list[Provider], areas: list[str], provider_user: User | None
) -> dict[str, int]:
    rng = random.Random(seed + 14)
    now = timezone.now()
    for provider in providers:  # their ORUK ids from the seed too
        provider.oruk_id = _uuid(rng)
    Provider.objects.bulk_update(providers, ["oruk_id"])
    profile = getattr(provider_user, "profile", None)
    own_provider = next(
        (p for p in providers if profile is not None and p.pk == profile.provider_id),
        providers[0],
    )
    Postcode.objects.bulk_create(demo_postcodes(), batch_size=5000)
    taxonomy = Taxonomy.objects.create(
        id=_uuid(rng),
        name="Selfdirect needs",
        description="What people ask for help with",
        version="1",
    )
    terms = TaxonomyTerm.objects.bulk_create(
        [
            TaxonomyTerm(
                id=_uuid(rng),
                taxonomy=taxonomy,
                name=name,
                description=description,
                synonyms=synonyms,
                code=code,
            )
            for name, description, synonyms, code, _names, _price in NEEDS
        ]
    )
    community = Provider.objects.bulk_create(
        [
            Provider(
                oruk_id=_uuid(rng),
                name=f"{areas[i % len(areas)]} {kind}",
                description=f"A local charity: {kind.lower()} for people in {areas[i % len(areas)]}.",
                email=f"hello@community{i + 1}.example",
            )
            for i, kind in enumerate(COMMUNITY)
        ]
    )
    organisations = [*providers, *community]
    services, locations, links, area_rows, costs, langs, schedules = [], [], [], [], [], [], []
    contacts, phones, term_links = [], [], []
    names_used: set[str] = set()
    through = Service.terms.through
    for n in range(SERVICES):
        # The demo provider (the first) has a handful of services; the rest are spread out.
        org = own_provider if n < 4 else organisations[rng.randrange(len(organisations))]
        need = rng.randrange(len(NEEDS))
        _term, _d, _s, _c, patterns, price = NEEDS[need]
        district = rng.randint(1, DISTRICTS)
        area = areas[(district - 1) % len(areas)]
        name = rng.choice(patterns).format(area=area, org=org.name.split()[0])
        if name in names_used:
            name = f"{name} ({org.name})"
        if name in names_used:
            name = f"{name} {n}"
        names_used.add(name)
        service = Service(
            id=_uuid(rng),
            organization=org,
            name=name,
            description=f"{NEEDS[need][1]}. For adults in {area} and nearby.",
            email=f"service{n + 1}@{org.email.split('@')[1] if org.email else 'example.org'}",
            status=Service.Status.ACTIVE if rng.random() > 0.05 else Service.Status.INACTIVE,
            minimum_age=18,
            assured_date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300)),
            last_modified=now,
        )
        services.append(service)
        sector, a, b = rng.randint(1, 9), rng.choice(POSTCODE_LETTERS), rng.choice(POSTCODE_LETTERS)
        lat0, lon0 = district_centre(district)
        i, j = POSTCODE_LETTERS.index(a), POSTCODE_LETTERS.index(b)
        registered = org in providers and need in (0, 4, 5)
        location = Location(
            id=_uuid(rng),
            address_id=_uuid(rng),
            name=f"{area} base",
            latitude=lat0
            + Decimal(sector - 5) * Decimal("0.004")
            + Decimal(i - 10) * Decimal("0.0002"),
            longitude=lon0 + Decimal(j - 10) * Decimal("0.0006"),
            address_1=f"{rng.randint(1, 120)} {rng.choice(['High Street', 'Station Road', 'Church Lane', 'Mill Road'])}",
            city=area,
            state_province="Demoshire",
            postal_code=f"SD{district} {sector}{a}{b}",
            accessibility=rng.choice(
                ["Step-free entrance", "Hearing loop", "Step-free, hearing loop", ""]
            ),
            cqc_location_id=f"1-{200000000 + n}" if registered else "",
            cqc_rating=rng.choice(RATINGS) if registered else "",
        )
        locations.append(location)
        links.append(ServiceAtLocation(id=_uuid(rng), service=service, location=location))
        area_rows.append(ServiceArea(id=_uuid(rng), service=service, name=f"{area} and nearby"))
        pence = 0 if price is None else rng.randrange(price[0], price[1] + 1, 10)
        costs.append(
            CostOption(
                id=_uuid(rng),
                service=service,
                amount_pence=pence,
                amount_description="" if pence == 0 else rng.choice(["per hour", "per session"]),
            )
        )
        if rng.random() < 0.3:
            lang_name, code = rng.choice(LANGUAGES)
            langs.append(Language(id=_uuid(rng), service=service, name=lang_name, code=code))
        days = rng.choice(DAY_SETS)
        opens = rng.choice([dt.time(7), dt.time(9), dt.time(10)])
        schedules.append(
            Schedule(
                id=_uuid(rng),
                service=service,
                byday=days,
                opens_at=opens,
                closes_at=dt.time(opens.hour + rng.choice([3, 6, 8])),
                description="Every day" if days.count(",") == 6 else "",
            )
        )
        contact = Contact(id=_uuid(rng), service=service, name="Enquiries")
        contacts.append(contact)
        phones.append(
            Phone(id=_uuid(rng), contact=contact, number=f"01632 96{rng.randrange(10000):04d}")
        )
        term_links.append(through(service_id=service.id, taxonomyterm_id=terms[need].id))
        if rng.random() < 0.25:  # some services help with two needs
            other = rng.randrange(len(NEEDS))
            if other != need:
                term_links.append(through(service_id=service.id, taxonomyterm_id=terms[other].id))
    Service.objects.bulk_create(services)
    Location.objects.bulk_create(locations)
    ServiceAtLocation.objects.bulk_create(links, batch_size=500)
    ServiceArea.objects.bulk_create(area_rows, batch_size=500)
    CostOption.objects.bulk_create(costs, batch_size=500)
    Language.objects.bulk_create(langs, batch_size=500)
    Schedule.objects.bulk_create(schedules, batch_size=500)
    Contact.objects.bulk_create(contacts, batch_size=500)
    Phone.objects.bulk_create(phones, batch_size=500)
    through.objects.bulk_create(term_links, batch_size=500)
    waiting = 0
    if provider_user is not None:
        own = services[0]
        ListingChange.objects.create(
            service=own,
            changes={"alert": ["", "We are taking new people in the mornings from next month"]},
            proposed_by=provider_user,
            proposed_at=now,
        )
        waiting = 1
    return {
        "directory services": len(services),
        "directory organisations": len(community),
        "postcodes": DISTRICTS * 9 * len(POSTCODE_LETTERS) ** 2,
        "listing changes waiting": waiting,
    }
