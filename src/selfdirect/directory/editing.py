"""Council staff keep the directory (issue 14): adding and changing a service in full, and
the taxonomy's terms. One transaction each, audited with what was there before and after;
a refusal names the field and changes nothing. Services are never deleted once anything
may rest on them: they are marked as not taking people, or closed (docs/directory.md,
"Staff keep the directory")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.directory import geo
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
    ServiceReview,
    Taxonomy,
    TaxonomyTerm,
)
from selfdirect.directory.selectors import DAYS
from selfdirect.directory.services import CQC_ID_FORMAT, NOTHING_CHANGED, DirectoryRefused
from selfdirect.planning.models import PlanLine
from selfdirect.providers.models import Provider

NAME_NEEDED = "Enter the name of the service"
DESCRIPTION_NEEDED = "Say what the service does"
ORGANISATION_NEEDED = "Choose the organisation that runs the service"
STATUS_UNKNOWN = "Choose whether the service is taking people"
TERM_UNKNOWN = "Choose needs and outcomes from the list"
POSTCODE_NEEDED = "Enter the postcode of the place the service is given from"
POSTCODE_FORMAT = "Enter a real postcode, like DM1 2AB"
POSTCODE_NOT_LOADED = (
    "We do not know where {postcode} is: load the council’s postcode directory "
    "(manage.py load_postcodes) or check the postcode"
)
RATING_UNKNOWN = "Choose a rating from the list"
COST_UNIT_NEEDED = "Cost {n}: say what the price is for, like ‘per hour’"
COST_AMOUNT_NEEDED = "Cost {n}: enter the price, or 0 if it is free"
HOURS_BOTH = "{day}: enter both the opening and the closing time, or neither"
HOURS_SAME = "{day}: the closing time must be different from the opening time"
PHONE_FORMAT = "Enter a telephone number, like 01632 960123"
WEBSITE_FORMAT = "Enter the website address, like https://example.org"
EMAIL_FORMAT = "Enter the {what} email address, like name@example.org"
SERVICE_IN_USE = (
    "This service cannot be removed: {reason}. Mark it as closed or not taking people instead"
)
TERM_NAME_NEEDED = "Enter the name of the term"
TERM_NAME_TAKEN = "There is already a term called {name}"
TERM_IN_USE = "This term cannot be removed: {count} service{s} use{verb} it. Rename it instead"
TERM_HAS_CHILDREN = "This term cannot be removed: other terms are under it"
TAXONOMY_UNKNOWN = "Choose a list of terms"


@dataclass
class CostSlot:
    option: str = ""
    amount_pence: int | None = None
    unit: str = ""


@dataclass
class ServiceDraft:
    """Everything the staff form says about a service. ``hours`` maps a day code ("MO")
    to (opens, closes); ``cost_slots`` keeps its order (slot numbers name the errors)."""

    name: str = ""
    description: str = ""
    organization_id: int | None = None
    status: str = Service.Status.ACTIVE
    url: str = ""
    email: str = ""
    term_ids: list[str] = field(default_factory=list)
    location_name: str = ""
    address_1: str = ""
    city: str = ""
    postal_code: str = ""
    accessibility: str = ""
    cqc_location_id: str = ""
    cqc_rating: str = ""
    areas: list[str] = field(default_factory=list)
    cost_slots: list[CostSlot] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    hours: dict[str, tuple[dt.time | None, dt.time | None]] = field(default_factory=dict)
    contact_name: str = ""
    contact_email: str = ""
    phone: str = ""


def main_location(service: Service) -> Location | None:
    """The location the staff form edits: the first by name (others stay as they are)."""
    sal = (
        ServiceAtLocation.objects.filter(service=service)
        .select_related("location")
        .order_by("location__name", "pk")
        .first()
    )
    return sal.location if sal else None


def _main_contact(service: Service) -> Contact | None:
    return service.contacts.order_by("name", "pk").first()


def hours_of(service: Service) -> dict[str, tuple[dt.time | None, dt.time | None]]:
    """Day -> (opens, closes) from the service's weekly schedules (the first for a day)."""
    hours: dict[str, tuple[dt.time | None, dt.time | None]] = {}
    for s in service.schedules.filter(freq="WEEKLY").order_by("opens_at", "pk"):
        for day in s.byday.split(","):
            day = day.strip()
            if day in DAYS and day not in hours:
                hours[day] = (s.opens_at, s.closes_at)
    return hours


def draft_of(service: Service) -> ServiceDraft:
    """The draft the staff form starts from for ``service``."""
    location = main_location(service)
    contact = _main_contact(service)
    phone = contact.phones.order_by("pk").first() if contact else None
    return ServiceDraft(
        name=service.name,
        description=service.description,
        organization_id=service.organization_id,
        status=service.status,
        url=service.url,
        email=service.email,
        term_ids=sorted(str(t.pk) for t in service.terms.all()),
        location_name=location.name if location else "",
        address_1=location.address_1 if location else "",
        city=location.city if location else "",
        postal_code=location.postal_code if location else "",
        accessibility=location.accessibility if location else "",
        cqc_location_id=location.cqc_location_id if location else "",
        cqc_rating=location.cqc_rating if location else "",
        areas=[a.name for a in service.areas.order_by("name", "pk")],
        cost_slots=[
            CostSlot(c.option, c.amount_pence, c.amount_description)
            for c in service.cost_options.order_by("amount_pence", "pk")
        ],
        languages=[x.name for x in service.languages.order_by("name", "pk")],
        hours=hours_of(service),
        contact_name=contact.name if contact else "",
        contact_email=contact.email if contact else "",
        phone=phone.number if phone else "",
    )


def _time(t: dt.time | None) -> str:
    return t.strftime("%H:%M") if t else ""


def snapshot(service: Service) -> dict[str, Any]:
    """What the audit keeps of a service, before and after a change: plain values only."""
    d = draft_of(service)
    return {
        "name": d.name,
        "description": d.description,
        "organisation": service.organization.name,
        "status": d.status,
        "url": d.url,
        "email": d.email,
        "terms": sorted(t.name for t in service.terms.all()),
        "location": [d.location_name, d.address_1, d.city, d.postal_code, d.accessibility],
        "registration": [d.cqc_location_id, d.cqc_rating],
        "areas": d.areas,
        "costs": [[c.option, c.amount_pence, c.unit] for c in d.cost_slots],
        "languages": d.languages,
        "opening_times": {
            DAYS[day]: f"{_time(o)}-{_time(c)}" for day, (o, c) in sorted(d.hours.items())
        },
        "contact": [d.contact_name, d.contact_email, d.phone],
    }


def _checked(draft: ServiceDraft) -> tuple[Provider, list[TaxonomyTerm], str, Postcode]:
    """The draft's rules, in the order of the form: the first broken one is refused."""
    if not draft.name.strip():
        raise DirectoryRefused(NAME_NEEDED, "name")
    if not draft.description.strip():
        raise DirectoryRefused(DESCRIPTION_NEEDED, "description")
    provider = None
    if draft.organization_id is not None:
        provider = Provider.objects.filter(pk=draft.organization_id).first()
    if provider is None:
        raise DirectoryRefused(ORGANISATION_NEEDED, "organization")
    if draft.status not in Service.Status.values:
        raise DirectoryRefused(STATUS_UNKNOWN, "status")
    terms = list(TaxonomyTerm.objects.filter(pk__in=draft.term_ids))
    if len(terms) != len(set(draft.term_ids)):
        raise DirectoryRefused(TERM_UNKNOWN, "terms")
    if not draft.postal_code.strip():
        raise DirectoryRefused(POSTCODE_NEEDED, "postal_code")
    key = geo.postcode_key(draft.postal_code)
    if key is None:
        raise DirectoryRefused(POSTCODE_FORMAT, "postal_code")
    centroid = Postcode.objects.filter(postcode=key).first()
    if centroid is None:
        message = POSTCODE_NOT_LOADED.format(postcode=geo.postcode_display(key))
        raise DirectoryRefused(message, "postal_code")
    cqc = draft.cqc_location_id.strip()
    if cqc and not re.fullmatch(r"1-\d{6,12}", cqc):
        raise DirectoryRefused(CQC_ID_FORMAT, "cqc_location_id")
    if draft.cqc_rating and draft.cqc_rating not in Location.Rating.values:
        raise DirectoryRefused(RATING_UNKNOWN, "cqc_rating")
    for n, slot in enumerate(draft.cost_slots, start=1):
        if slot.amount_pence is not None and not slot.unit.strip():
            raise DirectoryRefused(COST_UNIT_NEEDED.format(n=n), f"cost_{n}_unit")
        if slot.amount_pence is None and (slot.unit.strip() or slot.option.strip()):
            raise DirectoryRefused(COST_AMOUNT_NEEDED.format(n=n), f"cost_{n}_amount")
    for day, (opens, closes) in draft.hours.items():
        if (opens is None) != (closes is None):
            raise DirectoryRefused(HOURS_BOTH.format(day=DAYS[day]), f"closes_{day}")
        if opens is not None and opens == closes:
            raise DirectoryRefused(HOURS_SAME.format(day=DAYS[day]), f"closes_{day}")
    if draft.phone.strip() and not re.fullmatch(r"\+?[0-9 ()-]{6,20}", draft.phone.strip()):
        raise DirectoryRefused(PHONE_FORMAT, "phone")
    return provider, terms, geo.postcode_display(key), centroid


def _write(service: Service, draft: ServiceDraft, postcode: str, centroid: Postcode) -> None:
    location = main_location(service)
    if location is None:
        location = Location()
    location.name = draft.location_name.strip()
    location.address_1 = draft.address_1.strip()
    location.city = draft.city.strip()
    moved = geo.postcode_key(location.postal_code or "") != centroid.postcode
    location.postal_code = postcode
    location.accessibility = draft.accessibility.strip()
    if moved or location.latitude is None or location.longitude is None:
        # The postcode's centroid; a place's own exact position (from an import) is kept
        # while its postcode stays the same.
        location.latitude, location.longitude = centroid.latitude, centroid.longitude
    location.cqc_location_id = draft.cqc_location_id.strip()
    location.cqc_rating = draft.cqc_rating
    location.save()
    ServiceAtLocation.objects.get_or_create(service=service, location=location)
    # Areas and languages keep their rows (and what else ORUK says of them) by name.
    wanted_areas = [a.strip() for a in draft.areas if a.strip()]
    service.areas.exclude(name__in=wanted_areas).delete()
    held = set(service.areas.values_list("name", flat=True))
    ServiceArea.objects.bulk_create(
        [ServiceArea(service=service, name=a) for a in dict.fromkeys(wanted_areas) if a not in held]
    )
    wanted_languages = [x.strip() for x in draft.languages if x.strip()]
    service.languages.exclude(name__in=wanted_languages).delete()
    held = set(service.languages.values_list("name", flat=True))
    Language.objects.bulk_create(
        [
            Language(service=service, name=x)
            for x in dict.fromkeys(wanted_languages)
            if x not in held
        ]
    )
    service.cost_options.all().delete()
    CostOption.objects.bulk_create(
        [
            CostOption(
                service=service,
                option=s.option.strip(),
                amount_pence=s.amount_pence,
                amount_description=s.unit.strip(),
            )
            for s in draft.cost_slots
            if s.amount_pence is not None
        ]
    )
    # Opening times: one weekly schedule for each set of hours, on the days that share it.
    service.schedules.all().delete()
    grouped: dict[tuple[dt.time, dt.time], list[str]] = {}
    for day in DAYS:
        opens, closes = draft.hours.get(day, (None, None))
        if opens is not None and closes is not None:
            grouped.setdefault((opens, closes), []).append(day)
    Schedule.objects.bulk_create(
        [
            Schedule(service=service, freq="WEEKLY", byday=",".join(days), opens_at=o, closes_at=c)
            for (o, c), days in grouped.items()
        ]
    )
    contact = _main_contact(service)
    has_contact = draft.contact_name.strip() or draft.contact_email.strip() or draft.phone.strip()
    if contact is None and has_contact:
        contact = Contact(service=service)
    if contact is not None:
        contact.name = draft.contact_name.strip()
        contact.email = draft.contact_email.strip()
        contact.save()
        phone = contact.phones.order_by("pk").first()
        if draft.phone.strip():
            phone = phone or Phone(contact=contact)
            phone.number = draft.phone.strip()
            phone.save()
        elif phone is not None:
            phone.delete()


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        k: {"before": before.get(k), "after": v} for k, v in after.items() if before.get(k) != v
    }


def service_create(*, actor: User, draft: ServiceDraft) -> Service:
    """Staff add a service to the directory."""
    provider, terms, postcode, centroid = _checked(draft)
    with transaction.atomic():
        service = Service.objects.create(
            organization=provider,
            name=draft.name.strip(),
            description=draft.description.strip(),
            status=draft.status,
            url=draft.url.strip(),
            email=draft.email.strip(),
            last_modified=timezone.now(),
        )
        service.terms.set(terms)
        _write(service, draft, postcode, centroid)
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="service",
            object_id=str(service.pk),
            summary=f"Directory: {service.name} added by the council",
            changes=_changes({}, snapshot(service)),
        )
    return service


def service_update(*, actor: User, service: Service, draft: ServiceDraft) -> Service:
    """Staff change a service in full; the audit keeps each changed part before and after.
    Marking it as not taking people or closed is a change of ``status``."""
    provider, terms, postcode, centroid = _checked(draft)
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        before = snapshot(service)
        service.organization = provider
        service.name = draft.name.strip()
        service.description = draft.description.strip()
        service.status = draft.status
        service.url = draft.url.strip()
        service.email = draft.email.strip()
        service.save()
        service.terms.set(terms)
        _write(service, draft, postcode, centroid)
        changes = _changes(before, snapshot(service))
        if not changes:
            raise DirectoryRefused(NOTHING_CHANGED)
        Service.objects.filter(pk=service.pk).update(last_modified=timezone.now())
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="service",
            object_id=str(service.pk),
            summary=f"Directory: {service.name} changed by the council",
            changes=changes,
        )
    return service


def service_in_use(service: Service) -> str:
    """Why a service may not be removed ("" when nothing rests on it): a plan line names
    its organisation (it may have been chosen from the directory), people reviewed it, or
    its provider proposed changes to it."""
    if PlanLine.objects.filter(provider_id=service.organization_id).exists():
        return "a support plan line uses its organisation"
    if ServiceReview.objects.filter(service=service).exists():
        return "people have reviewed it"
    if ListingChange.objects.filter(service=service).exists():
        return "its provider has changed its listing"
    return ""


def service_remove(*, actor: User, service: Service) -> None:
    """Remove a service added by mistake; refused when anything rests on it."""
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        reason = service_in_use(service)
        if reason:
            raise DirectoryRefused(SERVICE_IN_USE.format(reason=reason))
        before = snapshot(service)
        locations = [sal.location_id for sal in service.at_locations.all()]
        service_id, name = str(service.pk), service.name
        service.delete()
        Location.objects.filter(pk__in=locations, services_at__isnull=True).delete()
        event_record(
            actor=actor,
            action=Action.DELETE,
            object_type="service",
            object_id=service_id,
            summary=f"Directory: {name} removed by the council",
            changes=_changes(before, {k: None for k in before}),
        )


# Taxonomy terms: the needs and outcomes services are found by.


def _term_checked(name: str, taxonomy_id: str | None, term_id: Any = None) -> Taxonomy | None:
    if not name.strip():
        raise DirectoryRefused(TERM_NAME_NEEDED, "name")
    clash = TaxonomyTerm.objects.filter(name__iexact=name.strip())
    if term_id is not None:
        clash = clash.exclude(pk=term_id)
    if clash.exists():
        raise DirectoryRefused(TERM_NAME_TAKEN.format(name=name.strip()), "name")
    if not taxonomy_id:
        return None
    taxonomy = Taxonomy.objects.filter(pk=taxonomy_id).first()
    if taxonomy is None:
        raise DirectoryRefused(TAXONOMY_UNKNOWN, "taxonomy")
    return taxonomy


TERM_FIELDS = ("name", "description", "synonyms", "code")


def term_add(
    *,
    actor: User,
    name: str,
    taxonomy_id: str | None,
    description: str = "",
    synonyms: str = "",
    code: str = "",
) -> TaxonomyTerm:
    taxonomy = _term_checked(name, taxonomy_id)
    with transaction.atomic():
        term = TaxonomyTerm.objects.create(
            taxonomy=taxonomy,
            name=name.strip(),
            description=description.strip(),
            synonyms=synonyms.strip(),
            code=code.strip(),
        )
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="taxonomyterm",
            object_id=str(term.pk),
            summary=f"Directory: term {term.name} added",
            changes={f: {"before": None, "after": getattr(term, f)} for f in TERM_FIELDS},
        )
    return term


def term_update(
    *, actor: User, term: TaxonomyTerm, name: str, description: str, synonyms: str, code: str
) -> TaxonomyTerm:
    """Rename a term (or change its words): services keep it; the audit keeps the old name."""
    _term_checked(name, None, term_id=term.pk)
    after = {
        "name": name.strip(),
        "description": description.strip(),
        "synonyms": synonyms.strip(),
        "code": code.strip(),
    }
    changes = {
        f: {"before": getattr(term, f), "after": v}
        for f, v in after.items()
        if getattr(term, f) != v
    }
    if not changes:
        raise DirectoryRefused(NOTHING_CHANGED)
    with transaction.atomic():
        for f, v in after.items():
            setattr(term, f, v)
        term.save(update_fields=list(after))
        Service.objects.filter(terms=term).update(last_modified=timezone.now())
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="taxonomyterm",
            object_id=str(term.pk),
            summary=f"Directory: term {changes.get('name', {}).get('before', term.name)} changed",
            changes=changes,
        )
    return term


def term_remove(*, actor: User, term: TaxonomyTerm) -> None:
    """Remove a term no service uses (a used one is refused: rename it instead)."""
    with transaction.atomic():
        term = TaxonomyTerm.objects.select_for_update().get(pk=term.pk)
        used = term.services.count()
        if used:
            raise DirectoryRefused(
                TERM_IN_USE.format(
                    count=used, s="" if used == 1 else "s", verb="s" if used == 1 else ""
                )
            )
        if term.children.exists():
            raise DirectoryRefused(TERM_HAS_CHILDREN)
        term_id, before = str(term.pk), {f: getattr(term, f) for f in TERM_FIELDS}
        term.delete()
        event_record(
            actor=actor,
            action=Action.DELETE,
            object_type="taxonomyterm",
            object_id=term_id,
            summary=f"Directory: term {before['name']} removed",
            changes={f: {"before": v, "after": None} for f, v in before.items()},
        )
