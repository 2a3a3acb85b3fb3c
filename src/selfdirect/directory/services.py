"""Changing the directory: importing Open Referral UK files, loading postcode centroids,
noting searches that found little, and providers' changes to their own listings (applied
at once, or waiting for the council under SELFDIRECT_DIRECTORY_APPROVE_CHANGES). One
transaction each, audited."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.urls import reverse
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
    NeedSearch,
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
from selfdirect.directory.oruk import Parsed, services_parse
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.people.models import Person
from selfdirect.providers.models import Provider, ProviderClient
from selfdirect.refusals import Refused

FEW_RESULTS = 3  # a search finding this many services or fewer is noted for the gaps
POSTCODE_COLUMNS = ("pcds", "lat", "long")
POSTCODE_FILE_COLUMNS = "The file needs the columns pcds, lat and long (ONS postcode directory)"
POSTCODE_ROW = "Row {row}, column {column}: {message}"
NOT_YOUR_LISTING = "You can only change your own organisation's services"
NOTHING_CHANGED = "Change at least one thing before saving"
NOT_WAITING = "This change is not waiting for a decision"
OWN_CHANGE = "Someone else at the council must decide on a change you proposed"

Actor = User | AnonymousUser | None


class DirectoryRefused(Refused):
    """A directory change refused by a rule; nothing was written."""


# Open Referral UK import.


def _save(parsed: Parsed) -> Service:
    org = parsed.organization
    provider, _ = Provider.objects.update_or_create(
        oruk_id=org["oruk_id"],
        defaults={k: v for k, v in org.items() if k != "oruk_id"},
    )
    values = dict(parsed.service)
    sid = values.pop("id")
    service, _ = Service.objects.update_or_create(
        id=sid,
        defaults=values | {"organization": provider, "last_modified": timezone.now()},
    )
    # The file is the whole truth about the service: its children are replaced.
    for model in (Schedule, ServiceArea, Language, CostOption, Contact, ServiceAtLocation):
        model.objects.filter(service=service).delete()
    Schedule.objects.bulk_create([Schedule(service=service, **s) for s in parsed.schedules])
    ServiceArea.objects.bulk_create([ServiceArea(service=service, **a) for a in parsed.areas])
    Language.objects.bulk_create([Language(service=service, **x) for x in parsed.languages])
    CostOption.objects.bulk_create([CostOption(service=service, **c) for c in parsed.costs])
    for contact, phones in parsed.contacts:
        saved = Contact.objects.create(service=service, **contact)
        Phone.objects.bulk_create([Phone(contact=saved, **p) for p in phones])
    for sal_id, loc in parsed.locations:
        values = dict(loc)
        location, _ = Location.objects.update_or_create(id=values.pop("id"), defaults=values)
        ServiceAtLocation.objects.create(id=sal_id, service=service, location=location)
    terms = []
    for term in parsed.terms:
        taxonomy = None
        if term["taxonomy_id"]:
            taxonomy, _ = Taxonomy.objects.get_or_create(
                id=term["taxonomy_id"], defaults={"name": term["taxonomy"] or "Imported"}
            )
        saved_term, _ = TaxonomyTerm.objects.update_or_create(
            id=term["id"],
            defaults={
                "taxonomy": taxonomy,
                "name": term["name"],
                "description": term["description"],
                "code": term["code"],
                "term_uri": term["term_uri"],
            },
        )
        terms.append((saved_term, term["parent_id"]))
    for saved_term, parent_id in terms:
        if parent_id and TaxonomyTerm.objects.filter(id=parent_id).exists():
            TaxonomyTerm.objects.filter(id=saved_term.id).update(parent_id=parent_id)
    service.terms.set([t for t, _ in terms])
    return service


def oruk_import(*, actor: Actor, document: Any) -> list[Service]:
    """Every service in an Open Referral UK document, or none (OrukRefused names the
    record and field). A service already here with the same id is replaced."""
    parsed = services_parse(document)
    with transaction.atomic():
        saved = [_save(p) for p in parsed]
        event_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="service",
            summary=f"Directory: {len(saved)} services imported (Open Referral UK)",
            changes={"services": [str(s.id) for s in saved][:200]},
        )
    return saved


# Postcode centroids.


def postcodes_load(*, actor: Actor, text: str) -> int:
    """Centroids from an ONS postcode directory CSV (columns pcds, lat, long; others are
    ignored): all rows or none. Rows without a centroid (ONS gives lat 99.999999) are
    skipped. Returns how many were loaded; a postcode already held is replaced."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    if not set(POSTCODE_COLUMNS) <= columns:
        raise DirectoryRefused(POSTCODE_FILE_COLUMNS, "file")
    rows: dict[str, tuple[Decimal, Decimal]] = {}
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        key = geo.postcode_key(row["pcds"])
        if key is None:
            message = f"{row['pcds'] or '(blank)'} is not a postcode"
            raise DirectoryRefused(POSTCODE_ROW.format(row=number, column="pcds", message=message))
        try:
            lat, lon = Decimal(row["lat"]), Decimal(row["long"])
        except InvalidOperation:
            column = "lat" if not _is_number(row["lat"]) else "long"
            message = "must be a number of degrees"
            raise DirectoryRefused(
                POSTCODE_ROW.format(row=number, column=column, message=message)
            ) from None
        if lat == Decimal("99.999999"):
            continue  # ONS: no grid reference for this postcode
        if not (-90 <= lat <= 90):
            message = "must be from -90 to 90"
            raise DirectoryRefused(POSTCODE_ROW.format(row=number, column="lat", message=message))
        if not (-180 <= lon <= 180):
            message = "must be from -180 to 180"
            raise DirectoryRefused(POSTCODE_ROW.format(row=number, column="long", message=message))
        rows[key] = (lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001")))
    with transaction.atomic():
        Postcode.objects.filter(postcode__in=list(rows)).delete()
        Postcode.objects.bulk_create(
            [Postcode(postcode=k, latitude=a, longitude=b) for k, (a, b) in rows.items()],
            batch_size=2000,
        )
        event_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="postcode",
            summary=f"Directory: {len(rows)} postcode centroids loaded",
        )
    return len(rows)


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


# Searches that found little.


def need_search_note(
    *, need: str, terms: list[str], postcode: str | None, within_miles: int | None, results: int
) -> NeedSearch | None:
    """Note a search that found FEW_RESULTS or fewer: the words, the postcode's outward
    code, the count. Nothing about who searched."""
    if results > FEW_RESULTS or not (need or postcode):
        return None
    return NeedSearch.objects.create(
        searched_on=timezone.localdate(),
        need=need[:100],
        terms="; ".join(terms)[:400],
        area=geo.outward(postcode) if postcode else "",
        within_miles=within_miles,
        results=results,
    )


# Providers' own listings.

LISTING_FIELDS = ("name", "description", "url", "email", "alert", "status")


def _listing_apply(service: Service, changes: dict[str, list[str]]) -> None:
    for name, (_before, after) in changes.items():
        setattr(service, name, after)
    service.last_modified = timezone.now()
    service.save(update_fields=[*changes, "last_modified"])


def listing_change(
    *, actor: User, provider_id: int | None, service: Service, values: dict[str, str]
) -> ListingChange:
    """A provider changes its service's listing: applied now, or (with
    SELFDIRECT_DIRECTORY_APPROVE_CHANGES) kept waiting for the council."""
    if provider_id is None or service.organization_id != provider_id:
        raise DirectoryRefused(NOT_YOUR_LISTING)
    changes = {
        name: [getattr(service, name), values[name]]
        for name in LISTING_FIELDS
        if name in values and values[name] != getattr(service, name)
    }
    if not changes:
        raise DirectoryRefused(NOTHING_CHANGED)
    now = timezone.now()
    waits = settings.SELFDIRECT_DIRECTORY_APPROVE_CHANGES
    with transaction.atomic():
        change = ListingChange.objects.create(
            service=service,
            changes=changes,
            proposed_by=actor,
            proposed_at=now,
            status=ListingChange.Status.WAITING if waits else ListingChange.Status.APPROVED,
            decided_at=None if waits else now,
        )
        if not waits:
            _listing_apply(service, changes)
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="service",
            object_id=str(service.id),
            summary=(
                f"Listing of {service.name}: change proposed, waiting for the council"
                if waits
                else f"Listing of {service.name} changed by its provider"
            ),
            changes={k: {"before": b, "after": a} for k, (b, a) in changes.items()},
        )
    return change


def listing_change_decide(*, actor: User, change_id: int, approve: bool) -> ListingChange:
    """The council approves (applies) or declines a provider's waiting change."""
    with transaction.atomic():
        change = (
            ListingChange.objects.select_for_update().select_related("service").get(pk=change_id)
        )
        if change.status != ListingChange.Status.WAITING:
            raise DirectoryRefused(NOT_WAITING)
        if change.proposed_by_id == actor.pk:
            raise DirectoryRefused(OWN_CHANGE)
        change.status = ListingChange.Status.APPROVED if approve else ListingChange.Status.REJECTED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            _listing_apply(change.service, change.changes)
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="listingchange",
            object_id=change.pk,
            summary=f"Listing of {change.service.name}: change "
            + ("approved" if approve else "not approved"),
            changes={"status": {"before": "waiting", "after": change.status}},
        )
    return change


# Reviews: written by the person (or their representative) about a service of a provider
# that supports or supported them; published only once the council has checked them.

NOT_SUPPORTED = (
    "You can only review a service from a provider that supports you or has supported you"
)
RATING_NEEDED = "Choose a rating from 1 to 5"
REVIEW_TEXT_NEEDED = "Say what the service was like"
REVIEW_NOT_WAITING = "This review is not waiting to be checked"
REPLY_NEEDED = "Enter your reply"
NOT_YOUR_REVIEW = "You can only reply to reviews of your own services"
NOT_PUBLISHED = "You can reply once the review is published"


def review_write(
    *, actor: User, person: Person, service: Service, rating: int | None, text: str
) -> ServiceReview:
    """``person`` is one the actor may act for (the caller checked it through
    people_visible_to); the provider must support or have supported them."""
    if not ProviderClient.objects.filter(
        person=person, provider_id=service.organization_id
    ).exists():
        raise DirectoryRefused(NOT_SUPPORTED)
    if rating is None or not 1 <= rating <= 5:
        raise DirectoryRefused(RATING_NEEDED, "rating")
    if not text.strip():
        raise DirectoryRefused(REVIEW_TEXT_NEEDED, "text")
    with transaction.atomic():
        review = ServiceReview.objects.create(
            service=service,
            person=person,
            written_by=actor,
            written_at=timezone.now(),
            rating=rating,
            text=text.strip(),
        )
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="servicereview",
            object_id=review.pk,
            person_id=person.pk,
            summary=f"Review of {service.name} written, waiting to be checked",
        )
    return review


def review_moderate(*, actor: User, review_id: int, publish: bool) -> ServiceReview:
    with transaction.atomic():
        review = (
            ServiceReview.objects.select_for_update().select_related("service").get(pk=review_id)
        )
        if review.status != ServiceReview.Status.WAITING:
            raise DirectoryRefused(REVIEW_NOT_WAITING)
        review.status = ServiceReview.Status.PUBLISHED if publish else ServiceReview.Status.REJECTED
        review.moderated_by = actor
        review.moderated_at = timezone.now()
        review.save(update_fields=["status", "moderated_by", "moderated_at"])
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="servicereview",
            object_id=review.pk,
            person_id=review.person_id,
            summary=f"Review of {review.service.name} "
            + ("published" if publish else "not published"),
            changes={"status": {"before": "waiting", "after": review.status}},
        )
        name = review.service.name
        notification_send(
            actor=actor,
            person=review.person,
            kind=Message.Kind.REQUEST_ANSWERED,
            subject=f"{{Whose}} review of {name} is published"
            if publish
            else f"{{Whose}} review of {name} was not published",
            body=(
                f"Thank you for {{whose}} review of {name}. It is now on the service's page, "
                "without a name, for other people choosing support."
                if publish
                else f"Thank you for {{whose}} review of {name}. We did not publish it: reviews "
                "must be about the service and must not name anyone. You can write it again."
            ),
            key=f"service-review-{review.pk}-decided",
            link=reverse("directory:service", args=[review.service_id]),
        )
    return review


def review_reply(
    *, actor: User, provider_id: int | None, review: ServiceReview, reply: str
) -> ServiceReview:
    if provider_id is None or review.service.organization_id != provider_id:
        raise DirectoryRefused(NOT_YOUR_REVIEW)
    if review.status != ServiceReview.Status.PUBLISHED:
        raise DirectoryRefused(NOT_PUBLISHED)
    if not reply.strip():
        raise DirectoryRefused(REPLY_NEEDED, "reply")
    with transaction.atomic():
        before = review.reply
        review.reply = reply.strip()
        review.replied_at = timezone.now()
        review.save(update_fields=["reply", "replied_at"])
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="servicereview",
            object_id=review.pk,
            person_id=review.person_id,
            summary=f"Reply to a review of {review.service.name}",
            changes={"reply": {"before": before, "after": review.reply}},
        )
    return review


# Registration: the council keeps each location's CQC location ID and rating current.

CQC_ID_FORMAT = "Enter a CQC location ID like 1-123456789"


def location_registration_set(
    *, actor: User, location: Location, cqc_location_id: str, cqc_rating: str
) -> Location:
    cqc_location_id = cqc_location_id.strip()
    if cqc_location_id and not re.fullmatch(r"1-\d{6,12}", cqc_location_id):
        raise DirectoryRefused(CQC_ID_FORMAT, "cqc_location_id")
    if cqc_rating and cqc_rating not in Location.Rating.values:
        raise DirectoryRefused("Choose a rating from the list", "cqc_rating")
    changes = {
        name: {"before": getattr(location, name), "after": value}
        for name, value in (("cqc_location_id", cqc_location_id), ("cqc_rating", cqc_rating))
        if getattr(location, name) != value
    }
    if not changes:
        raise DirectoryRefused(NOTHING_CHANGED)
    with transaction.atomic():
        location.cqc_location_id = cqc_location_id
        location.cqc_rating = cqc_rating
        location.save(update_fields=["cqc_location_id", "cqc_rating"])
        Service.objects.filter(at_locations__location=location).update(last_modified=timezone.now())
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="location",
            object_id=str(location.pk),
            summary=f"Registration of {location} changed",
            changes=changes,
        )
    return location
